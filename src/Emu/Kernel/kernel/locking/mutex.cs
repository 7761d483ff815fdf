// SPDX-License-Identifier: GPL-2.0-only
// kernel/locking/mutex.c (!PREEMPT_RT) with CONFIG_DEBUG_LOCK_ALLOC and CONFIG_DEBUG_MUTEXES
// (kernel/locking/mutex-debug.c), which Emu keeps on. Outside Emu's pinned subset of the tree:
// no markers.
//
// The owner word keeps upstream's encoding: the owner task (Emu's current_task) or 0, with
// MUTEX_FLAGS in the low bits. The magic is the lock's lockdep map; a failed debug check BUG()s
// (upstream WARNs). The slowpath is Emu's: no wait queue, handoff or optimistic spinning; a
// blocked task spins with backoff until its trylock succeeds, so no flag is ever set. Waits are
// never interrupted: mutex_lock_killable/interruptible always get the lock.
using System.Runtime.CompilerServices;
using System.Threading;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    internal const long MUTEX_FLAG_WAITERS = 0x01;
    internal const long MUTEX_FLAG_HANDOFF = 0x02;
    internal const long MUTEX_FLAG_PICKUP = 0x04;

    internal const long MUTEX_FLAGS = 0x07;

    internal void __mutex_init(mutex* @lock, string name, LockClassKey key)
    {
        Volatile.Write(ref @lock->owner.counter, 0L);
        @lock->wait_lock = default; // raw_spin_lock_init: Emu's waiters never take wait_lock
        INIT_LIST_HEAD(&@lock->wait_list);
        osq_lock_init(&@lock->osq);

        debug_mutex_init(@lock, name, key);
    }

    // kernel/locking/mutex-debug.c
    private void debug_mutex_init(mutex* @lock, string name, LockClassKey key)
    {
        // A held lock must not be re-initialized.
        debug_check_no_locks_freed(@lock, (ulong)sizeof(mutex));
        lockdep_init_map(@lock, name, key, LockKind.Mutex); // and lock->magic = lock
    }

    /// <summary>lock->magic of CONFIG_DEBUG_MUTEXES: the lock itself once mutex_init registered it.</summary>
    private void* mutex_magic(mutex* @lock) =>
        lockdep_map_of(@lock) is { Kind: LockKind.Mutex } ? @lock : null;

    // MUTEX_WARN_ON is DEBUG_LOCKS_WARN_ON with CONFIG_DEBUG_MUTEXES.
    private void MUTEX_WARN_ON(bool cond, mutex* @lock, [CallerArgumentExpression(nameof(cond))] string expr = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (cond)
            mutex_debug_bug(expr, @lock, null, file, line);
    }

    internal void mutex_debug_bug(string cond, mutex* @lock, string? detail = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var text = $"DEBUG_LOCKS_WARN_ON({cond})\n {lockdep_describe(@lock)}, " +
            $"owner: 0x{Volatile.Read(ref @lock->owner.counter):x}, curr 0x{current_task:x}";
        lockdep_bug(detail is null ? text : text + "\n" + detail, file, line);
    }

    private static nint __mutex_owner(mutex* @lock)
    {
        return (nint)(Volatile.Read(ref @lock->owner.counter) & ~MUTEX_FLAGS);
    }

    private static nint __owner_task(long owner)
    {
        return (nint)(owner & ~MUTEX_FLAGS);
    }

    internal static bool mutex_is_locked(mutex* @lock)
    {
        return __mutex_owner(@lock) != 0;
    }

    private static long __owner_flags(long owner)
    {
        return owner & MUTEX_FLAGS;
    }

    private nint __mutex_trylock_common(mutex* @lock, bool handoff)
    {
        long owner, curr = current_task;

        owner = Volatile.Read(ref @lock->owner.counter);
        for (;;)
        { // must loop, can race against a flag
            long flags = __owner_flags(owner);
            long task = owner & ~MUTEX_FLAGS;

            if (task != 0)
            {
                if ((flags & MUTEX_FLAG_PICKUP) != 0)
                {
                    if (task != curr)
                        break;
                    flags &= ~MUTEX_FLAG_PICKUP;
                }
                else if (handoff)
                {
                    if ((flags & MUTEX_FLAG_HANDOFF) != 0)
                        break;
                    flags |= MUTEX_FLAG_HANDOFF;
                }
                else
                {
                    break;
                }
            }
            else
            {
                MUTEX_WARN_ON((flags & (MUTEX_FLAG_HANDOFF | MUTEX_FLAG_PICKUP)) != 0, @lock);
                task = curr;
            }

            long seen = Interlocked.CompareExchange(ref @lock->owner.counter, task | flags, owner); // atomic_long_try_cmpxchg_acquire
            if (seen == owner)
            {
                if (task == curr)
                    return 0;
                break;
            }
            owner = seen;
        }

        return __owner_task(owner);
    }

    private bool __mutex_trylock(mutex* @lock)
    {
        return __mutex_trylock_common(@lock, false) == 0;
    }

    /// <summary>mutex_destroy of CONFIG_DEBUG_MUTEXES: the mutex must be unlocked and is unusable until initialized again.</summary>
    internal void mutex_destroy(mutex* @lock)
    {
        MUTEX_WARN_ON(mutex_is_locked(@lock), @lock);
        lockdep_forget(@lock); // lock->magic = NULL
    }

    private int __mutex_lock_common(mutex* @lock, uint subclass)
    {
        might_sleep();

        MUTEX_WARN_ON(mutex_magic(@lock) != @lock, @lock);

        // preempt_disable();
        mutex_acquire(@lock, subclass, 0);

        if (__mutex_trylock(@lock))
        {
            // got the lock: lock_acquired() is lock statistics only
            // preempt_enable();
            return 0;
        }

        // Emu's wait: spin with backoff until the trylock succeeds.
        var spinner = new SpinWait();
        do
            spinner.SpinOnce(sleep1Threshold: -1);
        while (!__mutex_trylock(@lock));
        // preempt_enable();
        return 0;
    }

    private int __mutex_lock(mutex* @lock, uint subclass)
    {
        return __mutex_lock_common(@lock, subclass);
    }

    internal void mutex_lock_nested(mutex* @lock, uint subclass)
    {
        __mutex_lock(@lock, subclass);
    }

    internal int mutex_lock_killable_nested(mutex* @lock, uint subclass)
    {
        return __mutex_lock(@lock, subclass);
    }

    internal int mutex_lock_interruptible_nested(mutex* @lock, uint subclass)
    {
        return __mutex_lock(@lock, subclass);
    }

    // With CONFIG_DEBUG_LOCK_ALLOC every unlock takes the slowpath.
    internal void mutex_unlock(mutex* @lock)
    {
        __mutex_unlock_slowpath(@lock);
    }

    private void __mutex_unlock_slowpath(mutex* @lock)
    {
        long owner;

        MUTEX_WARN_ON(mutex_magic(@lock) != @lock, @lock); // Emu: debug_mutex_unlock's check, up front
        mutex_release(@lock);

        // Release before any waiter handling; with HANDOFF the owner would pass to the top waiter.
        owner = Volatile.Read(ref @lock->owner.counter);
        for (;;)
        {
            MUTEX_WARN_ON(__owner_task(owner) != current_task, @lock);
            MUTEX_WARN_ON((owner & MUTEX_FLAG_PICKUP) != 0, @lock);

            if ((owner & MUTEX_FLAG_HANDOFF) != 0)
                break;

            long seen = Interlocked.CompareExchange(ref @lock->owner.counter, __owner_flags(owner), owner); // atomic_long_try_cmpxchg_release
            if (seen == owner)
            {
                if ((owner & MUTEX_FLAG_WAITERS) != 0)
                    break;

                return;
            }
            owner = seen;
        }

        // Waking the first waiter and handing off: Emu sets neither flag, its waiters spin.
    }

    internal int mutex_trylock(mutex* @lock)
    {
        bool locked;

        MUTEX_WARN_ON(mutex_magic(@lock) != @lock, @lock);

        locked = __mutex_trylock(@lock);
        if (locked)
            mutex_acquire(@lock, 0, 1);

        return locked ? 1 : 0;
    }
}
