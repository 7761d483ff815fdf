using System;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;
using static Emu.Kernel.KernelConstants;
using static Emu.Tests.Processes.ProcessTestKit;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Tests.Processes;

/// <summary>
/// Kernel state after the classic steps, with expectations from the 6.12.117 C: the function that
/// sets each value is named in the assertion's message.
/// </summary>
public unsafe class ProcessStateTests
{
    /// <summary>
    /// The folio mapped at addr, after draining the per-CPU LRU batch: folio_add_lru() holds one
    /// reference per folio until lru_add_drain(), so refcounts below are the drained values.
    /// </summary>
    private static folio* FolioAt(Machine m, Emu.Process p, ulong addr)
    {
        m.Kernel.lru_add_drain();
        ulong pme = p.ReadPagemap(addr);
        Assert.That(pme & PmPresent, Is.Not.Zero, $"0x{addr:x} is not present");
        return page_folio(m.Kernel.pfn_to_page(pme & PmPfnMask));
    }

    [Test]
    public void ReadFaultMapsTheSharedZeroPage()
    {
        using var m = NewMachine();
        var p = m.Spawn();
        ulong a = Anon(p, 1);
        var buf = new byte[8];
        p.Read(a, buf);
        ulong pme = p.ReadPagemap(a);
        Assert.Multiple(() =>
        {
            Assert.That(buf, Is.All.Zero);
            Assert.That(pme & PmPresent, Is.Not.Zero, "do_anonymous_page installs the zero-page PTE on a read fault");
            Assert.That(pme & PmPfnMask, Is.EqualTo(m.Kernel.zero_pfn), "my_zero_pfn()");
            Assert.That(pme & PmExclusive, Is.Zero, "vm_normal_page() is NULL for the special zero-page PTE, so no MMAP_EXCLUSIVE");
            Assert.That(m.Kernel.get_mm_counter_sum(p.Mm, MM_ANONPAGES), Is.Zero, "the zero page is not counted in MM_ANONPAGES");
        });
    }

    [Test]
    public void WriteFaultAllocatesAnExclusiveAnonFolio()
    {
        using var m = NewMachine();
        var p = m.Spawn();
        ulong a = Anon(p, 1);
        p.Write(a, [1, 2, 3]);
        var f = FolioAt(m, p, a);
        Assert.Multiple(() =>
        {
            Assert.That(folio_ref_count(f), Is.EqualTo(1), "alloc_anon_folio's reference becomes the mapping's (do_anonymous_page); the LRU batch's is drained");
            Assert.That(m.Kernel.folio_mapcount(f), Is.EqualTo(1), "folio_add_new_anon_rmap sets _mapcount to 0");
            Assert.That(PageAnonExclusive(&f->page), Is.True, "folio_add_new_anon_rmap with RMAP_EXCLUSIVE");
            Assert.That(folio_test_anon(f), Is.True);
            Assert.That(f->index, Is.EqualTo(a >> PAGE_SHIFT), "linear_page_index of an anonymous VMA is its address >> PAGE_SHIFT");
            Assert.That(m.Kernel.get_mm_counter_sum(p.Mm, MM_ANONPAGES), Is.EqualTo(1), "inc_mm_counter(MM_ANONPAGES) in do_anonymous_page");
            Assert.That(p.ReadPagemap(a) & PmExclusive, Is.Not.Zero, "folio_precise_page_mapcount == 1");
        });
    }

    [Test]
    public void ForkSharesWriteProtectedAndClearsExclusive()
    {
        using var m = NewMachine();
        var parent = m.Spawn();
        ulong a = Anon(parent, 1);
        parent.Write(a, [42]);
        var child = parent.Fork();
        var f = FolioAt(m, parent, a);
        Assert.Multiple(() =>
        {
            Assert.That(PfnAt(child, a), Is.EqualTo(PfnAt(parent, a)), "copy_present_ptes shares the page");
            Assert.That(folio_ref_count(f), Is.EqualTo(2), "folio_ref_add in copy_present_ptes");
            Assert.That(m.Kernel.folio_mapcount(f), Is.EqualTo(2), "folio_try_dup_anon_rmap_ptes");
            Assert.That(PageAnonExclusive(&f->page), Is.False, "__folio_try_dup_anon_rmap clears PageAnonExclusive");
            Assert.That(m.Kernel.get_mm_counter_sum(child.Mm, MM_ANONPAGES), Is.EqualTo(1), "copy_present_ptes counts rss for the child");
            Assert.That(parent.ReadPagemap(a) & PmExclusive, Is.Zero, "two mappings: no MMAP_EXCLUSIVE");
        });
    }

