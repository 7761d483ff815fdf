using System.Threading;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;

namespace Emu.Tests.Kernel.Locking;

/// <summary>spinlock_t: the qspinlock word, mutual exclusion across threads, and the CONFIG_DEBUG_SPINLOCK checks.</summary>
public unsafe class SpinlockTests : LockTestBase
{
    // include/asm-generic/qspinlock_types.h:92: _Q_LOCKED_VAL is 1U << _Q_LOCKED_OFFSET (0).
    private const int QLockedVal = 1;

    [Test]
    public void TheWordIsZeroWhenUnlockedAndTheLockedByteWhenLocked()
    {
        var k = _machine.Kernel;
        var ptl = _mem.New<spinlock>();
        ptl->rlock.raw_lock.val.counter = 0x5a5a; // init must not trust the memory
        k.spin_lock_init(ptl);
        Assert.That(ptl->rlock.raw_lock.val.counter, Is.Zero);
        Assert.That(spin_is_locked(ptl), Is.False);

        k.spin_lock(ptl);
        Assert.Multiple(() =>
        {
            Assert.That(ptl->rlock.raw_lock.val.counter, Is.EqualTo(QLockedVal));
            Assert.That(ptl->rlock.raw_lock.locked, Is.EqualTo(1), "locked is the low byte on little endian");
            Assert.That(spin_is_locked(ptl), Is.True);
            Assert.That(spin_is_contended(ptl), Is.False, "no pending or tail bits");
        });
        k.spin_unlock(ptl);
        Assert.That(ptl->rlock.raw_lock.val.counter, Is.Zero);
        Assert.That(_machine.Warnings, Is.Empty);
    }

    [Test]
    public void TrylockTakesAFreeLockOnlyAndIrqsaveSavesInterruptsOn()
    {
        var k = _machine.Kernel;
        var ptl = _mem.New<spinlock>();
        k.spin_lock_init(ptl);
        Assert.That(k.spin_trylock(ptl), Is.EqualTo(1));
        Assert.That(OnThread.Run(() => Assert.That(k.spin_trylock(ptl), Is.Zero)), Is.Null);
        k.spin_unlock(ptl);

        k.spin_lock_irqsave(ptl, out ulong flags);
        // arch/x86/include/uapi/asm/processor-flags.h:26: X86_EFLAGS_IF is bit 9; interrupts were on.
        Assert.That(flags & (1UL << 9), Is.Not.Zero);
        k.spin_unlock_irqrestore(ptl, flags);
        k.spin_lock_irq(ptl);
        k.spin_unlock_irq(ptl);
        Assert.That(spin_is_locked(ptl), Is.False);
        Assert.That(_machine.Warnings, Is.Empty);
    }

    [Test]
    public void UnlockingAnUnlockedSpinlockIsABug()
    {
        var k = _machine.Kernel;
        var pageTableLock = _mem.New<spinlock>();
        k.spin_lock_init(pageTableLock);
        var bug = Assert.Throws<KernelBugException>(() => k.spin_unlock(pageTableLock))!;
        // kernel/locking/spinlock_debug.c:101
        Assert.That(bug.Message, Does.Contain("BUG: spinlock already unlocked").And.Contain("pageTableLock"));
    }

    [Test]
    public void UnlockingAnotherThreadsSpinlockIsABug()
    {
        var k = _machine.Kernel;
        var pageTableLock = _mem.New<spinlock>();
        k.spin_lock_init(pageTableLock);
        k.spin_lock(pageTableLock);
        var error = OnThread.Run(() => k.spin_unlock(pageTableLock));
        // kernel/locking/spinlock_debug.c:102
        Assert.That(error, Is.TypeOf<KernelBugException>());
        Assert.That(error!.Message, Does.Contain("BUG: spinlock wrong owner").And.Contain("pageTableLock"));
        Assert.That(spin_is_locked(pageTableLock), Is.True, "the bad unlock did not release it");
        k.spin_unlock(pageTableLock);
    }

    [Test]
    public void TakingASpinlockTwiceIsABug()
    {
        var k = _machine.Kernel;
        var pageTableLock = _mem.New<spinlock>();
        k.spin_lock_init(pageTableLock);
        k.spin_lock(pageTableLock);
        var bug = Assert.Throws<KernelBugException>(() => k.spin_lock(pageTableLock))!;
        // kernel/locking/spinlock_debug.c:87
        Assert.That(bug.Message, Does.Contain("BUG: spinlock recursion").And.Contain("pageTableLock"));
    }

    [Test]
    public void AnUninitializedSpinlockIsABadMagicBug()
    {
        var k = _machine.Kernel;
        var neverInitialized = _mem.New<spinlock>();
        var bug = Assert.Throws<KernelBugException>(() => k.spin_lock(neverInitialized))!;
        // kernel/locking/spinlock_debug.c:86; such a lock has no name, so the report gives its address.
        Assert.That(bug.Message, Does.Contain("BUG: spinlock bad magic").And.Contain($"0x{(ulong)neverInitialized:x}"));
        Assert.Throws<KernelBugException>(() => k.spin_trylock(neverInitialized));
    }

    [Test]
    public void AssertSpinLockedIsABugOnAnUnlockedSpinlock()
    {
        var k = _machine.Kernel;
        var ptl = _mem.New<spinlock>();
        k.spin_lock_init(ptl);
        // include/linux/spinlock_api_smp.h:20: BUG_ON(!raw_spin_is_locked(x)).
        Assert.Throws<KernelBugException>(() => k.assert_spin_locked(ptl));
        k.spin_lock(ptl);
        Assert.DoesNotThrow(() => k.assert_spin_locked(ptl));
        k.spin_unlock(ptl);
    }

    [Test]
    public void TwoThreadsCountExactlyUnderTheLock()
    {
        var k = _machine.Kernel;
        var ptl = _mem.New<spinlock>();
        k.spin_lock_init(ptl);
        Assert.That(CountTogether(100_000, () => k.spin_lock(ptl), () => k.spin_unlock(ptl)), Is.EqualTo(200_000));
        Assert.That(ptl->rlock.raw_lock.val.counter, Is.Zero);
        Assert.That(_machine.Warnings, Is.Empty);
    }
}
