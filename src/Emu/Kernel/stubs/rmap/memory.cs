// SPDX-License-Identifier: GPL-2.0-only
// Stub(memory): include/linux/mm.h's zero-page tests over is_zero_pfn, until the memory area
// defines them. The bodies are upstream's (trivial and right).
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(memory)
    internal bool is_zero_page(page* page) => is_zero_pfn(page_to_pfn(page));

    // stub(memory)
    internal bool is_zero_folio(folio* folio) => is_zero_page(&folio->page);

}
