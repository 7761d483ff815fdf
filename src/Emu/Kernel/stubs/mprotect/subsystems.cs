// SPDX-License-Identifier: GPL-2.0-only
// Stubs: what mm/mprotect.c's change_protection reaches in subsystems Emu does not model.
// NUMA balancing (CONFIG_NUMA_BALANCING=y): Emu has one node and no task_numa_work, so
// MM_CP_PROT_NUMA is never requested and sysctl_numa_balancing_mode stays 0; the memory-tier and
// access-time helpers the MM_CP_PROT_NUMA branch would need throw. HugeTLB: no hugetlb VMA exists.
using System;
using pgprot_t = Emu.Kernel.pgprot;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // stub(numa): include/linux/sched/sysctl.h values.
    internal const int NUMA_BALANCING_DISABLED = 0x0;
    internal const int NUMA_BALANCING_NORMAL = 0x1;
    internal const int NUMA_BALANCING_MEMORY_TIERING = 0x2;

    /// <summary>stub(numa): kernel/sched/core.c sysctl_numa_balancing_mode; never switched on in Emu.</summary>
    internal int sysctl_numa_balancing_mode = NUMA_BALANCING_DISABLED;

    // stub(numa): include/linux/topology.h (CONFIG_USE_PERCPU_NUMA_NODE_ID): Emu's one CPU is on node 0.
    internal static int numa_node_id() => 0;

    // stub(numa): mm/memory-tiers.c; Emu has no memory tiers.
    internal static bool node_is_toptier(int node) =>
        throw new NotSupportedException("Emu has no NUMA balancing: node_is_toptier");

    // Only the tiering mode keeps access times in _last_cpupid.
    [Upstream("mm/memory-tiers.c", "folio_use_access_time", "ec6cc91ec832602d")]
    internal bool folio_use_access_time(folio* folio)
    {
        return (sysctl_numa_balancing_mode & NUMA_BALANCING_MEMORY_TIERING) != 0 &&
               !node_is_toptier(folio_nid(folio));
    }

    // stub(numa): include/linux/mm.h (folio_xchg_last_cpupid is mm/mmzone.c).
    internal static int folio_xchg_access_time(folio* folio, int time) =>
        throw new NotSupportedException("Emu has no NUMA balancing: folio_xchg_access_time");

    // stub(numa): kernel/time/time.c jiffies_to_msecs with HZ 250 (4 ms per jiffy).
    internal static uint jiffies_to_msecs(ulong j) => (uint)((1000 / HZ) * j);

    // stub(numa): include/linux/vmstat.h count_vm_numa_events -> count_vm_events (events are not kept).
    internal static void count_vm_numa_events(string item, long delta) => __count_vm_events(item, delta);

    // stub(hugetlb): mm/hugetlb.c; no hugetlb VMA exists in Emu.
    internal long hugetlb_change_protection(vm_area_struct* vma,
                                           ulong address, ulong end, pgprot_t newprot,
                                           ulong cp_flags) =>
        throw new NotSupportedException("Emu has no HugeTLB: hugetlb_change_protection");
}
