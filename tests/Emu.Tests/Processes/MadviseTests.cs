using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;
using static Emu.Kernel.KernelConstants;
using static Emu.Tests.Processes.ProcessTestKit;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Tests.Processes;

/// <summary>
/// madvise(2) on anonymous memory, with expectations from 6.12.117 mm/madvise.c and the paths it
/// reaches (named in each message).
/// </summary>
public unsafe class MadviseTests
{
    private static ulong VmFlagsAt(Machine m, Emu.Process p, ulong addr) => m.Kernel.find_vma(p.Mm, addr)->vm_flags;

    [Test]
    public void DontNeedInTheParentLeavesTheChildsCopy()
    {
        using var m = NewMachine();
        var parent = m.Spawn();
        ulong a = Anon(parent, 1);
        parent.Fill(a, Page, 7);
        var child = parent.Fork();
        parent.Madvise(a, Page, Advice.DontNeed);
        Assert.Multiple(() =>
        {
            Assert.That(ReadByte(parent, a), Is.Zero, "zap_page_range_single removed the parent's PTE; the next read maps the zero page");
            Assert.That(ReadByte(child, a), Is.EqualTo(7), "the child's PTE still maps the folio");
            m.Kernel.lru_add_drain();
            var f = page_folio(m.Kernel.pfn_to_page(child.ReadPagemap(a) & PmPfnMask));
            Assert.That(m.Kernel.folio_mapcount(f), Is.EqualTo(1), "folio_remove_rmap_ptes dropped the parent's mapping");
            Assert.That(folio_ref_count(f), Is.EqualTo(1), "the zap's mmu_gather freed the parent's reference");
        });
    }

