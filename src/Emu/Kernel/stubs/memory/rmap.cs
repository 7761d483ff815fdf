// SPDX-License-Identifier: GPL-2.0-only
// Stubs for the rmap area (rmap, LRU, vmstat) until it lands on main; exact upstream signatures.
using System;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(rmap): enum node_stat_item's NR_PAGETABLE, until vmstat lands.
    internal const int NR_PAGETABLE = -1;

    // stub(rmap): vmstat not landed; page-table pages are not counted yet.
    internal void lruvec_stat_add_folio(folio* folio, int idx) { }

    // stub(rmap)
    internal void lruvec_stat_sub_folio(folio* folio, int idx) { }

    // stub(rmap)
    internal int anon_vma_fork(vm_area_struct* vma, vm_area_struct* pvma) =>
        throw new NotImplementedException("stub(rmap): anon_vma_fork");
}
