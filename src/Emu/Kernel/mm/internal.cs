using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

// mm/internal.h: inlines shared inside mm/.
public unsafe partial class Kernel
{
    [Upstream("mm/internal.h", "folio_nr_pages_mapped", "ebd168be4bfc5a89")]
    internal static int folio_nr_pages_mapped(folio* folio) => atomic_read(&folio->_nr_pages_mapped) & FOLIO_PAGES_MAPPED;

    [Upstream("mm/internal.h", "folio_set_order", "bdf0cde4fef058a1")]
    internal void folio_set_order(folio* folio, uint order)
    {
        if (WARN_ON_ONCE(order == 0 || !folio_test_large(folio)))
            return;
        folio->_flags_1 = (folio->_flags_1 & ~0xffUL) | order;
        folio->_folio_nr_pages = 1U << (int)order;
    }

    [Upstream("mm/internal.h", "page_rmappable_folio", "91debdb45a097f33")]
    internal static folio* page_rmappable_folio(page* page)
    {
        folio* folio = (folio*)page;
        if (folio != null && folio_test_large(folio))
            folio_set_large_rmappable(folio);
        return folio;
    }

    [Upstream("mm/internal.h", "prep_compound_head", "acba0383532dc560")]
    internal void prep_compound_head(page* page, uint order)
    {
        folio* folio = (folio*)page;
        folio_set_order(folio, order);
        atomic_set(&folio->_large_mapcount, -1);
        atomic_set(&folio->_entire_mapcount, -1);
        atomic_set(&folio->_nr_pages_mapped, 0);
        atomic_set(&folio->_pincount, 0);
        if (order > 1)
            INIT_LIST_HEAD(&folio->_deferred_list);
    }

    [Upstream("mm/internal.h", "prep_compound_tail", "e3d520804f17c4fa")]
    internal static void prep_compound_tail(page* head, int tail_idx)
    {
        page* p = head + tail_idx;
        p->mapping = TAIL_MAPPING;
        set_compound_head(p, head);
        set_page_private(p, 0);
    }

    [Upstream("mm/internal.h", "set_page_refcounted", "e6b05ce160e49caf")]
    internal void set_page_refcounted(page* page)
    {
        VM_BUG_ON_PAGE(PageTail(page), page);
        VM_BUG_ON_PAGE(page_ref_count(page) != 0, page);
        set_page_count(page, 1);
    }

    [Upstream("mm/internal.h", "buddy_order", "02f86e8cb2197dcb")]
    internal static uint buddy_order(page* page) => (uint)page->@private;

    [Upstream("mm/internal.h", "page_is_buddy", "f00dcac3994f59b7")]
    internal bool page_is_buddy(page* page, page* buddy, uint order)
    {
        // page_is_guard: DEBUG_PAGEALLOC is off.
        if (!PageBuddy(buddy))
            return false;
        if (buddy_order(buddy) != order)
            return false;
        if (page_zone_id(page) != page_zone_id(buddy))
            return false;
        VM_BUG_ON_PAGE(page_count(buddy) != 0, buddy);
        return true;
    }

    [Upstream("mm/internal.h", "__find_buddy_pfn", "7309ecadb1b2e60e")]
    internal static ulong __find_buddy_pfn(ulong page_pfn, uint order) => page_pfn ^ (1UL << (int)order);

    [Upstream("mm/internal.h", "find_buddy_page_pfn", "49c23f1426dc124d")]
    internal page* find_buddy_page_pfn(page* page, ulong pfn, uint order, ulong* buddy_pfn)
    {
        ulong __buddy_pfn = __find_buddy_pfn(pfn, order);
        page* buddy;

        buddy = page + (__buddy_pfn - pfn);
        if (buddy_pfn != null)
            *buddy_pfn = __buddy_pfn;

        if (page_is_buddy(page, buddy, order))
            return buddy;
        return null;
    }
}