    [Test]
    public void DontNeedOverAHoleZapsBothSidesAndReportsEnomem()
    {
        using var m = NewMachine();
        var p = m.Spawn();
        ulong a = Anon(p, 3);
        p.Fill(a, 3 * Page, 1);
        p.Munmap(a + Page, Page);
        var e = Assert.Throws<LinuxErrorException>(() => p.Madvise(a, 3 * Page, Advice.DontNeed))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Errno, Is.EqualTo(ENOMEM), "madvise_walk_vmas: unmapped_error");
            Assert.That(p.ReadPagemap(a) & PmPresent, Is.Zero, "the VMA before the hole was advised");
            Assert.That(p.ReadPagemap(a + 2 * Page) & PmPresent, Is.Zero, "and the one after it");
        });
    }

    [Test]
    public void RandomOnTheMiddleSplitsAndNormalMergesBack()
    {
        using var m = NewMachine();
        var p = m.Spawn();
        ulong a = Anon(p, 3);
        int before = p.Mm->map_count;
        p.Madvise(a + Page, Page, Advice.Random);
        Assert.Multiple(() =>
        {
            Assert.That(p.Mm->map_count, Is.EqualTo(before + 2), "vma_modify split [a, a+3p) into three");
            Assert.That(VmFlagsAt(m, p, a + Page) & VM_RAND_READ, Is.Not.Zero, "madvise_vma_behavior MADV_RANDOM");
            Assert.That(VmFlagsAt(m, p, a) & VM_RAND_READ, Is.Zero);
        });
        p.Madvise(a + Page, Page, Advice.Normal);
        Assert.Multiple(() =>
        {
            Assert.That(p.Mm->map_count, Is.EqualTo(before), "vma_merge_existing_range merged all three back");
            Assert.That(m.Kernel.find_vma(p.Mm, a)->vm_end, Is.EqualTo(a + 3 * Page));
        });
    }

    [Test]
    public void DontForkLeavesTheRangeOutOfTheChild()
    {
        using var m = NewMachine();
        var parent = m.Spawn();
        ulong a = Anon(parent, 2);
        parent.Fill(a, 2 * Page, 3);
        parent.Madvise(a, Page, Advice.DontFork);
        var child = parent.Fork();
        var e = Assert.Throws<EmulatedSignalException>(() => ReadByte(child, a))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Signal, Is.EqualTo(Signal.SIGSEGV), "dup_mmap skips VM_DONTCOPY VMAs");
            Assert.That(ReadByte(child, a + Page), Is.EqualTo(3), "the other half was copied");
            Assert.That(ReadByte(parent, a), Is.EqualTo(3));
        });
        parent.Madvise(a, Page, Advice.DoFork);
        Assert.That(VmFlagsAt(m, parent, a) & VM_DONTCOPY, Is.Zero, "MADV_DOFORK clears VM_DONTCOPY");
    }

    [Test]
    public void WipeOnForkGivesTheChildZeroes()
    {
        using var m = NewMachine();
        var parent = m.Spawn();
        ulong a = Anon(parent, 1);
        parent.Fill(a, Page, 9);
        parent.Madvise(a, Page, Advice.WipeOnFork);
        var child = parent.Fork();
        Assert.Multiple(() =>
        {
            Assert.That(ReadByte(child, a), Is.Zero, "copy_page_range is skipped for VM_WIPEONFORK (vma_needs_copy)");
            Assert.That(ReadByte(parent, a), Is.EqualTo(9));
            Assert.That(m.Kernel.get_mm_counter_sum(child.Mm, MM_ANONPAGES), Is.Zero);
        });
    }

    [Test]
    public void PopulateWriteFaultsInEveryPageAndPopulateReadMapsTheZeroPage()
    {
        using var m = NewMachine();
        var p = m.Spawn();
        ulong w = Anon(p, 4), r = Anon(p, 4);
        p.Madvise(w, 4 * Page, Advice.PopulateWrite);
        p.Madvise(r, 4 * Page, Advice.PopulateRead);
        Assert.Multiple(() =>
        {
            Assert.That(m.Kernel.get_mm_counter_sum(p.Mm, MM_ANONPAGES), Is.EqualTo(4), "faultin_page_range FOLL_WRITE: four anon folios");
            for (ulong i = 0; i < 4; i++)
            {
                Assert.That(p.ReadPagemap(w + i * Page) & PmPresent, Is.Not.Zero);
                Assert.That(p.ReadPagemap(r + i * Page) & PmPfnMask, Is.EqualTo(m.Kernel.zero_pfn), "a read fault maps the zero page");
            }
        });
    }

    [Test]
    public void PageOutWithoutSwapKeepsTheData()
    {
        using var m = NewMachine();
        var p = m.Spawn();
        ulong a = Anon(p, 2);
        p.Fill(a, 2 * Page, 5);
        p.Madvise(a, 2 * Page, Advice.PageOut);
        p.Madvise(a, 2 * Page, Advice.Cold);
        Assert.Multiple(() =>
        {
            Assert.That(p.ReadPagemap(a) & PmPresent, Is.Not.Zero, "no swap device: shrink_folio_list cannot add_to_swap");
            Assert.That(ReadByte(p, a + Page), Is.EqualTo(5));
        });
    }

    [Test]
    public void HugePageAdviceOnlyFlipsTheVmaFlags()
    {
        using var m = NewMachine();
        var p = m.Spawn();
        ulong a = Anon(p, 1);
        p.Madvise(a, Page, Advice.HugePage);
        Assert.That(VmFlagsAt(m, p, a) & (VM_HUGEPAGE | VM_NOHUGEPAGE), Is.EqualTo((ulong)VM_HUGEPAGE), "hugepage_madvise");
        p.Madvise(a, Page, Advice.NoHugePage);
        Assert.That(VmFlagsAt(m, p, a) & (VM_HUGEPAGE | VM_NOHUGEPAGE), Is.EqualTo((ulong)VM_NOHUGEPAGE), "hugepage_madvise");
    }

    [Test]
    public void FreeMarksAnExclusiveFolioLazyAndKeepsItMapped()
    {
        using var m = NewMachine();
        var p = m.Spawn();
        ulong a = Anon(p, 1);
        p.Fill(a, Page, 4);
        p.Madvise(a, Page, Advice.Free);
        m.Kernel.lru_add_drain();
        var f = page_folio(m.Kernel.pfn_to_page(p.ReadPagemap(a) & PmPfnMask));
        Assert.Multiple(() =>
        {
            Assert.That(folio_test_swapbacked(f), Is.False, "lru_lazyfree clears PG_swapbacked once the batch drains");
            Assert.That(folio_test_anon(f), Is.True, "still an anon folio");
            Assert.That(folio_test_active(f), Is.False, "lru_lazyfree: inactive");
            Assert.That(folio_test_lru(f), Is.True);
            // Only reclaim frees a lazy folio, and Emu runs no reclaim: the data stays.
            Assert.That(ReadByte(p, a), Is.EqualTo(4));
        });
        p.Write(a, [6]);
        Assert.That(ReadByte(p, a), Is.EqualTo(6), "a write after MADV_FREE re-dirties the PTE; the page is the writer's again");
    }
}
