// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/linux/mm.h: the per-mm rss counters (percpu counters
// in mm->rss_stat) and mm/memory.c's mm_trace_rss_stat, whose rss_stat tracepoint Emu leaves out.
// get_mm_counter reads the folded count only (it lags by under a batch, as upstream); tests that
// need the exact value use get_mm_counter_sum.
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/mm.h", "get_mm_counter", "81a2e813f00ddf07")]
    internal static ulong get_mm_counter(mm_struct* mm, int member)
    {
        return (ulong)percpu_counter_read_positive(&mm->rss_stat[member]);
    }

    [Upstream("include/linux/mm.h", "get_mm_counter_sum", "ed1f40af8001c583")]
    internal ulong get_mm_counter_sum(mm_struct* mm, int member)
    {
        return (ulong)percpu_counter_sum_positive(&mm->rss_stat[member]);
    }

    [Upstream("mm/memory.c", "mm_trace_rss_stat", "f07056d76bed07c5")]
    internal static void mm_trace_rss_stat(mm_struct* mm, int member)
    {
        // trace_rss_stat(): no tracepoints in Emu.
    }

    [Upstream("include/linux/mm.h", "add_mm_counter", "3dfd99a80342038d")]
    internal void add_mm_counter(mm_struct* mm, int member, long value)
    {
        percpu_counter_add(&mm->rss_stat[member], value);

        mm_trace_rss_stat(mm, member);
    }

    [Upstream("include/linux/mm.h", "inc_mm_counter", "641e0c9c2f2dd716")]
    internal void inc_mm_counter(mm_struct* mm, int member)
    {
        percpu_counter_inc(&mm->rss_stat[member]);

        mm_trace_rss_stat(mm, member);
    }

    [Upstream("include/linux/mm.h", "dec_mm_counter", "53140286bd86179e")]
    internal void dec_mm_counter(mm_struct* mm, int member)
    {
        percpu_counter_dec(&mm->rss_stat[member]);

        mm_trace_rss_stat(mm, member);
    }

    [Upstream("include/linux/mm.h", "mm_counter_file", "25b06db74df7f1c6")]
    internal static int mm_counter_file(folio* folio)
    {
        if (folio_test_swapbacked(folio))
            return MM_SHMEMPAGES;
        return MM_FILEPAGES;
    }

    [Upstream("include/linux/mm.h", "mm_counter", "e9d9b050af83a1fd")]
    internal static int mm_counter(folio* folio)
    {
        if (folio_test_anon(folio))
            return MM_ANONPAGES;
        return mm_counter_file(folio);
    }

    [Upstream("include/linux/mm.h", "get_mm_rss", "1ab66c1432cf4ebf")]
    internal static ulong get_mm_rss(mm_struct* mm)
    {
        return get_mm_counter(mm, MM_FILEPAGES) +
            get_mm_counter(mm, MM_ANONPAGES) +
            get_mm_counter(mm, MM_SHMEMPAGES);
    }
}
