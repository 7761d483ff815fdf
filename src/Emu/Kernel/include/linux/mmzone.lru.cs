// SPDX-License-Identifier: GPL-2.0-only
// include/linux/mmzone.h and mm.h: the node (struct pglist_data) and its lruvec. Emu has one
// node; its pglist_data is a kernel global in native memory (the LRU lists link folios into it),
// set up by pgdat_init_lru() as free_area_init_node -> pgdat_init_internals -> lruvec_init do.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>node_data[0]: the one node.</summary>
    internal pglist_data* node_data0;

    /// <summary>
    /// The node-side setup the LRU needs: pgdat_init_internals()'s lruvec_init(&amp;pgdat->__lruvec)
    /// and setup_per_cpu_pageset()'s per-CPU node stats, for Emu's one node and one CPU.
    /// </summary>
    internal void pgdat_init_lru()
    {
        node_data0 = AllocateGlobal<pglist_data>("node_data[0]");
        node_data0->node_id = 0;
        node_data0->per_cpu_nodestats = AllocateGlobal<per_cpu_nodestat>("node_data[0].per_cpu_nodestats");
        vm_node_stat = AllocateGlobal<atomic64_t>("vm_node_stat", NR_VM_NODE_STAT_ITEMS);
        vm_zone_stat = AllocateGlobal<atomic64_t>("vm_zone_stat", NR_VM_ZONE_STAT_ITEMS);
        zone_vm_stat = AllocateGlobal<atomic64_t>("zone->vm_stat", (int)zone_type.__MAX_NR_ZONES * NR_VM_ZONE_STAT_ITEMS);
        zone_per_cpu_zonestats = AllocateGlobal<per_cpu_zonestat>("zone->per_cpu_zonestats", (int)zone_type.__MAX_NR_ZONES);
        lruvec_init(&node_data0->__lruvec);
        cpu_fbatches_init();
    }

    [Upstream("include/linux/numa.h", "NODE_DATA", UpstreamAttribute.Macro)]
    internal pglist_data* NODE_DATA(int nid) => node_data0;

    /// <summary>&amp;pgdat->node_zones[zid]: Emu's zones are managed objects (Kernel.node_zones).</summary>
    internal zone NODE_ZONE(pglist_data* pgdat, zone_type zid) => node_zones[(int)zid];

    [Upstream("include/linux/mmzone.h", "folio_zonenum", "11ace1c74bb2cca6")]
    internal static zone_type folio_zonenum(folio* folio)
    {
        return page_zonenum(&folio->page);
    }

    [Upstream("include/linux/mm.h", "page_pgdat", "682c35017c6f4d4f")]
    internal pglist_data* page_pgdat(page* page)
    {
        return NODE_DATA(page_to_nid(page));
    }

    [Upstream("include/linux/mm.h", "folio_pgdat", "2b231219f3e41d10")]
    internal pglist_data* folio_pgdat(folio* folio)
    {
        return page_pgdat(&folio->page);
    }

    [Upstream("include/linux/mmzone.h", "lruvec_pgdat", "a4d4629d2a215da2")]
    internal static pglist_data* lruvec_pgdat(lruvec* lruvec)
    {
        // CONFIG_MEMCG
        return lruvec->pgdat;
    }

    [Upstream("mm/mmzone.c", "lruvec_init", "2118eb8c5f319920")]
    internal void lruvec_init(lruvec* lruvec)
    {
        int lru;

        // memset(lruvec, 0, sizeof(struct lruvec)): AllocateGlobal memory is zeroed.
        spin_lock_init(&lruvec->lru_lock);
        // zswap_lruvec_state_init: trimmed (no zswap).

        for (lru = 0; lru < NR_LRU_LISTS; lru++) // for_each_lru
            INIT_LIST_HEAD(&lruvec->lists[lru]);
        // Unevictable folios are counted but never listed: poison that head so any use faults.
        list_del(&lruvec->lists[(int)lru_list.LRU_UNEVICTABLE]);

        // lru_gen_init_lruvec: lrugen and mm_state are trimmed (MGLRU off).
    }
}
