// SPDX-License-Identifier: GPL-2.0-only
// mm/gup.c, part 3: FOLL_LONGTERM (pins that may last forever must not sit in ZONE_MOVABLE or
// CMA: such folios are migrated away first and the pin retried), the argument checks, and the
// exported get_user_pages*/pin_user_pages* entry points of the slow path. Emu's machine has no
// movable zone and no CMA, so collect_longterm_unpinnable_folios finds nothing and the
// migration half (mm/migrate.c stubs) is never reached; the path itself runs as upstream.
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/gup.c", "pofs_get_folio", "11afd4c61ee3be8a")]
    internal static folio* pofs_get_folio(pages_or_folios* pofs, long i)
    {
        if (pofs->has_folios)
            return ((folio**)pofs->folios)[i];
        return page_folio(((page**)pofs->pages)[i]);
    }

    [Upstream("mm/gup.c", "pofs_clear_entry", "b7614b137c2e5fd7")]
    internal static void pofs_clear_entry(pages_or_folios* pofs, long i)
    {
        ((void**)pofs->entries)[i] = null;
    }

    [Upstream("mm/gup.c", "pofs_unpin", "913170f3b35448a8")]
    internal void pofs_unpin(pages_or_folios* pofs)
    {
        if (pofs->has_folios)
            unpin_folios((folio**)pofs->folios, (ulong)pofs->nr_entries);
        else
            unpin_user_pages((page**)pofs->pages, (ulong)pofs->nr_entries);
    }

    [Upstream("mm/gup.c", "pofs_next_folio", "9f81d0ffadafad2d")]
    internal folio* pofs_next_folio(folio* folio, pages_or_folios* pofs, long* index_ptr)
    {
        long i = *index_ptr + 1;

        if (!pofs->has_folios && folio_test_large(folio))
        {
            ulong start_pfn = folio_pfn(folio);
            ulong end_pfn = start_pfn + (ulong)folio_nr_pages(folio);

            for (; i < pofs->nr_entries; i++)
            {
                ulong pfn = page_to_pfn(((page**)pofs->pages)[i]);

                // Consecutive entries inside the same large folio are one folio.
                if (pfn < start_pfn || pfn >= end_pfn)
                    break;
            }
        }

        if (i == pofs->nr_entries)
            return null;
        *index_ptr = i;

        return pofs_get_folio(pofs, i);
    }

    [Upstream("mm/gup.c", "collect_longterm_unpinnable_folios", "6f22f4c8c685472b")]
    internal ulong collect_longterm_unpinnable_folios(list_head* movable_folio_list, pages_or_folios* pofs)
    {
        ulong collected = 0;
        folio* folio;
        int drained = 0;
        long i = 0;

        for (folio = pofs_get_folio(pofs, i); folio != null;
             folio = pofs_next_folio(folio, pofs, &i))
        {
            int pin_refs = folio_has_pincount(folio) ? 1 : (int)GUP_PIN_COUNTING_BIAS;

            if (folio_is_longterm_pinnable(folio))
                continue;

            collected++;

            if (folio_is_device_coherent(folio))
                continue;

            if (folio_test_hugetlb(folio))
            {
                isolate_hugetlb(folio, movable_folio_list);
                continue;
            }

            // References held by per-CPU LRU batches would make isolation fail: drain
            // locally first, then everywhere, each at most once.
            if (drained == 0 && folio_may_be_lru_cached(folio) &&
                folio_ref_count(folio) !=
                folio_expected_ref_count(folio) + pin_refs)
            {
                lru_add_drain();
                drained = 1;
            }
            if (drained == 1 && folio_may_be_lru_cached(folio) &&
                folio_ref_count(folio) !=
                folio_expected_ref_count(folio) + pin_refs)
            {
                lru_add_drain_all();
                drained = 2;
            }

            if (!folio_isolate_lru(folio))
                continue;

            list_add_tail(&folio->lru, movable_folio_list);
            node_stat_mod_folio(folio,
                                NR_ISOLATED_ANON + folio_is_file_lru(folio),
                                (int)folio_nr_pages(folio));
        }

        return collected;
    }

    [Upstream("mm/gup.c", "migrate_longterm_unpinnable_folios", "c47c19c83f3db649")]
    internal int migrate_longterm_unpinnable_folios(list_head* movable_folio_list, pages_or_folios* pofs)
    {
        int ret;
        ulong i;

        for (i = 0; i < (ulong)pofs->nr_entries; i++)
        {
            folio* folio = pofs_get_folio(pofs, (long)i);

            if (folio_is_device_coherent(folio))
            {
                // Device-coherent folios are migrated one by one, unpinned but still referenced.
                pofs_clear_entry(pofs, (long)i);
                folio_get(folio);
                gup_put_folio(folio, 1, FOLL_PIN);

                if (migrate_device_coherent_folio(folio) != 0)
                {
                    ret = -EBUSY;
                    goto err;
                }

                continue;
            }

            // Every pin is dropped, pinnable or not: the caller retries the whole range.
            unpin_folio(folio);
            pofs_clear_entry(pofs, (long)i);
        }

        if (!list_empty(movable_folio_list))
        {
            // migration_target_control { .nid = NUMA_NO_NODE, .gfp_mask = GFP_USER | __GFP_NOWARN,
            // .reason = MR_LONGTERM_PIN }: Emu has no migration, the stub refuses.
            if (migrate_pages(movable_folio_list, null,
                              null, 0, MIGRATE_SYNC,
                              MR_LONGTERM_PIN, null) != 0)
            {
                ret = -ENOMEM;
                goto err;
            }
        }

        putback_movable_pages(movable_folio_list);

        return -EAGAIN;

    err:
        pofs_unpin(pofs);
        putback_movable_pages(movable_folio_list);

        return ret;
    }

    [Upstream("mm/gup.c", "check_and_migrate_movable_pages_or_folios", "a8a86ddb852c97a6")]
    internal long check_and_migrate_movable_pages_or_folios(pages_or_folios* pofs)
    {
        list_head movable_folio_list;
        INIT_LIST_HEAD(&movable_folio_list); // LIST_HEAD(movable_folio_list)
        ulong collected;

        collected = collect_longterm_unpinnable_folios(&movable_folio_list,
                                                       pofs);
        if (collected == 0)
            return 0;

        return migrate_longterm_unpinnable_folios(&movable_folio_list, pofs);
    }

    [Upstream("mm/gup.c", "check_and_migrate_movable_folios", "d74afe54e2467791")]
    internal long check_and_migrate_movable_folios(ulong nr_folios, folio** folios)
    {
        pages_or_folios pofs = default;
        pofs.folios = folios;
        pofs.has_folios = true;
        pofs.nr_entries = (long)nr_folios;

        return check_and_migrate_movable_pages_or_folios(&pofs);
    }

    [Upstream("mm/gup.c", "check_and_migrate_movable_pages", "2ab3e8ee95295063")]
    internal long check_and_migrate_movable_pages(ulong nr_pages, page** pages)
    {
        pages_or_folios pofs = default;
        pofs.pages = pages;
        pofs.has_folios = false;
        pofs.nr_entries = (long)nr_pages;

        return check_and_migrate_movable_pages_or_folios(&pofs);
    }

    [Upstream("mm/gup.c", "__gup_longterm_locked", "606bc3b89906f9f1")]
    internal long __gup_longterm_locked(mm_struct* mm, ulong start, ulong nr_pages, page** pages, int* locked, uint gup_flags)
    {
        uint flags;
        long rc, nr_pinned_pages;

        if ((gup_flags & FOLL_LONGTERM) == 0)
            return __get_user_pages_locked(mm, start, nr_pages, pages,
                                           locked, gup_flags);

        flags = memalloc_pin_save();
        do
        {
            nr_pinned_pages = __get_user_pages_locked(mm, start, nr_pages,
                                                      pages, locked,
                                                      gup_flags);
            if (nr_pinned_pages <= 0)
            {
                rc = nr_pinned_pages;
                break;
            }

            // -EAGAIN: some folios were migrated away and everything was unpinned; pin again.
            rc = check_and_migrate_movable_pages((ulong)nr_pinned_pages, pages);
        } while (rc == -EAGAIN);
        memalloc_pin_restore(flags);
        return rc != 0 ? rc : nr_pinned_pages;
    }

    [Upstream("mm/gup.c", "is_valid_gup_args", "174622592c2d40bb")]
    internal bool is_valid_gup_args(page** pages, int* locked, uint* gup_flags_p, uint to_set)
    {
        uint gup_flags = *gup_flags_p;

        // Callers may not pass the internal flags: the entry points set them.
        if (WARN_ON_ONCE((gup_flags & INTERNAL_GUP_FLAGS) != 0))
            return false;

        gup_flags |= to_set;
        if (locked != null)
        {
            // A caller passing locked must hold the lock on entry.
            if (WARN_ON_ONCE(*locked != 1))
                return false;

            gup_flags |= FOLL_UNLOCKABLE;
        }

        // A reference is either a get or a pin, never both.
        if (WARN_ON_ONCE((gup_flags & (FOLL_PIN | FOLL_GET)) ==
                         (FOLL_PIN | FOLL_GET)))
            return false;

        // Longterm only makes sense for pins.
        if (WARN_ON_ONCE((gup_flags & FOLL_PIN) == 0 && (gup_flags & FOLL_LONGTERM) != 0))
            return false;

        // A reference needs somewhere to go.
        if (WARN_ON_ONCE((gup_flags & (FOLL_GET | FOLL_PIN)) != 0 && pages == null))
            return false;

        // P2PDMA memory cannot be pinned for long.
        if (WARN_ON_ONCE((gup_flags & FOLL_LONGTERM) != 0 &&
                         (gup_flags & FOLL_PCI_P2PDMA) != 0))
            return false;

        *gup_flags_p = gup_flags;
        return true;
    }

    [Upstream("mm/gup.c", "get_user_pages_remote", "1d5fe76ec8be0022")]
    internal long get_user_pages_remote(mm_struct* mm, ulong start, ulong nr_pages, uint gup_flags, page** pages, int* locked)
    {
        int local_locked = 1;

        if (!is_valid_gup_args(pages, locked, &gup_flags,
                               FOLL_TOUCH | FOLL_REMOTE))
            return -EINVAL;

        return __get_user_pages_locked(mm, start, nr_pages, pages,
                                       locked != null ? locked : &local_locked,
                                       gup_flags);
    }

    [Upstream("mm/gup.c", "get_user_pages", "71e5bdd514417f44")]
    internal long get_user_pages(ulong start, ulong nr_pages, uint gup_flags, page** pages)
    {
        int locked = 1;

        if (!is_valid_gup_args(pages, null, &gup_flags, FOLL_TOUCH))
            return -EINVAL;

        return __get_user_pages_locked(current_mm, start, nr_pages, pages,
                                       &locked, gup_flags);
    }

    [Upstream("mm/gup.c", "get_user_pages_unlocked", "921b370787c55964")]
    internal long get_user_pages_unlocked(ulong start, ulong nr_pages, page** pages, uint gup_flags)
    {
        int locked = 0;

        if (!is_valid_gup_args(pages, null, &gup_flags,
                               FOLL_TOUCH | FOLL_UNLOCKABLE))
            return -EINVAL;

        return __get_user_pages_locked(current_mm, start, nr_pages, pages,
                                       &locked, gup_flags);
    }

    [Upstream("mm/gup.c", "pin_user_pages_remote", "68effbb311bd9257")]
    internal long pin_user_pages_remote(mm_struct* mm, ulong start, ulong nr_pages, uint gup_flags, page** pages, int* locked)
    {
        int local_locked = 1;

        if (!is_valid_gup_args(pages, locked, &gup_flags,
                               FOLL_PIN | FOLL_TOUCH | FOLL_REMOTE))
            return 0;
        return __gup_longterm_locked(mm, start, nr_pages, pages,
                                     locked != null ? locked : &local_locked,
                                     gup_flags);
    }

    [Upstream("mm/gup.c", "pin_user_pages", "c720d864bc650e93")]
    internal long pin_user_pages(ulong start, ulong nr_pages, uint gup_flags, page** pages)
    {
        int locked = 1;

        if (!is_valid_gup_args(pages, null, &gup_flags, FOLL_PIN))
            return 0;
        return __gup_longterm_locked(current_mm, start, nr_pages,
                                     pages, &locked, gup_flags);
    }

    [Upstream("mm/gup.c", "pin_user_pages_unlocked", "aeeeaa91cc517b23")]
    internal long pin_user_pages_unlocked(ulong start, ulong nr_pages, page** pages, uint gup_flags)
    {
        int locked = 0;

        if (!is_valid_gup_args(pages, null, &gup_flags,
                               FOLL_PIN | FOLL_TOUCH | FOLL_UNLOCKABLE))
            return 0;

        return __gup_longterm_locked(current_mm, start, nr_pages, pages,
                                     &locked, gup_flags);
    }
}
