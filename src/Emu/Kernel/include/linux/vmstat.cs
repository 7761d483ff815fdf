// SPDX-License-Identifier: GPL-2.0-only
// include/linux/vmstat.h (CONFIG_SMP, CONFIG_MEMCG): node and zone counters. Zones are managed
// objects in Emu, so zone->vm_stat and zone->per_cpu_zonestats live in kernel globals indexed by
// zone (zone_vm_stat, zone_per_cpu_zonestats). Interrupts are not modelled: local_irq_save is
// a no-op. vm_event_item counters (CONFIG_VM_EVENT_COUNTERS) are not kept yet.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    internal atomic64_t* vm_node_stat;
    internal atomic64_t* vm_zone_stat;
    internal atomic64_t* zone_vm_stat;
    internal per_cpu_zonestat* zone_per_cpu_zonestats;

    /// <summary>zone->vm_stat[item] of a managed zone.</summary>
    internal atomic64_t* zone_vm_stat_of(zone zone, zone_stat_item item) =>
        &zone_vm_stat[(int)zone.idx * KernelConstants.NR_VM_ZONE_STAT_ITEMS + (int)item];

    [Upstream("include/linux/vmstat.h", "zone_page_state_add", "444682376c31f71b")]
    internal void zone_page_state_add(long x, zone zone, zone_stat_item item)
    {
        atomic_long_add(x, zone_vm_stat_of(zone, item));
        atomic_long_add(x, &vm_zone_stat[(int)item]);
    }

    [Upstream("include/linux/vmstat.h", "node_page_state_add", "bf54c64302ee76b5")]
    internal void node_page_state_add(long x, pglist_data* pgdat, node_stat_item item)
    {
        atomic_long_add(x, &pgdat->vm_stat[(int)item]);
        atomic_long_add(x, &vm_node_stat[(int)item]);
    }

    [Upstream("include/linux/vmstat.h", "global_node_page_state_pages", "6813de3bb81aac2d")]
    internal ulong global_node_page_state_pages(node_stat_item item)
    {
        long x = atomic_long_read(&vm_node_stat[(int)item]);
        // CONFIG_SMP: per-CPU deltas not yet folded can make the sum transiently negative.
        if (x < 0)
            x = 0;
        return (ulong)x;
    }

    [Upstream("include/linux/vmstat.h", "zone_page_state", "c14db3652ea719d7")]
    internal ulong zone_page_state(zone zone, zone_stat_item item)
    {
        long x = atomic_long_read(zone_vm_stat_of(zone, item));
        // CONFIG_SMP
        if (x < 0)
            x = 0;
        return (ulong)x;
    }

    [Upstream("include/linux/vmstat.h", "lruvec_stat_mod_folio", "535d557034d579e0")]
    internal void lruvec_stat_mod_folio(folio* folio, node_stat_item idx, int val)
    {
        // local_irq_save/restore: no interrupts in Emu.
        __lruvec_stat_mod_folio(folio, idx, val);
    }

    [Upstream("include/linux/vmstat.h", "__lruvec_stat_add_folio", "053ed27292ce1a9a")]
    internal void __lruvec_stat_add_folio(folio* folio, node_stat_item idx)
    {
        __lruvec_stat_mod_folio(folio, idx, (int)folio_nr_pages(folio));
    }

    [Upstream("include/linux/vmstat.h", "__lruvec_stat_sub_folio", "1bccf47aa237cfec")]
    internal void __lruvec_stat_sub_folio(folio* folio, node_stat_item idx)
    {
        __lruvec_stat_mod_folio(folio, idx, -(int)folio_nr_pages(folio));
    }

    [Upstream("include/linux/vmstat.h", "lruvec_stat_add_folio", "942958ffe5b63be4")]
    internal void lruvec_stat_add_folio(folio* folio, node_stat_item idx)
    {
        lruvec_stat_mod_folio(folio, idx, (int)folio_nr_pages(folio));
    }

    [Upstream("include/linux/vmstat.h", "lruvec_stat_sub_folio", "5b8fa90dbf36b81a")]
    internal void lruvec_stat_sub_folio(folio* folio, node_stat_item idx)
    {
        lruvec_stat_mod_folio(folio, idx, -(int)folio_nr_pages(folio));
    }

    /// <summary>
    /// Stub: __count_vm_events. enum vm_event_item is not in headers/ yet, so the event is named
    /// by its upstream identifier and nothing is counted.
    /// </summary>
    internal static void __count_vm_events(string item, long delta) { }
}
