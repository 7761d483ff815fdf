// SPDX-License-Identifier: GPL-2.0-only
// Stubs for the vma area (maple tree model, vma iterator, vm_area_dup, exit_mmap ...) until it lands
// on main; exact upstream signatures. Trivial bodies only where they are what upstream does.
using System;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(vma)
    internal static vma_iterator VMA_ITERATOR(mm_struct* mm, ulong addr)
    {
        vma_iterator vmi = default;
        vmi.mas.tree = &mm->mm_mt;
        vmi.mas.index = addr;
        vmi.mas.last = addr;
        vmi.mas.status = maple_status.ma_start;
        return vmi;
    }

    // stub(vma)
    internal void mt_init_flags(maple_tree* mt, uint flags)
    {
        mt->ma_flags = flags;
        mt->ma_root = null;
    }

    // stub(vma): without CONFIG_LOCKDEP the macro does nothing.
    internal static void mt_set_external_lock(maple_tree* mt, rw_semaphore* @lock)
    {
    }

    // stub(vma)
    internal int __mt_dup(maple_tree* mt, maple_tree* @new, uint gfp)
    {
        if (mt->ma_root == null)
        {
            @new->ma_root = null;
            return 0;
        }
        throw new NotImplementedException("stub(vma): __mt_dup");
    }

    // stub(vma)
    internal void mt_clear_in_rcu(maple_tree* mt) { }

    // stub(vma)
    internal void mt_set_in_rcu(maple_tree* mt) { }

    // stub(vma): an empty tree has no next vma.
    internal vm_area_struct* vma_next(vma_iterator* vmi)
    {
        if (vmi->mas.tree->ma_root == null)
            return null;
        throw new NotImplementedException("stub(vma): vma_next");
    }

    // stub(vma)
    internal void vma_start_write(vm_area_struct* vma) => throw new NotImplementedException("stub(vma): vma_start_write");

    // stub(vma)
    internal int vma_iter_clear_gfp(vma_iterator* vmi, ulong start, ulong end, uint gfp) =>
        throw new NotImplementedException("stub(vma): vma_iter_clear_gfp");

    // stub(vma)
    internal void vm_stat_account(mm_struct* mm, ulong flags, long npages) =>
        throw new NotImplementedException("stub(vma): vm_stat_account");

    // stub(vma)
    internal vm_area_struct* vm_area_dup(vm_area_struct* orig) => throw new NotImplementedException("stub(vma): vm_area_dup");

    // stub(vma)
    internal void vm_area_free(vm_area_struct* vma) => throw new NotImplementedException("stub(vma): vm_area_free");

    // stub(vma)
    internal void vm_flags_clear(vm_area_struct* vma, ulong flags) => throw new NotImplementedException("stub(vma): vm_flags_clear");

    // stub(vma)
    internal static bool is_vm_hugetlb_page(vm_area_struct* vma) => (vma->vm_flags & KernelConstants.VM_HUGETLB) != 0;

    // stub(vma)
    internal int vma_iter_bulk_store(vma_iterator* vmi, vm_area_struct* vma) =>
        throw new NotImplementedException("stub(vma): vma_iter_bulk_store");

    // stub(vma)
    internal void vma_iter_free(vma_iterator* vmi) { }

    // stub(vma)
    internal void mas_set_range(ma_state* mas, ulong start, ulong last) => throw new NotImplementedException("stub(vma): mas_set_range");

    // stub(vma)
    internal void* mas_store(ma_state* mas, void* entry) => throw new NotImplementedException("stub(vma): mas_store");

    // stub(vma)
    internal void* mas_find(ma_state* mas, ulong max) => throw new NotImplementedException("stub(vma): mas_find");

    // stub(vma)
    internal static readonly void* XA_ZERO_ENTRY = (void*)((256UL << 2) | 2);

    // stub(vma)
    internal static bool xa_is_zero(void* entry) => entry == XA_ZERO_ENTRY;

    // stub(vma): an mm without vmas has nothing to tear down but its (empty) tree.
    internal void exit_mmap(mm_struct* mm)
    {
        if (mm->mm_mt.ma_root == null)
            return;
        throw new NotImplementedException("stub(vma): exit_mmap");
    }
}
