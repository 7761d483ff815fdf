// SPDX-License-Identifier: GPL-2.0-only
// mm/vmstat.c: the per-CPU differential counters, for Emu's one CPU. The stat thresholds stay 0
// (refresh_zone_stat_thresholds never runs), so every delta is folded into the node/zone and
// global counters at once and reads are exact.
using System;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/mmzone.h", "vmstat_item_in_bytes", "74f6a1751f8c4913")]
    internal static bool vmstat_item_in_bytes(int idx)
    {
        // Slab counters are byte-precise per memcg, whole pages per node.
        return (idx == (int)node_stat_item.NR_SLAB_RECLAIMABLE_B ||
                idx == (int)node_stat_item.NR_SLAB_UNRECLAIMABLE_B);
    }

    [Upstream("mm/vmstat.c", "__mod_zone_page_state", "a8beceebb2635464")]
    internal void __mod_zone_page_state(zone zone, zone_stat_item item, long delta)
    {
        per_cpu_zonestat* pcp = &zone_per_cpu_zonestats[(int)zone.idx]; // zone->per_cpu_zonestats
        sbyte* p = pcp->vm_stat_diff + (int)item;
        long x;
        long t;

        // preempt_disable_nested: one CPU, nothing to disable.
        x = delta + *p;

        t = pcp->stat_threshold;

        if (Math.Abs(x) > t)
        {
            zone_page_state_add(x, zone, item);
            x = 0;
        }
        *p = (sbyte)x;
    }

    [Upstream("mm/vmstat.c", "__mod_node_page_state", "b49468f855ba5c9d")]
    internal void __mod_node_page_state(pglist_data* pgdat, node_stat_item item, long delta)
    {
        per_cpu_nodestat* pcp = pgdat->per_cpu_nodestats;
        sbyte* p = pcp->vm_node_stat_diff + (int)item;
        long x;
        long t;

        if (vmstat_item_in_bytes((int)item))
        {
            // Nodes count slab in pages; only memcgs need the bytes.
            VM_WARN_ON_ONCE((delta & (long)(PAGE_SIZE - 1)) != 0);
            delta >>= PAGE_SHIFT;
        }

        x = delta + *p;

        t = pcp->stat_threshold;

        if (Math.Abs(x) > t)
        {
            node_page_state_add(x, pgdat, item);
            x = 0;
        }
        *p = (sbyte)x;
    }

    [Upstream("mm/vmstat.c", "node_page_state_pages", "a1918b3a5e084545")]
    internal static ulong node_page_state_pages(pglist_data* pgdat, node_stat_item item)
    {
        long x = atomic_long_read(&pgdat->vm_stat[(int)item]);
        // CONFIG_SMP
        if (x < 0)
            x = 0;
        return (ulong)x;
    }

    [Upstream("mm/vmstat.c", "node_page_state", "58af6cb3631f4a5b")]
    internal ulong node_page_state(pglist_data* pgdat, node_stat_item item)
    {
        VM_WARN_ON_ONCE(vmstat_item_in_bytes((int)item));

        return node_page_state_pages(pgdat, item);
    }
}
