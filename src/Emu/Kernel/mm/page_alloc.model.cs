using System;
using System.Numerics;
using Emu.Arena;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

// Model, not transliteration: boot-time zone setup, deferred struct-page init, and the
// allocation entry points around the transliterated buddy core. Upstream's fast/slow paths
// (watermarks, reclaim, compaction, OOM killer) do not exist: an allocation that the free
// lists cannot satisfy, after every section of the zone is online, fails (returns null).
public unsafe partial class Kernel
{
    /// <summary>x86 keeps the first 1 MiB of RAM out of the allocator (memblock_reserve(0, SZ_1M)).</summary>
    private const ulong ReservedLowPfns = (1UL << 20) >> PAGE_SHIFT;

    private PhysicalMemory physmem = null!;

    /// <summary>Sections whose pages have been handed to the buddy allocator.</summary>
    private bool[] section_online = [];

    /// <summary>The kernel image's empty_zero_page: a reserved frame below 1 MiB.</summary>
    internal page* empty_zero_page_page;

    /// <summary>mm/memory.c's zero_pfn.</summary>
    internal ulong zero_pfn;

    /// <summary>Sets up node 0's zones on x86_64 limits and frees the first section into them.</summary>
    internal void page_alloc_init(PhysicalMemory memory)
    {
        physmem = memory;
        ulong pages = memory.Pages;
        ulong dma = Math.Min(pages, PhysicalMemory.MaxDmaPfn), dma32 = Math.Min(pages, PhysicalMemory.MaxDma32Pfn);
        node_zones =
        [
            new zone(zone_type.ZONE_DMA, 0, dma),
            new zone(zone_type.ZONE_DMA32, PhysicalMemory.MaxDmaPfn, dma32),
            new zone(zone_type.ZONE_NORMAL, PhysicalMemory.MaxDma32Pfn, pages),
            new zone(zone_type.ZONE_MOVABLE, 0, 0),
            new zone(zone_type.ZONE_DEVICE, 0, 0),
        ];
        section_online = new bool[memory.Sections];
        online_section(0);
        empty_zero_page_page = pfn_to_page(1);
        zero_pfn = page_to_pfn(empty_zero_page_page);
    }

