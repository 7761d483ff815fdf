// SPDX-License-Identifier: GPL-2.0-only
// kernel/locking/rwsem.c (!PREEMPT_RT), with the CONFIG_DEBUG_LOCK_ALLOC entry points and the
// CONFIG_DEBUG_RWSEMS checks (Debian has both off; Emu keeps them on). Outside Emu's pinned
// subset of the tree: no markers.
//
// The count and owner words keep upstream's encoding (see the constants), so rwsem_is_locked and
// the kernel code that reads them see what they would upstream. The magic is the lock's lockdep
// map; a failed DEBUG_RWSEMS check BUG()s (upstream WARNs once). The owner word follows Debian:
// a reader's unlock leaves the last reader in it.
//
// The slowpaths are Emu's: no wait queue, handoff or optimistic spinning. A blocked task spins
// with backoff; a blocked writer keeps RWSEM_FLAG_WAITERS set while it waits, so new readers
// hold back and the writer gets in, as the queue would make them. Waits are never interrupted:
// the _killable and _interruptible variants always get the lock.
using System.Runtime.CompilerServices;
using System.Threading;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    internal const long RWSEM_READER_OWNED = 1L << 0;
    internal const long RWSEM_NONSPINNABLE = 1L << 1;
    internal const long RWSEM_OWNER_FLAGS_MASK = RWSEM_READER_OWNED | RWSEM_NONSPINNABLE;

    internal const long RWSEM_FLAG_WAITERS = 1L << 1;
    internal const long RWSEM_FLAG_HANDOFF = 1L << 2;
    internal const long RWSEM_FLAG_READFAIL = 1L << (64 - 1); // BITS_PER_LONG - 1

    internal const int RWSEM_READER_SHIFT = 8;
    internal const long RWSEM_READER_BIAS = 1L << RWSEM_READER_SHIFT;
    internal const long RWSEM_READER_MASK = ~(RWSEM_READER_BIAS - 1);
    internal const long RWSEM_WRITER_MASK = RWSEM_WRITER_LOCKED;
    internal const long RWSEM_LOCK_MASK = RWSEM_WRITER_MASK | RWSEM_READER_MASK;
    internal const long RWSEM_READ_FAILED_MASK = RWSEM_WRITER_MASK | RWSEM_FLAG_WAITERS |
        RWSEM_FLAG_HANDOFF | RWSEM_FLAG_READFAIL;

    /// <summary>sem->magic of CONFIG_DEBUG_RWSEMS: sem itself once init_rwsem registered it.</summary>
    private void* rwsem_magic(rw_semaphore* sem) =>
        lockdep_map_of(sem) is { Kind: LockKind.Rwsem } ? sem : null;

    private void DEBUG_RWSEMS_WARN_ON(bool c, rw_semaphore* sem, [CallerArgumentExpression(nameof(c))] string expr = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (c)
            rwsem_debug_bug(expr, sem, null, file, line);
    }

    internal void rwsem_debug_bug(string c, rw_semaphore* sem, string? detail = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var text = $"DEBUG_RWSEMS_WARN_ON({c}): count = 0x{Volatile.Read(ref sem->count.counter):x}, " +
            $"magic = {lockdep_px(rwsem_magic(sem))}, owner = 0x{Volatile.Read(ref sem->owner.counter):x}, " +
            $"curr 0x{current_task:x}, list {(list_empty(&sem->wait_list) ? "" : "not ")}empty\n {lockdep_describe(sem)}";
        lockdep_bug(detail is null ? text : text + "\n" + detail, file, line);
    }

    private static void rwsem_set_owner(rw_semaphore* sem)
    {
        // lockdep_assert_preemption_disabled(): Emu has no preemption.
        Volatile.Write(ref sem->owner.counter, current_task);
    }

    private static void rwsem_clear_owner(rw_semaphore* sem)
    {
        Volatile.Write(ref sem->owner.counter, 0L);
    }

    private static bool rwsem_test_oflags(rw_semaphore* sem, long flags)
    {
        return (Volatile.Read(ref sem->owner.counter) & flags) != 0;
    }

    private static void __rwsem_set_reader_owned(rw_semaphore* sem, nint owner)
    {
        long val = owner | RWSEM_READER_OWNED |
            (Volatile.Read(ref sem->owner.counter) & RWSEM_NONSPINNABLE);

        Volatile.Write(ref sem->owner.counter, val);
    }

    private static void rwsem_set_reader_owned(rw_semaphore* sem)
    {
        __rwsem_set_reader_owned(sem, current_task);
    }

    private static nint rwsem_owner(rw_semaphore* sem)
    {
        return (nint)(Volatile.Read(ref sem->owner.counter) & ~RWSEM_OWNER_FLAGS_MASK);
    }

    private static bool is_rwsem_reader_owned(rw_semaphore* sem)
    {
        long count = Volatile.Read(ref sem->count.counter);

        if ((count & RWSEM_WRITER_MASK) != 0)
            return false;
        return rwsem_test_oflags(sem, RWSEM_READER_OWNED);
    }

    private static void rwsem_set_nonspinnable(rw_semaphore* sem)
    {
        long owner = Volatile.Read(ref sem->owner.counter);

        do
        {
            if ((owner & RWSEM_READER_OWNED) == 0)
                break;
            if ((owner & RWSEM_NONSPINNABLE) != 0)
                break;
        } while (!try_cmpxchg(ref sem->owner.counter, ref owner, owner | RWSEM_NONSPINNABLE));
    }

    private bool rwsem_read_trylock(rw_semaphore* sem, out long cntp)
    {
        cntp = Interlocked.Add(ref sem->count.counter, RWSEM_READER_BIAS); // atomic_long_add_return_acquire
        if (WARN_ON_ONCE(cntp < 0))
            rwsem_set_nonspinnable(sem);

        if ((cntp & RWSEM_READ_FAILED_MASK) == 0)
        {
            rwsem_set_reader_owned(sem);
            return true;
        }

        return false;
    }

    private static bool rwsem_write_trylock(rw_semaphore* sem)
    {
        long tmp = RWSEM_UNLOCKED_VALUE;

        if (try_cmpxchg(ref sem->count.counter, ref tmp, RWSEM_WRITER_LOCKED))
        {
            rwsem_set_owner(sem);
            return true;
        }

        return false;
    }

    // rwsem_down_read_slowpath, Emu's: give back the bias the fast path added, then spin until
    // a reader may enter (no writer, no waiting writer).
    private rw_semaphore* rwsem_down_read_slowpath(rw_semaphore* sem, long count)
    {
        Interlocked.Add(ref sem->count.counter, -RWSEM_READER_BIAS);
        var spinner = new SpinWait();
        while (__down_read_trylock(sem) == 0)
            spinner.SpinOnce(sleep1Threshold: -1);
        return sem;
    }

    // rwsem_down_write_slowpath, Emu's: announce the waiting writer in the count and spin until
    // neither readers nor a writer hold the lock; the last waiting writer clears the flag.
    private rw_semaphore* rwsem_down_write_slowpath(rw_semaphore* sem)
    {
        var map = lockdep_map_of(sem)!;
        Interlocked.Increment(ref map.WritersWaiting);
        var spinner = new SpinWait();
        for (;;)
        {
            long count = Volatile.Read(ref sem->count.counter);
            if ((count & RWSEM_LOCK_MASK) == 0)
            {
                long locked = count | RWSEM_WRITER_LOCKED;
                if (Volatile.Read(ref map.WritersWaiting) == 1)
                    locked &= ~RWSEM_FLAG_WAITERS;
                if (try_cmpxchg(ref sem->count.counter, ref count, locked))
                {
                    rwsem_set_owner(sem);
                    Interlocked.Decrement(ref map.WritersWaiting);
                    return sem;
                }
                continue;
            }
            if ((count & RWSEM_FLAG_WAITERS) == 0)
                Interlocked.Or(ref sem->count.counter, RWSEM_FLAG_WAITERS);
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private int __down_read_common(rw_semaphore* sem)
    {
        int ret = 0;
        long count;

        DEBUG_RWSEMS_WARN_ON(rwsem_magic(sem) != sem, sem); // Emu: on every path
        // preempt_disable();
        if (!rwsem_read_trylock(sem, out count))
        {
            rwsem_down_read_slowpath(sem, count); // never IS_ERR in Emu
            DEBUG_RWSEMS_WARN_ON(!is_rwsem_reader_owned(sem), sem);
        }
        // preempt_enable();
        return ret;
    }

    private void __down_read(rw_semaphore* sem)
    {
        __down_read_common(sem);
    }

    private int __down_read_interruptible(rw_semaphore* sem)
    {
        return __down_read_common(sem);
    }

    private int __down_read_killable(rw_semaphore* sem)
    {
        return __down_read_common(sem);
    }

    private int __down_read_trylock(rw_semaphore* sem)
    {
        int ret = 0;
        long tmp;

        DEBUG_RWSEMS_WARN_ON(rwsem_magic(sem) != sem, sem);

        // preempt_disable();
        tmp = Volatile.Read(ref sem->count.counter);
        while ((tmp & RWSEM_READ_FAILED_MASK) == 0)
        {
            if (try_cmpxchg(ref sem->count.counter, ref tmp, tmp + RWSEM_READER_BIAS))
            {
                rwsem_set_reader_owned(sem);
                ret = 1;
                break;
            }
        }
        // preempt_enable();
        return ret;
    }

    private int __down_write_common(rw_semaphore* sem)
    {
        int ret = 0;

        DEBUG_RWSEMS_WARN_ON(rwsem_magic(sem) != sem, sem); // Emu: on every path
        // preempt_disable();
        if (!rwsem_write_trylock(sem))
            rwsem_down_write_slowpath(sem); // never IS_ERR in Emu
        // preempt_enable();
        return ret;
    }

    private void __down_write(rw_semaphore* sem)
    {
        __down_write_common(sem);
    }

    private int __down_write_killable(rw_semaphore* sem)
    {
        return __down_write_common(sem);
    }

    private int __down_write_trylock(rw_semaphore* sem)
    {
        int ret;

        // preempt_disable();
        DEBUG_RWSEMS_WARN_ON(rwsem_magic(sem) != sem, sem);
        ret = rwsem_write_trylock(sem) ? 1 : 0;
        // preempt_enable();

        return ret;
    }

    private void __up_read(rw_semaphore* sem)
    {
        long tmp;

        DEBUG_RWSEMS_WARN_ON(rwsem_magic(sem) != sem, sem);
        DEBUG_RWSEMS_WARN_ON(!is_rwsem_reader_owned(sem), sem);

        // preempt_disable();
        // rwsem_clear_reader_owned(sem): a no-op in Debian's owner word, which Emu keeps.
        tmp = Interlocked.Add(ref sem->count.counter, -RWSEM_READER_BIAS); // atomic_long_add_return_release
        DEBUG_RWSEMS_WARN_ON(tmp < 0, sem);
        if ((tmp & (RWSEM_LOCK_MASK | RWSEM_FLAG_WAITERS)) == RWSEM_FLAG_WAITERS)
        {
            // clear_nonspinnable(sem); rwsem_wake(sem): Emu's waiters spin and need no wake-up.
        }
        // preempt_enable();
    }

    private void __up_write(rw_semaphore* sem)
    {
        long tmp;

        DEBUG_RWSEMS_WARN_ON(rwsem_magic(sem) != sem, sem);
        // The owner may differ from current only once handed to an anonymous writer (NONSPINNABLE).
        DEBUG_RWSEMS_WARN_ON((rwsem_owner(sem) != current_task) &&
                             !rwsem_test_oflags(sem, RWSEM_NONSPINNABLE), sem);
        // Emu: a reader-owned rwsem can name current as owner too; the writer bit must be set.
        DEBUG_RWSEMS_WARN_ON((Volatile.Read(ref sem->count.counter) & RWSEM_WRITER_LOCKED) == 0, sem);

        // preempt_disable();
        rwsem_clear_owner(sem);
        tmp = Interlocked.Add(ref sem->count.counter, -RWSEM_WRITER_LOCKED) + RWSEM_WRITER_LOCKED; // atomic_long_fetch_add_release
        if ((tmp & RWSEM_FLAG_WAITERS) != 0)
        {
            // rwsem_wake(sem): Emu's waiters spin.
        }
        // preempt_enable();
    }

    private void __downgrade_write(rw_semaphore* sem)
    {
        long tmp;

        DEBUG_RWSEMS_WARN_ON(rwsem_owner(sem) != current_task, sem);
        // preempt_disable();
        tmp = Interlocked.Add(ref sem->count.counter, -RWSEM_WRITER_LOCKED + RWSEM_READER_BIAS) -
            (-RWSEM_WRITER_LOCKED + RWSEM_READER_BIAS); // atomic_long_fetch_add_release
        rwsem_set_reader_owned(sem);
        if ((tmp & RWSEM_FLAG_WAITERS) != 0)
        {
            // rwsem_downgrade_wake(sem): Emu's waiters spin.
        }
        // preempt_enable();
    }

    internal void __init_rwsem(rw_semaphore* sem, string name, LockClassKey key)
    {
        // CONFIG_DEBUG_LOCK_ALLOC: a held lock must not be re-initialized.
        debug_check_no_locks_freed(sem, (ulong)sizeof(rw_semaphore));
        lockdep_init_map(sem, name, key, LockKind.Rwsem); // and sem->magic = sem
        Volatile.Write(ref sem->count.counter, RWSEM_UNLOCKED_VALUE);
        sem->wait_lock = default; // raw_spin_lock_init: Emu's waiters never take wait_lock
        INIT_LIST_HEAD(&sem->wait_list);
        Volatile.Write(ref sem->owner.counter, 0L);
        osq_lock_init(&sem->osq);
    }

    internal void down_read(rw_semaphore* sem)
    {
        might_sleep();
        rwsem_acquire_read(sem, 0, 0);

        __down_read(sem); // LOCK_CONTENDED(sem, __down_read_trylock, __down_read)
    }

    internal int down_read_interruptible(rw_semaphore* sem)
    {
        might_sleep();
        rwsem_acquire_read(sem, 0, 0);

        if (__down_read_interruptible(sem) != 0) // LOCK_CONTENDED_RETURN
        {
            rwsem_release(sem);
            return -EINTR;
        }

        return 0;
    }

    internal int down_read_killable(rw_semaphore* sem)
    {
        might_sleep();
        rwsem_acquire_read(sem, 0, 0);

        if (__down_read_killable(sem) != 0) // LOCK_CONTENDED_RETURN
        {
            rwsem_release(sem);
            return -EINTR;
        }

        return 0;
    }

    internal int down_read_trylock(rw_semaphore* sem)
    {
        int ret = __down_read_trylock(sem);

        if (ret == 1)
            rwsem_acquire_read(sem, 0, 1);
        return ret;
    }

    internal void down_write(rw_semaphore* sem)
    {
        might_sleep();
        rwsem_acquire(sem, 0, 0);
        __down_write(sem); // LOCK_CONTENDED
    }

    internal int down_write_killable(rw_semaphore* sem)
    {
        might_sleep();
        rwsem_acquire(sem, 0, 0);

        if (__down_write_killable(sem) != 0) // LOCK_CONTENDED_RETURN
        {
            rwsem_release(sem);
            return -EINTR;
        }

        return 0;
    }

    internal int down_write_trylock(rw_semaphore* sem)
    {
        int ret = __down_write_trylock(sem);

        if (ret == 1)
            rwsem_acquire(sem, 0, 1);

        return ret;
    }

    internal void up_read(rw_semaphore* sem)
    {
        rwsem_release(sem);
        __up_read(sem);
    }

    internal void up_write(rw_semaphore* sem)
    {
        rwsem_release(sem);
        __up_write(sem);
    }

    internal void downgrade_write(rw_semaphore* sem)
    {
        lock_downgrade(sem);
        __downgrade_write(sem);
    }

    internal void down_read_nested(rw_semaphore* sem, uint subclass)
    {
        might_sleep();
        rwsem_acquire_read(sem, subclass, 0);
        __down_read(sem); // LOCK_CONTENDED
    }

    internal int down_read_killable_nested(rw_semaphore* sem, uint subclass)
    {
        might_sleep();
        rwsem_acquire_read(sem, subclass, 0);

        if (__down_read_killable(sem) != 0) // LOCK_CONTENDED_RETURN
        {
            rwsem_release(sem);
            return -EINTR;
        }

        return 0;
    }

    internal void down_read_non_owner(rw_semaphore* sem)
    {
        might_sleep();
        __down_read(sem);
        // The reader-owner value only helps debugging: no task owns this read lock.
        __rwsem_set_reader_owned(sem, 0);
    }

    internal void down_write_nested(rw_semaphore* sem, uint subclass)
    {
        might_sleep();
        rwsem_acquire(sem, subclass, 0);
        __down_write(sem); // LOCK_CONTENDED
    }

    internal int down_write_killable_nested(rw_semaphore* sem, uint subclass)
    {
        might_sleep();
        rwsem_acquire(sem, subclass, 0);

        if (__down_write_killable(sem) != 0) // LOCK_CONTENDED_RETURN
        {
            rwsem_release(sem);
            return -EINTR;
        }

        return 0;
    }

    internal void up_read_non_owner(rw_semaphore* sem)
    {
        DEBUG_RWSEMS_WARN_ON(!is_rwsem_reader_owned(sem), sem);
        __up_read(sem);
    }

    /// <summary>atomic_long_try_cmpxchg: on failure <paramref name="old"/> becomes the value seen.</summary>
    private static bool try_cmpxchg(ref long ptr, ref long old, long @new)
    {
        long seen = Interlocked.CompareExchange(ref ptr, @new, old);
        if (seen == old)
            return true;
        old = seen;
        return false;
    }
}
