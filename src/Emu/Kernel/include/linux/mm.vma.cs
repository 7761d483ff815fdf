// SPDX-License-Identifier: GPL-2.0-only
// include/linux/mm.h: the VMA iterator and lookup inlines. for_each_vma(vmi, vma) reads in C# as
// `while ((vma = vma_next(&vmi)) != null)`, for_each_vma_range(vmi, vma, end) as
// `while ((vma = vma_find(&vmi, end)) != null)`.
using static Emu.Kernel.KernelConstants;
using gfp_t = uint;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    [Upstream("include/linux/mm.h", "vma_find", "11a4e2d6adae683f")]
    internal vm_area_struct* vma_find(vma_iterator* vmi, ulong max)
    {
        return (vm_area_struct*)mas_find(&vmi->mas, max - 1);
    }

    [Upstream("include/linux/mm.h", "vma_next", "76c6522967b4313f")]
    internal vm_area_struct* vma_next(vma_iterator* vmi)
    {
        // mas_find, not mas_next: a fresh iterator must return the VMA at its start.
        return (vm_area_struct*)mas_find(&vmi->mas, ulong.MaxValue);
    }

    [Upstream("include/linux/mm.h", "vma_iter_next_range", "729e184c64b4d947")]
    internal vm_area_struct* vma_iter_next_range(vma_iterator* vmi)
    {
        return (vm_area_struct*)mas_next_range(&vmi->mas, ulong.MaxValue);
    }

    [Upstream("include/linux/mm.h", "vma_prev", "195b69c2e5577bd4")]
    internal vm_area_struct* vma_prev(vma_iterator* vmi)
    {
        return (vm_area_struct*)mas_prev(&vmi->mas, 0);
    }

    [Upstream("include/linux/mm.h", "vma_iter_clear_gfp", "0a2155648adacee6")]
    internal int vma_iter_clear_gfp(vma_iterator* vmi, ulong start, ulong end, gfp_t gfp)
    {
        __mas_set_range(&vmi->mas, start, end - 1);
        mas_store_gfp(&vmi->mas, null, gfp);
        if (mas_is_err(&vmi->mas))
            return -ENOMEM;

        return 0;
    }

    [Upstream("include/linux/mm.h", "vma_iter_free", "560d035d853b9df6")]
    internal void vma_iter_free(vma_iterator* vmi)
    {
        mas_destroy(&vmi->mas);
    }

    [Upstream("include/linux/mm.h", "vma_iter_bulk_store", "23d5c0fa0a0f9406")]
    internal int vma_iter_bulk_store(vma_iterator* vmi, vm_area_struct* vma)
    {
        vmi->mas.index = vma->vm_start;
        vmi->mas.last = vma->vm_end - 1;
        mas_store(&vmi->mas, vma);
        if (mas_is_err(&vmi->mas))
            return -ENOMEM;

        return 0;
    }

    [Upstream("include/linux/mm.h", "vma_iter_invalidate", "734b098a3a3d45b3")]
    internal static void vma_iter_invalidate(vma_iterator* vmi)
    {
        mas_pause(&vmi->mas);
    }

    [Upstream("include/linux/mm.h", "vma_iter_set", "baa2533ef47b480c")]
    internal void vma_iter_set(vma_iterator* vmi, ulong addr)
    {
        mas_set(&vmi->mas, addr);
    }

    [Upstream("include/linux/mm.h", "vma_lookup", "0ea0a8b0816900c1")]
    internal vm_area_struct* vma_lookup(mm_struct* mm, ulong addr)
    {
        return (vm_area_struct*)mtree_load(&mm->mm_mt, addr);
    }

    [Upstream("include/linux/mm.h", "stack_guard_start_gap", "7b124c08d8dbc475")]
    internal ulong stack_guard_start_gap(vm_area_struct* vma)
    {
        if ((vma->vm_flags & VM_GROWSDOWN) != 0)
            return stack_guard_gap;

        // Shadow stacks keep one guard page below.
        if ((vma->vm_flags & VM_SHADOW_STACK) != 0)
            return PAGE_SIZE;

        return 0;
    }

    [Upstream("include/linux/mm.h", "vm_start_gap", "34acff94940733c9")]
    internal ulong vm_start_gap(vm_area_struct* vma)
    {
        ulong gap = stack_guard_start_gap(vma);
        ulong vm_start = vma->vm_start;

        vm_start -= gap;
        if (vm_start > vma->vm_start)
            vm_start = 0;
        return vm_start;
    }

    [Upstream("include/linux/mm.h", "vm_end_gap", "e04ff5c9663f4733")]
    internal ulong vm_end_gap(vm_area_struct* vma)
    {
        ulong vm_end = vma->vm_end;

        if ((vma->vm_flags & VM_GROWSUP) != 0)
        {
            vm_end += stack_guard_gap;
            if (vm_end < vma->vm_end)
                vm_end = unchecked((ulong)-(long)PAGE_SIZE);
        }
        return vm_end;
    }

    [Upstream("include/linux/mm.h", "find_exact_vma", "3cbf1fb8ff1cf0d0")]
    internal vm_area_struct* find_exact_vma(mm_struct* mm, ulong vm_start, ulong vm_end)
    {
        vm_area_struct* vma = vma_lookup(mm, vm_start);

        if (vma != null && (vma->vm_start != vm_start || vma->vm_end != vm_end))
            vma = null;

        return vma;
    }

    [Upstream("include/linux/mm.h", "range_in_vma", "e6ef46c9beeab88f")]
    internal static bool range_in_vma(vm_area_struct* vma, ulong start, ulong end)
    {
        return vma != null && vma->vm_start <= start && end <= vma->vm_end;
    }
}
