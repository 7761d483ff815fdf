// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/page_alloc.c: the direct-map address forms of the page
// allocator (get_free_pages, get_zeroed_page, free_pages) and their gfp.h wrappers. Addresses
// are kernel virtual addresses in Emu's direct map (page_address), carried as ulong as upstream.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/page_alloc.c", "get_free_pages_noprof", "574b0535a6aa526e")]
    internal ulong __get_free_pages(uint gfp_mask, uint order)
    {
        page* page;

        page = alloc_pages(gfp_mask & ~__GFP_HIGHMEM, order);
        if (page == null)
            return 0;
        return (ulong)page_address(page);
    }

    [Upstream("mm/page_alloc.c", "get_zeroed_page_noprof", "f85650f4ce95d776")]
    internal ulong get_zeroed_page(uint gfp_mask)
    {
        return __get_free_pages(gfp_mask | __GFP_ZERO, 0);
    }

    // x86's __virt_addr_valid for the direct map: inside it and backed by RAM.
    internal bool virt_addr_valid(void* addr) =>
        (byte*)addr >= PAGE_OFFSET && (__pa(addr) >> PAGE_SHIFT) < max_pfn;

    [Upstream("mm/page_alloc.c", "free_pages", "2dbeec37ab6f71de")]
    internal void free_pages(ulong addr, uint order)
    {
        if (addr != 0)
        {
            VM_BUG_ON(!virt_addr_valid((void*)addr));
            __free_pages(virt_to_page((void*)addr), order);
        }
    }

    [Upstream("include/linux/gfp.h", "free_page", UpstreamAttribute.Macro)]
    internal void free_page(ulong addr) => free_pages(addr, 0);
}
