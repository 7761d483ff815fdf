// SPDX-License-Identifier: GPL-2.0-only
// include/linux/spinlock_api_smp.h: the lock bodies behind kernel/locking/spinlock.c's
// out-of-line _raw_spin_* (Debian inlines none of them). Emu has neither preemption nor
// interrupts: preempt_disable/enable and local_irq_* stay as comments, and the saved flags are
// X86_EFLAGS_IF (interrupts were on). LOCK_CONTENDED without CONFIG_LOCK_STAT is the plain lock.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>The flags local_irq_save returns in Emu: X86_EFLAGS_IF, interrupts enabled.</summary>
    private const ulong EmuIrqFlags = 0x200;

    [Upstream("include/linux/spinlock_api_smp.h", "assert_raw_spin_locked", UpstreamAttribute.Macro)]
    internal void assert_raw_spin_locked(raw_spinlock* x) => BUG_ON(!raw_spin_is_locked(x));

    [Upstream("include/linux/spinlock_api_smp.h", "__raw_spin_trylock", "5e9845ed46639ebf")]
    internal int __raw_spin_trylock(raw_spinlock* @lock)
    {
        // preempt_disable();
        if (do_raw_spin_trylock(@lock) != 0)
        {
            spin_acquire(@lock, 0, 1);
            return 1;
        }
        // preempt_enable();
        return 0;
    }

    [Upstream("include/linux/spinlock_api_smp.h", "__raw_spin_lock_irqsave", "45e728d8660f69da")]
    internal ulong __raw_spin_lock_irqsave(raw_spinlock* @lock)
    {
        ulong flags;

        flags = EmuIrqFlags; // local_irq_save(flags);
        // preempt_disable();
        spin_acquire(@lock, 0, 0);
        do_raw_spin_lock(@lock); // LOCK_CONTENDED(lock, do_raw_spin_trylock, do_raw_spin_lock)
        return flags;
    }

    [Upstream("include/linux/spinlock_api_smp.h", "__raw_spin_lock_irq", "57d712700fe7fb67")]
    internal void __raw_spin_lock_irq(raw_spinlock* @lock)
    {
        // local_irq_disable();
        // preempt_disable();
        spin_acquire(@lock, 0, 0);
        do_raw_spin_lock(@lock); // LOCK_CONTENDED
    }

    [Upstream("include/linux/spinlock_api_smp.h", "__raw_spin_lock", "e1a05bf825acc6c0")]
    internal void __raw_spin_lock(raw_spinlock* @lock)
    {
        // preempt_disable();
        spin_acquire(@lock, 0, 0);
        do_raw_spin_lock(@lock); // LOCK_CONTENDED
    }

    [Upstream("include/linux/spinlock_api_smp.h", "__raw_spin_unlock", "d87276a7ab6e5b9f")]
    internal void __raw_spin_unlock(raw_spinlock* @lock)
    {
        spin_release(@lock);
        do_raw_spin_unlock(@lock);
        // preempt_enable();
    }

    [Upstream("include/linux/spinlock_api_smp.h", "__raw_spin_unlock_irqrestore", "0d5e5111594ab657")]
    internal void __raw_spin_unlock_irqrestore(raw_spinlock* @lock, ulong flags)
    {
        spin_release(@lock);
        do_raw_spin_unlock(@lock);
        // local_irq_restore(flags);
        // preempt_enable();
    }

    [Upstream("include/linux/spinlock_api_smp.h", "__raw_spin_unlock_irq", "4593039a9b23c7dd")]
    internal void __raw_spin_unlock_irq(raw_spinlock* @lock)
    {
        spin_release(@lock);
        do_raw_spin_unlock(@lock);
        // local_irq_enable();
        // preempt_enable();
    }
}
