// SPDX-License-Identifier: GPL-2.0-only
// Stub(page_alloc): mm/page_alloc.c free_unref_folios. Emu's allocator has no per-CPU page
// lists, so each folio takes free_unref_page's path (free_pages_prepare, then the buddy lists).
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // stub(page_alloc)
    internal void free_unref_folios(folio_batch* folios)
    {
        for (int i = 0; i < folios->nr; i++)
        {
            folio* folio = (folio*)folios->folios[i];
            free_unref_page(&folio->page, folio_order(folio));
        }
        folio_batch_reinit(folios);
    }
}
