using System.Threading;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;

namespace Emu.Tests.Kernel.Locking;

/// <summary>rw_semaphore: the count and owner words of kernel/locking/rwsem.c, sharing and exclusion across threads, and the debug checks.</summary>
public unsafe class RwsemTests : LockTestBase
{
    // kernel/locking/rwsem.c:117-123 (count) and :63-64 (owner flags).
    private const long WriterLocked = 1L << 0;
    private const long FlagWaiters = 1L << 1;
    private const long ReaderBias = 1L << 8;
    private const long ReaderOwned = 1L << 0;

    private rw_semaphore* NewRwsem()
    {
        var sem = _mem.New<rw_semaphore>();
        _machine.Kernel.init_rwsem(sem);
        return sem;
    }

    private static long Count(rw_semaphore* sem) => Volatile.Read(ref sem->count.counter);
    private static long Owner(rw_semaphore* sem) => Volatile.Read(ref sem->owner.counter);

    [Test]
    public void InitLeavesAnUnlockedSemWithAnEmptyWaitList()
    {
        var sem = _mem.New<rw_semaphore>();
        sem->count.counter = 0x1234;
        sem->owner.counter = 0x5678;
        _machine.Kernel.init_rwsem(sem);
        Assert.Multiple(() =>
        {
            Assert.That(Count(sem), Is.Zero, "RWSEM_UNLOCKED_VALUE, include/linux/rwsem.h:69");
            Assert.That(Owner(sem), Is.Zero);
            Assert.That((ulong)sem->wait_list.next, Is.EqualTo((ulong)&sem->wait_list), "INIT_LIST_HEAD");
            Assert.That(rwsem_is_locked(sem), Is.False);
        });
    }

    [Test]
    public void ReadersAddTheReaderBiasAndMarkTheOwnerReaderOwned()
    {
        var k = _machine.Kernel;
        var sem = NewRwsem();
        k.down_read(sem);
        Assert.Multiple(() =>
        {
            Assert.That(Count(sem), Is.EqualTo(ReaderBias));
            Assert.That(Owner(sem), Is.EqualTo(current_task | ReaderOwned), "__rwsem_set_reader_owned, rwsem.c:170");
            Assert.That(rwsem_is_locked(sem), Is.True);
        });
        long otherTask = 0;
        Assert.That(OnThread.Run(() =>
        {
            k.down_read(sem);
            otherTask = current_task;
            Assert.That(Count(sem), Is.EqualTo(2 * ReaderBias));
            k.up_read(sem);
        }), Is.Null);
        Assert.That(otherTask, Is.Not.EqualTo((long)current_task), "each thread is its own task");
        k.up_read(sem);
        Assert.That(Count(sem), Is.Zero);
        Assert.That(Owner(sem) & ReaderOwned, Is.EqualTo(ReaderOwned), "the owner word keeps the last reader (rwsem.c:48-50)");
        Assert.That(_machine.Warnings, Is.Empty);
    }

    [Test]
    public void AWriterSetsTheWriterBitAndItselfAsOwnerAndDowngradesToAReader()
    {
        var k = _machine.Kernel;
        var sem = NewRwsem();
        k.down_write(sem);
        Assert.That(Count(sem), Is.EqualTo(WriterLocked));
        Assert.That(Owner(sem), Is.EqualTo((long)current_task), "rwsem_set_owner, rwsem.c:140");
        Assert.That(Owner(sem) & 7, Is.Zero, "a task pointer leaves the flag bits free");
        Assert.That(k.down_read_trylock(sem), Is.Zero);
        Assert.That(OnThread.Run(() => Assert.That(k.down_write_trylock(sem), Is.Zero)), Is.Null);

        k.downgrade_write(sem);
        // __downgrade_write adds -RWSEM_WRITER_LOCKED + RWSEM_READER_BIAS.
        Assert.That(Count(sem), Is.EqualTo(ReaderBias));
        Assert.That(Owner(sem), Is.EqualTo(current_task | ReaderOwned));
        k.lockdep_assert_held_read(sem);
        k.up_read(sem);

        k.down_write(sem);
        k.up_write(sem);
        Assert.That(Count(sem), Is.Zero);
        Assert.That(Owner(sem), Is.Zero, "rwsem_clear_owner");
        Assert.That(_machine.Warnings, Is.Empty);
    }

