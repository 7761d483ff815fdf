using System.Linq;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Tests.Kernel.Mm;

/// <summary>
/// mm_struct life cycle (kernel/fork.c), page-table page allocation (mm/memory.c __*_alloc,
/// asm-generic/pgalloc.h, arch/x86/mm/pgtable.c) with the split locks of include/linux/mm.h, and
/// the rss percpu counters. Expectations from the 6.12.117 C, cited per assertion.
/// </summary>
public unsafe class PageTableAllocTests
{
    private const ulong Addr = 0x7f12_3456_7000UL;

    private static Machine NewMachine() => new(new MachineOptions { MemoryBytes = 64UL << 20 });

    [Test]
    public void MmAllocSetsUpWhatMmInitSetsAndMmputGivesEverythingBack()
    {
        using var machine = NewMachine();
        var k = machine.Kernel;
        long free0 = k.nr_free_pages();
        mm_struct* mm = k.mm_alloc();
        Assert.That(mm != null);
        page* pgdpage = k.virt_to_page(mm->pgd);
        Assert.Multiple(() =>
        {
            // fork.c mm_init: atomic_set(&mm->mm_users, 1); atomic_set(&mm->mm_count, 1).
            Assert.That(mm->mm_users.counter, Is.EqualTo(1));
            Assert.That(mm->mm_count.counter, Is.EqualTo(1));
            // pgalloc.h: PGD_ALLOCATION_ORDER 1 with CONFIG_MITIGATION_PAGE_TABLE_ISOLATION: two frames.
            Assert.That(k.nr_free_pages(), Is.EqualTo(free0 - 2));
            // pgtable.c pgd_ctor: !SHARED_KERNEL_PMD -> pgd_set_mm and pgd_list_add.
            Assert.That(page_ptdesc(pgdpage)->pt_mm == mm);
            Assert.That(k.pgd_list->next == &page_ptdesc(pgdpage)->pt_list);
            // GFP_PGTABLE_USER has __GFP_ZERO: the user half of the new pgd is empty.
            Assert.That(Enumerable.Range(0, 256).All(i => mm->pgd[i].pgd == 0));
            // mm.h mm_pgtables_bytes_init; percpu_counter_init_many(..., 0, ...).
            Assert.That(mm_pgtables_bytes(mm), Is.Zero);
            Assert.That(k.get_mm_counter_sum(mm, MM_ANONPAGES), Is.Zero);
            // No current task (kernel thread): mm->flags = default_dump_filter = MMF_DUMP_FILTER_DEFAULT.
            Assert.That(mm->flags, Is.EqualTo((ulong)MMF_DUMP_FILTER_DEFAULT));
        });

        k.mmput(mm);
        Assert.Multiple(() =>
        {
            // __mmput -> mmdrop -> __mmdrop -> mm_free_pgd -> pgd_free: both frames back, list empty.
            Assert.That(k.nr_free_pages(), Is.EqualTo(free0));
            Assert.That(list_empty(k.pgd_list), Is.True);
            Assert.That(machine.KernelLog.Any(l => l.StartsWith("BUG")), Is.False);
            Assert.That(machine.Warnings, Is.Empty);
        });
    }

