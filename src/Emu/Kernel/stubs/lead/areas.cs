// Stubs the process API needs from areas that land later (vma, memory, ksm); each names its owner.
// An area that lands deletes its stubs here.
using System;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(memory)
    internal uint handle_mm_fault(vm_area_struct* vma, ulong address, uint flags, void* regs) =>
        throw new NotImplementedException("handle_mm_fault: the memory area has not landed");

    // stub(memory)
    internal vm_area_struct* lock_mm_and_find_vma(mm_struct* mm, ulong addr, void* regs) =>
        throw new NotImplementedException("lock_mm_and_find_vma: the memory area has not landed");

    // stub(memory): no per-VMA locking yet; the mmap_lock path runs.
    internal vm_area_struct* lock_vma_under_rcu(mm_struct* mm, ulong address) => null;

    // stub(memory)
    internal void vma_end_read(vm_area_struct* vma) =>
        throw new NotImplementedException("vma_end_read: the memory area has not landed");

    // stub(memory)
    internal page* vm_normal_page(vm_area_struct* vma, ulong addr, pte_t pte) =>
        throw new NotImplementedException("vm_normal_page: the memory area has not landed");

    // stub(vma)
    internal ulong ksys_mmap_pgoff(ulong addr, ulong len, ulong prot, ulong flags, ulong fd, ulong pgoff) =>
        throw new NotImplementedException("ksys_mmap_pgoff: the vma area has not landed");

    // stub(vma)
    internal int __vm_munmap(ulong start, ulong len, bool unlock) =>
        throw new NotImplementedException("__vm_munmap: the vma area has not landed");

    // stub(vma)
    internal int do_mprotect_pkey(ulong start, ulong len, ulong prot, int pkey) =>
        throw new NotImplementedException("do_mprotect_pkey: the vma area has not landed");

    // stub(vma)
    internal int do_madvise(mm_struct* mm, ulong start, ulong len_in, int behavior) =>
        throw new NotImplementedException("do_madvise: the vma area has not landed");

    // stub(vma)
    internal void arch_pick_mmap_layout(mm_struct* mm, void* rlim_stack) =>
        throw new NotImplementedException("arch_pick_mmap_layout: the vma area has not landed");

    // stub(vma)
    internal vm_area_struct* find_vma(mm_struct* mm, ulong addr) =>
        throw new NotImplementedException("find_vma: the vma area has not landed");

    // stub(vma)
    internal static bool vma_is_accessible(vm_area_struct* vma) => (vma->vm_flags & KernelConstants.VM_ACCESS_FLAGS) != 0;
}
