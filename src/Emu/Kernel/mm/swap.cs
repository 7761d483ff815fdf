// SPDX-License-Identifier: GPL-2.0-only
// mm/swap.c: the LRU side. The per-CPU folio batches (cpu_fbatches) are kernel globals for
// Emu's one CPU, and local_lock() of them is a no-op (one CPU, no preemption). Only the batches
// Emu fills are kept: lru_add, lru_activate and lru_lazyfree (MADV_FREE); the deactivate and
// move_tail batches have no producer in Emu yet. lru_add_drain_all() is lru_add_drain() of the one CPU: the only CPU
// is this one, so there is no work to queue on others.
using System;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>struct cpu_fbatches of the one CPU (the batches Emu uses).</summary>
    internal folio_batch* cpu_fbatches_lru_add;
    internal folio_batch* cpu_fbatches_lru_activate;
    internal folio_batch* cpu_fbatches_lru_lazyfree;

    /// <summary>lru_disable_count: lru_cache_disable() is not modelled, so it stays 0.</summary>
    internal atomic_t lru_disable_count;

    internal void cpu_fbatches_init()
    {
        cpu_fbatches_lru_add = AllocateGlobal<folio_batch>("cpu_fbatches.lru_add");
        cpu_fbatches_lru_activate = AllocateGlobal<folio_batch>("cpu_fbatches.lru_activate");
        cpu_fbatches_lru_lazyfree = AllocateGlobal<folio_batch>("cpu_fbatches.lru_lazyfree");
    }

    [Upstream("mm/swap.c", "__page_cache_release", "2effc2ed970c384f")]
    internal void __page_cache_release(folio* folio, lruvec** lruvecp, ulong* flagsp)
    {
        if (folio_test_lru(folio))
        {
            folio_lruvec_relock_irqsave(folio, lruvecp, flagsp);
            lruvec_del_folio(*lruvecp, folio);
            __folio_clear_lru_flags(folio);
        }
    }

    [Upstream("mm/swap.c", "page_cache_release", "f13e119a8754a98d")]
    internal void page_cache_release(folio* folio)
    {
        lruvec* lruvec = null;
        ulong flags;

        __page_cache_release(folio, &lruvec, &flags);
        if (lruvec != null)
            unlock_page_lruvec_irqrestore(lruvec, flags);
    }

    [Upstream("mm/swap.c", "__folio_put", "0c5c67bd854c0272")]
    internal void __folio_put(folio* folio)
    {
        if (folio_is_zone_device(folio))
            throw new NotSupportedException("Emu has no ZONE_DEVICE memory: free_zone_device_folio");
        if (folio_test_hugetlb(folio))
            throw new NotSupportedException("Emu has no HugeTLB: free_huge_folio");

        page_cache_release(folio);
        folio_unqueue_deferred_split(folio);
        mem_cgroup_uncharge(folio);
        free_unref_page(&folio->page, folio_order(folio));
    }

    private static void lru_add_fn(Kernel k, lruvec* lruvec, folio* folio) => k.lru_add(lruvec, folio);

    // move_fn_t values: taken once, so "move_fn != lru_add" compares one address with itself.
    private static readonly delegate*<Kernel, lruvec*, folio*, void> lru_add_ptr = &lru_add_fn;
    private static readonly delegate*<Kernel, lruvec*, folio*, void> lru_activate_ptr = &lru_activate_fn;
    private static readonly delegate*<Kernel, lruvec*, folio*, void> lru_lazyfree_ptr = &lru_lazyfree_fn;

    [Upstream("mm/swap.c", "lru_add", "16b8240c79ef548c")]
    internal void lru_add(lruvec* lruvec, folio* folio)
    {
        bool was_unevictable = folio_test_clear_unevictable(folio);
        long nr_pages = folio_nr_pages(folio);

        VM_BUG_ON_FOLIO(folio_test_lru(folio), folio);

        // The mlocked test below runs without a barrier after clearing PG_unevictable:
        // munlock clears PG_mlocked under the LRU lock, which we hold.
        if (folio_evictable(folio))
        {
            if (was_unevictable)
                __count_vm_events("UNEVICTABLE_PGRESCUED", nr_pages);
        }
        else
        {
            folio_clear_active(folio);
            folio_set_unevictable(folio);
            // Undercount rather than strand a folio on the unevictable list.
            folio->mlock_count = 0;
            if (!was_unevictable)
                __count_vm_events("UNEVICTABLE_PGCULLED", nr_pages);
        }

        lruvec_add_folio(lruvec, folio);
    }

    [Upstream("mm/swap.c", "folio_batch_move_lru", "d2ddf8c28063729b")]
    internal void folio_batch_move_lru(folio_batch* fbatch, delegate*<Kernel, lruvec*, folio*, void> move_fn)
    {
        int i;
        lruvec* lruvec = null;
        ulong flags = 0;

        for (i = 0; i < folio_batch_count(fbatch); i++)
        {
            folio* folio = (folio*)fbatch->folios[i];

            // Only lru_add takes folios off no list; the others must win PG_lru first.
            #pragma warning disable CS8909 // both sides are lru_add_ptr
            if (move_fn != lru_add_ptr && !folio_test_clear_lru(folio))
                continue;
#pragma warning restore CS8909

            folio_lruvec_relock_irqsave(folio, &lruvec, &flags);
            move_fn(this, lruvec, folio);

            folio_set_lru(folio);
        }

        if (lruvec != null)
            unlock_page_lruvec_irqrestore(lruvec, flags);
        folios_put(fbatch);
    }

    [Upstream("mm/swap.c", "__folio_batch_add_and_move", "75278b5b908c8886")]
    internal void __folio_batch_add_and_move(folio_batch* fbatch, folio* folio,
        delegate*<Kernel, lruvec*, folio*, void> move_fn, bool disable_irq)
    {
        folio_get(folio);

        // local_lock(_irqsave) of cpu_fbatches: one CPU, nothing to exclude.
        if (folio_batch_add(fbatch, folio) == 0 ||
            !folio_may_be_lru_cached(folio) || lru_cache_disabled())
            folio_batch_move_lru(fbatch, move_fn);
    }

    [Upstream("mm/swap.c", "lru_activate", "304c1ae28cb25822")]
    internal void lru_activate(lruvec* lruvec, folio* folio)
    {
        long nr_pages = folio_nr_pages(folio);

        if (folio_test_active(folio) || folio_test_unevictable(folio))
            return;

        lruvec_del_folio(lruvec, folio);
        folio_set_active(folio);
        lruvec_add_folio(lruvec, folio);

        __count_vm_events("PGACTIVATE", nr_pages);
        // __count_memcg_events: memcg disabled.
    }

    private static void lru_activate_fn(Kernel k, lruvec* lruvec, folio* folio) => k.lru_activate(lruvec, folio);

    /// <summary>CONFIG_SMP: activations go through the per-CPU batch.</summary>
    [Upstream("mm/swap.c", "folio_activate_drain", "6e241d0cb252152e", Definition = 1)]
    internal void folio_activate_drain(int cpu)
    {
        folio_batch* fbatch = cpu_fbatches_lru_activate;

        if (folio_batch_count(fbatch) != 0)
            folio_batch_move_lru(fbatch, lru_activate_ptr);
    }

    [Upstream("mm/swap.c", "folio_activate", "2b8fe060703751e6", Definition = 1)]
    internal void folio_activate(folio* folio)
    {
        if (folio_test_active(folio) || folio_test_unevictable(folio) ||
            !folio_test_lru(folio))
            return;

        // folio_batch_add_and_move(folio, lru_activate): lru_activate sits before lock_irq.
        __folio_batch_add_and_move(cpu_fbatches_lru_activate, folio, lru_activate_ptr, false);
    }

    [Upstream("mm/swap.c", "__lru_cache_activate_folio", "81be65aa9e510834")]
    internal void __lru_cache_activate_folio(folio* folio)
    {
        folio_batch* fbatch;
        int i;

        fbatch = cpu_fbatches_lru_add;

        // Newest first: the folio was most likely just added. Only this CPU's batch is safe
        // to mark (see upstream for the race with a remote drain).
        for (i = (int)folio_batch_count(fbatch) - 1; i >= 0; i--)
        {
            folio* batch_folio = (folio*)fbatch->folios[i];

            if (batch_folio == folio)
            {
                folio_set_active(folio);
                break;
            }
        }
    }

    [Upstream("mm/swap.c", "folio_mark_accessed", "3874dde56134d3fd")]
    internal void folio_mark_accessed(folio* folio)
    {
        if (lru_gen_enabled())
        {
            throw new NotSupportedException("Emu runs without MGLRU: folio_inc_refs");
        }

        if (!folio_test_referenced(folio))
        {
            folio_set_referenced(folio);
        }
        else if (folio_test_unevictable(folio))
        {
            // The unevictable list is never rotated: nothing to do.
        }
        else if (!folio_test_active(folio))
        {
            // On the LRU: queue the activation. Still in an add batch: mark it, the drain
            // puts it on the active list.
            if (folio_test_lru(folio))
                folio_activate(folio);
            else
                __lru_cache_activate_folio(folio);
            folio_clear_referenced(folio);
            workingset_activation(folio);
        }
        if (folio_test_idle(folio))
            folio_clear_idle(folio);
    }

    [Upstream("mm/swap.c", "folio_add_lru", "ef728cc0fb7f1f75")]
    internal void folio_add_lru(folio* folio)
    {
        VM_BUG_ON_FOLIO(folio_test_active(folio) &&
                folio_test_unevictable(folio), folio);
        VM_BUG_ON_FOLIO(folio_test_lru(folio), folio);

        // MGLRU puts folios faulted in while in a fault on the active side.
        if (lru_gen_enabled() && !folio_test_unevictable(folio) &&
            lru_gen_in_fault() /* && !(current->flags & PF_MEMALLOC) */)
            folio_set_active(folio);

        // folio_batch_add_and_move(folio, lru_add)
        __folio_batch_add_and_move(cpu_fbatches_lru_add, folio, lru_add_ptr, false);
    }

    [Upstream("mm/swap.c", "folio_add_lru_vma", "9ddb2132d1e03be2")]
    internal void folio_add_lru_vma(folio* folio, vm_area_struct* vma)
    {
        VM_BUG_ON_FOLIO(folio_test_lru(folio), folio);

        if ((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED)
            mlock_new_folio(folio);
        else
            folio_add_lru(folio);
    }

    [Upstream("mm/swap.c", "lru_add_drain_cpu", "502f5d3bb985d077")]
    internal void lru_add_drain_cpu(int cpu)
    {
        folio_batch* fbatch = cpu_fbatches_lru_add;

        if (folio_batch_count(fbatch) != 0)
            folio_batch_move_lru(fbatch, lru_add_ptr);

        // lru_move_tail, lru_deactivate_file, lru_deactivate: not kept (no producers in Emu).

        fbatch = cpu_fbatches_lru_lazyfree;
        if (folio_batch_count(fbatch) != 0)
            folio_batch_move_lru(fbatch, lru_lazyfree_ptr);

        folio_activate_drain(cpu);
    }

    [Upstream("mm/swap.c", "lru_lazyfree", "3fd154f3e162454c")]
    internal void lru_lazyfree(lruvec* lruvec, folio* folio)
    {
        long nr_pages = folio_nr_pages(folio);

        if (!folio_test_anon(folio) || !folio_test_swapbacked(folio) ||
            folio_test_swapcache(folio) || folio_test_unevictable(folio))
            return;

        lruvec_del_folio(lruvec, folio);
        folio_clear_active(folio);
        folio_clear_referenced(folio);
        // A clean anon folio without PG_swapbacked is what reclaim may simply drop.
        folio_clear_swapbacked(folio);
        lruvec_add_folio(lruvec, folio);

        __count_vm_events("PGLAZYFREE", nr_pages);
        // __count_memcg_events: memcg disabled.
    }

    private static void lru_lazyfree_fn(Kernel k, lruvec* lruvec, folio* folio) => k.lru_lazyfree(lruvec, folio);

    [Upstream("mm/swap.c", "folio_mark_lazyfree", "d62e70eeca49f8dd")]
    internal void folio_mark_lazyfree(folio* folio)
    {
        if (!folio_test_anon(folio) || !folio_test_swapbacked(folio) ||
            !folio_test_lru(folio) ||
            folio_test_swapcache(folio) || folio_test_unevictable(folio))
            return;

        // folio_batch_add_and_move(folio, lru_lazyfree): lru_lazyfree sits before lock_irq.
        __folio_batch_add_and_move(cpu_fbatches_lru_lazyfree, folio, lru_lazyfree_ptr, false);
    }

    [Upstream("mm/swap.c", "lru_add_drain", "0863fd0a6efa30f7")]
    internal void lru_add_drain()
    {
        lru_add_drain_cpu(0); // smp_processor_id()
        mlock_drain_local();
    }

    /// <summary>
    /// The CONFIG_SMP lru_add_drain_all() queues lru_add_drain_per_cpu on every CPU with
    /// something batched and waits; Emu's only CPU is the caller's, so that is this drain.
    /// </summary>
    internal void lru_add_drain_all()
    {
        lru_add_drain();
    }

    [Upstream("mm/swap.c", "folios_put_refs", "911865e7d2836e27")]
    internal void folios_put_refs(folio_batch* folios, uint* refs)
    {
        int i, j;
        lruvec* lruvec = null;
        ulong flags = 0;

        for (i = 0, j = 0; i < folios->nr; i++)
        {
            folio* folio = (folio*)folios->folios[i];
            uint nr_refs = refs != null ? refs[i] : 1;

            if (is_huge_zero_folio(folio))
                continue;

            if (folio_is_zone_device(folio))
            {
                if (lruvec != null)
                {
                    unlock_page_lruvec_irqrestore(lruvec, flags);
                    lruvec = null;
                }
                if (put_devmap_managed_folio_refs(folio, (int)nr_refs))
                    continue;
                throw new NotSupportedException("Emu has no ZONE_DEVICE memory: free_zone_device_folio");
            }

            if (!folio_ref_sub_and_test(folio, (int)nr_refs))
                continue;

            // hugetlb frees through its own path.
            if (folio_test_hugetlb(folio))
            {
                if (lruvec != null)
                {
                    unlock_page_lruvec_irqrestore(lruvec, flags);
                    lruvec = null;
                }
                throw new NotSupportedException("Emu has no HugeTLB: free_huge_folio");
            }
            folio_unqueue_deferred_split(folio);
            __page_cache_release(folio, &lruvec, &flags);

            if (j != i)
                folios->folios[j] = (ulong)folio;
            j++;
        }
        if (lruvec != null)
            unlock_page_lruvec_irqrestore(lruvec, flags);
        if (j == 0)
        {
            folio_batch_reinit(folios);
            return;
        }

        folios->nr = (byte)j;
        mem_cgroup_uncharge_folios(folios);
        free_unref_folios(folios);
    }

    [Upstream("include/linux/mm.h", "folios_put", "26328f93b63121da")]
    internal void folios_put(folio_batch* folios)
    {
        folios_put_refs(folios, null);
    }

    /// <summary>release_pages_arg is a transparent union of pointer arrays: pass any of them as void**.</summary>
    [Upstream("mm/swap.c", "release_pages", "2f3d4fe7da96bfe7")]
    internal void release_pages(void** arg, int nr)
    {
        folio_batch fbatch;
        uint* refs = stackalloc uint[(int)PAGEVEC_SIZE];
        void** encoded = arg; // arg.encoded_pages
        int i;

        folio_batch_init(&fbatch);
        for (i = 0; i < nr; i++)
        {
            // Any of the union's types reads as an encoded page.
            folio* folio = page_folio(encoded_page_ptr(encoded[i]));

            // A following entry may carry the number of references to drop.
            refs[fbatch.nr] = 1;
            if ((encoded_page_flags(encoded[i]) &
                 ENCODED_PAGE_BIT_NR_PAGES_NEXT) != 0)
                refs[fbatch.nr] = (uint)encoded_nr_pages(encoded[++i]);

            if (folio_batch_add(&fbatch, folio) > 0)
                continue;
            folios_put_refs(&fbatch, refs);
        }

        if (fbatch.nr != 0)
            folios_put_refs(&fbatch, refs);
    }

    [Upstream("mm/swap.c", "__folio_batch_release", "b2d6d456396b22e5")]
    internal void __folio_batch_release(folio_batch* fbatch)
    {
        if (!fbatch->percpu_pvec_drained)
        {
            lru_add_drain();
            fbatch->percpu_pvec_drained = true;
        }
        folios_put(fbatch);
    }

    [Upstream("include/linux/swap.h", "folio_may_be_lru_cached", "abdd52d1f8600194")]
    internal static bool folio_may_be_lru_cached(folio* folio)
    {
        // PMD-sized folios would skew the accounting; small mTHP is not batched either yet.
        return !folio_test_large(folio);
    }

    [Upstream("include/linux/swap.h", "lru_cache_disabled", "dc7aa86b0e4a74e5")]
    internal bool lru_cache_disabled()
    {
        fixed (atomic_t* c = &lru_disable_count)
            return atomic_read(c) != 0;
    }
}
