namespace Emu.Kernel;

// mm/mm_init.c: struct page initialization; the init_on_alloc/init_on_free static keys at the
// Debian config's defaults (CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y, CONFIG_INIT_ON_FREE_DEFAULT_ON unset).
public unsafe partial class Kernel
{
    internal bool init_on_alloc = true;

    internal bool init_on_free;

    [Upstream("mm/mm_init.c", "__init_single_page", "74c8141f8753ac0c")]
    internal static void __init_single_page(page* page, ulong pfn, zone_type zone, int nid)
    {
        __mm_zero_struct_page(page);
        set_page_links(page, zone, (ulong)nid, pfn);
        init_page_count(page);
        atomic_set(&page->_mapcount, -1);
        page_cpupid_reset_last(page);
        // page_kasan_tag_reset: no KASAN tags on amd64.
        INIT_LIST_HEAD(&page->lru);
    }
}
