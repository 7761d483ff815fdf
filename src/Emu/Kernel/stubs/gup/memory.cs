// SPDX-License-Identifier: GPL-2.0-only
// Stubs: what mm/gup.c calls from the memory area (mm/memory.c, the ptlock helpers of mm.h,
// arch current) until that area lands on main. Exact upstream signatures; each goes away when
// the owner's version is merged. Trivial bodies are the upstream ones for Emu's configuration.
using System;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // stub(memory): mm/internal.h, trivial body (soft-dirty tracking is on when VM_SOFTDIRTY is clear).
    internal static bool pte_needs_soft_dirty_wp(vm_area_struct* vma, pte_t pte)
        => vma_soft_dirty_enabled(vma) && !pte_soft_dirty(pte);

}

public unsafe partial class Kernel
{
    // stub(memory): mm/memory.c, trivial body (HugeTLB VMAs do not exist in Emu).
    internal void vma_pgtable_walk_begin(vm_area_struct* vma)
    {
        if (is_vm_hugetlb_page(vma))
            throw new NotSupportedException("Emu has no HugeTLB: hugetlb_vma_lock_read");
    }

    // stub(memory): mm/memory.c, as vma_pgtable_walk_begin.
    internal void vma_pgtable_walk_end(vm_area_struct* vma)
    {
        if (is_vm_hugetlb_page(vma))
            throw new NotSupportedException("Emu has no HugeTLB: hugetlb_vma_unlock_read");
    }
}
