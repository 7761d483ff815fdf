// SPDX-License-Identifier: GPL-2.0-only
// mm/mmap.c: VMA lookups over the maple tree (the mapping paths follow).
namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    /// <summary>mm/mmap.c's stack_guard_gap: 256 pages unless "stack_guard_gap=" says otherwise.</summary>
    internal ulong stack_guard_gap = 256UL << (int)KernelConstants.PAGE_SHIFT;

    [Upstream("mm/mmap.c", "find_vma_intersection", "c48dc96c0c87177f")]
    internal vm_area_struct* find_vma_intersection(mm_struct* mm, ulong start_addr, ulong end_addr)
    {
        ulong index = start_addr;

        mmap_assert_locked(mm);
        return (vm_area_struct*)mt_find(&mm->mm_mt, &index, end_addr - 1);
    }

    [Upstream("mm/mmap.c", "find_vma", "1763d4afb70db746")]
    internal vm_area_struct* find_vma(mm_struct* mm, ulong addr)
    {
        ulong index = addr;

        mmap_assert_locked(mm);
        return (vm_area_struct*)mt_find(&mm->mm_mt, &index, ulong.MaxValue);
    }

    [Upstream("mm/mmap.c", "find_vma_prev", "d78a1581fc1f9e29")]
    internal vm_area_struct* find_vma_prev(mm_struct* mm, ulong addr, vm_area_struct** pprev)
    {
        vm_area_struct* vma;
        vma_iterator vmi = VMA_ITERATOR(mm, addr);

        vma = vma_iter_load(&vmi);
        *pprev = vma_prev(&vmi);
        if (vma == null)
            vma = vma_next(&vmi);
        return vma;
    }
}
