using System.Linq;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;

namespace Emu.Tests.Kernel.Locking;

/// <summary>Emu's lockdep: lock classes, per-thread held locks, the per-machine order graph, and sleeping under a spinlock.</summary>
public unsafe class LockdepTests : LockTestBase
{

    // One init call site: every lock it makes is of one class, as with a static lock_class_key.
    private static spinlock* NewPtl(global::Emu.Kernel.Kernel k, NativeStructs mem)
    {
        var ptl = mem.New<spinlock>();
        k.spin_lock_init(ptl);
        return ptl;
    }

    [Test]
    public void ConsistentNestingIsSilent()
    {
        var k = _machine.Kernel;
        var mmapLock = _mem.New<rw_semaphore>();
        var pageTableLock = _mem.New<spinlock>();
        var ksmThreadMutex = _mem.New<mutex>();
        k.init_rwsem(mmapLock);
        k.spin_lock_init(pageTableLock);
        k.mutex_init(ksmThreadMutex);
        for (int round = 0; round < 3; round++)
        {
            k.mutex_lock(ksmThreadMutex);
            k.down_read(mmapLock);
            k.spin_lock(pageTableLock);
            k.lockdep_assert_held(pageTableLock);
            k.lockdep_assert_held(mmapLock);
            k.lockdep_assert_held(ksmThreadMutex);
            k.spin_unlock(pageTableLock);
            k.up_read(mmapLock);
            k.down_write(mmapLock); // a subset of the same order
            k.spin_lock(pageTableLock);
            k.spin_unlock(pageTableLock);
            k.up_write(mmapLock);
            k.mutex_unlock(ksmThreadMutex);
        }
        k.lockdep_assert_none_held_once();
        Assert.That(_machine.Warnings, Is.Empty);
        Assert.That(_machine.KernelLog, Is.Empty);
    }

