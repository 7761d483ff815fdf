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

    /// <summary>What one process's memory must read as: page address → contents.</summary>
    private sealed class Shadow
    {
        public readonly SortedDictionary<ulong, byte[]> Pages = new();

        /// <summary>Ranges(this) while no page was added or removed since (writes keep it).</summary>
        public List<(ulong Start, ulong End)>? CachedRanges;

        public Shadow Clone()
        {
            var s = new Shadow();
            foreach (var (a, d) in Pages)
                s.Pages.Add(a, (byte[])d.Clone());
            return s;
        }
    }

    [TestCase(1, 50_000)]
    [TestCase(2, 20_000)]
    public void Random_syscalls_never_change_what_a_process_reads(int seed, int operations)
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 128UL << 20, Seed = (ulong)seed, CheckInvariants = Environment.GetEnvironmentVariable("EMU_NOCHECK") == null });
        long freeAtStart = ProcessStateTests.BaselineFreePages(machine);
        var slabAtStart = ChurnTests.SlabObjects(machine);
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var rng = new Random(seed);
        var live = new List<(Emu.Process P, Shadow S)> { (machine.Spawn(), new Shadow()) };
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
                live.Add((machine.Spawn(), new Shadow()));
            var (p, s) = live[rng.Next(live.Count)];
            var ranges = Ranges(s);
            int roll = rng.Next(100);
            string kind;
            if (roll < 8 || ranges.Count == 0)
            {
                kind = "mmap";
                int pages = rng.Next(1, 17);
                ulong a = p.Mmap((ulong)(pages * Page), Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
                s.CachedRanges = null;
                for (int i = 0; i < pages; i++)
                    Assert.That(s.Pages.TryAdd(a + (ulong)(i * Page), new byte[Page]), Is.True, $"mmap returned 0x{a:x}, which overlaps a mapping");
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
                ShadowWrite(s, at, data);
            }
            else if (roll < 75)
            {
                kind = "read";
                var (start, end) = ranges[rng.Next(ranges.Count)];
                ulong at = start + (ulong)rng.NextInt64((long)(end - start));
                int len = (int)Math.Min((ulong)rng.Next(1, 2 * Page), end - at);
                p.Read(at, buf.AsSpan(0, len));
                AssertReads(s, at, buf.AsSpan(0, len), p, op);
            }
            else if (roll < 81 && live.Count < 6)
            {
                kind = "fork";
                live.Add((p.Fork(), s.Clone()));
            }
            else if (roll < 88)
            {
                kind = "munmap";
                var (at, len) = SubRange(rng, ranges);
                p.Munmap(at, len);
                s.CachedRanges = null;
                for (ulong a = at; a < at + len; a += (ulong)Page)
                    s.Pages.Remove(a);
            }
            else if (roll < 95)
            {
                kind = "dontneed";
                var (at, len) = SubRange(rng, ranges);
                p.Madvise(at, len, Advice.DontNeed);
                for (ulong a = at; a < at + len; a += (ulong)Page)
                    Array.Clear(s.Pages[a]);
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

    /// <summary>Maximal runs of contiguous shadow pages as [start, end).</summary>
    private static List<(ulong Start, ulong End)> Ranges(Shadow s)
    {
        if (s.CachedRanges is { } cached)
            return cached;
        var list = new List<(ulong, ulong)>();
        foreach (var a in s.Pages.Keys)
        {
            if (list.Count > 0 && list[^1].Item2 == a)
                list[^1] = (list[^1].Item1, a + (ulong)Page);
            else
                list.Add((a, a + (ulong)Page));
        }
        return s.CachedRanges = list;
    }

    private static (ulong At, ulong Len) SubRange(Random rng, List<(ulong Start, ulong End)> ranges)
    {
        var (start, end) = ranges[rng.Next(ranges.Count)];
        int pages = (int)((end - start) / (ulong)Page);
        int first = rng.Next(pages);
        int n = rng.Next(1, pages - first + 1);
        return (start + (ulong)(first * Page), (ulong)(n * Page));
    }

    /// <summary>A page address below the lowest mapping, which no mmap of this test returns.</summary>
    private static ulong Hole(Shadow _) => 0x10000;

    private static void ShadowWrite(Shadow s, ulong at, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            ulong page = at & ~(ulong)(Page - 1);
            int off = (int)(at - page), n = Math.Min(data.Length, Page - off);
            data[..n].CopyTo(s.Pages[page].AsSpan(off));
            data = data[n..];
            at += (ulong)n;
        }
    }

    private static void AssertReads(Shadow s, ulong at, ReadOnlySpan<byte> got, Emu.Process p, int op)
    {
        ulong a = at;
        while (!got.IsEmpty)
        {
            ulong page = a & ~(ulong)(Page - 1);
            int off = (int)(a - page), n = Math.Min(got.Length, Page - off);
            if (!got[..n].SequenceEqual(s.Pages[page].AsSpan(off, n)))
                Assert.Fail($"op {op}: {p} read 0x{a:x}+{n} differs from its shadow");
            got = got[n..];
            a += (ulong)n;
        }
    }
}
