using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

// include/linux/mm.h: folio order, size, mapcounts and references.
public unsafe partial class Kernel
{
    [Upstream("include/linux/mm.h", "nth_page", UpstreamAttribute.Macro)]
    internal static page* nth_page(page* page, long n) => page + n;

    [Upstream("include/linux/mm.h", "folio_page_idx", UpstreamAttribute.Macro)]
    internal static ulong folio_page_idx(folio* folio, page* p) => (ulong)(p - &folio->page);

    [Upstream("include/linux/mm.h", "compound_order", "b6d08ca633904cf6")]
    internal static uint compound_order(page* page)
    {
        folio* folio = (folio*)page;
        if (!test_bit(PG_head, &folio->flags))
            return 0;
        return (uint)(folio->_flags_1 & 0xff);
    }

    [Upstream("include/linux/mm.h", "folio_order", "1d809615fa808eba")]
    internal static uint folio_order(folio* folio)
    {
        if (!folio_test_large(folio))
            return 0;
        return (uint)(folio->_flags_1 & 0xff);
    }

    [Upstream("include/linux/mm.h", "put_page_testzero", "5e3d39f2d26e0e0a")]
    internal bool put_page_testzero(page* page)
    {
        VM_BUG_ON_PAGE(page_ref_count(page) == 0, page);
        return page_ref_dec_and_test(page);
    }

    [Upstream("include/linux/mm.h", "folio_put_testzero", "040871e7e5dbc0aa")]
    internal bool folio_put_testzero(folio* folio) => put_page_testzero(&folio->page);

    [Upstream("include/linux/mm.h", "folio_entire_mapcount", "b4f1711723c420c1")]
    internal int folio_entire_mapcount(folio* folio)
    {
        VM_BUG_ON_FOLIO(!folio_test_large(folio), folio);
        return atomic_read(&folio->_entire_mapcount) + 1;
    }

    [Upstream("include/linux/mm.h", "folio_large_mapcount", "ec3cbb929f8aedd0")]
    internal int folio_large_mapcount(folio* folio)
    {
        VM_WARN_ON_FOLIO(!folio_test_large(folio), folio);
        return atomic_read(&folio->_large_mapcount) + 1;
    }

    [Upstream("include/linux/mm.h", "folio_mapcount", "09fbebd042a423e6")]
    internal int folio_mapcount(folio* folio)
    {
        int mapcount;
        if (!folio_test_large(folio))
        {
            mapcount = atomic_read(&folio->page._mapcount) + 1;
            if (page_mapcount_is_type((uint)mapcount))
                mapcount = 0;
            return mapcount;
        }
        return folio_large_mapcount(folio);
    }

    [Upstream("include/linux/mm.h", "folio_mapped", "6e0d15f07987456c")]
    internal bool folio_mapped(folio* folio) => folio_mapcount(folio) >= 1;

    [Upstream("include/linux/mm.h", "page_mapped", "34345770cc9db0ee")]
    internal bool page_mapped(page* page) => folio_mapped(page_folio(page));

    [Upstream("include/linux/mm.h", "folio_ref_zero_or_close_to_overflow", UpstreamAttribute.Macro)]
    internal static bool folio_ref_zero_or_close_to_overflow(folio* folio) => (uint)folio_ref_count(folio) + 127u <= 127u;

    [Upstream("include/linux/mm.h", "folio_get", "acbc0ee5a5657dca")]
    internal void folio_get(folio* folio)
    {
        VM_BUG_ON_FOLIO(folio_ref_zero_or_close_to_overflow(folio), folio);
        folio_ref_inc(folio);
    }

    [Upstream("include/linux/mm.h", "get_page", "8155c077bd1b83dd")]
    internal void get_page(page* page) => folio_get(page_folio(page));

    [Upstream("include/linux/mm.h", "try_get_page", "348e66c6c541336f")]
    internal bool try_get_page(page* page)
    {
        page = compound_head(page);
        if (WARN_ON_ONCE(page_ref_count(page) <= 0))
            return false;
        page_ref_inc(page);
        return true;
    }