    [Test]
    public void ChildWriteCopiesAndParentThenReusesItsPage()
    {
        using var m = NewMachine();
        var parent = m.Spawn();
        ulong a = Anon(parent, 1);
        parent.Write(a, [1]);
        ulong original = PfnAt(parent, a);
        var child = parent.Fork();
        child.Write(a, [2]);
        var childFolio = FolioAt(m, child, a);
        var parentFolio = FolioAt(m, parent, a);
        Assert.Multiple(() =>
        {
            Assert.That(PfnAt(child, a), Is.Not.EqualTo(original), "wp_page_copy gives the writer a new page");
            Assert.That(PageAnonExclusive(&childFolio->page), Is.True, "wp_page_copy maps the copy exclusive");
            Assert.That(folio_ref_count(parentFolio), Is.EqualTo(1), "wp_page_copy drops the child's reference to the old page");
            Assert.That(m.Kernel.folio_mapcount(parentFolio), Is.EqualTo(1), "folio_remove_rmap_pte for the child's old mapping");
            Assert.That(PageAnonExclusive(&parentFolio->page), Is.False, "nothing marked the parent's page exclusive again yet");
        });
        parent.Write(a, [3]);
        Assert.Multiple(() =>
        {
            Assert.That(PfnAt(parent, a), Is.EqualTo(original), "wp_can_reuse_anon_folio: refcount 1, so do_wp_page reuses");
            Assert.That(PageAnonExclusive(&FolioAt(m, parent, a)->page), Is.True, "do_wp_page sets PageAnonExclusive on reuse");
        });
        var buf = new byte[1];
        child.Read(a, buf);
        Assert.That(buf[0], Is.EqualTo(2));
        parent.Read(a, buf);
        Assert.That(buf[0], Is.EqualTo(3));
    }

    [Test]
    public void ParentReusesWhenTheChildHasExited()
    {
        using var m = NewMachine();
        var parent = m.Spawn();
        ulong a = Anon(parent, 4);
        parent.Fill(a, 4 * Page, 7);
        ulong original = PfnAt(parent, a);
        var child = parent.Fork();
        child.Exit();
        var f = FolioAt(m, parent, a);
        Assert.That(folio_ref_count(f), Is.EqualTo(1), "zap_present_ptes dropped the child's reference at exit");
        parent.Write(a, [9]);
        Assert.Multiple(() =>
        {
            Assert.That(PfnAt(parent, a), Is.EqualTo(original), "wp_can_reuse_anon_folio reuses a page only this mm maps");
            Assert.That(PageAnonExclusive(&FolioAt(m, parent, a)->page), Is.True);
        });
    }

    [Test]
    public void DontNeedZapsAndTheNextReadSeesZeroes()
    {
        using var m = NewMachine();
        var p = m.Spawn();
        ulong a = Anon(p, 2);
        p.Fill(a, 2 * Page, 0xAB);
        p.Madvise(a, Page, Advice.DontNeed);
        Assert.Multiple(() =>
        {
            Assert.That(p.ReadPagemap(a) & PmPresent, Is.Zero, "zap_page_range_single cleared the PTE");
            Assert.That(p.ReadPagemap(a + Page) & PmPresent, Is.Not.Zero, "the second page stays");
            Assert.That(m.Kernel.get_mm_counter_sum(p.Mm, MM_ANONPAGES), Is.EqualTo(1));
        });
        var buf = new byte[16];
        p.Read(a, buf);
        Assert.That(buf, Is.All.Zero, "a private anonymous page reads zeroes after MADV_DONTNEED");
    }

    [Test]
    public void ExitReturnsEveryFrame()
    {
        using var m = NewMachine();
        long before = BaselineFreePages(m);
        var p = m.Spawn();
        ulong a = Anon(p, 64);
        p.Fill(a, 64 * Page, 1);
        var c = p.Fork();
        c.Fill(a, 32 * Page, 2);
        c.Exit();
        p.Exit();
        m.Kernel.lru_add_drain_all();
        Assert.That(m.Kernel.nr_free_pages(), Is.EqualTo(before), "every page table, pgd and anon folio is back in the buddy lists");
    }

    /// <summary>Free pages once every memmap section is online, so later allocations cannot online more.</summary>
    internal static long BaselineFreePages(Machine m)
    {
        var k = m.Kernel;
        var held = new System.Collections.Generic.List<nint>();
        page* pg;
        while ((pg = k.alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, MAX_PAGE_ORDER)) != null)
            held.Add((nint)pg);
        foreach (var h in held)
            k.__free_pages((page*)h, MAX_PAGE_ORDER);
        return k.nr_free_pages();
    }
}
