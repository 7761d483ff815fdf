// SPDX-License-Identifier: GPL-2.0-only
// Stub(memory): page-table lock helpers of include/linux/mm.h and mm/pgtable-generic.c, the zero
// page tests and check_stable_address_space, until the memory area lands on main. The bodies
// are upstream's (trivial and right), so rmap and page_vma_mapped_walk run on real tables.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(memory)
    internal bool is_zero_pfn(ulong pfn) => pfn == zero_pfn;

    // stub(memory)
    internal bool is_zero_page(page* page) => is_zero_pfn(page_to_pfn(page));

    // stub(memory)
    internal bool is_zero_folio(folio* folio) => is_zero_page(&folio->page);

    // stub(memory)
    internal static uint check_stable_address_space(mm_struct* mm)
    {
        if (test_bit(MMF_UNSTABLE, &mm->flags))
            return VM_FAULT_SIGBUS;
        return 0;
    }
}

// stub(memory): include/linux/mm_types.h encoded_page helpers (the mmu_gather's batches).
public sealed unsafe partial class Kernel
{
    // stub(memory)
    internal static ulong encoded_page_flags(void* page) => ENCODED_PAGE_BITS & (ulong)page;

    // stub(memory)
    internal static page* encoded_page_ptr(void* page) => (page*)(~ENCODED_PAGE_BITS & (ulong)page);

    // stub(memory)
    internal static ulong encoded_nr_pages(void* page) => ((ulong)page) >> 2;
}
