using System.Threading;
using Emu.Kernel;
using NUnit.Framework;

namespace Emu.Tests.Kernel.Locking;

/// <summary>include/linux/mmap_lock.h on an mm_struct: the rwsem underneath, mm_lock_seq, and the asserts.</summary>
public unsafe class MmapLockTests : LockTestBase
{
    // kernel/locking/rwsem.c:117,123.
    private const long WriterLocked = 1;
    private const long ReaderBias = 256;

    private mm_struct* _mm;

    [SetUp]
    public void InitMm()
    {
        _mm = _mem.New<mm_struct>();
        _machine.Kernel.mmap_init_lock(_mm);
    }

    private long Count => Volatile.Read(ref _mm->mmap_lock.count.counter);

    [Test]
    public void AWriteSectionMakesMmLockSeqOddAndItsEndEvenAgain()
    {
        var k = _machine.Kernel;
        _mm->mm_lock_seq.sequence = 77;
        k.mmap_init_lock(_mm);
        Assert.That(_mm->mm_lock_seq.sequence, Is.Zero, "seqcount_init");

        k.mmap_write_lock(_mm);
        Assert.That(Count, Is.EqualTo(WriterLocked));
        Assert.That(_mm->mm_lock_seq.sequence, Is.EqualTo(1u), "mm_lock_seqcount_begin");
        k.mmap_assert_write_locked(_mm);
        k.mmap_write_unlock(_mm);
        Assert.That(_mm->mm_lock_seq.sequence, Is.EqualTo(2u), "vma_end_write_all");
        Assert.That(Count, Is.Zero);

        Assert.That(k.mmap_write_lock_killable(_mm), Is.Zero);
        k.mmap_write_downgrade(_mm);
        Assert.That(_mm->mm_lock_seq.sequence, Is.EqualTo(4u));
        Assert.That(Count, Is.EqualTo(ReaderBias));
        k.mmap_assert_locked(_mm);
        k.mmap_read_unlock(_mm);
        Assert.That(_machine.Warnings, Is.Empty);
    }

    [Test]
    public void ReadLocksLeaveMmLockSeqAlone()
    {
        var k = _machine.Kernel;
        k.mmap_read_lock(_mm);
        Assert.That(Count, Is.EqualTo(ReaderBias));
        k.mmap_assert_locked(_mm);
        k.mmap_read_unlock(_mm);
        Assert.That(k.mmap_read_lock_killable(_mm), Is.Zero);
        k.mmap_read_unlock(_mm);
        Assert.That(k.mmap_read_trylock(_mm), Is.True);
        k.mmap_read_unlock(_mm);
        Assert.That(_mm->mm_lock_seq.sequence, Is.Zero);
        Assert.That(Emu.Kernel.Kernel.mmap_lock_is_contended(_mm), Is.False);
        Assert.That(_machine.Warnings, Is.Empty);
    }

    [Test]
    public void TheAssertsWarnNamingTheMmapLock()
    {
        var k = _machine.Kernel;
        k.mmap_assert_locked(_mm);
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1));
        // mmap_init_lock's init_rwsem(&mm->mmap_lock) names the class.
        Assert.That(_machine.Warnings[0].Message, Does.Contain("&mm->mmap_lock"));

        k.mmap_read_lock(_mm);
        k.mmap_assert_write_locked(_mm);
        Assert.That(_machine.Warnings, Has.Count.EqualTo(2));
        k.mmap_read_unlock(_mm);
    }

    [Test]
    public void AWriterExcludesReadersOfOtherThreads()
    {
        var k = _machine.Kernel;
        k.mmap_write_lock(_mm);
        Assert.That(OnThread.Run(() => Assert.That(k.mmap_read_trylock(_mm), Is.False)), Is.Null);
        bool readerIn = false;
        var reader = OnThread.Start(() =>
        {
            k.mmap_read_lock(_mm);
            Volatile.Write(ref readerIn, true);
            k.mmap_read_unlock(_mm);
        });
        // Whenever this runs, the writer still holds the lock.
        Assert.That(Volatile.Read(ref readerIn), Is.False);
        k.mmap_write_unlock(_mm);
        OnThread.Join(reader);
        Assert.That(readerIn, Is.True);
        Assert.That(Count, Is.Zero);
        Assert.That(_machine.Warnings, Is.Empty);
    }

    [Test]
    public void UnlockingAnMmapLockThatIsNotHeldIsABug()
    {
        var k = _machine.Kernel;
        var bug = Assert.Throws<KernelBugException>(() => k.mmap_read_unlock(_mm))!;
        Assert.That(bug.Message, Does.Contain("&mm->mmap_lock"));
        Assert.Throws<KernelBugException>(() => k.mmap_write_unlock(_mm));
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1), "vma_end_write_all's assert warned first");
    }
}
