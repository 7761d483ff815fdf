// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/linux/percpu_counter.h (CONFIG_SMP): the inline
// wrappers around lib/percpu_counter.c (see lib/percpu_counter.cs for the per-CPU model).
using System.Runtime.CompilerServices;
using System.Threading;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // The static __key of the macro is the call site, as for spin_lock_init.
    [Upstream("include/linux/percpu_counter.h", "percpu_counter_init_many", UpstreamAttribute.Macro)]
    internal int percpu_counter_init_many(percpu_counter* fbc, long value, uint gfp, uint nr_counters,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        __percpu_counter_init_many(fbc, value, gfp, nr_counters, new LockClassKey(file, line));

    [Upstream("include/linux/percpu_counter.h", "percpu_counter_init", UpstreamAttribute.Macro)]
    internal int percpu_counter_init(percpu_counter* fbc, long value, uint gfp,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        percpu_counter_init_many(fbc, value, gfp, 1, file, line);

    [Upstream("include/linux/percpu_counter.h", "percpu_counter_destroy", "e0fd28a5cc5df740")]
    internal void percpu_counter_destroy(percpu_counter* fbc)
    {
        percpu_counter_destroy_many(fbc, 1);
    }

    [Upstream("include/linux/percpu_counter.h", "percpu_counter_add", "c379311398235153")]
    internal void percpu_counter_add(percpu_counter* fbc, long amount)
    {
        percpu_counter_add_batch(fbc, amount, percpu_counter_batch);
    }

    [Upstream("include/linux/percpu_counter.h", "percpu_counter_sum_positive", "32756592f45778de")]
    internal long percpu_counter_sum_positive(percpu_counter* fbc)
    {
        long ret = __percpu_counter_sum(fbc);
        return ret < 0 ? 0 : ret;
    }

    [Upstream("include/linux/percpu_counter.h", "percpu_counter_sum", "3a8624ef50fcb12b")]
    internal long percpu_counter_sum(percpu_counter* fbc)
    {
        return __percpu_counter_sum(fbc);
    }

    [Upstream("include/linux/percpu_counter.h", "percpu_counter_read", "2f9bdfd9630dff53")]
    internal static long percpu_counter_read(percpu_counter* fbc)
    {
        return fbc->count;
    }

    [Upstream("include/linux/percpu_counter.h", "percpu_counter_read_positive", "5cba47ae4af35165")]
    internal static long percpu_counter_read_positive(percpu_counter* fbc)
    {
        long ret = Volatile.Read(ref fbc->count);

        if (ret >= 0)
            return ret;
        return 0;
    }

    [Upstream("include/linux/percpu_counter.h", "percpu_counter_initialized", "be35b0f5ab275f9e")]
    internal static bool percpu_counter_initialized(percpu_counter* fbc)
    {
        return (fbc->counters != null);
    }

    [Upstream("include/linux/percpu_counter.h", "percpu_counter_inc", "a34293e7e7f02ac2")]
    internal void percpu_counter_inc(percpu_counter* fbc)
    {
        percpu_counter_add(fbc, 1);
    }

    [Upstream("include/linux/percpu_counter.h", "percpu_counter_dec", "6fb0179a3ca5fa07")]
    internal void percpu_counter_dec(percpu_counter* fbc)
    {
        percpu_counter_add(fbc, -1);
    }
}
