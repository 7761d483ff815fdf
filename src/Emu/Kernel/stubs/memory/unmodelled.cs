// SPDX-License-Identifier: GPL-2.0-only
// What the fault and zap paths call that Emu does not model (named stubs, one place): vm event
// counters (enum vm_event_item), memcg charging, swap throttling and the swap cache, batched-reclaim
// TLB flushes.
using System;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // stub(vmstat): vm events are counted by name (no vm_event_item enum yet); KSM's review counters read COW_KSM.
    internal void count_vm_event(string item)
    {
        vm_events[item] = System.Collections.Generic.CollectionExtensions.GetValueOrDefault(vm_events, item) + 1;
        if (item == "COW_KSM")
            ksm_counters.CowBreaks++;
    }

    // stub: swap throttling is a no-op without swap devices.
    internal void folio_throttle_swaprate(folio* folio, uint gfp) { }

    // stub: no swap cache without swap.
    internal void free_swap_cache(folio* folio)
    {
        if (folio_test_swapcache(folio))
            throw new NotImplementedException("stub(rmap): free_swap_cache");
    }

    // stub: mm/rmap.c; with no batched reclaim unmaps pending, nothing to flush.
    internal void flush_tlb_batched_pending(mm_struct* mm) { }

}