    internal void page_alloc_release()
    {
        foreach (var zone in node_zones)
            zone.Release();
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "ZERO_PAGE", UpstreamAttribute.Macro)]
    internal page* ZERO_PAGE(ulong vaddr) => empty_zero_page_page;

    /// <summary>
    /// Deferred struct-page init, Emu's way: a section's struct pages are initialized and its
    /// frames freed into the buddy lists on first need, so untouched memory costs nothing.
    /// Pages of the reserved first 1 MiB and beyond RAM stay reserved with refcount 1.
    /// </summary>
    private void online_section(ulong section)
    {
        if (section_online[section])
            return;
        section_online[section] = true;
        ulong start = section * PhysicalMemory.PagesPerSection;
        physmem.EnsureInitialized(start);
        ulong end = Math.Min(physmem.Pages, start + PhysicalMemory.PagesPerSection);
        start = Math.Max(start, ReservedLowPfns);
        for (ulong pfn = start; pfn < ReservedLowPfns; pfn++)
            PageFlagAccessors.__SetPageReserved(pfn_to_page(pfn));
        // Free zone by zone: a buddy block never spans a zone boundary.
        foreach (var zone in node_zones)
        {
            ulong s = Math.Max(start, zone.zone_start_pfn), e = Math.Min(end, zone.zone_end_pfn);
            if (s < e)
                __free_pages_memory(s, e);
        }
        if (section == 0)
            for (ulong pfn = 0; pfn < Math.Min(ReservedLowPfns, physmem.Pages); pfn++)
                PageFlagAccessors.__SetPageReserved(pfn_to_page(pfn));
    }

    [Upstream("mm/memblock.c", "__free_pages_memory", "0c9d6ca4f9d3480a")]
    private void __free_pages_memory(ulong start, ulong end)
    {
        int order;
        while (start < end)
        {
            if (start != 0)
                order = Math.Min(MAX_PAGE_ORDER, BitOperations.TrailingZeroCount(start));
            else
                order = MAX_PAGE_ORDER;
            while (start + (1UL << order) > end)
                order--;
            memblock_free_pages(pfn_to_page(start), start, (uint)order);
            start += 1UL << order;
        }
    }

    [Upstream("mm/mm_init.c", "memblock_free_pages", "b4acb62dc9716ec7")]
    private void memblock_free_pages(page* page, ulong pfn, uint order) => __free_pages_core(page, order);

    /// <summary>Brings the next offline section of <paramref name="zone"/> online; false when none is left.</summary>
    private bool deferred_grow_zone(zone zone)
    {
        for (ulong pfn = zone.zone_start_pfn; pfn < zone.zone_end_pfn; pfn += PhysicalMemory.PagesPerSection)
        {
            ulong section = pfn / PhysicalMemory.PagesPerSection;
            if (!section_online[section])
            {
                online_section(section);
                return true;
            }
        }
        return false;
    }

    /// <summary>The highest zone a gfp mask may use (gfp_zone without the GFP_ZONE_TABLE encoding).</summary>
    private static zone_type gfp_zone(uint flags)
    {
        if ((flags & __GFP_DMA) != 0)
            return zone_type.ZONE_DMA;
        if ((flags & __GFP_DMA32) != 0)
            return zone_type.ZONE_DMA32;
        // __GFP_MOVABLE|__GFP_HIGHMEM would pick ZONE_MOVABLE, which is empty: same fallback.
        return zone_type.ZONE_NORMAL;
    }

    /// <summary>
    /// __alloc_pages: walk the zonelist from the highest allowed zone down; take from the buddy
    /// lists (rmqueue_buddy's retry while check_new_pages finds a bad page), growing a zone
    /// by a section when its lists are empty; prep_new_page on success.
    /// </summary>
    internal page* __alloc_pages(uint gfp, uint order, int preferred_nid, void* nodemask)
    {
        if (WARN_ON_ONCE(order > MAX_PAGE_ORDER))
            return null;
        int mt = (int)migratetype.MIGRATE_MOVABLE;
        for (int z = (int)gfp_zone(gfp); z >= 0; z--)
        {
            zone zone = node_zones[z];
            if (!zone.populated)
                continue;
            while (true)
            {
                page* page;
                lock (zone.@lock)
                    page = __rmqueue_smallest(zone, order, mt);
                if (page == null)
                {
                    if (deferred_grow_zone(zone))
                        continue;
                    break;
                }
                if (check_new_pages(page, order))
                    continue;
                prep_new_page(page, order, gfp, 0);
                return page;
            }
        }
        if ((gfp & __GFP_NOWARN) == 0)
            pr_warn($"{current_comm}: page allocation failure: order:{order}, mode:0x{gfp:x}");
        return null;
    }

    [Upstream("mm/page_alloc.c", "__folio_alloc_noprof", "962df1d01073a672")]
    internal folio* __folio_alloc(uint gfp, uint order, int preferred_nid, void* nodemask)
    {
        page* page = __alloc_pages(gfp | __GFP_COMP, order, preferred_nid, nodemask);
        return page_rmappable_folio(page);
    }

    /// <summary>alloc_pages on node 0 (the mempolicy layer has one node to choose from).</summary>
    internal page* alloc_pages(uint gfp, uint order) => __alloc_pages(gfp, order, 0, null);

    internal page* alloc_page(uint gfp) => alloc_pages(gfp, 0);

    /// <summary>folio_alloc on node 0 (the mempolicy layer has one node to choose from).</summary>
    internal folio* folio_alloc(uint gfp, uint order) => __folio_alloc(gfp, order, 0, null);

    /// <summary>Free pages of all zones (the NR_FREE_PAGES counters).</summary>
    internal long nr_free_pages()
    {
        long n = 0;
        foreach (var zone in node_zones)
            n += zone.nr_free_pages;
        return n;
    }
}
