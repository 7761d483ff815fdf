using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

// mm/page_alloc.c: the buddy allocator's edges — freeing with its checks, merging, splitting,
// and preparing new pages. What Emu leaves out: per-cpu page lists (frees go straight to the
// buddy lists), migratetype fallback (see get_pfnblock_migratetype), compaction capture,
// guard pages (DEBUG_PAGEALLOC is off), shuffling and page reporting (off by default).
// check_pages_enabled is on, as the substrate issue asks.
public unsafe partial class Kernel
{
    /// <summary>CONFIG_HUGETLB_PAGE: min(HUGETLB_PAGE_ORDER 9, MAX_PAGE_ORDER).</summary>
    [Upstream("include/linux/pageblock-flags.h", "pageblock_order", UpstreamAttribute.Macro)]
    internal const int pageblock_order = 9;

    private const uint FPI_NONE = 0, FPI_SKIP_REPORT_NOTIFY = 1 << 0, FPI_TO_TAIL = 1 << 1;

    /// <summary>The check_pages_enabled static key: Emu keeps the page checks on.</summary>
    private static bool is_check_pages_enabled() => true;

    /// <summary>CONFIG_HZ=250 (Debian amd64).</summary>
    internal const ulong HZ = 250;

    /// <summary>The virtual clock in ticks (the machine advances it).</summary>
    internal ulong jiffies;

    /// <summary>add_taint() flags (TAINT_BAD_PAGE is bit 5).</summary>
    internal ulong tainted;

    internal const int TAINT_BAD_PAGE = 5;

    /// <summary>current->comm of whatever runs kernel code; processes set it.</summary>
    internal string current_comm = "swapper/0";

    // bad_page()'s function-static rate-limit state.
    private ulong bad_page_resume, bad_page_nr_shown, bad_page_nr_unshown;

    [Upstream("mm/page_alloc.c", "bad_page", "bb76f2f69d13dba1")]
    private void bad_page(page* page, string? reason)
    {
        if (bad_page_nr_shown == 60)
        {
            if ((long)(jiffies - bad_page_resume) < 0)
            {
                bad_page_nr_unshown++;
                goto @out;
            }
            if (bad_page_nr_unshown != 0)
            {
                pr_alert($"BUG: Bad page state: {bad_page_nr_unshown} messages suppressed");
                bad_page_nr_unshown = 0;
            }
            bad_page_nr_shown = 0;
        }
        if (bad_page_nr_shown++ == 0)
            bad_page_resume = jiffies + 60 * HZ;

        pr_alert($"BUG: Bad page state in process {current_comm}  pfn:{page_to_pfn(page):x5}");
        dump_page(page, reason);
    @out:
        if (PageBuddy(page))
            __ClearPageBuddy(page);
        tainted |= 1UL << TAINT_BAD_PAGE;
    }

    [Upstream("mm/page_alloc.c", "prep_compound_page", "fdd0a33a05c3b92f")]
    internal void prep_compound_page(page* page, uint order)
    {
        int i;
        int nr_pages = 1 << (int)order;

        __SetPageHead(page);
        for (i = 1; i < nr_pages; i++)
            prep_compound_tail(page, i);

        prep_compound_head(page, order);
    }

    [Upstream("mm/page_alloc.c", "set_buddy_order", "18c4ca14cf1e8d8c")]
    private static void set_buddy_order(page* page, uint order)
    {
        set_page_private(page, order);
        __SetPageBuddy(page);
    }

    [Upstream("mm/page_alloc.c", "account_freepages", "a3b246bb582ef4f5")]
    private static void account_freepages(zone zone, int nr_pages, int migratetype)
    {
        // Emu has no isolated, CMA or highatomic blocks (see get_pfnblock_migratetype).
        zone.nr_free_pages += nr_pages;
    }

    [Upstream("mm/page_alloc.c", "__add_to_free_list", "d8005187f3218f8f")]
    private static void __add_to_free_list(page* page, zone zone, uint order, int migratetype, bool tail)
    {
        free_area* area = &zone.free_area[order];
        if (tail)
            list_add_tail(&page->buddy_list, &area->free_list[migratetype]);
        else
            list_add(&page->buddy_list, &area->free_list[migratetype]);
        area->nr_free++;
    }

