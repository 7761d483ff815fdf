// SPDX-License-Identifier: GPL-2.0-only
// include/linux/spinlock.h (!PREEMPT_RT, SMP), with the CONFIG_DEBUG_SPINLOCK and
// CONFIG_DEBUG_LOCK_ALLOC branches that Emu keeps on (Debian has them off): the init macros
// register the lock with Emu's lockdep under the class of their call site, and do_raw_spin_* are
// the checking versions of kernel/locking/spinlock_debug.cs.
// Idioms: an init macro's #lock and static __key are the caller's argument text and call site;
// a `flags` out-argument is the macro's assignment to flags; is_locked/is_contended return bool.
using System.Runtime.CompilerServices;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/spinlock.h", "raw_spin_lock_init", UpstreamAttribute.Macro)]
    internal void raw_spin_lock_init(raw_spinlock* @lock, [CallerArgumentExpression(nameof(@lock))] string name = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        __raw_spin_lock_init(@lock, name, new LockClassKey(file, line));

    [Upstream("include/linux/spinlock.h", "raw_spin_is_locked", UpstreamAttribute.Macro)]
    internal static bool raw_spin_is_locked(raw_spinlock* @lock) => arch_spin_is_locked(&@lock->raw_lock);

    [Upstream("include/linux/spinlock.h", "raw_spin_is_contended", UpstreamAttribute.Macro)]
    internal static bool raw_spin_is_contended(raw_spinlock* @lock) => arch_spin_is_contended(&@lock->raw_lock);

    [Upstream("include/linux/spinlock.h", "raw_spin_trylock", UpstreamAttribute.Macro)]
    internal int raw_spin_trylock(raw_spinlock* @lock) => _raw_spin_trylock(@lock);

    [Upstream("include/linux/spinlock.h", "raw_spin_lock", UpstreamAttribute.Macro)]
    internal void raw_spin_lock(raw_spinlock* @lock) => _raw_spin_lock(@lock);

    [Upstream("include/linux/spinlock.h", "raw_spin_lock_nested", UpstreamAttribute.Macro)]
    internal void raw_spin_lock_nested(raw_spinlock* @lock, uint subclass) => _raw_spin_lock_nested(@lock, subclass);

    [Upstream("include/linux/spinlock.h", "raw_spin_lock_irqsave", UpstreamAttribute.Macro)]
    internal void raw_spin_lock_irqsave(raw_spinlock* @lock, out ulong flags) => flags = _raw_spin_lock_irqsave(@lock);

    [Upstream("include/linux/spinlock.h", "raw_spin_lock_irqsave_nested", UpstreamAttribute.Macro)]
    internal void raw_spin_lock_irqsave_nested(raw_spinlock* @lock, out ulong flags, uint subclass) =>
        flags = _raw_spin_lock_irqsave_nested(@lock, subclass);

    [Upstream("include/linux/spinlock.h", "raw_spin_lock_irq", UpstreamAttribute.Macro)]
    internal void raw_spin_lock_irq(raw_spinlock* @lock) => _raw_spin_lock_irq(@lock);

    [Upstream("include/linux/spinlock.h", "raw_spin_unlock", UpstreamAttribute.Macro)]
    internal void raw_spin_unlock(raw_spinlock* @lock) => _raw_spin_unlock(@lock);

    [Upstream("include/linux/spinlock.h", "raw_spin_unlock_irq", UpstreamAttribute.Macro)]
    internal void raw_spin_unlock_irq(raw_spinlock* @lock) => _raw_spin_unlock_irq(@lock);

    [Upstream("include/linux/spinlock.h", "raw_spin_unlock_irqrestore", UpstreamAttribute.Macro)]
    internal void raw_spin_unlock_irqrestore(raw_spinlock* @lock, ulong flags) => _raw_spin_unlock_irqrestore(@lock, flags);

    [Upstream("include/linux/spinlock.h", "spinlock_check", "39827698666b2fe9")]
    internal static raw_spinlock* spinlock_check(spinlock* @lock)
    {
        return &@lock->rlock;
    }

    [Upstream("include/linux/spinlock.h", "spin_lock_init", UpstreamAttribute.Macro)]
    internal void spin_lock_init(spinlock* @lock, [CallerArgumentExpression(nameof(@lock))] string name = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        __raw_spin_lock_init(spinlock_check(@lock), name, new LockClassKey(file, line));

    [Upstream("include/linux/spinlock.h", "spin_lock", "b6fa8869d538bc7e")]
    internal void spin_lock(spinlock* @lock)
    {
        raw_spin_lock(&@lock->rlock);
    }

    [Upstream("include/linux/spinlock.h", "spin_trylock", "2f8dfd380179ff82")]
    internal int spin_trylock(spinlock* @lock)
    {
        return raw_spin_trylock(&@lock->rlock);
    }

    [Upstream("include/linux/spinlock.h", "spin_lock_nested", UpstreamAttribute.Macro)]
    internal void spin_lock_nested(spinlock* @lock, uint subclass) => raw_spin_lock_nested(spinlock_check(@lock), subclass);

    [Upstream("include/linux/spinlock.h", "spin_lock_irq", "cef85ee63d855818")]
    internal void spin_lock_irq(spinlock* @lock)
    {
        raw_spin_lock_irq(&@lock->rlock);
    }

    [Upstream("include/linux/spinlock.h", "spin_lock_irqsave", UpstreamAttribute.Macro)]
    internal void spin_lock_irqsave(spinlock* @lock, out ulong flags) => raw_spin_lock_irqsave(spinlock_check(@lock), out flags);

    [Upstream("include/linux/spinlock.h", "spin_lock_irqsave_nested", UpstreamAttribute.Macro)]
    internal void spin_lock_irqsave_nested(spinlock* @lock, out ulong flags, uint subclass) =>
        raw_spin_lock_irqsave_nested(spinlock_check(@lock), out flags, subclass);

    [Upstream("include/linux/spinlock.h", "spin_unlock", "b4c11a126673ee65")]
    internal void spin_unlock(spinlock* @lock)
    {
        raw_spin_unlock(&@lock->rlock);
    }

    [Upstream("include/linux/spinlock.h", "spin_unlock_irq", "1458c3533ce3299a")]
    internal void spin_unlock_irq(spinlock* @lock)
    {
        raw_spin_unlock_irq(&@lock->rlock);
    }

    [Upstream("include/linux/spinlock.h", "spin_unlock_irqrestore", "f7d9f79c1469a07d")]
    internal void spin_unlock_irqrestore(spinlock* @lock, ulong flags)
    {
        raw_spin_unlock_irqrestore(&@lock->rlock, flags);
    }

    [Upstream("include/linux/spinlock.h", "spin_is_locked", "ffbf4391bcccc909")]
    internal static bool spin_is_locked(spinlock* @lock)
    {
        return raw_spin_is_locked(&@lock->rlock);
    }

    [Upstream("include/linux/spinlock.h", "spin_is_contended", "eb4e1134aa4b3f0c")]
    internal static bool spin_is_contended(spinlock* @lock)
    {
        return raw_spin_is_contended(&@lock->rlock);
    }

    [Upstream("include/linux/spinlock.h", "assert_spin_locked", UpstreamAttribute.Macro)]
    internal void assert_spin_locked(spinlock* @lock) => assert_raw_spin_locked(&@lock->rlock);
}
