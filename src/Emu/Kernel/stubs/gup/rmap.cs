// SPDX-License-Identifier: GPL-2.0-only
// Stubs: LRU and vmstat calls of mm/gup.c (mm/swap.c, mm/vmstat.c, mm_inline.h) until the rmap
// area lands on main. Exact upstream signatures; removed when the owner's versions are merged.
// The vmstat items are the node_stat_item values GUP touches (mmzone.h, 6.12 Debian amd64).
using System;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // stub(rmap): Emu keeps no node statistics yet; the pin counters are not read by anything.
    internal void node_stat_mod_folio(folio* folio, int item, int nr) { }

    // stub(rmap)
    internal void mark_page_accessed(page* page) { }

    // stub(rmap)
    internal bool folio_isolate_lru(folio* folio)
        => throw new NotImplementedException("stub(rmap): folio_isolate_lru has not landed");

    // stub(rmap): mmzone.h enum node_stat_item values read by mm/gup.c.
    internal const int NR_ISOLATED_ANON = 7;
    internal const int NR_FOLL_PIN_ACQUIRED = 35;
    internal const int NR_FOLL_PIN_RELEASED = 36;
}
