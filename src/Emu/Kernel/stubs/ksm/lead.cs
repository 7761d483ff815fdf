// SPDX-License-Identifier: GPL-2.0-only
// Stubs (ksm helper) for kernel pieces that no area of this session owns yet or the lead
// owns: scheduler/time/err.h/task helpers KSM calls. Each is marked with its owner; bodies
// are the trivial right ones for a machine where kernel code runs synchronously on the
// caller's thread and time is the virtual clock (jiffies).
using System;
using System.Threading;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // stub(lead): <asm-generic/rwonce.h> READ_ONCE on the scalar and pointer types KSM reads.
    internal static ulong READ_ONCE(ref ulong x) => Volatile.Read(ref x);
    internal static uint READ_ONCE(ref uint x) => Volatile.Read(ref x);
    internal static int READ_ONCE(ref int x) => Volatile.Read(ref x);
    internal static void* READ_ONCE(void** x) => (void*)Volatile.Read(ref *(nint*)x);

    // stub(lead): asm/barrier.h and processor.h
    internal static void smp_rmb() => Interlocked.MemoryBarrier();
    internal static void smp_wmb() => Interlocked.MemoryBarrier();
    internal static void cpu_relax() => Thread.SpinWait(1);

    // stub(lead): errno.h (kernel-internal errnos)
    internal const int ERESTARTSYS = 512;
    // stub(lead): nodemask.h with one node
    internal const int nr_node_ids = 1;

    // stub(lead): slab.h kcalloc
    internal void* kcalloc(nuint n, nuint size, uint flags) => kzalloc(checked(n * size), flags);

    // stub(lead): the freezer never runs (no suspend).
    internal static bool freezing(void* p) => false;
    // stub(lead): OOM killer origin marks; Emu has no OOM killer.
    internal static void set_current_oom_origin() { }
    internal static void clear_current_oom_origin() { }

    // stub(lead): kernel/time: the virtual clock. ktime is jiffies in ns plus what ksmd spent.
    internal const long MSEC_PER_SEC = 1000;
    internal long ktime_get() => (long)jiffies * (1_000_000_000L / (long)HZ) + ksmd_clock_ns;
    internal static long ktime_ms_delta(long later, long earlier) => (later - earlier) / 1_000_000;
    internal static long div_s64(long dividend, long divisor) => dividend / divisor;
    // stub(lead): include/linux/jiffies.h (HZ 250: 4 ms per tick, rounding up as upstream).
    internal static ulong msecs_to_jiffies(uint m) => ((ulong)m + (1000 / HZ) - 1) / (1000 / HZ);
    // stub(lead): kernel/sched: CPU time of `current` (ksmd): the virtual time its scans took.
    internal ulong task_sched_runtime(void* p) => (ulong)ksmd_runtime_ns;

    /// <summary>Virtual ns ksmd spent scanning (advanced by Emu.Ksm's daemon); part of ktime.</summary>
    internal long ksmd_runtime_ns;
    /// <summary>Virtual ns elapsed below one jiffy's resolution (advanced with ksmd_runtime_ns).</summary>
    internal long ksmd_clock_ns;

    // stub(lead): wait queues: ksmd is stepped by the machine; a wake-up only sets a flag.
    internal static void wake_up_interruptible(ref bool wq) => wq = true;

    // stub(lead): include/linux/mmzone.h pfn_to_nid with one node.
    internal int pfn_to_nid(ulong pfn) => page_to_nid(pfn_to_page(pfn));

    // stub(lead): lib/string.c memcmp.
    internal static int memcmp(void* cs, void* ct, nuint count)
        => new ReadOnlySpan<byte>(cs, checked((int)count)).SequenceCompareTo(new ReadOnlySpan<byte>(ct, checked((int)count)));

    // stub(lead): highmem.h on 64-bit: the direct map.
    internal void* kmap_local_page(page* page) => page_address(page);
    internal static void kunmap_local(void* addr) { }

    // stub(lead): mmu notifiers are a stubbed subsystem: nobody registers, so these do nothing.
    internal struct mmu_notifier_range
    {
        public ulong start;
        public ulong end;
    }
    internal const int MMU_NOTIFY_CLEAR = 1;
    internal static void mmu_notifier_range_init(mmu_notifier_range* range, int @event, uint flags, mm_struct* mm, ulong start, ulong end)
    {
        range->start = start;
        range->end = end;
    }
    internal static void mmu_notifier_invalidate_range_start(mmu_notifier_range* range) { }
    internal static void mmu_notifier_invalidate_range_end(mmu_notifier_range* range) { }

    // stub(lead): THP config value for IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE).
    internal const bool IS_ENABLED_CONFIG_TRANSPARENT_HUGEPAGE = true;
}
