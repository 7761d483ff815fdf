// SPDX-License-Identifier: GPL-2.0-only
// mm/vma.h: the inlines shared by mm/vma.c, mm/mmap.c and their users.
using static Emu.Kernel.KernelConstants;
using gfp_t = uint;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    [Upstream("mm/vma.h", "vma_iter_store_gfp", "94c1b6677b418d00")]
    internal int vma_iter_store_gfp(vma_iterator* vmi, vm_area_struct* vma, gfp_t gfp)
    {
        if (vmi->mas.status != maple_status.ma_start &&
            ((vmi->mas.index > vma->vm_start) || (vmi->mas.last < vma->vm_start)))
            vma_iter_invalidate(vmi);

        __mas_set_range(&vmi->mas, vma->vm_start, vma->vm_end - 1);
        mas_store_gfp(&vmi->mas, vma, gfp);
        if (mas_is_err(&vmi->mas))
            return -ENOMEM;

        return 0;
    }

    [Upstream("mm/vma.h", "vma_prev_limit", "539ff8e472cad453")]
    internal vm_area_struct* vma_prev_limit(vma_iterator* vmi, ulong min)
    {
        return (vm_area_struct*)mas_prev(&vmi->mas, min);
    }

    [Upstream("mm/vma.h", "is_exec_mapping", "4223cbb21405d5a6")]
    internal static bool is_exec_mapping(ulong flags)
    {
        return (flags & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC;
    }

    [Upstream("mm/vma.h", "is_stack_mapping", "441d820a2d00136b")]
    internal static bool is_stack_mapping(ulong flags)
    {
        return ((flags & VM_STACK) == VM_STACK) || (flags & VM_SHADOW_STACK) != 0;
    }

    [Upstream("mm/vma.h", "is_data_mapping", "bc6ccd85d74a9965")]
    internal static bool is_data_mapping(ulong flags)
    {
        return (flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE;
    }

    [Upstream("mm/vma.h", "vma_iter_config", "004426b9a97bec50")]
    internal void vma_iter_config(vma_iterator* vmi, ulong index, ulong last)
    {
        __mas_set_range(&vmi->mas, index, last - 1);
    }

    [Upstream("mm/vma.h", "vma_iter_reset", "36ee3e60af880f4f")]
    internal static void vma_iter_reset(vma_iterator* vmi)
    {
        mas_reset(&vmi->mas);
    }

    [Upstream("mm/vma.h", "vma_iter_prev_range_limit", "6137cacd421c435b")]
    internal vm_area_struct* vma_iter_prev_range_limit(vma_iterator* vmi, ulong min)
    {
        return (vm_area_struct*)mas_prev_range(&vmi->mas, min);
    }

    [Upstream("mm/vma.h", "vma_iter_next_range_limit", "836afacbca4c2ce1")]
    internal vm_area_struct* vma_iter_next_range_limit(vma_iterator* vmi, ulong max)
    {
        return (vm_area_struct*)mas_next_range(&vmi->mas, max);
    }

    [Upstream("mm/vma.h", "vma_iter_area_lowest", "9c21b06759f9069d")]
    internal int vma_iter_area_lowest(vma_iterator* vmi, ulong min, ulong max, ulong size)
    {
        return mas_empty_area(&vmi->mas, min, max - 1, size);
    }

    [Upstream("mm/vma.h", "vma_iter_area_highest", "2cabcf410340106d")]
    internal int vma_iter_area_highest(vma_iterator* vmi, ulong min, ulong max, ulong size)
    {
        return mas_empty_area_rev(&vmi->mas, min, max - 1, size);
    }

    [Upstream("mm/vma.h", "vma_iter_prealloc", "ae30d92b23a8a818")]
    internal int vma_iter_prealloc(vma_iterator* vmi, vm_area_struct* vma)
    {
        return mas_preallocate(&vmi->mas, vma, GFP_KERNEL);
    }

    [Upstream("mm/vma.h", "vma_iter_clear", "f112a79a13265a25")]
    internal void vma_iter_clear(vma_iterator* vmi)
    {
        mas_store_prealloc(&vmi->mas, null);
    }

    [Upstream("mm/vma.h", "vma_iter_load", "08823cac1fe58790")]
    internal vm_area_struct* vma_iter_load(vma_iterator* vmi)
    {
        return (vm_area_struct*)mas_walk(&vmi->mas);
    }

    /// <summary>CONFIG_DEBUG_VM_MAPLE_TREE is off in Debian's config: no range warnings.</summary>
    [Upstream("mm/vma.h", "vma_iter_store", "2cefa6773a698a85")]
    internal void vma_iter_store(vma_iterator* vmi, vm_area_struct* vma)
    {
        if (vmi->mas.status != maple_status.ma_start &&
            ((vmi->mas.index > vma->vm_start) || (vmi->mas.last < vma->vm_start)))
            vma_iter_invalidate(vmi);

        __mas_set_range(&vmi->mas, vma->vm_start, vma->vm_end - 1);
        mas_store_prealloc(&vmi->mas, vma);
    }

    [Upstream("mm/vma.h", "vma_iter_addr", "c259b423e43156d6")]
    internal static ulong vma_iter_addr(vma_iterator* vmi)
    {
        return vmi->mas.index;
    }

    [Upstream("mm/vma.h", "vma_iter_end", "7be9d86fa1373256")]
    internal static ulong vma_iter_end(vma_iterator* vmi)
    {
        return vmi->mas.last + 1;
    }

    [Upstream("mm/vma.h", "vma_iter_bulk_alloc", "0a2fde372bf3edf5")]
    internal int vma_iter_bulk_alloc(vma_iterator* vmi, ulong count)
    {
        return mas_expected_entries(&vmi->mas, count);
    }

    [Upstream("mm/vma.h", "vma_iter_prev_range", "c7a4fefe0906b5a8")]
    internal vm_area_struct* vma_iter_prev_range(vma_iterator* vmi)
    {
        return (vm_area_struct*)mas_prev_range(&vmi->mas, 0);
    }

    [Upstream("mm/vma.h", "vma_iter_next_rewind", "09b9a03e186990b1")]
    internal vm_area_struct* vma_iter_next_rewind(vma_iterator* vmi, vm_area_struct** pprev)
    {
        vm_area_struct* next = vma_next(vmi);
        vm_area_struct* prev = vma_prev(vmi);

        // Without a previous VMA the iterator already sits at the start of the gap.
        if (prev != null)
            vma_iter_next_range(vmi);

        if (pprev != null)
            *pprev = prev;

        return next;
    }
}
