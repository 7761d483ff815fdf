// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 fs/proc/internal.h: the per-page mapcount /proc reports.
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("fs/proc/internal.h", "folio_precise_page_mapcount", "e030b943106ec834")]
    internal int folio_precise_page_mapcount(folio* folio, page* page)
    {
        int mapcount = atomic_read(&page->_mapcount) + 1;

        if (page_mapcount_is_type((uint)mapcount))
            mapcount = 0;
        if (folio_test_large(folio))
            mapcount += folio_entire_mapcount(folio);

        return mapcount;
    }
}
