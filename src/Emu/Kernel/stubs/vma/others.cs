// Stubs for other areas' functions that mm/mmap.c and mm/util.c call; deleted when they land.
using System;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(gup): MAP_POPULATE/VM_LOCKED population is mm/gup.c's __mm_populate.
    internal void mm_populate(ulong addr, ulong len) =>
        throw new NotImplementedException("mm_populate: the gup area has not landed");

    // stub(ksm): without prctl(PR_SET_MEMORY_MERGE) (MMF_VM_MERGE_ANY) ksm_add_vma does nothing.
    internal void ksm_add_vma(vm_area_struct* vma) { }
}
