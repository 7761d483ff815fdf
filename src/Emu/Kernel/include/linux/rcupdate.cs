// SPDX-License-Identifier: GPL-2.0-only
// include/linux/rcupdate.h, stubbed: Emu frees nothing through RCU yet, so a read-side section has
// no grace period to hold off. What remains checkable is nesting: the depth is per thread, and an
// unlock without a lock is a kernel bug.
using System;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [ThreadStatic] private static int rcu_read_lock_nesting;

    /// <summary>Read-side sections the current thread is inside.</summary>
    internal static int rcu_read_lock_depth => rcu_read_lock_nesting;

    internal static void rcu_read_lock() => rcu_read_lock_nesting++;

    internal static void rcu_read_unlock()
    {
        if (rcu_read_lock_nesting == 0)
            throw new KernelBugException("rcu_read_unlock() without rcu_read_lock()");
        rcu_read_lock_nesting--;
    }
}
