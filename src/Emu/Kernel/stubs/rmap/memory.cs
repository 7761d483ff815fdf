// SPDX-License-Identifier: GPL-2.0-only
// Stub(memory): page-table lock helpers of include/linux/mm.h and mm/pgtable-generic.c, the zero
// page tests and check_stable_address_space, until the memory area lands on main. The bodies
// are upstream's (trivial and right), so rmap and page_vma_mapped_walk run on real tables.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(memory)
    internal bool is_zero_page(page* page) => is_zero_pfn(page_to_pfn(page));

    // stub(memory)
    internal bool is_zero_folio(folio* folio) => is_zero_page(&folio->page);

}

// stub(memory): include/linux/mm_types.h encoded_page helpers (the mmu_gather's batches).
public sealed unsafe partial class Kernel
{
}