    [Test]
    public void AllocatingTheWalkAddsOneTablePerLevelWithItsLock()
    {
        using var machine = NewMachine();
        var k = machine.Kernel;
        mm_struct* mm = k.mm_alloc();
        long free0 = k.nr_free_pages();

        pgd_t* pgd = k.pgd_offset(mm, Addr);
        p4d_t* p4d = k.p4d_alloc(mm, pgd, Addr);
        // No LA57: pgd_none() is 0, so p4d_alloc does not allocate and p4d_offset is the pgd entry.
        Assert.That((nint)p4d, Is.EqualTo((nint)pgd));
        pud_t* pud = k.pud_alloc(mm, p4d, Addr);
        pmd_t* pmd = k.pmd_alloc(mm, pud, Addr);
        Assert.That(k.pte_alloc(mm, pmd), Is.False);
        Assert.Multiple(() =>
        {
            // One zeroed table page per level: pud, pmd, pte.
            Assert.That(k.nr_free_pages(), Is.EqualTo(free0 - 3));
            // mm.h mm_inc_nr_puds/pmds/ptes: PTRS_PER_* * 8 bytes each.
            Assert.That(mm_pgtables_bytes(mm), Is.EqualTo(3UL * 512 * 8));
            // pgalloc.h p4d_populate/pud_populate/pmd_populate: entry = table pa | _PAGE_TABLE (0x67).
            Assert.That(p4d->p4d & 0xfff, Is.EqualTo(0x67UL));
            Assert.That(pud->pud & 0xfff, Is.EqualTo(0x67UL));
            Assert.That(pmd->pmd & 0xfff, Is.EqualTo(0x67UL));
        });

        page* ptepage = k.pmd_page(*pmd);
        page* pmdpage = k.virt_to_page(pmd);
        spinlock* ptlout;
        pte_t* pte = k.pte_offset_map_lock(mm, pmd, Addr, &ptlout);
        spinlock* ptl = ptlout;
        Assert.Multiple(() =>
        {
            // mm.h pagetable_pte_ctor/pagetable_pmd_ctor: __folio_set_pgtable on both table pages.
            Assert.That(PageTable(ptepage) && PageTable(pmdpage), Is.True);
            // The pud level has no ctor lock but is a page table too (pagetable_pud_ctor).
            Assert.That(PageTable(k.pud_page(*pud)), Is.True);
            // !ALLOC_SPLIT_PTLOCKS: ptlock_ptr is &ptdesc->ptl of the pte table's page, taken by the lock call.
            Assert.That((nint)ptl, Is.EqualTo((nint)(&page_ptdesc(ptepage)->ptl)));
            Assert.That(spin_is_locked(ptl), Is.True);
            Assert.That((nint)pte, Is.EqualTo((nint)((pte_t*)k.page_address(ptepage) + pte_index(Addr))));
            // SPLIT_PMD_PTLOCKS: pmd_lockptr is the pmd table's own lock; the pud level uses page_table_lock.
            Assert.That((nint)k.pmd_lockptr(mm, pmd), Is.EqualTo((nint)(&page_ptdesc(pmdpage)->ptl)));
            Assert.That((nint)pud_lockptr(mm, pud), Is.EqualTo((nint)(&mm->page_table_lock)));
        });
        k.pte_unmap_unlock(pte, ptl);
        Assert.That(spin_is_locked(ptl), Is.False);

        // A second pte_alloc on a populated pmd is a no-op (mm.h pte_alloc tests pmd_none first).
        Assert.That(k.pte_alloc(mm, pmd), Is.False);
        Assert.That(k.nr_free_pages(), Is.EqualTo(free0 - 3));

        // Tear the levels down by hand (free_pgd_range does this with an mmu_gather).
        pmd_clear(pmd); k.pte_free(mm, ptepage); mm_dec_nr_ptes(mm);
        pmd_t* pmdtable = k.pmd_offset(pud, 0) ;
        pud_clear(pud); k.pmd_free(mm, (pmd_t*)((ulong)pmdtable & ~0xfffUL)); mm_dec_nr_pmds(mm);
        pud_t* pudtable = k.pud_offset(p4d, 0);
        k.p4d_clear(p4d); k.pud_free(mm, (pud_t*)((ulong)pudtable & ~0xfffUL)); mm_dec_nr_puds(mm);
        Assert.That(k.nr_free_pages(), Is.EqualTo(free0));
        k.mmput(mm);
        Assert.That(machine.KernelLog.Any(l => l.StartsWith("BUG")), Is.False);
    }

