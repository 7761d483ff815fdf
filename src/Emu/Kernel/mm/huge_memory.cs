using System;
using static Emu.Kernel.PageFlagAccessors;
using pgprot_t = Emu.Kernel.pgprot;

namespace Emu.Kernel;

// Stub: no THP deferred-split queue in Emu; folios are never queued on it.
public unsafe partial class Kernel
{
    [Upstream("mm/internal.h", "folio_unqueue_deferred_split", "133e09fa6576966e")]
    internal bool folio_unqueue_deferred_split(folio* folio)
    {
        if (folio_order(folio) <= 1 || !folio_test_large_rmappable(folio))
            return false;
        if (list_empty(&folio->_deferred_list))
            return false;
        throw new NotSupportedException("Emu has no THP deferred split queue: __folio_unqueue_deferred_split");
    }
}

// Stub: the THP deferred split queue (mm/huge_memory.c). Partially unmapping a large anon folio
// would queue it; Emu has no queue or shrinker yet.
public unsafe partial class Kernel
{
    internal void deferred_split_folio(folio* folio, bool partially_mapped) =>
        throw new NotSupportedException("Emu has no THP deferred split queue: deferred_split_folio of a partially unmapped large folio");
}

// Stub: the huge-leaf paths of mm/mprotect.c's walk (mm/huge_memory.c). Emu maps no PMD or PUD
// leaf, so change_pmd_range/change_pud_range never reach these.
public unsafe partial class Kernel
{
    internal int change_huge_pmd(mmu_gather* tlb, vm_area_struct* vma,
                                 pmd_t* pmd, ulong addr, pgprot_t newprot,
                                 ulong cp_flags) =>
        throw new NotSupportedException("Emu has no PMD-mapped THP: change_huge_pmd");

    internal void __split_huge_pmd(vm_area_struct* vma, pmd_t* pmd,
                                   ulong address, bool freeze, folio* folio) =>
        throw new NotSupportedException("Emu has no PMD-mapped THP: __split_huge_pmd");

    internal int change_huge_pud(mmu_gather* tlb, vm_area_struct* vma,
                                 pud_t* pudp, ulong addr, pgprot_t newprot,
                                 ulong cp_flags) =>
        throw new NotSupportedException("Emu has no PUD-mapped THP: change_huge_pud");

    internal void __split_huge_pud(vm_area_struct* vma, pud_t* pud,
                                   ulong address) =>
        throw new NotSupportedException("Emu has no PUD-mapped THP: __split_huge_pud");
}
