// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 lib/percpu_counter.c (CONFIG_SMP, CONFIG_HOTPLUG_CPU,
// CONFIG_HAVE_CMPXCHG_LOCAL: the cmpxchg flavour of percpu_counter_add_batch).
// Per-CPU model: Emu runs the kernel as one possible CPU (nr_cpu_ids == 1), so a per-CPU area is a
// kmalloc'd array of nr_cpu_ids slots and this_cpu_* act on slot 0; percpu_counter_batch is what
// compute_batch_value() gives for one online CPU (max(32, 2)). A counter's count lags its per-CPU
// delta by less than the batch, exactly as upstream: read the exact value with percpu_counter_sum.
using System;
using System.Threading;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>Possible CPUs: Emu runs the kernel on one.</summary>
    internal const int nr_cpu_ids = 1;

    /// <summary>The running CPU (the only one).</summary>
    internal static int smp_processor_id() => 0;

    // lib/percpu_counter.c percpu_counter_batch after compute_batch_value() for the online CPUs.
    internal int percpu_counter_batch = Math.Max(32, nr_cpu_ids * 2);

    private spinlock* _percpu_counters_lock;
    private list_head* _percpu_counters;

    // DEFINE_SPINLOCK(percpu_counters_lock) and LIST_HEAD(percpu_counters).
    private spinlock* percpu_counters_lock => DEFINE_SPINLOCK(ref _percpu_counters_lock, "percpu_counters_lock");

    private list_head* percpu_counters => LIST_HEAD(ref _percpu_counters, "percpu_counters");

    /// <summary>A DEFINE_SPINLOCK global: a native lock made and initialized on first use.</summary>
    internal spinlock* DEFINE_SPINLOCK(ref spinlock* slot, string name)
    {
        if (slot == null)
        {
            var l = AllocateGlobal<spinlock>(name);
            __raw_spin_lock_init(spinlock_check(l), name, new LockClassKey(name, 0));
            slot = l;
        }
        return slot;
    }

    /// <summary>A LIST_HEAD global: a native empty list head made on first use.</summary>
    internal list_head* LIST_HEAD(ref list_head* slot, string name)
    {
        if (slot == null)
        {
            var h = AllocateGlobal<list_head>(name);
            INIT_LIST_HEAD(h);
            slot = h;
        }
        return slot;
    }

    // ---- the per-CPU area model ----

    private void* __alloc_percpu_gfp(ulong size, ulong align, uint gfp) =>
        kmalloc((nuint)(size * nr_cpu_ids), gfp | __GFP_ZERO);

    private void free_percpu(void* ptr) => kfree(ptr);

    // Each CPU's copy of a per-CPU object; with one CPU, the object itself.
    private static int* per_cpu_ptr(int* ptr, int cpu) =>
        cpu == 0 ? ptr : throw new ArgumentOutOfRangeException(nameof(cpu), "Emu runs the kernel on one CPU");

    private static int* this_cpu_ptr(int* ptr) => per_cpu_ptr(ptr, smp_processor_id());

    // ---- lib/percpu_counter.c ----

    [Upstream("lib/percpu_counter.c", "percpu_counter_set", "80192f9ce3e57011")]
    internal void percpu_counter_set(percpu_counter* fbc, long amount)
    {
        int cpu;
        ulong flags;

        raw_spin_lock_irqsave(&fbc->@lock, out flags);
        for (cpu = 0; cpu < nr_cpu_ids; cpu++)
        {
            int* pcount = per_cpu_ptr(fbc->counters, cpu);
            *pcount = 0;
        }
        fbc->count = amount;
        raw_spin_unlock_irqrestore(&fbc->@lock, flags);
    }

    // The fast path moves the delta into this CPU's slot with a local cmpxchg; once the slot would
    // reach the batch, the whole delta folds into count under the lock.
    [Upstream("lib/percpu_counter.c", "percpu_counter_add_batch", "7bb2645ee38891e3")]
    internal void percpu_counter_add_batch(percpu_counter* fbc, long amount, int batch)
    {
        long count;
        ulong flags;

        count = Volatile.Read(ref *this_cpu_ptr(fbc->counters));
        do
        {
            if (Math.Abs(count + amount) >= batch)
            {
                raw_spin_lock_irqsave(&fbc->@lock, out flags);
                count = *this_cpu_ptr(fbc->counters);
                fbc->count += count + amount;
                *this_cpu_ptr(fbc->counters) -= (int)count;
                raw_spin_unlock_irqrestore(&fbc->@lock, flags);
                return;
            }
        } while (!this_cpu_try_cmpxchg(this_cpu_ptr(fbc->counters), &count, count + amount));
    }

    private static bool this_cpu_try_cmpxchg(int* pcp, long* oval, long nval)
    {
        int old = (int)*oval;
        int seen = Interlocked.CompareExchange(ref *pcp, (int)nval, old);
        if (seen == old)
            return true;
        *oval = seen;
        return false;
    }

    [Upstream("lib/percpu_counter.c", "percpu_counter_sync", "07a1e323787052a1")]
    internal void percpu_counter_sync(percpu_counter* fbc)
    {
        ulong flags;
        long count;

        raw_spin_lock_irqsave(&fbc->@lock, out flags);
        count = *this_cpu_ptr(fbc->counters);
        fbc->count += count;
        *this_cpu_ptr(fbc->counters) -= (int)count;
        raw_spin_unlock_irqrestore(&fbc->@lock, flags);
    }

    // Online and dying CPUs: the one CPU.
    [Upstream("lib/percpu_counter.c", "__percpu_counter_sum", "7dc343c5f5dc69b2")]
    internal long __percpu_counter_sum(percpu_counter* fbc)
    {
        long ret;
        int cpu;
        ulong flags;

        raw_spin_lock_irqsave(&fbc->@lock, out flags);
        ret = fbc->count;
        for (cpu = 0; cpu < nr_cpu_ids; cpu++)
        {
            int* pcount = per_cpu_ptr(fbc->counters, cpu);
            ret += *pcount;
        }
        raw_spin_unlock_irqrestore(&fbc->@lock, flags);
        return ret;
    }

    [Upstream("lib/percpu_counter.c", "__percpu_counter_init_many", "64edf44b7cf17bea")]
    internal int __percpu_counter_init_many(percpu_counter* fbc, long amount,
                                            uint gfp, uint nr_counters,
                                            LockClassKey key)
    {
        ulong flags;
        ulong counter_size;
        int* counters;
        uint i;

        counter_size = (ulong)sizeof(int);
        counters = (int*)__alloc_percpu_gfp(nr_counters * counter_size,
                                            (ulong)sizeof(int), gfp);
        if (counters == null)
        {
            fbc[0].counters = null;
            return -ENOMEM;
        }

        for (i = 0; i < nr_counters; i++)
        {
            // raw_spin_lock_init + lockdep_set_class: one class for the caller's counters.
            __raw_spin_lock_init(&fbc[i].@lock, "&fbc->lock", key);
            INIT_LIST_HEAD(&fbc[i].list);
            fbc[i].count = amount;
            fbc[i].counters = (int*)((byte*)counters + i * counter_size);
        }

        spin_lock_irqsave(percpu_counters_lock, out flags);
        for (i = 0; i < nr_counters; i++)
            list_add(&fbc[i].list, percpu_counters);
        spin_unlock_irqrestore(percpu_counters_lock, flags);
        return 0;
    }

    [Upstream("lib/percpu_counter.c", "percpu_counter_destroy_many", "d7881bf6ce7d20a4")]
    internal void percpu_counter_destroy_many(percpu_counter* fbc, uint nr_counters)
    {
        ulong flags;
        uint i;

        if (WARN_ON_ONCE(fbc == null))
            return;

        if (fbc[0].counters == null)
            return;

        spin_lock_irqsave(percpu_counters_lock, out flags);
        for (i = 0; i < nr_counters; i++)
            list_del(&fbc[i].list);
        spin_unlock_irqrestore(percpu_counters_lock, flags);

        free_percpu(fbc[0].counters);

        for (i = 0; i < nr_counters; i++)
            fbc[i].counters = null;
    }
}
