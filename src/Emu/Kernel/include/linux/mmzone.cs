using Emu.Arena;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

#pragma warning disable CS8981 // kernel-dialect type named as upstream's struct zone
/// <summary>
/// A memory zone. Upstream's struct zone is a large C struct; Emu keeps only what the page
/// allocator uses, as a managed object: its free areas (native, since free pages link into
/// them), span, counters and lock. Names follow upstream fields.
/// </summary>
internal sealed unsafe class zone
#pragma warning restore CS8981
{
    public zone(zone_type idx, ulong start_pfn, ulong end_pfn)
    {
        this.idx = idx;
        name = idx.ToString().Substring("ZONE_".Length) switch { "DMA" => "DMA", "DMA32" => "DMA32", "NORMAL" => "Normal", "MOVABLE" => "Movable", var other => other };
        zone_start_pfn = start_pfn;
        spanned_pages = end_pfn > start_pfn ? end_pfn - start_pfn : 0;
        _freeAreaMemory = new NativeReservation((ulong)(NR_PAGE_ORDERS * sizeof(free_area)));
        free_area = (free_area*)_freeAreaMemory.Base;
        for (int order = 0; order < NR_PAGE_ORDERS; order++)
            for (int t = 0; t < (int)migratetype.MIGRATE_TYPES; t++)
                Kernel.INIT_LIST_HEAD(&free_area[order].free_list[t]);
    }

    private readonly NativeReservation _freeAreaMemory;

    public readonly zone_type idx;
    public readonly string name;
    public readonly ulong zone_start_pfn;
    public readonly ulong spanned_pages;

    /// <summary>free_area[NR_PAGE_ORDERS], in native memory.</summary>
    public free_area* free_area;

    /// <summary>Pages handed to the buddy allocator (atomic_long_t managed_pages).</summary>
    public long managed_pages;

    /// <summary>vm_stat[NR_FREE_PAGES].</summary>
    public long nr_free_pages;

    /// <summary>zone->lock (a spinlock upstream).</summary>
    public readonly object @lock = new();

    public ulong zone_end_pfn => zone_start_pfn + spanned_pages;

    public bool populated => spanned_pages != 0;

    public void Release()
    {
        _freeAreaMemory.Dispose();
        free_area = null;
    }
}

// include/linux/mmzone.h and mm.h: zone lookup from page->flags.
public unsafe partial class Kernel
{
    /// <summary>NODE_DATA(0)->node_zones: Emu has one node.</summary>
    internal zone[] node_zones = [];

    [Upstream("include/linux/mm.h", "page_zone", "9a257afd5599c2be")]
    internal zone page_zone(page* page) => node_zones[(int)page_zonenum(page)];

    [Upstream("include/linux/mm.h", "page_zone_id", "0516edc037b51e7a")]
    internal static int page_zone_id(page* page) => (int)((page->flags >> (int)ZONEID_PGSHIFT) & ZONEID_MASK);

    /// <summary>
    /// Emu does not model pageblock migratetypes or fallback stealing: every pageblock is
    /// MIGRATE_MOVABLE and every allocation uses that free list.
    /// </summary>
    internal static int get_pfnblock_migratetype(page* page, ulong pfn) => (int)migratetype.MIGRATE_MOVABLE;

    internal static int get_pageblock_migratetype(page* page) => (int)migratetype.MIGRATE_MOVABLE;

    [Upstream("include/linux/mmzone.h", "is_zone_device_page", "3700d66f4e77c330")]
    internal static bool is_zone_device_page(page* page) => page_zonenum(page) == zone_type.ZONE_DEVICE;

    [Upstream("include/linux/mmzone.h", "folio_is_zone_device", "37203afb4d0cfc1c")]
    internal static bool folio_is_zone_device(folio* folio) => is_zone_device_page(&folio->page);
}
