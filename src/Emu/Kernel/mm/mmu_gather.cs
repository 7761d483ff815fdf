// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/mmu_gather.c (x86_64: MMU_GATHER_TABLE_FREE and
// RCU_TABLE_FREE, SMP). Unmapped pages are gathered in batches; with delayed rmap, their rmap is
// removed (tlb_flush_rmaps) only after the TLB flush and before the pages are freed
// (tlb_batch_pages_flush -> free_pages_and_swap_cache). Page-table pages come through
// tlb_remove_page too (paravirt on bare metal), so tlb->batch stays NULL and the RCU table batch
// (tlb_remove_table) is never used. Emu does not reschedule (cond_resched) or send IPIs.
using System;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    private static void** batch_pages(mmu_gather_batch* batch) => (void**)batch->encoded_pages;

    // Another batch page, or false when the gather is full (the caller must flush).
    [Upstream("mm/mmu_gather.c", "tlb_next_batch", "ee634bc3342619cf")]
    internal bool tlb_next_batch(mmu_gather* tlb)
    {
        mmu_gather_batch* batch;

        // Delayed rmaps must be flushed before the pages they reference can be.
        if (tlb->delayed_rmap != 0 && tlb->active != &tlb->local)
            return false;

        batch = tlb->active;
        if (batch->next != null)
        {
            tlb->active = batch->next;
            return true;
        }

        if (tlb->batch_count == MAX_GATHER_BATCH_COUNT)
            return false;

        batch = (mmu_gather_batch*)__get_free_pages(GFP_NOWAIT | __GFP_NOWARN, 0);
        if (batch == null)
            return false;

        tlb->batch_count++;
        batch->next = null;
        batch->nr = 0;
        batch->max = (uint)MAX_GATHER_BATCH;

        tlb->active->next = batch;
        tlb->active = batch;

        return true;
    }

    [Upstream("mm/mmu_gather.c", "tlb_flush_rmap_batch", "4af18e31afb1f671")]
    internal void tlb_flush_rmap_batch(mmu_gather_batch* batch, vm_area_struct* vma)
    {
        void** pages = batch_pages(batch);

        for (int i = 0; i < batch->nr; i++)
        {
            void* enc = pages[i];

            if ((encoded_page_flags(enc) & ENCODED_PAGE_BIT_DELAY_RMAP) != 0)
            {
                page* page = encoded_page_ptr(enc);
                uint nr_pages = 1;

                if ((encoded_page_flags(enc) &
                     ENCODED_PAGE_BIT_NR_PAGES_NEXT) != 0)
                    nr_pages = (uint)encoded_nr_pages(pages[++i]);

                folio_remove_rmap_ptes(page_folio(page), page, (int)nr_pages,
                                       vma);
            }
        }
    }

    // The rmap removal the zap delayed until after the TLB flush; pages are freed later.
    [Upstream("mm/mmu_gather.c", "tlb_flush_rmaps", "aa1e945e76b47971")]
    internal void tlb_flush_rmaps(mmu_gather* tlb, vm_area_struct* vma)
    {
        if (tlb->delayed_rmap == 0)
            return;

        tlb_flush_rmap_batch(&tlb->local, vma);
        if (tlb->active != &tlb->local)
            tlb_flush_rmap_batch(tlb->active, vma);
        tlb->delayed_rmap = 0;
    }

    private const uint MAX_NR_FOLIOS_PER_FREE = 512;

    [Upstream("mm/mmu_gather.c", "__tlb_batch_free_encoded_pages", "a054615422b9b95c")]
    internal void __tlb_batch_free_encoded_pages(mmu_gather_batch* batch)
    {
        void** pages = batch_pages(batch);
        uint nr, nr_pages;

        while (batch->nr != 0)
        {
            if (!page_poisoning_enabled_static() && !want_init_on_free())
            {
                nr = Math.Min(MAX_NR_FOLIOS_PER_FREE, batch->nr);

                // Keep a page and its page count together.
                if ((encoded_page_flags(pages[nr - 1]) &
                     ENCODED_PAGE_BIT_NR_PAGES_NEXT) != 0)
                    nr++;
            }
            else
            {
                // Freeing with poisoning or init_on_free costs per page: bound the pages.
                for (nr = 0, nr_pages = 0;
                     nr < batch->nr && nr_pages < MAX_NR_FOLIOS_PER_FREE;
                     nr++)
                {
                    if ((encoded_page_flags(pages[nr]) &
                         ENCODED_PAGE_BIT_NR_PAGES_NEXT) != 0)
                        nr_pages += (uint)encoded_nr_pages(pages[++nr]);
                    else
                        nr_pages++;
                }
            }

            free_pages_and_swap_cache(pages, (int)nr);
            pages += nr;
            batch->nr -= nr;
        }
    }

    // Emu has no page poisoning (CONFIG_PAGE_POISONING off on Debian).
    private static bool page_poisoning_enabled_static() => false;

    [Upstream("mm/mmu_gather.c", "tlb_batch_pages_flush", "5a6fc6688f6cf470")]
    internal void tlb_batch_pages_flush(mmu_gather* tlb)
    {
        mmu_gather_batch* batch;

        for (batch = &tlb->local; batch != null && batch->nr != 0; batch = batch->next)
            __tlb_batch_free_encoded_pages(batch);
        tlb->active = &tlb->local;
    }

    [Upstream("mm/mmu_gather.c", "tlb_batch_list_free", "e1aae52087d9baf8")]
    internal void tlb_batch_list_free(mmu_gather* tlb)
    {
        mmu_gather_batch* batch, next;

        for (batch = tlb->local.next; batch != null; batch = next)
        {
            next = batch->next;
            free_pages((ulong)batch, 0);
        }
        tlb->local.next = null;
    }

    [Upstream("mm/mmu_gather.c", "__tlb_remove_folio_pages_size", "fd7b02b7493345b3")]
    internal bool __tlb_remove_folio_pages_size(mmu_gather* tlb,
                                                page* page, uint nr_pages, bool delay_rmap,
                                                int page_size)
    {
        ulong flags = delay_rmap ? ENCODED_PAGE_BIT_DELAY_RMAP : 0;
        mmu_gather_batch* batch;

        VM_BUG_ON(tlb->end == 0);

        batch = tlb->active;
        // A page count follows the page when more than one page is freed.
        if (nr_pages == 1)
        {
            batch_pages(batch)[batch->nr++] = encode_page(page, flags);
        }
        else
        {
            flags |= ENCODED_PAGE_BIT_NR_PAGES_NEXT;
            batch_pages(batch)[batch->nr++] = encode_page(page, flags);
            batch_pages(batch)[batch->nr++] = encode_nr_pages(nr_pages);
        }
        // Keep room for a page and its count: the next add may need both.
        if (batch->nr >= batch->max - 1)
        {
            if (!tlb_next_batch(tlb))
                return true;
            batch = tlb->active;
        }
        VM_BUG_ON_PAGE(batch->nr > batch->max - 1, page);

        return false;
    }

    [Upstream("mm/mmu_gather.c", "__tlb_remove_folio_pages", "b9c47cd5317e6094")]
    internal bool __tlb_remove_folio_pages(mmu_gather* tlb, page* page,
                                           uint nr_pages, bool delay_rmap)
    {
        return __tlb_remove_folio_pages_size(tlb, page, nr_pages, delay_rmap,
                                             (int)PAGE_SIZE);
    }

    [Upstream("mm/mmu_gather.c", "__tlb_remove_page_size", "d6b48f9f2e8cf3a5")]
    internal bool __tlb_remove_page_size(mmu_gather* tlb, page* page,
                                         bool delay_rmap, int page_size)
    {
        return __tlb_remove_folio_pages_size(tlb, page, 1, delay_rmap, page_size);
    }

    // tlb->batch is never set (see the file comment): the table batch flush has nothing to do.
    [Upstream("mm/mmu_gather.c", "tlb_table_flush", "5fab04f45a07dd6a")]
    internal void tlb_table_flush(mmu_gather* tlb)
    {
        mmu_table_batch** batch = &tlb->batch;

        if (*batch != null)
            throw new NotSupportedException("Emu frees page tables through tlb_remove_page: tlb_remove_table_free");
    }

    [Upstream("mm/mmu_gather.c", "tlb_table_init", "dfc3586402c87202")]
    internal static void tlb_table_init(mmu_gather* tlb)
    {
        tlb->batch = null;
    }

    [Upstream("mm/mmu_gather.c", "tlb_flush_mmu_free", "4161590de413f6c5")]
    internal void tlb_flush_mmu_free(mmu_gather* tlb)
    {
        tlb_table_flush(tlb);
        tlb_batch_pages_flush(tlb);
    }

    [Upstream("mm/mmu_gather.c", "tlb_flush_mmu", "2ab5ea1ed1a40fca")]
    internal void tlb_flush_mmu(mmu_gather* tlb)
    {
        tlb_flush_mmu_tlbonly(tlb);
        tlb_flush_mmu_free(tlb);
    }

    [Upstream("mm/mmu_gather.c", "__tlb_gather_mmu", "51ce81401adc8a19")]
    internal void __tlb_gather_mmu(mmu_gather* tlb, mm_struct* mm,
                                   bool fullmm)
    {
        tlb->mm = mm;
        tlb->fullmm = fullmm ? 1u : 0u;

        tlb->need_flush_all = 0;
        tlb->local.next = null;
        tlb->local.nr = 0;
        tlb->local.max = MMU_GATHER_BUNDLE; // ARRAY_SIZE(tlb->__pages)
        tlb->active = &tlb->local;
        tlb->batch_count = 0;
        tlb->delayed_rmap = 0;

        tlb_table_init(tlb);
        tlb->fully_unshared_tables = 0;
        __tlb_reset_range(tlb);
        inc_tlb_flush_pending(tlb->mm);
    }

    [Upstream("mm/mmu_gather.c", "tlb_gather_mmu", "8a75c1ce2b0ecf78")]
    internal void tlb_gather_mmu(mmu_gather* tlb, mm_struct* mm)
    {
        __tlb_gather_mmu(tlb, mm, false);
    }

    // Tearing down the whole address space (exit).
    [Upstream("mm/mmu_gather.c", "tlb_gather_mmu_fullmm", "3bed39bafd1ce1b6")]
    internal void tlb_gather_mmu_fullmm(mmu_gather* tlb, mm_struct* mm)
    {
        __tlb_gather_mmu(tlb, mm, true);
    }

    [Upstream("mm/mmu_gather.c", "tlb_finish_mmu", "4a3aeca0b6f3bed1")]
    internal void tlb_finish_mmu(mmu_gather* tlb)
    {
        VM_WARN_ON_ONCE(tlb->fully_unshared_tables != 0);

        // Another thread flushing this mm in parallel may have skipped entries we cleared:
        // flush everything.
        if (mm_tlb_flush_nested(tlb->mm))
        {
            tlb->fullmm = 1;
            __tlb_reset_range(tlb);
            tlb->freed_tables = 1;
        }

        tlb_flush_mmu(tlb);

        tlb_batch_list_free(tlb);
        dec_tlb_flush_pending(tlb->mm);
    }

    // ---- include/linux/mm_inline.h tlb_flush_pending helpers ----

    [Upstream("include/linux/mm_inline.h", "inc_tlb_flush_pending", "66827ff4f6137151")]
    internal static void inc_tlb_flush_pending(mm_struct* mm)
    {
        atomic_inc(&mm->tlb_flush_pending);
    }

    [Upstream("include/linux/mm_inline.h", "dec_tlb_flush_pending", "821d9e879f3a93a2")]
    internal static void dec_tlb_flush_pending(mm_struct* mm)
    {
        atomic_dec(&mm->tlb_flush_pending);
    }

    [Upstream("include/linux/mm_inline.h", "mm_tlb_flush_nested", "40a9ff843ff8da67")]
    internal static bool mm_tlb_flush_nested(mm_struct* mm)
    {
        return atomic_read(&mm->tlb_flush_pending) > 1;
    }

    // ---- mm/swap_state.c: the gathered pages go back, one batch of folios at a time ----

    [Upstream("mm/swap_state.c", "free_pages_and_swap_cache", "f51a063961412d6b")]
    internal void free_pages_and_swap_cache(void** pages, int nr)
    {
        folio_batch folios;
        uint* refs = stackalloc uint[PAGEVEC_SIZE];

        lru_add_drain();
        folio_batch_init(&folios);
        for (int i = 0; i < nr; i++)
        {
            folio* folio = page_folio(encoded_page_ptr(pages[i]));

            free_swap_cache(folio);
            refs[folios.nr] = 1;
            if ((encoded_page_flags(pages[i]) &
                 ENCODED_PAGE_BIT_NR_PAGES_NEXT) != 0)
                refs[folios.nr] = (uint)encoded_nr_pages(pages[++i]);

            if (folio_batch_add(&folios, folio) == 0)
                folios_put_refs(&folios, refs);
        }
        if (folios.nr != 0)
            folios_put_refs(&folios, refs);
    }
}