    [Upstream("mm/page_alloc.c", "__del_page_from_free_list", "ae2fe30b053d565e")]
    private static void __del_page_from_free_list(page* page, zone zone, uint order, int migratetype)
    {
        if (PageReported(page))
            __ClearPageReported(page);
        list_del(&page->buddy_list);
        __ClearPageBuddy(page);
        set_page_private(page, 0);
        zone.free_area[order].nr_free--;
    }

    [Upstream("mm/page_alloc.c", "del_page_from_free_list", "ec32c22d182aa016")]
    private static void del_page_from_free_list(page* page, zone zone, uint order, int migratetype)
    {
        __del_page_from_free_list(page, zone, order, migratetype);
        account_freepages(zone, -(1 << (int)order), migratetype);
    }

    [Upstream("mm/page_alloc.c", "get_page_from_free_area", "41580e7575e9173c")]
    private static page* get_page_from_free_area(free_area* area, int migratetype) =>
        list_empty(&area->free_list[migratetype]) ? null
            : container_of<page>(area->free_list[migratetype].next, offsetof.page.buddy_list);

    [Upstream("mm/page_alloc.c", "buddy_merge_likely", "f83426dbba8a9925")]
    private bool buddy_merge_likely(ulong pfn, ulong buddy_pfn, page* page, uint order)
    {
        ulong higher_page_pfn;
        page* higher_page;

        if (order >= MAX_PAGE_ORDER - 1)
            return false;

        higher_page_pfn = buddy_pfn & pfn;
        higher_page = page + (higher_page_pfn - pfn);

        return find_buddy_page_pfn(higher_page, higher_page_pfn, order + 1, null) != null;
    }

    [Upstream("mm/page_alloc.c", "__free_one_page", "3214af9deffce89b")]
    private void __free_one_page(page* page, ulong pfn, zone zone, uint order, int migratetype, uint fpi_flags)
    {
        ulong buddy_pfn = 0;
        ulong combined_pfn;
        page* buddy;
        bool to_tail;

        VM_BUG_ON(!zone.populated);
        VM_BUG_ON_PAGE((page->flags & PAGE_FLAGS_CHECK_AT_PREP) != 0, page);
        VM_BUG_ON(migratetype == -1);
        VM_BUG_ON_PAGE((pfn & ((1UL << (int)order) - 1)) != 0, page);
        VM_BUG_ON_PAGE(bad_range(zone, page), page);

        account_freepages(zone, 1 << (int)order, migratetype);

        while (order < MAX_PAGE_ORDER)
        {
            int buddy_mt = migratetype;

            buddy = find_buddy_page_pfn(page, pfn, order, &buddy_pfn);
            if (buddy == null)
                goto done_merging;

            // pageblock_order merge restrictions and guard pages: all blocks are MOVABLE, no guards.
            __del_page_from_free_list(buddy, zone, order, buddy_mt);

            combined_pfn = buddy_pfn & pfn;
            page = page + (combined_pfn - pfn);
            pfn = combined_pfn;
            order++;
        }

    done_merging:
        set_buddy_order(page, order);

        if ((fpi_flags & FPI_TO_TAIL) != 0)
            to_tail = true;
        else
            to_tail = buddy_merge_likely(pfn, buddy_pfn, page, order);

        __add_to_free_list(page, zone, order, migratetype, to_tail);
    }

    /// <summary>CONFIG_DEBUG_VM's bad_range: the page lies outside its zone or in another zone.</summary>
    [Upstream("mm/page_alloc.c", "bad_range", "51ec2e931b268591")]
    private bool bad_range(zone zone, page* page)
    {
        if (page_outside_zone_boundaries(zone, page))
            return true;
        if (zone != page_zone(page))
            return true;
        return false;
    }

    /// <summary>Zones never resize in Emu, so the span seqcount loop runs once.</summary>
    [Upstream("mm/page_alloc.c", "page_outside_zone_boundaries", "3a69d2885a982333")]
    private bool page_outside_zone_boundaries(zone zone, page* page)
    {
        ulong pfn = page_to_pfn(page);
        ulong sp = zone.spanned_pages, start_pfn = zone.zone_start_pfn;
        bool ret = !(pfn >= start_pfn && pfn < start_pfn + sp);
        if (ret)
            pr_err($"page 0x{pfn:x} outside node 0 zone {zone.name} [ 0x{start_pfn:x} - 0x{start_pfn + sp:x} ]");
        return ret;
    }

