using System;
using System.Collections.Generic;
using System.Linq;
using Emu.Tests.Processes;
using NUnit.Framework;
using static Emu.Kernel.KernelConstants;

namespace Emu.Tests.Ksm;

/// <summary>
/// ShadowModelTests' idea with KSM in the mix: random system calls and user accesses over several
/// processes, with madvise(MERGEABLE/UNMERGEABLE), prctl(PR_SET_MEMORY_MERGE), ksmd batches,
/// run=2 (unmerge everything) and use_zero_pages flips interleaved with writes (many of them
/// whole-page fills from a few patterns, so pages keep becoming duplicates), forks, munmaps,
/// MADV_DONTNEED and exits. Merging must be invisible: a process only ever reads what its shadow
/// says. Afterwards, with every process gone, ksmd drops the exited mms' slots and rmap items
/// (scan_get_next_rmap_item's ksm_test_exit path) and run=2 removes the stable nodes
/// (remove_all_stable_nodes): every frame, rmap item, stable node and mm slot must be freed.
/// Small runs: another area is fixing a host-memory leak under process churn.
/// </summary>
public class KsmShadowTests
{
    private const int Page = (int)PAGE_SIZE;
    private static readonly byte[] Patterns = [0x00, 0x11, 0x22, 0x33];

    [TestCase(1, 3000)]
    [TestCase(2, 3000)]
    [TestCase(3, 3000)]
    public unsafe void Merging_never_changes_what_a_process_reads_and_everything_is_freed(int seed, int operations)
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20, Seed = (ulong)seed, CheckInvariants = true });
        long freeAtStart = ProcessStateTests.BaselineFreePages(machine);
        var k = machine.Kernel;
        var rng = new Random(seed);
        var live = new List<(Emu.Process P, ShadowMemory S)> { (machine.Spawn(), new ShadowMemory()) };
        var counts = new Dictionary<string, int>();
        var buf = new byte[2 * Page];
        machine.Sysfs["/sys/kernel/mm/ksm/run"] = "1";
        long maxShared = 0, maxZero = 0;

        for (int op = 0; op < operations; op++)
        {
            if (live.Count == 0)
                live.Add((machine.Spawn(), new ShadowMemory()));
            var (p, s) = live[rng.Next(live.Count)];
            var ranges = s.Ranges();
            int roll = rng.Next(100);
            string kind;
            if (roll < 7 || ranges.Count == 0)
            {
                kind = "mmap";
                int pages = rng.Next(1, 17);
                ulong a = p.Mmap((ulong)(pages * Page), Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
                for (int i = 0; i < pages; i++)
                    Assert.That(s.TryAddPage(a + (ulong)(i * Page)), Is.True, $"mmap returned 0x{a:x}, which overlaps a mapping");
            }
            else if (roll < 22)
            {
                kind = "fill";
                var (at, len) = ShadowMemory.SubRange(rng, ranges);
                byte v = Patterns[rng.Next(Patterns.Length)];
                p.Fill(at, len, v);
                for (ulong a = at; a < at + len; a += (ulong)Page)
                    Array.Fill(s[a], v);
            }
            else if (roll < 32)
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
            else if (roll < 52)
            {
                kind = "read";
                var (start, end) = ranges[rng.Next(ranges.Count)];
                ulong at = start + (ulong)rng.NextInt64((long)(end - start));
                int len = (int)Math.Min((ulong)rng.Next(1, 2 * Page), end - at);
                p.Read(at, buf.AsSpan(0, len));
                s.AssertReads(at, buf.AsSpan(0, len), p, op);
            }
            else if (roll < 64)
            {
                kind = "ksmd";
                machine.Ksm.Scan(rng.Next(1, 300));
                maxShared = Math.Max(maxShared, long.Parse(machine.Sysfs["/sys/kernel/mm/ksm/pages_sharing"]));
                maxZero = Math.Max(maxZero, long.Parse(machine.Sysfs["/sys/kernel/mm/ksm/ksm_zero_pages"]));
            }
            else if (roll < 71)
            {
                kind = "mergeable";
                var (at, len) = ShadowMemory.SubRange(rng, ranges);
                p.Madvise(at, len, Advice.Mergeable);
            }
            else if (roll < 74)
            {
                kind = "unmergeable";
                var (at, len) = ShadowMemory.SubRange(rng, ranges);
                p.Madvise(at, len, Advice.Unmergeable);
            }
            else if (roll < 76)
            {
                kind = "prctl";
                p.SetMemoryMerge(rng.Next(2) == 0);
            }
            else if (roll < 80 && live.Count < 5)
            {
                kind = "fork";
                live.Add((p.Fork(), s.Clone()));
            }
            else if (roll < 86)
            {
                kind = "munmap";
                var (at, len) = ShadowMemory.SubRange(rng, ranges);
                p.Munmap(at, len);
                for (ulong a = at; a < at + len; a += (ulong)Page)
                    s.RemovePage(a);
            }
            else if (roll < 91)
            {
                kind = "dontneed";
                var (at, len) = ShadowMemory.SubRange(rng, ranges);
                p.Madvise(at, len, Advice.DontNeed);
                for (ulong a = at; a < at + len; a += (ulong)Page)
                    Array.Clear(s[a]);
            }
            else if (roll < 93)
            {
                kind = "unmerge-all";
                machine.Sysfs["/sys/kernel/mm/ksm/run"] = "2";
                Assert.That(machine.Sysfs["/sys/kernel/mm/ksm/pages_shared"], Is.EqualTo("0\n"), "run=2 unmerges everything");
                machine.Sysfs["/sys/kernel/mm/ksm/run"] = "1";
            }
            else if (roll < 95)
            {
                kind = "use_zero_pages";
                machine.Sysfs["/sys/kernel/mm/ksm/use_zero_pages"] = rng.Next(2).ToString();
            }
            else
            {
                kind = "exit";
                p.Exit();
                live.RemoveAll(x => x.P == p);
            }
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }

        foreach (var (p, s) in live)
            foreach (var (a, d) in s.Pages)
            {
                p.Read(a, buf.AsSpan(0, Page));
                Assert.That(buf.AsSpan(0, Page).SequenceEqual(d), Is.True, $"{p} at 0x{a:x} at the end");
            }
        TestContext.Out.WriteLine($"seed {seed}: " + string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}")) +
                                  $"; most pages_sharing {maxShared}, most ksm_zero_pages {maxZero}");
        Assert.That(maxShared, Is.GreaterThan(0), "the run merged something (else it tests nothing)");

        foreach (var (p, _) in live)
            p.Exit();
        // The exited mms' slots and rmap items go when ksmd reaches them; then it has no work.
        for (int i = 0; i < 10 && machine.Ksm.ShouldRun; i++)
            machine.Ksm.RunFullScans(1);
        Assert.That(machine.Ksm.ShouldRun, Is.False, "no mm is registered with KSM");
        // Stable nodes whose KSM pages are gone are removed by run=2's remove_all_stable_nodes.
        machine.Sysfs["/sys/kernel/mm/ksm/run"] = "2";
        k.lru_add_drain_all();
        Assert.Multiple(() =>
        {
            Assert.That(k.rmap_item_cache!.ObjectsInUse, Is.EqualTo(0), "rmap items");
            Assert.That(k.stable_node_cache!.ObjectsInUse, Is.EqualTo(0), "stable nodes");
            Assert.That(k.mm_slot_cache!.ObjectsInUse, Is.EqualTo(0), "mm slots");
            Assert.That(k.ksm_rmap_items, Is.EqualTo(0), "ksm_rmap_items");
            foreach (var name in new[] { "pages_shared", "pages_sharing", "pages_unshared", "stable_node_chains", "stable_node_dups", "ksm_zero_pages" })
                Assert.That(machine.Sysfs["/sys/kernel/mm/ksm/" + name], Is.EqualTo("0\n"), name);
            Assert.That(k.nr_free_pages(), Is.EqualTo(freeAtStart), "every frame is free after all processes exit");
            Assert.That(machine.Warnings, Is.Empty);
        });
    }
}
