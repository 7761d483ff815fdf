// SPDX-License-Identifier: GPL-2.0-only
// Stubs for the rmap area (rmap, LRU, vmstat) until it lands on main; exact upstream signatures.
using System;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(rmap): enum node_stat_item's NR_PAGETABLE, until vmstat lands.
    internal const int NR_PAGETABLE = -1;

    // stub(rmap): vmstat not landed; page-table pages are not counted yet.
    internal void lruvec_stat_add_folio(folio* folio, int idx) { }

    // stub(rmap)
    internal void lruvec_stat_sub_folio(folio* folio, int idx) { }

    // stub(rmap)
    internal int anon_vma_fork(vm_area_struct* vma, vm_area_struct* pvma) =>
        throw new NotImplementedException("stub(rmap): anon_vma_fork");

    // stub(rmap): rmap.h RMAP_EXCLUSIVE.
    internal const int RMAP_EXCLUSIVE = 1 << 0;

    // stub(rmap): enum vm_event_item members the memory paths count.
    internal const int PGFAULT = 0, PGREUSE = 1, COW_KSM = 2, PGFREE = 3;

    // stub(rmap): vm events are not counted until vmstat lands.
    internal void count_vm_event(int item) { }

    // stub(rmap): memcg charge always succeeds (mem_cgroup_disabled() is true in Emu).
    internal int mem_cgroup_charge(folio* folio, mm_struct* mm, uint gfp) => 0;

    // stub(rmap): swap throttling is a no-op without swap devices.
    internal void folio_throttle_swaprate(folio* folio, uint gfp) { }

    // stub(rmap)
    internal void folio_add_new_anon_rmap(folio* folio, vm_area_struct* vma, ulong address, int flags) =>
        throw new NotImplementedException("stub(rmap): folio_add_new_anon_rmap");

    // stub(rmap)
    internal void folio_add_lru_vma(folio* folio, vm_area_struct* vma) =>
        throw new NotImplementedException("stub(rmap): folio_add_lru_vma");

    // stub(rmap)
    internal void folio_remove_rmap_pte(folio* folio, page* page, vm_area_struct* vma) =>
        throw new NotImplementedException("stub(rmap): folio_remove_rmap_pte");

    // stub(rmap)
    internal void folio_move_anon_rmap(folio* folio, vm_area_struct* vma) =>
        throw new NotImplementedException("stub(rmap): folio_move_anon_rmap");

    // stub(rmap)
    internal int __anon_vma_prepare(vm_area_struct* vma) =>
        throw new NotImplementedException("stub(rmap): __anon_vma_prepare");

    // stub(rmap)
    internal void lru_add_drain() { }

    // stub(rmap)
    internal static bool folio_trylock(folio* folio) =>
        !test_and_set_bit(KernelConstants.PG_locked, &folio->flags);

    // stub(rmap)
    internal void folio_unlock(folio* folio) => clear_bit(KernelConstants.PG_locked, &folio->flags);

    // stub(rmap): no swap cache without swap.
    internal bool folio_free_swap(folio* folio) =>
        throw new NotImplementedException("stub(rmap): folio_free_swap");

    // stub(rmap): no swap cache without swap.
    internal void free_swap_cache(folio* folio)
    {
        if (folio_test_swapcache(folio))
            throw new NotImplementedException("stub(rmap): free_swap_cache");
    }

    // stub(rmap)
    internal void folio_remove_rmap_ptes(folio* folio, page* page, int nr_pages, vm_area_struct* vma) =>
        throw new NotImplementedException("stub(rmap): folio_remove_rmap_ptes");

    // stub(rmap): pagevec.h
    internal static void folio_batch_init(folio_batch* fbatch)
    {
        fbatch->nr = 0;
        fbatch->i = 0;
        fbatch->percpu_pvec_drained = false;
    }

    // stub(rmap): pagevec.h; the space left after adding.
    internal static uint folio_batch_add(folio_batch* fbatch, folio* folio)
    {
        fbatch->folios[fbatch->nr++] = (ulong)folio;
        return (uint)(KernelConstants.PAGEVEC_SIZE - fbatch->nr);
    }

    // stub(rmap): without LRU lists, dropping the references is all folios_put_refs does.
    internal void folios_put_refs(folio_batch* folios, uint* refs)
    {
        for (int i = 0; i < folios->nr; i++)
            folio_put_refs((folio*)folios->folios[i], refs == null ? 1 : (int)refs[i]);
        folio_batch_init(folios);
    }

    // stub(rmap): mm/rmap.c; with no batched reclaim unmaps pending, nothing to flush.
    internal void flush_tlb_batched_pending(mm_struct* mm) { }

    // stub(rmap): an anonymous vma that never faulted a page in has no anon_vma chain.
    internal void unlink_anon_vmas(vm_area_struct* vma)
    {
        if (vma->anon_vma != null)
            throw new NotImplementedException("stub(rmap): unlink_anon_vmas");
    }

    // stub(rmap)
    internal int folio_try_dup_anon_rmap_pte(folio* folio, page* page, vm_area_struct* src_vma) =>
        throw new NotImplementedException("stub(rmap): folio_try_dup_anon_rmap_pte");
}