    [Upstream("mm/page_alloc.c", "page_expected_state", "30ebcb400aecf4b5")]
    private static bool page_expected_state(page* page, ulong check_flags)
    {
        if (atomic_read(&page->_mapcount) != -1)
            return false;
        if (((ulong)page->mapping | (ulong)(uint)page_ref_count(page) | page->memcg_data | (page->flags & check_flags)) != 0)
            return false;
        return true;
    }

    [Upstream("mm/page_alloc.c", "page_bad_reason", "668734f3a34da753")]
    private static string? page_bad_reason(page* page, ulong flags)
    {
        string? bad_reason = null;

        if (atomic_read(&page->_mapcount) != -1)
            bad_reason = "nonzero mapcount";
        if (page->mapping != null)
            bad_reason = "non-NULL mapping";
        if (page_ref_count(page) != 0)
            bad_reason = "nonzero _refcount";
        if ((page->flags & flags) != 0)
        {
            if (flags == PAGE_FLAGS_CHECK_AT_PREP)
                bad_reason = "PAGE_FLAGS_CHECK_AT_PREP flag(s) set";
            else
                bad_reason = "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
        }
        if (page->memcg_data != 0)
            bad_reason = "page still charged to cgroup";
        return bad_reason;
    }

    [Upstream("mm/page_alloc.c", "free_page_is_bad_report", "a7d0cd15db3c262a")]
    private void free_page_is_bad_report(page* page) => bad_page(page, page_bad_reason(page, PAGE_FLAGS_CHECK_AT_FREE));

    [Upstream("mm/page_alloc.c", "free_page_is_bad", "895a01e88da4fd21")]
    private bool free_page_is_bad(page* page)
    {
        if (page_expected_state(page, PAGE_FLAGS_CHECK_AT_FREE))
            return false;
        free_page_is_bad_report(page);
        return true;
    }

    [Upstream("mm/page_alloc.c", "free_tail_page_prepare", "4e776a163fa0b4a1")]
    private int free_tail_page_prepare(page* head_page, page* page)
    {
        folio* folio = (folio*)head_page;
        int ret = 1;

        if (!is_check_pages_enabled())
        {
            ret = 0;
            goto @out;
        }
        switch (page - head_page)
        {
            case 1:
                if (folio_entire_mapcount(folio) != 0)
                {
                    bad_page(page, "nonzero entire_mapcount");
                    goto @out;
                }
                if (folio_large_mapcount(folio) != 0)
                {
                    bad_page(page, "nonzero large_mapcount");
                    goto @out;
                }
                if (atomic_read(&folio->_nr_pages_mapped) != 0)
                {
                    bad_page(page, "nonzero nr_pages_mapped");
                    goto @out;
                }
                if (atomic_read(&folio->_pincount) != 0)
                {
                    bad_page(page, "nonzero pincount");
                    goto @out;
                }
                break;
            case 2:
                if (!list_empty(&folio->_deferred_list))
                {
                    bad_page(page, "on deferred list");
                    goto @out;
                }
                break;
            case 3:
                // CONFIG_HUGETLB_PAGE=y: the third tail holds hugetlb fields.
                break;
            default:
                if (page->mapping != TAIL_MAPPING)
                {
                    bad_page(page, "corrupted mapping in tail page");
                    goto @out;
                }
                break;
        }
        if (!PageTail(page))
        {
            bad_page(page, "PageTail not set");
            goto @out;
        }
        if (compound_head(page) != head_page)
        {
            bad_page(page, "compound_head not consistent");
            goto @out;
        }
        ret = 0;
    @out:
        page->mapping = null;
        clear_compound_head(page);
        return ret;
    }

    [Upstream("mm/page_alloc.c", "kernel_init_pages", "7ce9edf6f0e1b72e")]
    private void kernel_init_pages(page* page, int numpages)
    {
        for (int i = 0; i < numpages; i++)
            memset(page_address(page + i), 0, (nuint)PAGE_SIZE);
    }