    [Upstream("include/linux/mm.h", "folio_put", "6e0ffb1e0843419f")]
    internal void folio_put(folio* folio)
    {
        if (folio_put_testzero(folio))
            __folio_put(folio);
    }

    [Upstream("include/linux/mm.h", "folio_put_refs", "5f6a39a538a52948")]
    internal void folio_put_refs(folio* folio, int refs)
    {
        if (folio_ref_sub_and_test(folio, refs))
            __folio_put(folio);
    }

    /// <summary>devmap_managed_key is never enabled: Emu has no ZONE_DEVICE memory.</summary>
    [Upstream("include/linux/mm.h", "put_devmap_managed_folio_refs", "bd6ce589df4e4b1c")]
    internal static bool put_devmap_managed_folio_refs(folio* folio, int refs) => false;

    [Upstream("include/linux/mm.h", "put_page", "9ce0c3e40836c4ff")]
    internal void put_page(page* page)
    {
        folio* folio = page_folio(page);
        if (put_devmap_managed_folio_refs(folio, 1))
            return;
        folio_put(folio);
    }

    [Upstream("include/linux/mm.h", "folio_pfn", "c658e33f488f54a3")]
    internal ulong folio_pfn(folio* folio) => page_to_pfn(&folio->page);

    [Upstream("include/linux/mm.h", "pfn_folio", "74ca22334fb4210d")]
    internal folio* pfn_folio(ulong pfn) => page_folio(pfn_to_page(pfn));

    [Upstream("include/linux/mm.h", "folio_maybe_dma_pinned", "66ad5299db7ecaf1")]
    internal static bool folio_maybe_dma_pinned(folio* folio)
    {
        if (folio_test_large(folio))
            return atomic_read(&folio->_pincount) > 0;
        return (uint)folio_ref_count(folio) >= GUP_PIN_COUNTING_BIAS;
    }

    [Upstream("include/linux/mm.h", "folio_nr_pages", "f073611a44acaaf6")]
    internal static long folio_nr_pages(folio* folio)
    {
        if (!folio_test_large(folio))
            return 1;
        return folio->_folio_nr_pages;
    }

    [Upstream("include/linux/mm.h", "compound_nr", "be6fecc29e130de1")]
    internal static ulong compound_nr(page* page)
    {
        folio* folio = (folio*)page;
        if (!test_bit(PG_head, &folio->flags))
            return 1;
        return folio->_folio_nr_pages;
    }

    [Upstream("include/linux/mm.h", "folio_size", "3cc396fa843322eb")]
    internal static ulong folio_size(folio* folio) => PAGE_SIZE << (int)folio_order(folio);

    [Upstream("include/linux/mm.h", "folio_nid", "1367c156ee0211ae")]
    internal static int folio_nid(folio* folio) => page_to_nid(&folio->page);

    [Upstream("include/linux/mm.h", "folio_likely_mapped_shared", "f6c74e6c3bbfa2d1")]
    internal bool folio_likely_mapped_shared(folio* folio)
    {
        int mapcount = folio_mapcount(folio);
        if (!folio_test_large(folio) || folio_test_hugetlb(folio))
            return mapcount > 1;
        if (mapcount <= 1)
            return false;
        if (folio_entire_mapcount(folio) != 0 || mapcount > folio_nr_pages(folio))
            return true;
        return atomic_read(&folio->_mapcount) > 0;
    }

    [Upstream("include/linux/mm.h", "set_page_pfmemalloc", "e2e51d40c1f25b4b")]
    internal static void set_page_pfmemalloc(page* page) => page->lru.next = (list_head*)(1UL << 1);

    [Upstream("include/linux/mm.h", "clear_page_pfmemalloc", "c9e03eba4aa624b7")]
    internal static void clear_page_pfmemalloc(page* page) => page->lru.next = null;
}
