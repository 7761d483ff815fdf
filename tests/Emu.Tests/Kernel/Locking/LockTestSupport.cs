using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using NUnit.Framework;

namespace Emu.Tests.Kernel.Locking;

/// <summary>A fresh machine and native memory for each test.</summary>
public abstract unsafe class LockTestBase
{
    protected Machine _machine = null!;
    protected NativeStructs _mem = null!;

    [SetUp]
    public void CreateMachine()
    {
        _machine = new Machine();
        _mem = new NativeStructs();
    }

    [TearDown]
    public void DisposeMachine()
    {
        _mem.Dispose();
        _machine.Dispose();
    }

    /// <summary>Two threads each add 1 to a counter <paramref name="perThread"/> times, the read-modify-write made atomic only by the lock.</summary>
    protected long CountTogether(int perThread, Action lockIt, Action unlockIt)
    {
        var counter = _mem.New<long>();
        void Work()
        {
            for (int i = 0; i < perThread; i++)
            {
                lockIt();
                long v = Volatile.Read(ref *counter);
                Volatile.Write(ref *counter, v + 1);
                unlockIt();
            }
        }
        OnThread.RunTogether(Work, Work);
        return *counter;
    }
}

/// <summary>Zeroed native lock structs for one test, freed at the end.</summary>
public sealed unsafe class NativeStructs : IDisposable
{
    private readonly List<nint> _blocks = new();

    public T* New<T>() where T : unmanaged
    {
        var p = NativeMemory.AllocZeroed((nuint)sizeof(T));
        _blocks.Add((nint)p);
        return (T*)p;
    }

    public void Dispose()
    {
        foreach (var p in _blocks)
            NativeMemory.Free((void*)p);
        _blocks.Clear();
    }
}

/// <summary>Runs kernel code on other threads, as ksmd and other tasks would, and hands back what it threw.</summary>
internal static class OnThread
{
    // A safety net so a deadlock fails the test instead of hanging the run; not a timing assertion.
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(2);

    public static Thread Start(Action action, Action<Exception>? onError = null)
    {
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e) when (onError is not null)
            {
                onError(e);
            }
        }) { IsBackground = true, Name = "emu-test" };
        thread.Start();
        return thread;
    }

    public static void Join(Thread thread) =>
        Assert.That(thread.Join(Hang), Is.True, "thread did not finish: deadlock?");

    /// <summary>Runs <paramref name="action"/> on a new thread to the end; returns its exception, if any.</summary>
    public static Exception? Run(Action action)
    {
        Exception? error = null;
        Join(Start(action, e => error = e));
        return error;
    }

    /// <summary>Runs every action on its own thread, all released at once, and rethrows the first failure.</summary>
    public static void RunTogether(params Action[] actions)
    {
        using var start = new Barrier(actions.Length);
        Exception? error = null;
        var threads = new List<Thread>();
        foreach (var action in actions)
            threads.Add(Start(() => { start.SignalAndWait(); action(); }, e => Interlocked.CompareExchange(ref error, e, null)));
        foreach (var t in threads)
            Join(t);
        if (error is not null)
            throw new AggregateException(error);
    }

    /// <summary>Spins until <paramref name="condition"/> holds (the safety net again fails a test that would hang).</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Hang;
        var spinner = new SpinWait();
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"never saw: {what}");
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
