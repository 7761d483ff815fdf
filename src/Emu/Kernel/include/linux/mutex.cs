// SPDX-License-Identifier: GPL-2.0-only
// include/linux/mutex.h (!PREEMPT_RT) with CONFIG_DEBUG_LOCK_ALLOC and CONFIG_DEBUG_MUTEXES,
// which Emu keeps on (Debian has them off): mutex_lock is mutex_lock_nested(lock, 0), and
// mutex_init registers the lock under the class of its call site. A DEFINE_MUTEX global is a
// Kernel field pointing to native memory that the Kernel's setup passes to mutex_init.
// The bodies are in kernel/locking/mutex.cs.
using System.Runtime.CompilerServices;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/mutex.h", "mutex_init", UpstreamAttribute.Macro)]
    internal void mutex_init(mutex* mutex, [CallerArgumentExpression(nameof(mutex))] string name = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        __mutex_init(mutex, name, new LockClassKey(file, line));

    [Upstream("include/linux/mutex.h", "mutex_lock", UpstreamAttribute.Macro)]
    internal void mutex_lock(mutex* @lock) => mutex_lock_nested(@lock, 0);

    [Upstream("include/linux/mutex.h", "mutex_lock_interruptible", UpstreamAttribute.Macro)]
    internal int mutex_lock_interruptible(mutex* @lock) => mutex_lock_interruptible_nested(@lock, 0);

    [Upstream("include/linux/mutex.h", "mutex_lock_killable", UpstreamAttribute.Macro)]
    internal int mutex_lock_killable(mutex* @lock) => mutex_lock_killable_nested(@lock, 0);
}
