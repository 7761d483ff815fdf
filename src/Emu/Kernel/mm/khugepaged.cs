// SPDX-License-Identifier: GPL-2.0-only
// mm/khugepaged.c (6.12.117): the madvise entry points. Emu never allows THP (thp_vma_allowable_order
// is always false), so there is no khugepaged and MADV_COLLAPSE fails where upstream's first check does.
using System;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // CONFIG_S390's pgste case does not apply on x86_64.
    [Upstream("mm/khugepaged.c", "hugepage_madvise", "09299d9f11865264")]
    internal static int hugepage_madvise(vm_area_struct* vma, ulong* vm_flags, int advice)
    {
        switch (advice)
        {
            case MADV_HUGEPAGE:
                *vm_flags &= ~(ulong)VM_NOHUGEPAGE;
                *vm_flags |= VM_HUGEPAGE;
                break;
            case MADV_NOHUGEPAGE:
                *vm_flags &= ~(ulong)VM_HUGEPAGE;
                *vm_flags |= VM_NOHUGEPAGE;
                break;
        }

        return 0;
    }

    /// <summary>
    /// Stub: the start of mm/khugepaged.c madvise_collapse. With THP never allowed it always returns at the
    /// thp_vma_allowable_order check, before the collapse machinery Emu does not have.
    /// </summary>
    [Upstream("mm/khugepaged.c", "madvise_collapse", "b4bede7b70bd486f")]
    internal int madvise_collapse(vm_area_struct* vma, vm_area_struct** prev, ulong start, ulong end)
    {
        BUG_ON(vma->vm_start > start);
        BUG_ON(vma->vm_end < end);

        *prev = vma;

        if (!thp_vma_allowable_order(vma, vma->vm_flags, 0, PMD_ORDER))
            return -EINVAL;

        throw new NotSupportedException("Emu has no THP: madvise_collapse past thp_vma_allowable_order");
    }
}