    [Test]
    public void AnAbbaOrderIsOneWarningNamingBothClasses()
    {
        var k = _machine.Kernel;
        var lockA = _mem.New<spinlock>();
        var lockB = _mem.New<mutex>();
        k.spin_lock_init(lockA);
        k.mutex_init(lockB);
        k.mutex_lock(lockB);
        k.spin_lock(lockA);
        k.spin_unlock(lockA);
        k.mutex_unlock(lockB);
        Assert.That(_machine.Warnings, Is.Empty);

        for (int round = 0; round < 2; round++)
        {
            k.spin_lock(lockA);
            Assert.That(k.mutex_trylock(lockB), Is.EqualTo(1), "a trylock cannot deadlock: no report");
            k.mutex_unlock(lockB);
            k.spin_unlock(lockA);
        }
        Assert.That(_machine.Warnings, Is.Empty);

        var lockC = _mem.New<rw_semaphore>();
        k.init_rwsem(lockC);
        for (int round = 0; round < 2; round++)
        {
            k.down_write(lockC);
            k.mutex_lock(lockB);
            k.mutex_unlock(lockB);
            k.up_write(lockC);
            k.mutex_lock(lockB);
            k.down_read(lockC); // B -> C against C -> B
            k.up_read(lockC);
            k.mutex_unlock(lockB);
        }
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1), "reported once");
        var warning = _machine.Warnings[0];
        Assert.That(warning.Condition, Is.EqualTo("possible circular locking dependency detected"));
        Assert.That(warning.Message, Does.Contain("lockC").And.Contain("lockB"));
        Assert.That(_machine.KernelLog, Has.Some.Contains("WARNING: possible circular locking dependency detected"));
    }

    [Test]
    public void ACycleThroughAThirdClassIsFound()
    {
        var k = _machine.Kernel;
        var first = _mem.New<mutex>();
        var second = _mem.New<mutex>();
        var third = _mem.New<mutex>();
        k.mutex_init(first);
        k.mutex_init(second);
        k.mutex_init(third);
        void Nest(mutex* outer, mutex* inner)
        {
            k.mutex_lock(outer);
            k.mutex_lock(inner);
            k.mutex_unlock(inner);
            k.mutex_unlock(outer);
        }
        Nest(first, second);
        Nest(second, third);
        Assert.That(_machine.Warnings, Is.Empty);
        Nest(third, first); // first -> second -> third -> first
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1));
        Assert.That(_machine.Warnings[0].Message, Does.Contain("acquire lock first").And.Contain("holding lock third"));
        Assert.That(string.Join("\n", _machine.KernelLog), Does.Contain("-> first -> second").And.Contain("-> second -> third"));
    }

    [Test]
    public void OneClassTwiceNeedsASubclass()
    {
        var k = _machine.Kernel;
        var dstPtl = NewPtl(k, _mem);
        var srcPtl = NewPtl(k, _mem);
        // copy_pte_range's pattern: the second lock of the class is taken with SINGLE_DEPTH_NESTING.
        k.spin_lock(dstPtl);
        k.spin_lock_nested(srcPtl, SINGLE_DEPTH_NESTING);
        k.spin_unlock(srcPtl);
        k.spin_unlock(dstPtl);
        Assert.That(_machine.Warnings, Is.Empty);

        k.spin_lock(dstPtl);
        k.spin_lock(srcPtl);
        k.spin_unlock(srcPtl);
        k.spin_unlock(dstPtl);
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1));
        Assert.That(_machine.Warnings[0].Condition, Is.EqualTo("possible recursive locking detected"));
        Assert.That(_machine.Warnings[0].Message, Does.Contain("ptl"));
        Assert.That(_machine.Warnings[0].Message, Does.Not.Contain("ptl/1"), "subclass 0 both times");
    }

    [Test]
    public void EachMachineHasItsOwnGraph()
    {
        using var other = new Machine();
        var lockA = _mem.New<mutex>();
        var lockB = _mem.New<mutex>();
        var otherA = _mem.New<mutex>();
        var otherB = _mem.New<mutex>();
        foreach (var (k, a, b) in new[] { (_machine.Kernel, (nint)lockA, (nint)lockB), (other.Kernel, (nint)otherA, (nint)otherB) })
        {
            k.mutex_init((mutex*)a);
            k.mutex_init((mutex*)b);
        }
        // A then B on one machine, B then A on the other, from one thread.
        _machine.Kernel.mutex_lock(lockA);
        _machine.Kernel.mutex_lock(lockB);
        other.Kernel.mutex_lock(otherB);
        other.Kernel.mutex_lock(otherA);
        other.Kernel.mutex_unlock(otherA);
        other.Kernel.mutex_unlock(otherB);
        _machine.Kernel.mutex_unlock(lockB);
        _machine.Kernel.mutex_unlock(lockA);
        Assert.That(_machine.Warnings, Is.Empty);
        Assert.That(other.Warnings, Is.Empty);
        // A lock is known only to the machine that initialized it.
        Assert.Throws<KernelBugException>(() => other.Kernel.mutex_lock(lockA));
    }

    [Test]
    public void HeldLocksArePerThread()
    {
        var k = _machine.Kernel;
        var ksmThreadMutex = _mem.New<mutex>();
        k.mutex_init(ksmThreadMutex);
        k.mutex_lock(ksmThreadMutex);
        Assert.That(OnThread.Run(() =>
        {
            Assert.That(k.lockdep_is_held(ksmThreadMutex), Is.EqualTo(LOCK_STATE_NOT_HELD));
            k.lockdep_assert_none_held_once();
        }), Is.Null);
        Assert.That(k.lockdep_is_held(ksmThreadMutex), Is.EqualTo(LOCK_STATE_HELD));
        Assert.That(_machine.Warnings, Is.Empty);
        k.lockdep_assert_none_held_once();
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1));
        Assert.That(_machine.Warnings[0].Message, Does.Contain("ksmThreadMutex"));
        k.mutex_unlock(ksmThreadMutex);
    }

    [Test]
    public void SleepingUnderASpinlockIsReported()
    {
        var k = _machine.Kernel;
        var pageTableLock = _mem.New<spinlock>();
        var mmapLock = _mem.New<rw_semaphore>();
        k.spin_lock_init(pageTableLock);
        k.init_rwsem(mmapLock);
        k.spin_lock(pageTableLock);
        Assert.That(k.down_read_trylock(mmapLock), Is.EqualTo(1), "a trylock does not sleep");
        k.up_read(mmapLock);
        Assert.That(_machine.Warnings, Is.Empty);
        k.down_read(mmapLock);
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1));
        Assert.That(_machine.Warnings[0].Message, Does.Contain("sleeping function called from invalid context").And.Contain("pageTableLock"));
        Assert.That(_machine.KernelLog, Has.Some.StartsWith("BUG: sleeping function called from invalid context"));
        k.up_read(mmapLock);
        k.spin_unlock(pageTableLock);
        k.might_sleep();
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1));
    }

    [Test]
    public void FreeingAHeldLockIsABugAndAFreedLockMustBeInitializedAgain()
    {
        var k = _machine.Kernel;
        var anonVma = _mem.New<anon_vma>();
        k.init_rwsem(&anonVma->rwsem);
        k.down_write(&anonVma->rwsem);
        var bug = Assert.Throws<KernelBugException>(() => k.debug_check_no_locks_freed(anonVma, (ulong)sizeof(anon_vma)))!;
        Assert.That(bug.Message, Does.Contain("held lock freed").And.Contain("&anonVma->rwsem"));

        var reused = _mem.New<anon_vma>();
        k.init_rwsem(&reused->rwsem);
        k.debug_check_no_locks_freed(reused, (ulong)sizeof(anon_vma));
        Assert.Throws<KernelBugException>(() => k.down_read(&reused->rwsem), "freed, not initialized again");
        k.init_rwsem(&reused->rwsem);
        k.down_read(&reused->rwsem);
        Assert.Throws<KernelBugException>(() => k.init_rwsem(&reused->rwsem), "re-initializing a held lock");
        k.up_read(&reused->rwsem);
        Assert.That(_machine.Warnings, Is.Empty);
    }

    [Test]
    public void NestingDeeperThanTheSubclassesIsABug()
    {
        var k = _machine.Kernel;
        var ptl = NewPtl(k, _mem);
        // include/linux/lockdep_types.h:15: MAX_LOCKDEP_SUBCLASSES is 8.
        Assert.Throws<KernelBugException>(() => k.spin_lock_nested(ptl, 8));
        Assert.That(spin_is_locked(ptl), Is.False);
        k.spin_lock_nested(ptl, 7);
        k.spin_unlock(ptl);
        Assert.That(_machine.Warnings.Select(w => w.Condition), Is.Empty);
    }
}
