// SPDX-License-Identifier: GPL-2.0-only
// mm/gup.c, part 1: taking and dropping GUP references and pins (FOLL_GET adds plain
// references; FOLL_PIN adds GUP_PIN_COUNTING_BIAS to a small folio's refcount, or one reference
// plus one _pincount to a large folio), and the unpin API. Parts: gup.follow.cs (the slow walk
// and faults), gup.longterm.cs (FOLL_LONGTERM and the exported entry points), gup.fast.cs
// (the lockless walk).
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/gup.c", "sanity_check_pinned_pages", "f8e508eb0c58415b")]
    internal void sanity_check_pinned_pages(page** pages, ulong npages)
    {
        // Emu runs with CONFIG_DEBUG_VM's checks on.
        // A pinned anonymous page must be exclusive to its mm: pins of shared ones unshare first.
        for (; npages != 0; npages--, pages++)
        {
            page* page = *pages;
            folio* folio;

            if (page == null)
                continue;

            folio = page_folio(page);

            if (is_zero_page(page) ||
                !folio_test_anon(folio))
                continue;
            if (!folio_test_large(folio) || folio_test_hugetlb(folio))
                VM_BUG_ON_PAGE(!PageAnonExclusive(&folio->page), page);
            else
                // PTE- or PMD-mapped large folio: the head or this subpage carries the flag.
                VM_BUG_ON_PAGE(!PageAnonExclusive(&folio->page) &&
                               !PageAnonExclusive(page), page);
        }
    }

    [Upstream("mm/gup.c", "try_get_folio", "0ddef1f0d155a531")]
    internal folio* try_get_folio(page* page, int refs)
    {
        folio* folio;

    retry:
        folio = page_folio(page);
        if (WARN_ON_ONCE(folio_ref_count(folio) < 0))
            return null;
        if (!folio_ref_try_add(folio, refs))
            return null;

        // The folio may have been split or freed and reused between page_folio() and the
        // reference: if the page moved to another folio, drop what we took and look again.
        if (page_folio(page) != folio)
        {
            if (!put_devmap_managed_folio_refs(folio, refs))
                folio_put_refs(folio, refs);
            goto retry;
        }

        return folio;
    }

    [Upstream("mm/gup.c", "gup_put_folio", "b91db9197a0268f3")]
    internal void gup_put_folio(folio* folio, int refs, uint flags)
    {
        if ((flags & FOLL_PIN) != 0)
        {
            if (is_zero_folio(folio))
                return;
            node_stat_mod_folio(folio, NR_FOLL_PIN_RELEASED, refs);
            if (folio_test_large(folio))
                atomic_sub(refs, &folio->_pincount);
            else
                refs *= (int)GUP_PIN_COUNTING_BIAS;
        }

        if (!put_devmap_managed_folio_refs(folio, refs))
            folio_put_refs(folio, refs);
    }

    [Upstream("mm/gup.c", "try_grab_folio", "3c7758c8ee6518e0")]
    internal int try_grab_folio(folio* folio, int refs, uint flags)
    {
        if (WARN_ON_ONCE(folio_ref_count(folio) <= 0))
            return -ENOMEM;

        // CONFIG_PCI_P2PDMA is off: is_pci_p2pdma_page() is false.
        if ((flags & FOLL_PCI_P2PDMA) == 0 && is_pci_p2pdma_page(&folio->page))
            return -EREMOTEIO;

        if ((flags & FOLL_GET) != 0)
            folio_ref_add(folio, refs);
        else if ((flags & FOLL_PIN) != 0)
        {
            // The shared zero page is never freed or migrated: pins are not counted on it.
            if (is_zero_folio(folio))
                return 0;

            // Large folios count pins exactly in _pincount (plus one reference per pin);
            // small ones have no room and bias the refcount instead.
            if (folio_test_large(folio))
            {
                folio_ref_add(folio, refs);
                atomic_add(refs, &folio->_pincount);
            }
            else
            {
                folio_ref_add(folio, refs * (int)GUP_PIN_COUNTING_BIAS);
            }

            node_stat_mod_folio(folio, NR_FOLL_PIN_ACQUIRED, refs);
        }

        return 0;
    }

    [Upstream("mm/gup.c", "unpin_user_page", "db01d64459924e44")]
    internal void unpin_user_page(page* page)
    {
        sanity_check_pinned_pages(&page, 1);
        gup_put_folio(page_folio(page), 1, FOLL_PIN);
    }

    [Upstream("mm/gup.c", "unpin_folio", "cc87fb7378271a49")]
    internal void unpin_folio(folio* folio)
    {
        gup_put_folio(folio, 1, FOLL_PIN);
    }

    [Upstream("mm/gup.c", "folio_add_pin", "dee5b74ff5c60060")]
    internal void folio_add_pin(folio* folio)
    {
        if (is_zero_folio(folio))
            return;

        // The caller already holds a pin, so the folio cannot go away: no try needed.
        if (folio_test_large(folio))
        {
            WARN_ON_ONCE(atomic_read(&folio->_pincount) < 1);
            folio_ref_inc(folio);
            atomic_inc(&folio->_pincount);
        }
        else
        {
            WARN_ON_ONCE(folio_ref_count(folio) < GUP_PIN_COUNTING_BIAS);
            folio_ref_add(folio, (int)GUP_PIN_COUNTING_BIAS);
        }
    }

    [Upstream("mm/gup.c", "gup_folio_range_next", "eb1c1247f6534a80")]
    internal static folio* gup_folio_range_next(page* start, ulong npages, ulong i, uint* ntails)
    {
        page* next = nth_page(start, (long)i);
        folio* folio = page_folio(next);
        uint nr = 1;

        if (folio_test_large(folio))
            nr = System.Math.Min((uint)(npages - i), // min_t(unsigned int, ...)
                (uint)((ulong)folio_nr_pages(folio) - folio_page_idx(folio, next)));

        *ntails = nr;
        return folio;
    }

    [Upstream("mm/gup.c", "gup_folio_next", "4b75e377211b0f53")]
    internal static folio* gup_folio_next(page** list, ulong npages, ulong i, uint* ntails)
    {
        folio* folio = page_folio(list[i]);
        uint nr;

        for (nr = (uint)(i + 1); nr < npages; nr++)
        {
            if (page_folio(list[nr]) != folio)
                break;
        }

        *ntails = nr - (uint)i;
        return folio;
    }

    [Upstream("mm/gup.c", "unpin_user_pages_dirty_lock", "21cc5aff49ce39ad")]
    internal void unpin_user_pages_dirty_lock(page** pages, ulong npages, bool make_dirty)
    {
        ulong i;
        folio* folio;
        uint nr;

        if (!make_dirty)
        {
            unpin_user_pages(pages, npages);
            return;
        }

        sanity_check_pinned_pages(pages, npages);
        for (i = 0; i < npages; i += nr)
        {
            folio = gup_folio_next(pages, npages, i, &nr);
            // Test first: most pinned folios are already dirty, and the lock is not free.
            // Dirtying under the folio lock keeps it safe against truncation of file folios.
            if (!folio_test_dirty(folio))
            {
                folio_lock(folio);
                folio_mark_dirty(folio);
                folio_unlock(folio);
            }
            gup_put_folio(folio, (int)nr, FOLL_PIN);
        }
    }

    [Upstream("mm/gup.c", "unpin_user_page_range_dirty_lock", "fe6d8729119004e3")]
    internal void unpin_user_page_range_dirty_lock(page* page, ulong npages, bool make_dirty)
    {
        ulong i;
        folio* folio;
        uint nr;

        for (i = 0; i < npages; i += nr)
        {
            folio = gup_folio_range_next(page, npages, i, &nr);
            if (make_dirty && !folio_test_dirty(folio))
            {
                folio_lock(folio);
                folio_mark_dirty(folio);
                folio_unlock(folio);
            }
            gup_put_folio(folio, (int)nr, FOLL_PIN);
        }
    }

    [Upstream("mm/gup.c", "gup_fast_unpin_user_pages", "66c545d35f2ed3c7")]
    internal void gup_fast_unpin_user_pages(page** pages, ulong npages)
    {
        ulong i;
        folio* folio;
        uint nr;

        // GUP-fast gave up: the pages may no longer be exclusive, so no sanity check here.
        for (i = 0; i < npages; i += nr)
        {
            folio = gup_folio_next(pages, npages, i, &nr);
            gup_put_folio(folio, (int)nr, FOLL_PIN);
        }
    }

    [Upstream("mm/gup.c", "unpin_user_pages", "feaac559a4fdc489")]
    internal void unpin_user_pages(page** pages, ulong npages)
    {
        ulong i;
        folio* folio;
        uint nr;

        // A negative count from a failed pin call must not be taken as a huge length.
        if (WARN_ON(IS_ERR_VALUE(npages)))
            return;

        sanity_check_pinned_pages(pages, npages);
        for (i = 0; i < npages; i += nr)
        {
            if (pages[i] == null)
            {
                nr = 1;
                continue;
            }
            folio = gup_folio_next(pages, npages, i, &nr);
            gup_put_folio(folio, (int)nr, FOLL_PIN);
        }
    }

    [Upstream("mm/gup.c", "unpin_user_folio", "92fedec6e2eb34e2")]
    internal void unpin_user_folio(folio* folio, ulong npages)
    {
        gup_put_folio(folio, (int)npages, FOLL_PIN);
    }

    [Upstream("mm/gup.c", "unpin_folios", "5524bc9acc16aa3a")]
    internal void unpin_folios(folio** folios, ulong nfolios)
    {
        ulong i = 0, j;

        // As in unpin_user_pages: an error count is not a length.
        if (WARN_ON(IS_ERR_VALUE(nfolios)))
            return;

        while (i < nfolios)
        {
            for (j = i + 1; j < nfolios; j++)
                if (folios[i] != folios[j])
                    break;

            if (folios[i] != null)
                gup_put_folio(folios[i], (int)(j - i), FOLL_PIN);
            i = j;
        }
    }

    [Upstream("mm/gup.c", "mm_set_has_pinned_flag", "bc3a916379342d42")]
    internal static void mm_set_has_pinned_flag(ulong* mm_flags)
    {
        // Test first so the common case does not dirty the cache line.
        if (!test_bit(MMF_HAS_PINNED, mm_flags))
            set_bit(MMF_HAS_PINNED, mm_flags);
    }

    [Upstream("include/linux/memremap.h", "is_pci_p2pdma_page", "34570e6cb0559ca7")]
    internal static bool is_pci_p2pdma_page(page* page)
        => false /* IS_ENABLED(CONFIG_PCI_P2PDMA) */ && is_zone_device_page(page);
}
