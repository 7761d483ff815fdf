// SPDX-License-Identifier: GPL-2.0-only
// include/asm-generic/qspinlock.h: the arch_spin_* operations of x86 (its paravirt unlock is the
// native store of 0 to the locked byte on bare metal, as here). The contended path of
// kernel/locking/qspinlock.c (an MCS queue of per-CPU nodes in the pending and tail bits) is
// replaced by Emu's: spin on the word with backoff, so only _Q_LOCKED_VAL is ever set.
using System.Threading;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/asm-generic/qspinlock.h", "queued_spin_is_locked", "5fb4acbaf0008cf4")]
    internal static bool queued_spin_is_locked(qspinlock* @lock)
    {
        // Any nonzero word is locked, pending or queued.
        return atomic_read(&@lock->val) != 0;
    }

    [Upstream("include/asm-generic/qspinlock.h", "queued_spin_is_contended", "0e37d318cea01347")]
    internal static bool queued_spin_is_contended(qspinlock* @lock)
    {
        return (atomic_read(&@lock->val) & ~_Q_LOCKED_MASK) != 0;
    }

    [Upstream("include/asm-generic/qspinlock.h", "queued_spin_trylock", "7370972c120525f0")]
    internal static int queued_spin_trylock(qspinlock* @lock)
    {
        int val = atomic_read(&@lock->val);

        if (val != 0)
            return 0;

        // atomic_try_cmpxchg_acquire(&lock->val, &val, _Q_LOCKED_VAL)
        return Interlocked.CompareExchange(ref @lock->val.counter, (int)_Q_LOCKED_VAL, val) == val ? 1 : 0;
    }

    [Upstream("include/asm-generic/qspinlock.h", "queued_spin_lock", "4ab3d57af0e8b0a9")]
    internal static void queued_spin_lock(qspinlock* @lock)
    {
        int val = 0;

        // atomic_try_cmpxchg_acquire(&lock->val, &val, _Q_LOCKED_VAL)
        val = Interlocked.CompareExchange(ref @lock->val.counter, (int)_Q_LOCKED_VAL, val);
        if (val == 0)
            return;

        queued_spin_lock_slowpath(@lock, (uint)val);
    }

    // kernel/locking/qspinlock.c, Emu's: wait for the word to clear, then race for it again.
    // SpinWait backs off to Thread.Yield and never sleeps.
    internal static void queued_spin_lock_slowpath(qspinlock* @lock, uint val)
    {
        var spinner = new SpinWait();
        do
        {
            while (atomic_read(&@lock->val) != 0)
                spinner.SpinOnce(sleep1Threshold: -1);
        } while (queued_spin_trylock(@lock) == 0);
    }

    [Upstream("include/asm-generic/qspinlock.h", "queued_spin_unlock", "2608784b111114d5")]
    internal static void queued_spin_unlock(qspinlock* @lock)
    {
        // smp_store_release(&lock->locked, 0)
        Volatile.Write(ref @lock->locked, (byte)0);
    }

    [Upstream("include/asm-generic/qspinlock.h", "arch_spin_is_locked", UpstreamAttribute.Macro)]
    internal static bool arch_spin_is_locked(qspinlock* l) => queued_spin_is_locked(l);

    [Upstream("include/asm-generic/qspinlock.h", "arch_spin_is_contended", UpstreamAttribute.Macro)]
    internal static bool arch_spin_is_contended(qspinlock* l) => queued_spin_is_contended(l);

    [Upstream("include/asm-generic/qspinlock.h", "arch_spin_lock", UpstreamAttribute.Macro)]
    internal static void arch_spin_lock(qspinlock* l) => queued_spin_lock(l);

    [Upstream("include/asm-generic/qspinlock.h", "arch_spin_trylock", UpstreamAttribute.Macro)]
    internal static int arch_spin_trylock(qspinlock* l) => queued_spin_trylock(l);

    [Upstream("include/asm-generic/qspinlock.h", "arch_spin_unlock", UpstreamAttribute.Macro)]
    internal static void arch_spin_unlock(qspinlock* l) => queued_spin_unlock(l);
}