    [Test]
    public void TrylocksAndKillableLocksSucceedOnAFreeSem()
    {
        var k = _machine.Kernel;
        var sem = NewRwsem();
        Assert.That(k.down_read_trylock(sem), Is.EqualTo(1));
        Assert.That(k.down_write_trylock(sem), Is.Zero);
        k.up_read(sem);
        Assert.That(k.down_write_trylock(sem), Is.EqualTo(1));
        k.up_write(sem);
        Assert.That(k.down_read_killable(sem), Is.Zero);
        k.up_read(sem);
        Assert.That(k.down_write_killable(sem), Is.Zero);
        k.up_write(sem);
        Assert.That(Count(sem), Is.Zero);
        Assert.That(_machine.Warnings, Is.Empty);
    }

    [Test]
    public void UpReadWithoutAReaderIsABug()
    {
        var k = _machine.Kernel;
        var anonVmaRwsem = _mem.New<rw_semaphore>();
        k.init_rwsem(anonVmaRwsem);
        var bug = Assert.Throws<KernelBugException>(() => k.up_read(anonVmaRwsem))!;
        // __up_read's check, kernel/locking/rwsem.c:1346.
        Assert.That(bug.Message, Does.Contain("DEBUG_RWSEMS_WARN_ON(tmp < 0)").And.Contain("anonVmaRwsem"));
        Assert.That(bug.Message, Does.Contain("bad unlock balance"));
        Assert.That(Count(anonVmaRwsem), Is.Zero, "the count did not go negative");
    }

    [Test]
    public void UpReadOfAnotherThreadsReadLockIsABug()
    {
        var k = _machine.Kernel;
        var anonVmaRwsem = _mem.New<rw_semaphore>();
        k.init_rwsem(anonVmaRwsem);
        k.down_read(anonVmaRwsem);
        var error = OnThread.Run(() => k.up_read(anonVmaRwsem));
        Assert.That(error, Is.TypeOf<KernelBugException>());
        Assert.That(error!.Message, Does.Contain("anonVmaRwsem"));
        Assert.That(Count(anonVmaRwsem), Is.EqualTo(ReaderBias));
        k.up_read(anonVmaRwsem);
    }

    [Test]
    public void UpWriteByAnotherThreadIsABug()
    {
        var k = _machine.Kernel;
        var anonVmaRwsem = _mem.New<rw_semaphore>();
        k.init_rwsem(anonVmaRwsem);
        k.down_write(anonVmaRwsem);
        var error = OnThread.Run(() => k.up_write(anonVmaRwsem));
        Assert.That(error, Is.TypeOf<KernelBugException>());
        // __up_write's owner check, kernel/locking/rwsem.c:1367.
        Assert.That(error!.Message, Does.Contain("rwsem_owner(sem) != current").And.Contain("anonVmaRwsem"));
        Assert.That(Count(anonVmaRwsem), Is.EqualTo(WriterLocked));
        k.up_write(anonVmaRwsem);
    }

    [Test]
    public void TakingTheSemTwiceIsABugForReadersToo()
    {
        var k = _machine.Kernel;
        var anonVmaRwsem = _mem.New<rw_semaphore>();
        k.init_rwsem(anonVmaRwsem);
        k.down_read(anonVmaRwsem);
        // A second down_read deadlocks once a writer queues in between.
        var bug = Assert.Throws<KernelBugException>(() => k.down_read(anonVmaRwsem))!;
        Assert.That(bug.Message, Does.Contain("possible recursive locking detected").And.Contain("anonVmaRwsem"));
        Assert.Throws<KernelBugException>(() => k.down_write(anonVmaRwsem));
        k.up_read(anonVmaRwsem);
    }

    [Test]
    public void AnUninitializedSemIsABadMagicBug()
    {
        var k = _machine.Kernel;
        var sem = _mem.New<rw_semaphore>();
        var bug = Assert.Throws<KernelBugException>(() => k.down_write(sem))!;
        Assert.That(bug.Message, Does.Contain("DEBUG_RWSEMS_WARN_ON(rwsem_magic(sem) != sem)").And.Contain($"0x{(ulong)sem:x}"));
        Assert.Throws<KernelBugException>(() => k.down_read_trylock(sem));
        Assert.Throws<KernelBugException>(() => k.up_read(sem));
    }