    /// <summary>
    /// Leaves out the hooks that are off in Emu: memcg kmem, mlock stats, HWPoison (never set),
    /// page owner, page table check, alloc tags, KASAN, kernel_poison_pages and init_on_free.
    /// </summary>
    [Upstream("mm/page_alloc.c", "free_pages_prepare", "7ad1e3a1d859b79b")]
    internal bool free_pages_prepare(page* page, uint order)
    {
        int bad = 0;
        bool compound = PageCompound(page);
        folio* folio = page_folio(page);

        VM_BUG_ON_PAGE(PageTail(page), page);

        if (folio_test_mlocked(folio))
            __folio_clear_mlocked(folio);

        VM_BUG_ON_PAGE(compound && compound_order(page) != order, page);

        if (order != 0)
        {
            int i;
            if (compound)
                page[1].flags &= ~PAGE_FLAGS_SECOND;
            for (i = 1; i < (1 << (int)order); i++)
            {
                if (compound)
                    bad += free_tail_page_prepare(page, page + i);
                if (is_check_pages_enabled())
                {
                    if (free_page_is_bad(page + i))
                    {
                        bad++;
                        continue;
                    }
                }
                (page + i)->flags &= ~PAGE_FLAGS_CHECK_AT_PREP;
            }
        }
        if (PageMappingFlags(page))
            page->mapping = null;
        if (is_check_pages_enabled())
        {
            if (free_page_is_bad(page))
                bad++;
            if (bad != 0)
                return false;
        }

        page_cpupid_reset_last(page);
        page->flags &= ~PAGE_FLAGS_CHECK_AT_PREP;
        page->@private = 0;
        return true;
    }

    [Upstream("mm/page_alloc.c", "split_large_buddy", "6a3d168938513598")]
    private void split_large_buddy(zone zone, page* page, ulong pfn, int order, uint fpi)
    {
        ulong end = pfn + (1UL << order);

        VM_WARN_ON_ONCE((pfn & ((1UL << order) - 1)) != 0);
        VM_WARN_ON_ONCE(PageBuddy(page));

        if (order > pageblock_order)
            order = pageblock_order;

        do
        {
            int mt = get_pfnblock_migratetype(page, pfn);
            __free_one_page(page, pfn, zone, (uint)order, mt, fpi);
            pfn += 1UL << order;
            if (pfn == end)
                break;
            page = pfn_to_page(pfn);
        } while (true);
    }

    [Upstream("mm/page_alloc.c", "free_one_page", "8f1d1b172cebf970")]
    private void free_one_page(zone zone, page* page, ulong pfn, uint order, uint fpi_flags)
    {
        lock (zone.@lock)
            split_large_buddy(zone, page, pfn, (int)order, fpi_flags);
    }

    [Upstream("mm/page_alloc.c", "__free_pages_ok", "9630d2b06840c4ee")]
    private void __free_pages_ok(page* page, uint order, uint fpi_flags)
    {
        ulong pfn = page_to_pfn(page);
        zone zone = page_zone(page);

        if (free_pages_prepare(page, order))
            free_one_page(zone, page, pfn, order, fpi_flags);
    }

    /// <summary>Boot-time freeing (MEMINIT_EARLY): memblock's reserved bit goes, refcounts drop to 0.</summary>
    [Upstream("mm/page_alloc.c", "__free_pages_core", "fd432493d9c4db3c")]
    internal void __free_pages_core(page* page, uint order)
    {
        uint nr_pages = 1U << (int)order;
        page* p = page;
        uint loop;

        for (loop = 0; loop < nr_pages; loop++, p++)
        {
            __ClearPageReserved(p);
            set_page_count(p, 0);
        }
        page_zone(page).managed_pages += nr_pages;

        __free_pages_ok(page, order, FPI_TO_TAIL);
    }

    [Upstream("mm/page_alloc.c", "expand", "29fdf953e9d0aa78")]
    private int expand(zone zone, page* page, int low, int high, int migratetype)
    {
        int size = 1 << high;
        int nr_added = 0;

        while (high > low)
        {
            high--;
            size >>= 1;
            VM_BUG_ON_PAGE(bad_range(zone, &page[size]), &page[size]);

            __add_to_free_list(&page[size], zone, (uint)high, migratetype, false);
            set_buddy_order(&page[size], (uint)high);
            nr_added += size;
        }
        return nr_added;
    }

