// SPDX-License-Identifier: GPL-2.0-only
// include/linux/lockdep.h as with CONFIG_LOCKDEP: the annotations call Emu's lockdep
// (kernel/locking/lockdep.cs). debug_locks stays 1: Emu's lockdep does not turn itself off.
// A lock is passed as its address (the C macros take &lock->dep_map, which Emu keeps aside).
using System.Runtime.CompilerServices;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/lockdep.h", "LOCK_STATE_NOT_HELD", UpstreamAttribute.Macro)]
    internal const int LOCK_STATE_NOT_HELD = 0;

    [Upstream("include/linux/lockdep.h", "LOCK_STATE_HELD", UpstreamAttribute.Macro)]
    internal const int LOCK_STATE_HELD = 1;

    [Upstream("include/linux/lockdep.h", "SINGLE_DEPTH_NESTING", UpstreamAttribute.Macro)]
    internal const uint SINGLE_DEPTH_NESTING = 1;

    [Upstream("include/linux/lockdep.h", "lockdep_is_held", UpstreamAttribute.Macro)]
    internal int lockdep_is_held(void* @lock) => lock_is_held(@lock);

    [Upstream("include/linux/lockdep.h", "lockdep_is_held_type", UpstreamAttribute.Macro)]
    internal int lockdep_is_held_type(void* @lock, int r) => lock_is_held_type(@lock, r);

    // The WARN names the lock's class; file and line are the macro's call site, as __FILE__/__LINE__ are.
    [Upstream("include/linux/lockdep.h", "lockdep_assert", UpstreamAttribute.Macro)]
    internal void lockdep_assert(bool cond, void* @lock, string expr, string file, int line)
    {
        if (!cond)
            WARN(true, lockdep_describe(@lock), expr, file, line);
    }

    [Upstream("include/linux/lockdep.h", "lockdep_assert_held", UpstreamAttribute.Macro)]
    internal void lockdep_assert_held(void* l, [CallerArgumentExpression(nameof(l))] string name = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        lockdep_assert(lockdep_is_held(l) != LOCK_STATE_NOT_HELD, l, $"lockdep_is_held({name}) != LOCK_STATE_NOT_HELD", file, line);

    [Upstream("include/linux/lockdep.h", "lockdep_assert_not_held", UpstreamAttribute.Macro)]
    internal void lockdep_assert_not_held(void* l, [CallerArgumentExpression(nameof(l))] string name = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        lockdep_assert(lockdep_is_held(l) != LOCK_STATE_HELD, l, $"lockdep_is_held({name}) != LOCK_STATE_HELD", file, line);

    [Upstream("include/linux/lockdep.h", "lockdep_assert_held_write", UpstreamAttribute.Macro)]
    internal void lockdep_assert_held_write(void* l, [CallerArgumentExpression(nameof(l))] string name = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        lockdep_assert(lockdep_is_held_type(l, 0) != 0, l, $"lockdep_is_held_type({name}, 0)", file, line);

    [Upstream("include/linux/lockdep.h", "lockdep_assert_held_read", UpstreamAttribute.Macro)]
    internal void lockdep_assert_held_read(void* l, [CallerArgumentExpression(nameof(l))] string name = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        lockdep_assert(lockdep_is_held_type(l, 1) != 0, l, $"lockdep_is_held_type({name}, 1)", file, line);

    [Upstream("include/linux/lockdep.h", "lockdep_assert_none_held_once", UpstreamAttribute.Macro)]
    internal void lockdep_assert_none_held_once([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var curr = lockdep_current;
        WARN_ONCE(curr.Held.Count != 0, lockdep_print_held_locks(curr), "!current->lockdep_depth", file, line);
    }

    [Upstream("include/linux/lockdep.h", "lock_acquire_exclusive", UpstreamAttribute.Macro)]
    internal void lock_acquire_exclusive(void* l, uint s, int t) => lock_acquire(l, s, t != 0, 0);

    [Upstream("include/linux/lockdep.h", "lock_acquire_shared", UpstreamAttribute.Macro)]
    internal void lock_acquire_shared(void* l, uint s, int t) => lock_acquire(l, s, t != 0, 1);

    [Upstream("include/linux/lockdep.h", "spin_acquire", UpstreamAttribute.Macro)]
    internal void spin_acquire(void* l, uint s, int t) => lock_acquire_exclusive(l, s, t);

    [Upstream("include/linux/lockdep.h", "spin_release", UpstreamAttribute.Macro)]
    internal void spin_release(void* l) => lock_release(l);

    [Upstream("include/linux/lockdep.h", "mutex_acquire", UpstreamAttribute.Macro)]
    internal void mutex_acquire(void* l, uint s, int t) => lock_acquire_exclusive(l, s, t);

    [Upstream("include/linux/lockdep.h", "mutex_release", UpstreamAttribute.Macro)]
    internal void mutex_release(void* l) => lock_release(l);

    [Upstream("include/linux/lockdep.h", "rwsem_acquire", UpstreamAttribute.Macro)]
    internal void rwsem_acquire(void* l, uint s, int t) => lock_acquire_exclusive(l, s, t);

    [Upstream("include/linux/lockdep.h", "rwsem_acquire_read", UpstreamAttribute.Macro)]
    internal void rwsem_acquire_read(void* l, uint s, int t) => lock_acquire_shared(l, s, t);

    [Upstream("include/linux/lockdep.h", "rwsem_release", UpstreamAttribute.Macro)]
    internal void rwsem_release(void* l) => lock_release(l);
}
