// SPDX-License-Identifier: GPL-2.0-only
// Stub of transparent huge pages for the fault path (include/linux/huge_mm.h): Emu models THP as
// never allowed, as with transparent_hugepage=never (Debian builds THP_ALWAYS): no order is
// allowable, so faults take the pte path and allocate order-0 folios.
namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
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
