// Stubs the process API needs from areas that land later (vma, memory, ksm); each names its owner.
// An area that lands deletes its stubs here.
using System;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // stub(memory): no per-VMA locking yet; the mmap_lock path runs.
    internal vm_area_struct* lock_vma_under_rcu(mm_struct* mm, ulong address) => null;

    // stub(memory)
    internal void vma_end_read(vm_area_struct* vma) =>
        throw new NotImplementedException("vma_end_read: the memory area has not landed");

}