    [Test]
    public void CheckMmReportsLeftoverPageTables()
    {
        using var machine = NewMachine();
        var k = machine.Kernel;
        mm_struct* mm = k.mm_alloc();
        pmd_t* pmd = k.pmd_alloc(mm, k.pud_alloc(mm, k.p4d_alloc(mm, k.pgd_offset(mm, Addr), Addr), Addr), Addr);
        Assert.That(k.pte_alloc(mm, pmd), Is.False);
        k.mmput(mm);
        // fork.c check_mm: "BUG: non-zero pgtables_bytes on freeing mm: %ld" with pud+pmd+pte = 3 * 4096.
        Assert.That(machine.KernelLog, Has.Some.EqualTo("BUG: non-zero pgtables_bytes on freeing mm: 12288"));
    }

    [Test]
    public void RssCountersFoldAtTheBatchAndCheckMmReportsWhatIsLeft()
    {
        using var machine = NewMachine();
        var k = machine.Kernel;
        mm_struct* mm = k.mm_alloc();
        k.inc_mm_counter(mm, MM_ANONPAGES);
        Assert.Multiple(() =>
        {
            // percpu_counter.c percpu_counter_add_batch: |0 + 1| < batch 32 stays in the CPU's slot, so
            // get_mm_counter (percpu_counter_read_positive: fbc->count only) still reads 0 ...
            Assert.That(get_mm_counter(mm, MM_ANONPAGES), Is.Zero);
            // ... and __percpu_counter_sum adds the slot: 1.
            Assert.That(k.get_mm_counter_sum(mm, MM_ANONPAGES), Is.EqualTo(1UL));
        });
        k.add_mm_counter(mm, MM_ANONPAGES, 31);
        // |1 + 31| >= 32: the whole 32 folds into fbc->count and the slot returns to 0.
        Assert.That(get_mm_counter(mm, MM_ANONPAGES), Is.EqualTo(32UL));
        k.add_mm_counter(mm, MM_ANONPAGES, -27);
        k.dec_mm_counter(mm, MM_SWAPENTS);
        Assert.Multiple(() =>
        {
            Assert.That(k.get_mm_counter_sum(mm, MM_ANONPAGES), Is.EqualTo(5UL));
            // percpu_counter_sum_positive clamps a negative sum to 0.
            Assert.That(k.get_mm_counter_sum(mm, MM_SWAPENTS), Is.Zero);
        });
        k.mmput(mm);
        // fork.c check_mm: percpu_counter_sum per counter, named by resident_page_types[].
        var bad = machine.KernelLog.Where(l => l.StartsWith("BUG: Bad rss-counter state")).ToArray();
        Assert.That(bad, Has.Length.EqualTo(2));
        Assert.That(bad[0], Does.EndWith(" type:MM_ANONPAGES val:5"));
        Assert.That(bad[1], Does.EndWith(" type:MM_SWAPENTS val:-1"));
    }

    [Test]
    public void MmfInitFlagsKeepsHighBitsBecauseTheMaskSignExtends()
    {
        // sched/coredump.h: MMF_INIT_MASK includes MMF_TOPDOWN_MASK = 1 << 31, an int with the sign
        // bit set; `flags & MMF_INIT_MASK` converts it to unsigned long by sign extension (C11
        // 6.3.1.3), so bits 32..63 pass. MMF_HAS_PINNED (27) and MMF_VM_MERGEABLE (16) are not in it.
        ulong flags = (1UL << 40) | (1UL << MMF_DISABLE_THP) | (1UL << MMF_HAS_PINNED) | (1UL << MMF_VM_MERGEABLE);
        Assert.That(mmf_init_flags(flags), Is.EqualTo((1UL << 40) | (1UL << MMF_DISABLE_THP)));
        // MMF_HAS_MDWE_NO_INHERIT drops both MDWE bits.
        ulong mdwe = (1UL << MMF_HAS_MDWE) | (1UL << MMF_HAS_MDWE_NO_INHERIT);
        Assert.That(mmf_init_flags(mdwe), Is.Zero);
    }
}
