// SPDX-License-Identifier: GPL-2.0-only
// include/linux/huge_mm.h (CONFIG_TRANSPARENT_HUGEPAGE=y, CONFIG_SYSFS=y): the helpers rmap and
// page_vma_mapped_walk use; the per-CPU mthp_stats are one array for Emu's one CPU. THP itself is a
// stub for the fault path: Emu models THP as never allowed, as with transparent_hugepage=never
// (Debian builds THP_ALWAYS), so no order is allowable and faults allocate order-0 folios.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>mthp_stats.stats[ilog2(MAX_PTRS_PER_PTE) + 1][__MTHP_STAT_COUNT] of the one CPU.</summary>
    internal readonly long[,] mthp_stats = new long[PMD_ORDER + 1, (int)mthp_stat_item.__MTHP_STAT_COUNT];

    [Upstream("include/linux/huge_mm.h", "mod_mthp_stat", "db6d0c296bbcb105")]
    internal void mod_mthp_stat(int order, mthp_stat_item item, int delta)
    {
        if (order <= 0 || order > PMD_ORDER)
            return;

        mthp_stats[order, (int)item] += delta; // this_cpu_add
    }

    [Upstream("include/linux/huge_mm.h", "count_mthp_stat", "e9a35639c1b2e474")]
    internal void count_mthp_stat(int order, mthp_stat_item item)
    {
        mod_mthp_stat(order, item, 1);
    }

    [Upstream("include/linux/huge_mm.h", "thp_vma_suitable_order", "8f7a90add4747d85")]
    internal static bool thp_vma_suitable_order(vm_area_struct* vma, ulong addr, int order)
    {
        ulong hpage_size = PAGE_SIZE << order;
        ulong haddr;

        // File mappings also need the file offset aligned.
        if (!vma_is_anonymous(vma))
        {
            if (!IS_ALIGNED((vma->vm_start >> PAGE_SHIFT) - vma->vm_pgoff,
                            hpage_size >> PAGE_SHIFT))
                return false;
        }

        haddr = ALIGN_DOWN(addr, hpage_size);

        if (haddr < vma->vm_start || haddr + hpage_size > vma->vm_end)
            return false;
        return true;
    }

    [Upstream("include/linux/huge_mm.h", "folio_test_pmd_mappable", "c50502c9ffff733c")]
    internal static bool folio_test_pmd_mappable(folio* folio)
    {
        return folio_order(folio) >= HPAGE_PMD_ORDER;
    }

    /// <summary>Emu never allocates the huge zero folio (no PMD-mapped THP), so it stays null.</summary>
    internal folio* huge_zero_folio;

    [Upstream("include/linux/huge_mm.h", "is_huge_zero_folio", "2fc5a92826071a4e")]
    internal bool is_huge_zero_folio(folio* folio)
    {
        return huge_zero_folio == folio;
    }

    /// <summary>x86_64 selects ARCH_ENABLE_THP_MIGRATION.</summary>
    [Upstream("include/linux/huge_mm.h", "thp_migration_supported", "343c341f6499a491")]
    internal static bool thp_migration_supported()
    {
        return true;
    }

    // enum tva_type flags (huge_mm.h).
    internal const ulong TVA_SMAPS = 1 << 0;
    internal const ulong TVA_IN_PF = 1 << 1;
    internal const ulong TVA_ENFORCE_SYSFS = 1 << 2;

    internal static ulong thp_vma_allowable_orders(vm_area_struct* vma, ulong vm_flags, ulong tva_flags, ulong orders) => 0;

    internal static bool thp_vma_allowable_order(vm_area_struct* vma, ulong vm_flags, ulong tva_flags, int order) =>
        thp_vma_allowable_orders(vma, vm_flags, tva_flags, 1UL << order) != 0;

    internal static ulong thp_vma_suitable_orders(vm_area_struct* vma, ulong addr, ulong orders) => orders;

    [Upstream("include/linux/huge_mm.h", "is_swap_pmd", "cb08dd196c28a0de")]
    internal static bool is_swap_pmd(pmd_t pmd)
    {
        return !pmd_none(pmd) && !pmd_present(pmd);
    }
}
