// SPDX-License-Identifier: GPL-2.0-only
// include/linux/rwsem.h (!PREEMPT_RT). Emu runs with lockdep (CONFIG_LOCKDEP and
// CONFIG_DEBUG_LOCK_ALLOC, which Debian has off): the asserts ask lockdep whether this thread
// holds the lock, and init_rwsem registers the lock under the class of its call site.
// The lock bodies are in kernel/locking/rwsem.cs.
using System.Runtime.CompilerServices;
using System.Threading;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/rwsem.h", "RWSEM_UNLOCKED_VALUE", UpstreamAttribute.Macro)]
    internal const long RWSEM_UNLOCKED_VALUE = 0L;

    [Upstream("include/linux/rwsem.h", "RWSEM_WRITER_LOCKED", UpstreamAttribute.Macro)]
    internal const long RWSEM_WRITER_LOCKED = 1L << 0;

    [Upstream("include/linux/rwsem.h", "rwsem_is_locked", "4ececb7a1b66b8b6")]
    internal static bool rwsem_is_locked(rw_semaphore* sem)
    {
        return Volatile.Read(ref sem->count.counter) != RWSEM_UNLOCKED_VALUE; // atomic_long_read
    }

    [Upstream("include/linux/rwsem.h", "rwsem_assert_held_nolockdep", "cacf6f1bf4c8cd47")]
    internal void rwsem_assert_held_nolockdep(rw_semaphore* sem)
    {
        WARN_ON(Volatile.Read(ref sem->count.counter) == RWSEM_UNLOCKED_VALUE);
    }

    [Upstream("include/linux/rwsem.h", "rwsem_assert_held_write_nolockdep", "c7cae97cef708115")]
    internal void rwsem_assert_held_write_nolockdep(rw_semaphore* sem)
    {
        WARN_ON((Volatile.Read(ref sem->count.counter) & RWSEM_WRITER_LOCKED) == 0);
    }

    [Upstream("include/linux/rwsem.h", "init_rwsem", UpstreamAttribute.Macro)]
    internal void init_rwsem(rw_semaphore* sem, [CallerArgumentExpression(nameof(sem))] string name = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        __init_rwsem(sem, name, new LockClassKey(file, line));

    // Emu's waiters spin instead of queueing, so the wait list stays empty: never contended.
    [Upstream("include/linux/rwsem.h", "rwsem_is_contended", "b22bd77492c959a8")]
    internal static bool rwsem_is_contended(rw_semaphore* sem)
    {
        return !list_empty(&sem->wait_list);
    }

    [Upstream("include/linux/rwsem.h", "rwsem_assert_held", "e8619f44c671d6dc")]
    internal void rwsem_assert_held(rw_semaphore* sem)
    {
        // IS_ENABLED(CONFIG_LOCKDEP): on in Emu.
        lockdep_assert_held(sem);
    }

    [Upstream("include/linux/rwsem.h", "rwsem_assert_held_write", "d14816ad7a693e52")]
    internal void rwsem_assert_held_write(rw_semaphore* sem)
    {
        // IS_ENABLED(CONFIG_LOCKDEP): on in Emu.
        lockdep_assert_held_write(sem);
    }
}
