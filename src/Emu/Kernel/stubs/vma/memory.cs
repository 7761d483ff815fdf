// Stubs for the memory area's functions that mm/vma.c and mm/mmap.c call; deleted when it lands.
using System;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(memory)
    internal void tlb_gather_mmu(mmu_gather* tlb, mm_struct* mm) =>
        throw new NotImplementedException("tlb_gather_mmu: the memory area has not landed");

    // stub(memory)
    internal void tlb_gather_mmu_fullmm(mmu_gather* tlb, mm_struct* mm) =>
        throw new NotImplementedException("tlb_gather_mmu_fullmm: the memory area has not landed");

    // stub(memory)
    internal void tlb_finish_mmu(mmu_gather* tlb) =>
        throw new NotImplementedException("tlb_finish_mmu: the memory area has not landed");

    // stub(memory)
    internal void unmap_vmas(mmu_gather* tlb, ma_state* mas, vm_area_struct* start_vma, ulong start_addr,
        ulong end_addr, ulong tree_end, bool mm_wr_locked) =>
        throw new NotImplementedException("unmap_vmas: the memory area has not landed");

    // stub(memory)
    internal void free_pgtables(mmu_gather* tlb, ma_state* mas, vm_area_struct* start_vma, ulong floor,
        ulong ceiling, bool mm_wr_locked) =>
        throw new NotImplementedException("free_pgtables: the memory area has not landed");

    // stub(memory)
    internal void update_hiwater_rss(mm_struct* mm) =>
        throw new NotImplementedException("update_hiwater_rss: the memory area has not landed");
}
