// SPDX-License-Identifier: GPL-2.0-only
// THP and hugetlb hooks of the VMA code, stubbed: Emu maps only base pages (no PMD-mapped THP,
// no hugetlbfs, no khugepaged), so splitting a VMA never meets a huge PMD to split and there
// is no khugepaged to register with.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>include/linux/huge_mm.h (THP=y) splits huge PMDs straddling the new bounds; Emu has none.</summary>
    internal static void vma_adjust_trans_huge(vm_area_struct* vma, ulong start, ulong end, long adjust_next) { }

    /// <summary>mm/khugepaged.c: khugepaged is not modelled.</summary>
    internal static void khugepaged_enter_vma(vm_area_struct* vma, ulong vm_flags) { }

}
