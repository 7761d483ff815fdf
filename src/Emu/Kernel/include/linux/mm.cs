using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

// include/linux/mm.h and include/linux/mmzone.h: page <-> address, zone and node in page->flags.
// C shifts by the unsigned long PGSHIFT constants; C# wants int shift counts, hence the casts.
public unsafe partial class Kernel
{
    [Upstream("include/linux/mm.h", "__mm_zero_struct_page", "faec175fa596aa8c")]
    internal static void __mm_zero_struct_page(page* page)
    {
        ulong* _pp = (ulong*)page;
        switch (sizeof(page))
        {
            case 96: _pp[11] = 0; goto case 88;
            case 88: _pp[10] = 0; goto case 80;
            case 80: _pp[9] = 0; goto case 72;
            case 72: _pp[8] = 0; goto case 64;
            case 64: _pp[7] = 0; goto case 56;
            case 56:
                _pp[6] = 0;
                _pp[5] = 0;
                _pp[4] = 0;
                _pp[3] = 0;
                _pp[2] = 0;
                _pp[1] = 0;
                _pp[0] = 0;
                break;
        }
    }

    [Upstream("include/linux/mm.h", "page_to_virt", UpstreamAttribute.Macro)]
    internal void* page_to_virt(page* x) => __va(page_to_pfn(x) << PAGE_SHIFT);

    [Upstream("include/linux/mm.h", "lowmem_page_address", "b3df4dc18c39e530")]
    internal void* lowmem_page_address(page* page) => page_to_virt(page);

    [Upstream("include/linux/mm.h", "page_address", UpstreamAttribute.Macro)]
    internal void* page_address(page* page) => lowmem_page_address(page);

    [Upstream("include/linux/mm.h", "folio_address", "4c3ee88c81faf013")]
    internal void* folio_address(folio* folio) => page_address(&folio->page);

    [Upstream("include/linux/mmzone.h", "page_zonenum", "b31cac5e900934ba")]
    internal static zone_type page_zonenum(page* page) => (zone_type)((page->flags >> (int)ZONES_PGSHIFT) & ZONES_MASK);

    [Upstream("include/linux/mm.h", "page_to_nid", "12a046fcb698f2a7")]
    internal static int page_to_nid(page* page) => (int)((page->flags >> (int)NODES_PGSHIFT) & NODES_MASK);

    [Upstream("include/linux/mm.h", "set_page_zone", "d5ea282eb5811284")]
    internal static void set_page_zone(page* page, zone_type zone)
    {
        page->flags &= ~(ZONES_MASK << (int)ZONES_PGSHIFT);
        page->flags |= ((ulong)zone & ZONES_MASK) << (int)ZONES_PGSHIFT;
    }

    [Upstream("include/linux/mm.h", "set_page_node", "cc73c5ac8ecf0742")]
    internal static void set_page_node(page* page, ulong node)
    {
        page->flags &= ~(NODES_MASK << (int)NODES_PGSHIFT);
        page->flags |= (node & NODES_MASK) << (int)NODES_PGSHIFT;
    }

    [Upstream("include/linux/mm.h", "set_page_links", "2fb4dd913183ceec")]
    internal static void set_page_links(page* page, zone_type zone, ulong node, ulong pfn)
    {
        set_page_zone(page, zone);
        set_page_node(page, node);
        // No SECTION_IN_PAGE_FLAGS with SPARSEMEM_VMEMMAP.
    }

    /// <summary>The cpupid lives in page->flags here (LAST_CPUPID_WIDTH 21): the second definition (NUMA_BALANCING, cpupid in flags).</summary>
    [Upstream("include/linux/mm.h", "page_cpupid_reset_last", "67619e8f5b583143", Definition = 2)]
    internal static void page_cpupid_reset_last(page* page) => page->flags |= LAST_CPUPID_MASK << (int)LAST_CPUPID_PGSHIFT;

    // The for-each macros over mm/interval_tree.c's queries; the body may not remove the current entry.
    [Upstream("include/linux/mm.h", "vma_interval_tree_foreach", UpstreamAttribute.Macro)]
    internal static IntervalTreeEntries<vm_area_struct, ulong> vma_interval_tree_foreach(rb_root_cached* root, ulong start, ulong last)
        => new(&vma_interval_tree_iter_first, &vma_interval_tree_iter_next, root, start, last);

    [Upstream("include/linux/mm.h", "anon_vma_interval_tree_foreach", UpstreamAttribute.Macro)]
    internal static IntervalTreeEntries<anon_vma_chain, ulong> anon_vma_interval_tree_foreach(rb_root_cached* root, ulong start, ulong last)
        => new(&anon_vma_interval_tree_iter_first, &anon_vma_interval_tree_iter_next, root, start, last);

    [Upstream("include/linux/mm.h", "vma_pages", "753d31ff05b9e483")]
    internal static ulong vma_pages(vm_area_struct* vma)
    {
        return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
    }

    // include/linux/mm.h, page-table section: the lockless map (see mm/pgtable-generic.cs).
    [Upstream("include/linux/mm.h", "pte_offset_map", "e3453a4dd0aebc90")]
    internal pte_t* pte_offset_map(pmd_t* pmd, ulong addr)
    {
        return __pte_offset_map(pmd, addr, null);
    }
}