    [Upstream("mm/page_alloc.c", "page_del_and_expand", "925d6a2636eb57ee")]
    private void page_del_and_expand(zone zone, page* page, int low, int high, int migratetype)
    {
        int nr_pages = 1 << high;

        __del_page_from_free_list(page, zone, (uint)high, migratetype);
        nr_pages -= expand(zone, page, low, high, migratetype);
        account_freepages(zone, -nr_pages, migratetype);
    }

    [Upstream("mm/page_alloc.c", "check_new_page_bad", "419f38160e255e49")]
    private void check_new_page_bad(page* page)
    {
        if ((page->flags & __PG_HWPOISON) != 0)
        {
            if (PageBuddy(page))
                __ClearPageBuddy(page);
            return;
        }
        bad_page(page, page_bad_reason(page, PAGE_FLAGS_CHECK_AT_PREP));
    }

    [Upstream("mm/page_alloc.c", "check_new_page", "9be8939326c2c492")]
    private bool check_new_page(page* page)
    {
        if (page_expected_state(page, PAGE_FLAGS_CHECK_AT_PREP | __PG_HWPOISON))
            return false;
        check_new_page_bad(page);
        return true;
    }

    [Upstream("mm/page_alloc.c", "check_new_pages", "22b60208ffbb6a1c")]
    private bool check_new_pages(page* page, uint order)
    {
        if (is_check_pages_enabled())
        {
            for (int i = 0; i < (1 << (int)order); i++)
            {
                page* p = page + i;
                if (check_new_page(p))
                    return true;
            }
        }
        return false;
    }

    /// <summary>The init_on_alloc key is on by default (CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y).</summary>
    [Upstream("include/linux/mm.h", "want_init_on_alloc", "514d62e650ed581c")]
    private bool want_init_on_alloc(uint flags) => init_on_alloc || (flags & __GFP_ZERO) != 0;

    [Upstream("include/linux/mm.h", "want_init_on_free", "aa061f4449436d08")]
    private bool want_init_on_free() => init_on_free;

    [Upstream("mm/page_alloc.c", "post_alloc_hook", "2650b2af646538bd")]
    internal void post_alloc_hook(page* page, uint order, uint gfp_flags)
    {
        // should_skip_init: no KASAN hardware tags, never skips.
        bool init = !want_init_on_free() && want_init_on_alloc(gfp_flags);

        set_page_private(page, 0);
        if (init)
            kernel_init_pages(page, 1 << (int)order);
    }

    [Upstream("mm/page_alloc.c", "prep_new_page", "539e9440dafe7855")]
    private void prep_new_page(page* page, uint order, uint gfp_flags, uint alloc_flags)
    {
        post_alloc_hook(page, order, gfp_flags);
        set_page_refcounted(page);

        if (order != 0 && (gfp_flags & __GFP_COMP) != 0)
            prep_compound_page(page, order);
        // set/clear_page_pfmemalloc: Emu never allocates below the watermarks.
        clear_page_pfmemalloc(page);
    }

    [Upstream("mm/page_alloc.c", "__rmqueue_smallest", "b034a6ed45cfd1c2")]
    private page* __rmqueue_smallest(zone zone, uint order, int migratetype)
    {
        uint current_order;
        free_area* area;
        page* page;

        for (current_order = order; current_order < NR_PAGE_ORDERS; ++current_order)
        {
            area = &zone.free_area[current_order];
            page = get_page_from_free_area(area, migratetype);
            if (page == null)
                continue;
            page_del_and_expand(zone, page, (int)order, (int)current_order, migratetype);
            return page;
        }
        return null;
    }

    /// <summary>No per-cpu lists in Emu: every order is freed straight to the buddy lists.</summary>
    [Upstream("mm/page_alloc.c", "free_unref_page", "372b844ed797012e")]
    internal void free_unref_page(page* page, uint order) => __free_pages_ok(page, order, FPI_NONE);

    [Upstream("mm/page_alloc.c", "__free_pages", "33392a0536a6f539")]
    internal void __free_pages(page* page, uint order)
    {
        bool head = PageHead(page);

        if (put_page_testzero(page))
            free_unref_page(page, order);
        else if (!head)
        {
            while (order-- > 0)
                free_unref_page(page + (1 << (int)order), order);
        }
    }
}
