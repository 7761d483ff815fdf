using System;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;
using static Emu.Kernel.KernelConstants;
using static Emu.Tests.Processes.ProcessTestKit;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Tests.Processes;

/// <summary>
/// mprotect(2) on populated private anonymous memory through the process API, with expectations
/// from 6.12.117 mm/mprotect.c (change_pte_range, can_change_pte_writable, mprotect_fixup) and the
/// fault path it interacts with (arch/x86/mm/fault.c access_error, mm/memory.c do_wp_page).
/// </summary>
public unsafe class MprotectTests
{
    /// <summary>The pte mapping addr in p's page tables (none when a level is missing).</summary>
    private static pte_t PteAt(Machine m, Emu.Process p, ulong addr)
    {
        var k = m.Kernel;
        pgd_t* pgd = k.pgd_offset(p.Mm, addr);
        p4d_t* p4d = k.p4d_offset(pgd, addr);
        if (p4d_none(*p4d)) return default;
        pud_t* pud = k.pud_offset(p4d, addr);
        if (pud_none(*pud)) return default;
        pmd_t* pmd = k.pmd_offset(pud, addr);
        if (pmd_none(*pmd)) return default;
        return *k.pte_offset_kernel(pmd, addr);
    }

    [Test]
    public void ReadOnlyMakesWritesFaultAndKeepsTheData()
    {
        using var m = NewMachine();
        var p = m.Spawn();
        ulong a = Anon(p, 1);
        p.Fill(a, Page, 0x3C);
        ulong pfn = PfnAt(p, a);

        p.Mprotect(a, Page, Protection.Read);

        pte_t pte = PteAt(m, p, a);
        Assert.Multiple(() =>
        {
            Assert.That(pte_present(pte), Is.True, "change_pte_range rewrites present ptes in place (ptep_modify_prot_start/commit)");
            Assert.That(m.Kernel.pte_write(pte), Is.False, "pte_modify with PAGE_READONLY drops _PAGE_RW");
            Assert.That(pte_pfn(pte), Is.EqualTo(pfn), "pte_modify keeps the pfn (_PAGE_CHG_MASK)");
            Assert.That(pte_flags(pte) & _PAGE_DIRTY, Is.Zero, "pte_modify: a Write=1 pte losing RW goes through pte_mksaveddirty (no Write=0,Dirty=1)");
            Assert.That(pte_flags(pte) & _PAGE_SAVED_DIRTY, Is.Not.Zero, "mksaveddirty_shift moves Dirty to SavedDirty");
            Assert.That(pte_dirty(pte), Is.True, "pte_dirty tests _PAGE_DIRTY_BITS, SavedDirty included");
        });
        var e = Assert.Throws<EmulatedSignalException>(() => p.Write(a + 8, [1]))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Signal, Is.EqualTo(Signal.SIGSEGV), "access_error: X86_PF_WRITE on a vma without VM_WRITE -> bad_area_access_error");
            Assert.That(e.Address, Is.EqualTo(a + 8));
            Assert.That(ReadByte(p, a + 8), Is.EqualTo(0x3C), "reads are still allowed (VM_READ) and see the old data");
            Assert.That(PfnAt(p, a), Is.EqualTo(pfn), "no COW happened: the same frame stays mapped");
        });
        Assert.That(m.Warnings, Is.Empty, "no WARN fired (change_pte_range's WARN_ON_ONCE, can_change_pte_writable's, lockdep's)");
    }

    [Test]
    public void BackToReadWriteOnAnExclusivePageNeedsNoFault()
    {
        using var m = NewMachine();
        var p = m.Spawn();
        ulong a = Anon(p, 1);
        p.Fill(a, Page, 0x11);
        ulong pfn = PfnAt(p, a);
        p.Mprotect(a, Page, Protection.Read);
        Assert.That(m.Kernel.pte_write(PteAt(m, p, a)), Is.False);

        p.Mprotect(a, Page, Protection.ReadWrite);

        pte_t pte = PteAt(m, p, a);
        Assert.Multiple(() =>
        {
            // vm_page_prot of a private writable vma is PAGE_COPY (no _PAGE_RW); only
            // MM_CP_TRY_CHANGE_WRITABLE + can_change_pte_writable (PageAnonExclusive) make it writable.
            Assert.That(pgprot_val(m.Kernel.vm_get_page_prot(VM_READ | VM_WRITE)) & _PAGE_RW, Is.Zero, "vm_get_page_prot: private VM_WRITE maps to PAGE_COPY");
            Assert.That(m.Kernel.pte_write(pte), Is.True, "change_pte_range: pte_mkwrite for an exclusive anon page");
            Assert.That(pte_pfn(pte), Is.EqualTo(pfn));
            Assert.That(pte_flags(pte) & (_PAGE_DIRTY | _PAGE_SAVED_DIRTY), Is.EqualTo(_PAGE_DIRTY), "pte_mkwrite: pte_clear_saveddirty moves SavedDirty back to Dirty");
        });
        // The next write finds a writable pte: the MMU takes no fault and the frame stays.
        p.Write(a, [0x22]);
        Assert.Multiple(() =>
        {
            Assert.That(PfnAt(p, a), Is.EqualTo(pfn), "no COW: the page was exclusive");
            Assert.That(ReadByte(p, a), Is.EqualTo(0x22));
            Assert.That(ReadByte(p, a + 1), Is.EqualTo(0x11));
        });
        Assert.That(m.Warnings, Is.Empty, "no WARN fired (change_pte_range's WARN_ON_ONCE, can_change_pte_writable's, lockdep's)");
    }

    [Test]
    public void SharedAfterForkStaysWriteProtectedAndCows()
    {
        using var m = NewMachine();
        var parent = m.Spawn();
        ulong a = Anon(parent, 1);
        parent.Fill(a, Page, 0x5A);
        ulong pfn = PfnAt(parent, a);
        var child = parent.Fork();

        parent.Mprotect(a, Page, Protection.Read);
        parent.Mprotect(a, Page, Protection.ReadWrite);

        m.Kernel.lru_add_drain();
        var f = page_folio(m.Kernel.pfn_to_page(pfn));
        Assert.Multiple(() =>
        {
            Assert.That(PageAnonExclusive(&f->page), Is.False, "fork's __folio_try_dup_anon_rmap cleared PageAnonExclusive");
            Assert.That(m.Kernel.pte_write(PteAt(m, parent, a)), Is.False,
                "can_change_pte_writable: a private pte is made writable only for an exclusive anon page");
        });

        parent.Write(a, [0xA5]);
        Assert.Multiple(() =>
        {
            Assert.That(PfnAt(parent, a), Is.Not.EqualTo(pfn), "do_wp_page: the page is mapped twice, so wp_page_copy gives the parent a copy");
            Assert.That(PfnAt(child, a), Is.EqualTo(pfn), "the child keeps the original frame");
            Assert.That(ReadByte(child, a), Is.EqualTo(0x5A), "the child still reads the old data");
            Assert.That(ReadByte(parent, a), Is.EqualTo(0xA5));
            Assert.That(ReadByte(parent, a + 1), Is.EqualTo(0x5A), "wp_page_copy copied the rest of the page");
        });
        Assert.That(m.Warnings, Is.Empty, "no WARN fired (change_pte_range's WARN_ON_ONCE, can_change_pte_writable's, lockdep's)");
    }

    [Test]
    public void ProtNoneFaultsReadsAndReadRestoresThem()
    {
        using var m = NewMachine();
        var p = m.Spawn();
        ulong a = Anon(p, 2);
        p.Fill(a, 2 * Page, 0x77);
        ulong pfn = PfnAt(p, a + Page);

        p.Mprotect(a + Page, Page, Protection.None);

        pte_t pte = PteAt(m, p, a + Page);
        Assert.Multiple(() =>
        {
            Assert.That(pte_present(pte), Is.True, "pte_present: a PROT_NONE pte (_PAGE_PROTNONE) still counts as present");
            Assert.That(pte_protnone(pte), Is.True, "pte_modify with PAGE_NONE leaves _PAGE_PROTNONE without _PAGE_PRESENT");
            Assert.That(pte_pfn(pte), Is.EqualTo(pfn), "pte_pfn undoes the PROT_NONE pfn inversion (flip_protnone_guard)");
            Assert.That(p.ReadPagemap(a + Page) & PmPresent, Is.Not.Zero, "pte_to_pagemap_entry: pte_present");
        });
        var e = Assert.Throws<EmulatedSignalException>(() => ReadByte(p, a + Page + 3))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Signal, Is.EqualTo(Signal.SIGSEGV), "access_error: !vma_is_accessible");
            Assert.That(e.Address, Is.EqualTo(a + Page + 3));
            Assert.That(ReadByte(p, a), Is.EqualTo(0x77), "the first page, outside the range, is untouched");
        });

        p.Mprotect(a + Page, Page, Protection.Read);
        Assert.Multiple(() =>
        {
            Assert.That(ReadByte(p, a + Page + 3), Is.EqualTo(0x77), "the data survived PROT_NONE");
            Assert.That(PfnAt(p, a + Page), Is.EqualTo(pfn), "same frame");
            Assert.That(Assert.Throws<EmulatedSignalException>(() => p.Write(a + Page, [0]))!.Signal, Is.EqualTo(Signal.SIGSEGV), "still no VM_WRITE");
        });
        Assert.That(m.Warnings, Is.Empty, "no WARN fired (change_pte_range's WARN_ON_ONCE, can_change_pte_writable's, lockdep's)");
    }

    [Test]
    public void PartOfAVmaSplitsItAndRestoringMergesIt()
    {
        using var m = NewMachine();
        var p = m.Spawn();
        ulong a = Anon(p, 4);
        p.Fill(a, 4 * Page, 0x42);
        int before = p.Mm->map_count;

        p.Mprotect(a + Page, 2 * Page, Protection.Read);
        Assert.Multiple(() =>
        {
            Assert.That(p.Mm->map_count, Is.EqualTo(before + 2), "vma_modify_flags splits off the head and the tail (two __split_vma)");
            Assert.That(m.Kernel.pte_write(PteAt(m, p, a)), Is.True, "the head keeps its writable pte");
            Assert.That(m.Kernel.pte_write(PteAt(m, p, a + Page)), Is.False);
            Assert.That(m.Kernel.pte_write(PteAt(m, p, a + 2 * Page)), Is.False);
            Assert.That(m.Kernel.pte_write(PteAt(m, p, a + 3 * Page)), Is.True, "the tail keeps its writable pte");
        });
        Assert.Throws<EmulatedSignalException>(() => p.Write(a + 2 * Page, [1]));
        Assert.DoesNotThrow(() => p.Write(a + 3 * Page, [1]));

        p.Mprotect(a + Page, 2 * Page, Protection.ReadWrite);
        Assert.Multiple(() =>
        {
            Assert.That(p.Mm->map_count, Is.EqualTo(before), "vma_modify_flags merges with both neighbours: same flags, anon_vma and pgoff");
            Assert.That(ReadByte(p, a + 2 * Page), Is.EqualTo(0x42));
        });
        p.Write(a + 2 * Page, [2]);
        Assert.That(ReadByte(p, a + 2 * Page), Is.EqualTo(2));
        Assert.That(m.Warnings, Is.Empty, "no WARN fired (change_pte_range's WARN_ON_ONCE, can_change_pte_writable's, lockdep's)");
    }

    [Test]
    public void RangeAcrossPageTablesRewritesOnlyPresentPtes()
    {
        using var m = NewMachine();
        var p = m.Spawn();
        // Four pages around 1 GiB: the range crosses a pte table, a pmd table and a pud entry.
        const ulong boundary = 1UL << 30;
        ulong a = p.Mmap(4 * Page, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, boundary - 2 * Page);
        Assert.That(a, Is.EqualTo(boundary - 2 * Page));
        p.Write(a, [1]);
        p.Write(a + 3 * Page, [4]);

        p.Mprotect(a, 4 * Page, Protection.Read);
        Assert.Multiple(() =>
        {
            Assert.That(m.Kernel.pte_write(PteAt(m, p, a)), Is.False, "change_pte_range below the boundary");
            Assert.That(m.Kernel.pte_write(PteAt(m, p, a + 3 * Page)), Is.False, "change_pud_range moves on to the next pud");
            Assert.That(pte_none(PteAt(m, p, a + Page)), Is.True, "an empty pte stays empty: only uffd-wp acts on pte_none");
            Assert.That(p.ReadPagemap(a + 2 * Page) & PmPresent, Is.Zero);
            Assert.That(m.Warnings, Is.Empty, "no WARN_ON_ONCE(!pte_none) and no can_change_pte_writable warning");
        });
        Assert.Throws<EmulatedSignalException>(() => p.Write(a + 3 * Page, [5]));
        Assert.Throws<EmulatedSignalException>(() => p.Write(a + Page, [5]), "a never-touched page of the vma also refuses writes (access_error)");
        Assert.That(ReadByte(p, a + 3 * Page), Is.EqualTo(4));

        p.Mprotect(a, 4 * Page, Protection.ReadWrite);
        Assert.Multiple(() =>
        {
            Assert.That(m.Kernel.pte_write(PteAt(m, p, a)), Is.True);
            Assert.That(m.Kernel.pte_write(PteAt(m, p, a + 3 * Page)), Is.True);
        });
        Assert.That(m.Warnings, Is.Empty, "no WARN fired (change_pte_range's WARN_ON_ONCE, can_change_pte_writable's, lockdep's)");
    }

    [Test]
    public void ZeroPagePteIsNotMadeWritable()
    {
        using var m = NewMachine();
        var p = m.Spawn();
        ulong a = Anon(p, 1);
        Assert.That(ReadByte(p, a), Is.Zero);
        p.Mprotect(a, Page, Protection.Read);
        p.Mprotect(a, Page, Protection.ReadWrite);
        pte_t pte = PteAt(m, p, a);
        Assert.Multiple(() =>
        {
            Assert.That(pte_pfn(pte), Is.EqualTo(m.Kernel.zero_pfn), "the zero-page pte survives mprotect");
            Assert.That(m.Kernel.pte_write(pte), Is.False, "can_change_pte_writable: vm_normal_page is NULL for the zero page");
        });
        p.Write(a, [9]);
        Assert.Multiple(() =>
        {
            Assert.That(PfnAt(p, a), Is.Not.EqualTo(m.Kernel.zero_pfn), "do_wp_page on the zero page allocates (wp_page_copy)");
            Assert.That(ReadByte(p, a), Is.EqualTo(9));
            Assert.That(p.ReadPagemap(a) & PmExclusive, Is.Not.Zero);
        });
        Assert.That(m.Warnings, Is.Empty, "no WARN fired (change_pte_range's WARN_ON_ONCE, can_change_pte_writable's, lockdep's)");
    }
}
