using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using static Emu.Kernel.KernelConstants;

namespace Emu.Tests.Processes;

/// <summary>
/// Random sequences of system calls and user accesses over several processes, checked against a
/// shadow of every process's memory (a plain byte map per page): a process only ever reads what its
/// shadow says; the invariant checker runs after every call; at the end every frame is free again.
/// </summary>
public class ShadowModelTests
{
    private const int Page = (int)PAGE_SIZE;

    [TestCase(1, 50_000)]
    [TestCase(2, 20_000)]
    public void Random_syscalls_never_change_what_a_process_reads(int seed, int operations)
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 128UL << 20, Seed = (ulong)seed, CheckInvariants = Environment.GetEnvironmentVariable("EMU_NOCHECK") == null });
        long freeAtStart = ProcessStateTests.BaselineFreePages(machine);
        var slabAtStart = ChurnTests.SlabObjects(machine);
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var rng = new Random(seed);
        var live = new List<(Emu.Process P, ShadowMemory S)> { (machine.Spawn(), new ShadowMemory()) };
        var counts = new Dictionary<string, int>();
        var buf = new byte[2 * Page];

        var times = new Dictionary<string, double>();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (int op = 0; op < operations; op++)
        {
            if (op % 5000 == 0)
                TestContext.Out.WriteLine($"op {op}: {sw.Elapsed.TotalSeconds:F1}s, managed {GC.GetTotalMemory(false) >> 20} MiB, rss {System.Diagnostics.Process.GetCurrentProcess().WorkingSet64 >> 20} MiB, free {machine.Kernel.nr_free_pages()}, live {live.Count}, warnings {machine.Warnings.Count}");
            double t0 = sw.Elapsed.TotalMilliseconds;
            if (live.Count == 0)
                live.Add((machine.Spawn(), new ShadowMemory()));
            var (p, s) = live[rng.Next(live.Count)];
            var ranges = s.Ranges();
            int roll = rng.Next(100);
            string kind;
            if (roll < 8 || ranges.Count == 0)
            {
                kind = "mmap";
                int pages = rng.Next(1, 17);
                ulong a = p.Mmap((ulong)(pages * Page), Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
                for (int i = 0; i < pages; i++)
                    Assert.That(s.TryAddPage(a + (ulong)(i * Page)), Is.True, $"mmap returned 0x{a:x}, which overlaps a mapping");
            }
            else if (roll < 45)
            {
                kind = "write";
                var (start, end) = ranges[rng.Next(ranges.Count)];
                ulong at = start + (ulong)rng.NextInt64((long)(end - start));
                int len = (int)Math.Min((ulong)rng.Next(1, 2 * Page), end - at);
                var data = buf.AsSpan(0, len);
                rng.NextBytes(data);
                p.Write(at, data);
                s.Write(at, data);
            }
            else if (roll < 75)
            {
                kind = "read";
                var (start, end) = ranges[rng.Next(ranges.Count)];
                ulong at = start + (ulong)rng.NextInt64((long)(end - start));
                int len = (int)Math.Min((ulong)rng.Next(1, 2 * Page), end - at);
                p.Read(at, buf.AsSpan(0, len));
                s.AssertReads(at, buf.AsSpan(0, len), p, op);
            }
            else if (roll < 81 && live.Count < 6)
            {
                kind = "fork";
                live.Add((p.Fork(), s.Clone()));
            }
            else if (roll < 88)
            {
                kind = "munmap";
                var (at, len) = ShadowMemory.SubRange(rng, ranges);
                p.Munmap(at, len);
                for (ulong a = at; a < at + len; a += (ulong)Page)
                    s.RemovePage(a);
            }
            else if (roll < 95)
            {
                kind = "dontneed";
                var (at, len) = ShadowMemory.SubRange(rng, ranges);
                p.Madvise(at, len, Advice.DontNeed);
                for (ulong a = at; a < at + len; a += (ulong)Page)
                    Array.Clear(s[a]);
            }
            else if (roll < 97)
            {
                kind = "unmapped-access";
                ulong hole = Hole(s);
                Assert.Throws<EmulatedSignalException>(() => p.Write(hole, [1]));
            }
            else
            {
                kind = "exit";
                p.Exit();
                live.RemoveAll(x => x.P == p);
            }
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
            times[kind] = times.GetValueOrDefault(kind) + sw.Elapsed.TotalMilliseconds - t0;
        }

        // Every process still reads its whole shadow.
        foreach (var (p, s) in live)
            foreach (var (a, d) in s.Pages)
            {
                p.Read(a, buf.AsSpan(0, Page));
                Assert.That(buf.AsSpan(0, Page).SequenceEqual(d), Is.True, $"{p} at 0x{a:x} at the end");
            }
        foreach (var (p, _) in live)
            p.Exit();
        machine.Kernel.lru_add_drain_all();
        var slabAtEnd = ChurnTests.SlabObjects(machine);
        Assert.Multiple(() =>
        {
            Assert.That(machine.Kernel.nr_free_pages(), Is.EqualTo(freeAtStart), "every frame is free after all processes exit");
            foreach (var (name, count) in slabAtEnd)
                Assert.That(count, Is.EqualTo(slabAtStart.GetValueOrDefault(name)), $"objects in use in slab cache {name}");
            Assert.That(machine.Warnings, Is.Empty);
        });
        TestContext.Out.WriteLine($"seed {seed}: " + string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value} ({times[c.Key] / 1000:F1}s)")) + $"; {sw.Elapsed.TotalSeconds:F1}s wall, {(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1}s CPU");
    }

    /// <summary>A page address below the lowest mapping, which no mmap of this test returns.</summary>
    private static ulong Hole(ShadowMemory _) => 0x10000;
}
