// Stubs for the rmap area's functions that mm/vma.c calls; deleted when it lands.
using System;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(rmap): with no anon_vma on the source there is nothing to clone (upstream returns 0 then).
    internal int anon_vma_clone(vm_area_struct* dst, vm_area_struct* src) =>
        src->anon_vma == null ? 0 : throw new NotImplementedException("anon_vma_clone: the rmap area has not landed");

    // stub(rmap)
    internal void unlink_anon_vmas(vm_area_struct* vma) =>
        throw new NotImplementedException("unlink_anon_vmas: the rmap area has not landed");

    // stub(rmap)
    internal void anon_vma_merge(vm_area_struct* vma, vm_area_struct* next) =>
        throw new NotImplementedException("anon_vma_merge: the rmap area has not landed");

    // stub(rmap)
    internal void anon_vma_lock_write(anon_vma* anon_vma) =>
        throw new NotImplementedException("anon_vma_lock_write: the rmap area has not landed");

    // stub(rmap)
    internal void anon_vma_unlock_write(anon_vma* anon_vma) =>
        throw new NotImplementedException("anon_vma_unlock_write: the rmap area has not landed");

    // stub(rmap): no per-CPU LRU batches exist before the rmap area lands, so nothing to drain.
    internal void lru_add_drain() { }
}
