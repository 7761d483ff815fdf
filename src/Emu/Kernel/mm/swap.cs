using System;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

// mm/swap.c: the last reference to a folio goes back to the page allocator.
public sealed unsafe partial class Kernel
{
    [Upstream("mm/swap.c", "page_cache_release", "f13e119a8754a98d")]
    private void page_cache_release(folio* folio)
    {
        // __page_cache_release: only LRU folios have work here, and Emu has no LRU lists yet.
        if (folio_test_lru(folio))
            throw new NotSupportedException("Emu models no LRU lists yet: a folio with PG_lru reached __folio_put");
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
}
