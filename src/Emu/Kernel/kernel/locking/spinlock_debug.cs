// SPDX-License-Identifier: GPL-2.0-only
// kernel/locking/spinlock_debug.c (CONFIG_DEBUG_SPINLOCK), outside Emu's pinned subset of the
// tree: no markers. The magic and owner fields that option adds to raw_spinlock_t are not in
// the Debian layout; Emu keeps them in the lock's lockdep map (registered = magic). A failed
// check prints spin_dump's text and BUG()s (upstream prints and carries on).
using System.Runtime.CompilerServices;
using System.Threading;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    internal void __raw_spin_lock_init(raw_spinlock* @lock, string name, LockClassKey key)
    {
        // Make sure a held lock is not re-initialized.
        debug_check_no_locks_freed(@lock, (ulong)sizeof(raw_spinlock));
        lockdep_init_map(@lock, name, key, LockKind.Spin);
        @lock->raw_lock = default; // __ARCH_SPIN_LOCK_UNLOCKED; magic, owner: the new map
    }

    /// <summary>SPINLOCK_MAGIC when the lock was initialized as a spinlock, else 0.</summary>
    private uint spin_magic(raw_spinlock* @lock) =>
        lockdep_map_of(@lock) is { Kind: LockKind.Spin } ? SPINLOCK_MAGIC : 0;

    private LockdepTask? spin_owner(raw_spinlock* @lock) => lockdep_map_of(@lock)?.Owner;

    private void spin_dump(raw_spinlock* @lock, string msg, string? detail, string file, int line)
    {
        var owner = spin_owner(@lock);
        var map = lockdep_map_of(@lock);
        var text = $"BUG: spinlock {msg} on CPU#{Thread.GetCurrentProcessorId()}, {lockdep_current}\n" +
            $" lock: {(map is null ? "" : map.Class.Name + " ")}{lockdep_px(@lock)}, .magic: {spin_magic(@lock):x8}, " +
            $".owner: {owner?.ToString() ?? "<none>/-1"}, .owner_cpu: -1";
        lockdep_bug(detail is null ? text : text + "\n" + detail, file, line);
    }

    internal void spin_bug(raw_spinlock* @lock, string msg, string? detail = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => spin_dump(@lock, msg, detail, file, line);

    private void SPIN_BUG_ON(bool cond, raw_spinlock* @lock, string msg,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (cond)
            spin_bug(@lock, msg, null, file, line);
    }

    private void debug_spin_lock_before(raw_spinlock* @lock)
    {
        SPIN_BUG_ON(spin_magic(@lock) != SPINLOCK_MAGIC, @lock, "bad magic");
        SPIN_BUG_ON(spin_owner(@lock) == lockdep_current, @lock, "recursion");
    }

    private void debug_spin_lock_after(raw_spinlock* @lock)
    {
        lockdep_map_of(@lock)!.Owner = lockdep_current;
    }

    private void debug_spin_unlock(raw_spinlock* @lock)
    {
        SPIN_BUG_ON(spin_magic(@lock) != SPINLOCK_MAGIC, @lock, "bad magic");
        SPIN_BUG_ON(!raw_spin_is_locked(@lock), @lock, "already unlocked");
        SPIN_BUG_ON(spin_owner(@lock) != lockdep_current, @lock, "wrong owner");
        lockdep_map_of(@lock)!.Owner = null;
    }

    internal void do_raw_spin_lock(raw_spinlock* @lock)
    {
        debug_spin_lock_before(@lock);
        arch_spin_lock(&@lock->raw_lock);
        // mmiowb_spin_lock(): nothing on x86
        debug_spin_lock_after(@lock);
    }

    internal int do_raw_spin_trylock(raw_spinlock* @lock)
    {
        // Emu: the magic is checked here too, so a trylock on an uninitialized lock is caught.
        SPIN_BUG_ON(spin_magic(@lock) != SPINLOCK_MAGIC, @lock, "bad magic");
        int ret = arch_spin_trylock(&@lock->raw_lock);

        if (ret != 0)
        {
            // mmiowb_spin_lock()
            debug_spin_lock_after(@lock);
        }
        return ret;
    }

    internal void do_raw_spin_unlock(raw_spinlock* @lock)
    {
        // mmiowb_spin_unlock()
        debug_spin_unlock(@lock);
        arch_spin_unlock(&@lock->raw_lock);
    }
}
