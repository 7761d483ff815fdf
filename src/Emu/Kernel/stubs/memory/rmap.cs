// SPDX-License-Identifier: GPL-2.0-only
// Stubs for pieces of the rmap area's files (vmstat.h, memcontrol.h, swap.h, mm/rmap.c) that the
// memory paths call and main does not have yet; exact upstream shapes, bodies as the config-off or
// nothing-to-do case.
using System;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(rmap): include/linux/vmstat.h; vm events are named as in vmstat.cs.
    internal static void count_vm_event(string item) => __count_vm_events(item, 1);

    // stub(rmap): memcg charge always succeeds (Emu does not account memcgs).
    internal int mem_cgroup_charge(folio* folio, mm_struct* mm, uint gfp) => 0;

    // stub(rmap): swap throttling is a no-op without swap devices.
    internal void folio_throttle_swaprate(folio* folio, uint gfp) { }

    // stub(rmap): no swap cache without swap.
    internal bool folio_free_swap(folio* folio) =>
        throw new NotImplementedException("stub(rmap): folio_free_swap");

    // stub(rmap): mm/swap_state.c; no folio is ever in the swap cache.
    internal void free_swap_cache(folio* folio)
    {
        if (folio_test_swapcache(folio))
            throw new NotImplementedException("stub(rmap): free_swap_cache");
    }

    // stub(rmap): mm/rmap.c; no batched reclaim unmap is ever pending.
    internal void flush_tlb_batched_pending(mm_struct* mm) { }
}