    [Test]
    public void ReadersShareTheSemWhileAWriterWaitsAndNewReadersHoldBack()
    {
        var k = _machine.Kernel;
        var sem = NewRwsem();
        using var readersIn = new CountdownEvent(2);
        using var release = new ManualResetEventSlim();
        int readersHolding = 0, holdingWhenWriterGotIn = -1;
        void Reader()
        {
            k.down_read(sem);
            Interlocked.Increment(ref readersHolding);
            readersIn.Signal();
            release.Wait();
            Interlocked.Decrement(ref readersHolding);
            k.up_read(sem);
        }
        var r1 = OnThread.Start(Reader);
        var r2 = OnThread.Start(Reader);
        Assert.That(readersIn.Wait(System.TimeSpan.FromMinutes(2)), Is.True, "both readers hold the sem at once");
        Assert.That(Count(sem), Is.EqualTo(2 * ReaderBias));

        var writer = OnThread.Start(() =>
        {
            k.down_write(sem);
            holdingWhenWriterGotIn = Volatile.Read(ref readersHolding);
            k.up_write(sem);
        });
        // The waiting writer shows in the count; from then on a new reader is held back.
        OnThread.WaitUntil(() => (Count(sem) & FlagWaiters) != 0, "RWSEM_FLAG_WAITERS");
        Assert.That(OnThread.Run(() => Assert.That(k.down_read_trylock(sem), Is.Zero)), Is.Null);
        release.Set();
        OnThread.Join(r1);
        OnThread.Join(r2);
        OnThread.Join(writer);
        Assert.That(holdingWhenWriterGotIn, Is.Zero, "the writer got in only after both readers left");
        Assert.That(Count(sem), Is.Zero, "the last waiting writer cleared RWSEM_FLAG_WAITERS");
        Assert.That(_machine.Warnings, Is.Empty);
    }

    [Test]
    public void WritersExcludeEachOtherAndReaders()
    {
        const int perThread = 100_000;
        var k = _machine.Kernel;
        var sem = NewRwsem();
        var pair = _mem.New<long>(); // two halves a writer changes together
        var second = _mem.New<long>();
        int tornReads = 0;
        void Writer()
        {
            for (int i = 0; i < perThread; i++)
            {
                k.down_write(sem);
                long v = Volatile.Read(ref *pair);
                Volatile.Write(ref *pair, v + 1);
                Volatile.Write(ref *second, v + 1);
                k.up_write(sem);
            }
        }
        void Reader()
        {
            for (int i = 0; i < perThread / 10; i++)
            {
                k.down_read(sem);
                if (Volatile.Read(ref *pair) != Volatile.Read(ref *second))
                    Interlocked.Increment(ref tornReads);
                k.up_read(sem);
            }
        }
        OnThread.RunTogether(Writer, Writer, Reader);
        Assert.That(*pair, Is.EqualTo(2L * perThread));
        Assert.That(tornReads, Is.Zero);
        Assert.That(Count(sem), Is.Zero);
        Assert.That(_machine.Warnings, Is.Empty);
    }

    [Test]
    public void HeldAssertsAskWhetherThisThreadHoldsTheSemInThatMode()
    {
        var k = _machine.Kernel;
        var anonVmaRwsem = _mem.New<rw_semaphore>();
        k.init_rwsem(anonVmaRwsem);
        k.rwsem_assert_held(anonVmaRwsem);
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1));
        Assert.That(_machine.Warnings[0].Message, Does.Contain("anonVmaRwsem"));

        k.down_read(anonVmaRwsem);
        k.rwsem_assert_held(anonVmaRwsem);
        k.lockdep_assert_held_read(anonVmaRwsem);
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1));
        k.rwsem_assert_held_write(anonVmaRwsem);
        Assert.That(_machine.Warnings, Has.Count.EqualTo(2), "read-held is not write-held");
        // Held by this thread only: another thread's assert fails although the count is nonzero.
        OnThread.Run(() => k.rwsem_assert_held(anonVmaRwsem));
        Assert.That(_machine.Warnings, Has.Count.EqualTo(3));
        k.up_read(anonVmaRwsem);

        k.down_write(anonVmaRwsem);
        k.rwsem_assert_held_write(anonVmaRwsem);
        k.lockdep_assert_held(anonVmaRwsem);
        Assert.That(_machine.Warnings, Has.Count.EqualTo(3));
        k.lockdep_assert_held_read(anonVmaRwsem);
        k.lockdep_assert_not_held(anonVmaRwsem);
        Assert.That(_machine.Warnings, Has.Count.EqualTo(5));
        k.up_write(anonVmaRwsem);
        k.lockdep_assert_not_held(anonVmaRwsem);
        Assert.That(_machine.Warnings, Has.Count.EqualTo(5));
    }

    [Test]
    public void NonOwnerReadLocksAreNotTheTakersToRelease()
    {
        var k = _machine.Kernel;
        var sem = NewRwsem();
        k.down_read_non_owner(sem);
        Assert.That(Owner(sem), Is.EqualTo(ReaderOwned), "__rwsem_set_reader_owned(sem, NULL)");
        Assert.That(OnThread.Run(() => k.up_read_non_owner(sem)), Is.Null);
        Assert.That(Count(sem), Is.Zero);
        Assert.That(_machine.Warnings, Is.Empty);
    }
}
