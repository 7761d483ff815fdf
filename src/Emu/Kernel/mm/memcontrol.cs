using System;

namespace Emu.Kernel;

// Stub: Emu has no memory cgroups. Every folio is uncharged (memcg_data == 0); a charged
// folio would mean something wrote memcg_data, which nothing in Emu does.
public sealed unsafe partial class Kernel
{
    [Upstream("include/linux/memcontrol.h", "mem_cgroup_uncharge", "01b959787e79f6d3")]
    internal static void mem_cgroup_uncharge(folio* folio)
    {
        if (folio->memcg_data != 0)
            throw new NotSupportedException("Emu has no memory cgroups: __mem_cgroup_uncharge of a charged folio");
    }
}
