using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using static Emu.Kernel.KernelConstants;

namespace Emu.Tests.Processes;

/// <summary>
/// Rounds of spawn, mmap, write, fork, munmap and exit: once every process has exited, every frame
/// is back in the buddy lists and every slab cache holds exactly the objects it held before
/// (kernel/fork.c __mmdrop frees the mm, exit_mmap frees every VMA, free_pgtables every page
/// table, unlink_anon_vmas every anon_vma_chain and the last reference of every anon_vma).
/// </summary>
public class ChurnTests
{
    private const int Page = (int)PAGE_SIZE;

    internal static Dictionary<string, long> SlabObjects(Machine m) =>
        m.Kernel.slab_caches.ToDictionary(c => c.Name, c => c.ObjectsInUse);

    [TestCase(false)]
    [TestCase(true)]
    public void Every_frame_and_slab_object_returns_after_churn(bool checkInvariants)
    {
        using var m = new Machine(new MachineOptions { MemoryBytes = 128UL << 20, Seed = 7, CheckInvariants = checkInvariants });
        long freeAtStart = ProcessStateTests.BaselineFreePages(m);
        var slabAtStart = SlabObjects(m);
        int treesAtStart = m.Kernel.mt_model_count;
        var rng = new Random(7);
        var data = new byte[3 * Page];

        for (int round = 0; round < 20; round++)
        {
            var p = m.Spawn();
            var regions = new List<(ulong At, int Pages)>();
            for (int i = 0; i < 4; i++)
            {
                int pages = rng.Next(1, 33);
                ulong a = p.Mmap((ulong)(pages * Page), Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
                rng.NextBytes(data);
                p.Write(a, data.AsSpan(0, Math.Min(data.Length, pages * Page)));
                p.Fill(a, (ulong)(pages * Page), (byte)round);
                regions.Add((a, pages));
            }
            var c = p.Fork();
            var g = c.Fork();
            if (round == 0)
            {
                // Not vacuous: three mms, their VMAs and the anon_vma tree are live now.
                var live = SlabObjects(m);
                foreach (var cache in new[] { "mm_struct", "vm_area_struct", "anon_vma", "anon_vma_chain" })
                    Assert.That(live[cache], Is.GreaterThan(slabAtStart.GetValueOrDefault(cache)), cache);
            }
            foreach (var (a, pages) in regions)
            {
                c.Fill(a, (ulong)Page, 0xcc);
                g.Fill(a + (ulong)((pages - 1) * Page), (ulong)Page, 0xdd);
                // Unmap the middle of the region (a split) in the parent, all of it in the grandchild.
                if (pages >= 3)
                    p.Munmap(a + (ulong)Page, (ulong)Page);
                g.Munmap(a, (ulong)(pages * Page));
            }
            g.Exit();
            p.Exit();
            c.Exit();
        }

        m.Kernel.lru_add_drain_all();
        var slabAtEnd = SlabObjects(m);
        Assert.Multiple(() =>
        {
            Assert.That(m.Kernel.nr_free_pages(), Is.EqualTo(freeAtStart), "every frame is free again");
            foreach (var (name, count) in slabAtStart)
                Assert.That(slabAtEnd[name], Is.EqualTo(count), $"objects in use in slab cache {name}");
            foreach (var (name, count) in slabAtEnd.Where(e => !slabAtStart.ContainsKey(e.Key)))
                Assert.That(count, Is.Zero, $"objects in use in slab cache {name} (created during the run)");
            Assert.That(m.Processes, Is.Empty);
            Assert.That(m.Kernel.mt_model_count, Is.EqualTo(treesAtStart), "host: maple tree stores (one per mm)");
            Assert.That(m.Warnings, Is.Empty);
        });
    }
}
