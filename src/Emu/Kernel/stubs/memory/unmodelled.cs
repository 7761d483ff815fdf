// SPDX-License-Identifier: GPL-2.0-only
// What the fault and zap paths call that Emu does not model (named stubs, one place): vm event
// counters (enum vm_event_item), memcg charging, swap throttling and the swap cache, batched-reclaim
// TLB flushes.
using System;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub: enum vm_event_item members the memory paths count.
    internal const int PGFAULT = 0, PGREUSE = 1, COW_KSM = 2, PGFREE = 3;

    // stub(vmstat): vm events are not counted.
    internal void count_vm_event(int item) { }

    // stub: memcg charge always succeeds (mem_cgroup_disabled() is true in Emu).
    internal int mem_cgroup_charge(folio* folio, mm_struct* mm, uint gfp) => 0;

    // stub: swap throttling is a no-op without swap devices.
    internal void folio_throttle_swaprate(folio* folio, uint gfp) { }

    // stub: no swap cache without swap.
    internal bool folio_free_swap(folio* folio) =>
        throw new NotImplementedException("stub(rmap): folio_free_swap");

    // stub: no swap cache without swap.
    internal void free_swap_cache(folio* folio)
    {
        if (folio_test_swapcache(folio))
            throw new NotImplementedException("stub(rmap): free_swap_cache");
    }

    // stub: mm/rmap.c; with no batched reclaim unmaps pending, nothing to flush.
    internal void flush_tlb_batched_pending(mm_struct* mm) { }

}
