// SPDX-License-Identifier: GPL-2.0-only
// kernel/locking/spinlock.c: the out-of-line _raw_spin_* (no CONFIG_INLINE_SPIN_*), and the
// _nested ones of CONFIG_DEBUG_LOCK_ALLOC. Outside Emu's pinned subset of the tree: no markers.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    internal int _raw_spin_trylock(raw_spinlock* @lock) => __raw_spin_trylock(@lock);

    internal void _raw_spin_lock(raw_spinlock* @lock) => __raw_spin_lock(@lock);

    internal ulong _raw_spin_lock_irqsave(raw_spinlock* @lock) => __raw_spin_lock_irqsave(@lock);

    internal void _raw_spin_lock_irq(raw_spinlock* @lock) => __raw_spin_lock_irq(@lock);

    internal void _raw_spin_unlock(raw_spinlock* @lock) => __raw_spin_unlock(@lock);

    internal void _raw_spin_unlock_irqrestore(raw_spinlock* @lock, ulong flags) => __raw_spin_unlock_irqrestore(@lock, flags);

    internal void _raw_spin_unlock_irq(raw_spinlock* @lock) => __raw_spin_unlock_irq(@lock);

    internal void _raw_spin_lock_nested(raw_spinlock* @lock, uint subclass)
    {
        // preempt_disable();
        spin_acquire(@lock, subclass, 0);
        do_raw_spin_lock(@lock); // LOCK_CONTENDED
    }

    internal ulong _raw_spin_lock_irqsave_nested(raw_spinlock* @lock, uint subclass)
    {
        ulong flags;

        flags = EmuIrqFlags; // local_irq_save(flags);
        // preempt_disable();
        spin_acquire(@lock, subclass, 0);
        do_raw_spin_lock(@lock); // LOCK_CONTENDED_FLAGS
        return flags;
    }
}
