using System.Threading;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;

namespace Emu.Tests.Kernel.Locking;

/// <summary>struct mutex: the owner word of kernel/locking/mutex.c, exclusion across threads, and the CONFIG_DEBUG_MUTEXES checks.</summary>
public unsafe class MutexTests : LockTestBase
{
    // kernel/locking/mutex.c:72: MUTEX_FLAGS, the low bits of the owner word.
    private const long MutexFlags = 0x07;

    private static long Owner(mutex* m) => Volatile.Read(ref m->owner.counter);

    [Test]
    public void TheOwnerWordIsTheOwningTaskOrZero()
    {
        var k = _machine.Kernel;
        var ksmThreadMutex = _mem.New<mutex>();
        ksmThreadMutex->owner.counter = 0x4242;
        k.mutex_init(ksmThreadMutex);
        Assert.That(Owner(ksmThreadMutex), Is.Zero);
        Assert.That(mutex_is_locked(ksmThreadMutex), Is.False);

        k.mutex_lock(ksmThreadMutex);
        Assert.Multiple(() =>
        {
            Assert.That(Owner(ksmThreadMutex), Is.EqualTo((long)current_task), "__mutex_trylock_common stores current, no flags");
            Assert.That(Owner(ksmThreadMutex) & MutexFlags, Is.Zero);
            Assert.That(mutex_is_locked(ksmThreadMutex), Is.True);
        });
        k.mutex_unlock(ksmThreadMutex);
        Assert.That(Owner(ksmThreadMutex), Is.Zero);
        Assert.That(_machine.Warnings, Is.Empty);
    }

    [Test]
    public void TrylockAndTheInterruptibleLocksTakeAFreeMutexOnly()
    {
        var k = _machine.Kernel;
        var ksmThreadMutex = _mem.New<mutex>();
        k.mutex_init(ksmThreadMutex);
        Assert.That(k.mutex_trylock(ksmThreadMutex), Is.EqualTo(1));
        Assert.That(OnThread.Run(() => Assert.That(k.mutex_trylock(ksmThreadMutex), Is.Zero)), Is.Null);
        Assert.That(k.mutex_trylock(ksmThreadMutex), Is.Zero, "a trylock on a held mutex fails, even for its owner");
        k.mutex_unlock(ksmThreadMutex);
        Assert.That(k.mutex_lock_interruptible(ksmThreadMutex), Is.Zero);
        k.mutex_unlock(ksmThreadMutex);
        Assert.That(k.mutex_lock_killable(ksmThreadMutex), Is.Zero);
        k.mutex_unlock(ksmThreadMutex);
        Assert.That(Owner(ksmThreadMutex), Is.Zero);
        Assert.That(_machine.Warnings, Is.Empty);
    }

    [Test]
    public void UnlockingAnUnlockedMutexIsABug()
    {
        var k = _machine.Kernel;
        var ksmThreadMutex = _mem.New<mutex>();
        k.mutex_init(ksmThreadMutex);
        var bug = Assert.Throws<KernelBugException>(() => k.mutex_unlock(ksmThreadMutex))!;
        // kernel/locking/mutex.c:930
        Assert.That(bug.Message, Does.Contain("DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)").And.Contain("ksmThreadMutex"));
    }

    [Test]
    public void UnlockingAnotherThreadsMutexIsABug()
    {
        var k = _machine.Kernel;
        var ksmThreadMutex = _mem.New<mutex>();
        k.mutex_init(ksmThreadMutex);
        k.mutex_lock(ksmThreadMutex);
        var error = OnThread.Run(() => k.mutex_unlock(ksmThreadMutex));
        Assert.That(error, Is.TypeOf<KernelBugException>());
        Assert.That(error!.Message, Does.Contain("__owner_task(owner) != current").And.Contain("ksmThreadMutex"));
        Assert.That(Owner(ksmThreadMutex), Is.EqualTo((long)current_task), "still ours");
        k.mutex_unlock(ksmThreadMutex);
    }

    [Test]
    public void TakingAMutexTwiceIsABug()
    {
        var k = _machine.Kernel;
        var ksmThreadMutex = _mem.New<mutex>();
        k.mutex_init(ksmThreadMutex);
        k.mutex_lock(ksmThreadMutex);
        var bug = Assert.Throws<KernelBugException>(() => k.mutex_lock(ksmThreadMutex))!;
        Assert.That(bug.Message, Does.Contain("possible recursive locking detected").And.Contain("ksmThreadMutex"));
        k.mutex_unlock(ksmThreadMutex);
    }

    [Test]
    public void AnUninitializedOrDestroyedMutexIsABadMagicBug()
    {
        var k = _machine.Kernel;
        var m = _mem.New<mutex>();
        var bug = Assert.Throws<KernelBugException>(() => k.mutex_lock(m))!;
        // kernel/locking/mutex.c:588 (__mutex_lock_common)
        Assert.That(bug.Message, Does.Contain("DEBUG_LOCKS_WARN_ON(mutex_magic(@lock) != @lock)").And.Contain($"0x{(ulong)m:x}"));

        k.mutex_init(m);
        k.mutex_lock(m);
        Assert.Throws<KernelBugException>(() => k.mutex_destroy(m), "destroying a locked mutex");
        k.mutex_unlock(m);
        k.mutex_destroy(m);
        Assert.Throws<KernelBugException>(() => k.mutex_trylock(m));
    }

    [Test]
    public void TwoThreadsCountExactlyUnderTheMutex()
    {
        var k = _machine.Kernel;
        var m = _mem.New<mutex>();
        k.mutex_init(m);
        Assert.That(CountTogether(100_000, () => k.mutex_lock(m), () => k.mutex_unlock(m)), Is.EqualTo(200_000));
        Assert.That(Owner(m), Is.Zero);
        Assert.That(_machine.Warnings, Is.Empty);
    }
}
