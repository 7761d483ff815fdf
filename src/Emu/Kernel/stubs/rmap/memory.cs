// SPDX-License-Identifier: GPL-2.0-only
// mm.h's zero-page tests, not yet transliterated with markers: the bodies are upstream's (trivial).
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // stub(memory)
    internal bool is_zero_page(page* page) => is_zero_pfn(page_to_pfn(page));

    // stub(memory)
    internal bool is_zero_folio(folio* folio) => is_zero_page(&folio->page);
}
