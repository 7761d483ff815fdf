// SPDX-License-Identifier: GPL-2.0-only
// Stubs (ksm helper) for the rmap area's functions (rmap.c, page_vma_mapped.c, rmap.h
// inlines, swap.c LRU, memcontrol) until it lands on main.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // stub(rmap): swapfile.c (swap is a stubbed subsystem: nothing to free)
    internal static bool folio_free_swap(folio* folio) => false;
    // stub(rmap): memcontrol (memcg is a stubbed subsystem: charging always succeeds)
    internal static int mem_cgroup_charge(folio* folio, mm_struct* mm, uint gfp) => 0;
}
