using System;
using NUnit.Framework;

namespace Emu.Tests.Ksm;

/// <summary>
/// Exact KSM counters for workloads whose outcome follows from mm/ksm.c's algorithm. These
/// need processes with anonymous memory: until the vma and memory areas are on main, a case
/// is ignored with the reason (the first kernel stub it reaches).
/// </summary>
public class KsmMergeTests
{
    private const ulong PageSize = 4096;
    private const int SizeofKsmRmapItem = 64; // sizeof(struct ksm_rmap_item) on x86_64 (mm/ksm.h)

    private static ulong Counter(Machine m, string name) => ulong.Parse(m.Sysfs["/sys/kernel/mm/ksm/" + name]);

    private static long SignedCounter(Machine m, string name) => long.Parse(m.Sysfs["/sys/kernel/mm/ksm/" + name]);

    // Runs the workload set-up; turns "an area has not landed" into a visible skip.
    private static void Setup(Action action)
    {
        try
        {
            action();
        }
        catch (NotImplementedException e)
        {
            Assert.Ignore($"needs the vma/memory/rmap areas on main: {e.Message}");
        }
    }

    /// <summary>
    /// N processes x M pages, k distinct contents, each content on N*M/k pages (at most
    /// max_page_sharing = 256 of them). Derivation from mm/ksm.c:
    /// - full scan 1: every rmap item is new, its oldchecksum 0 differs from calc_checksum
    ///   (xxhash of a non-zero page is not 0), so cmp_and_merge_page records it and returns:
    ///   nothing merges, every page is volatile;
    /// - full scan 2: checksums match. The first page of a content finds neither tree entry and
    ///   goes into the unstable tree (unstable_tree_search_insert); the second finds it there,
    ///   try_to_merge_two_pages makes a KSM page, stable_tree_insert adds a stable node and
    ///   stable_tree_append counts the first item as shared and the second as sharing; every
    ///   later page of that content is found by stable_tree_search and appended as sharing.
    /// So pages_shared = k, pages_sharing = N*M - k, pages_unshared = 0 (no content is alone),
    /// each mm has M rmap items and M merging pages, and
    /// general_profit = (pages_sharing + ksm_zero_pages) * PAGE_SIZE - rmap_items * sizeof(ksm_rmap_item).
    /// </summary>
    [TestCase(2, 8, 1)]
    [TestCase(4, 16, 4)]
    [TestCase(3, 10, 5)]
    public void NProcessesMPagesKContents(int n, int m, int k)
    {
        Assume.That(n * m % k, Is.EqualTo(0));
        using var machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20 });
        var procs = new Process[n];
        Setup(() =>
        {
            for (int p = 0; p < n; p++)
            {
                procs[p] = machine.Spawn($"ksm{p}");
                ulong addr = procs[p].Mmap((ulong)m * PageSize, Protection.Read | Protection.Write, MapFlags.Private | MapFlags.Anonymous);
                for (int i = 0; i < m; i++)
                    procs[p].Fill(addr + (ulong)i * PageSize, PageSize, (byte)(1 + (p * m + i) % k));
                procs[p].Madvise(addr, (ulong)m * PageSize, Advice.Mergeable);
            }
            machine.Sysfs["/sys/kernel/mm/ksm/run"] = "1";
            machine.Ksm.RunFullScans(2);
        });

        ulong total = (ulong)(n * m);
        Assert.That(Counter(machine, "full_scans"), Is.EqualTo(2UL));
        Assert.That(Counter(machine, "pages_shared"), Is.EqualTo((ulong)k));
        Assert.That(Counter(machine, "pages_sharing"), Is.EqualTo(total - (ulong)k));
        Assert.That(Counter(machine, "pages_unshared"), Is.EqualTo(0UL));
        Assert.That(Counter(machine, "pages_volatile"), Is.EqualTo(0UL));
        Assert.That(Counter(machine, "stable_node_chains"), Is.EqualTo(0UL));
        Assert.That(SignedCounter(machine, "general_profit"),
            Is.EqualTo((long)((total - (ulong)k) * PageSize) - (long)total * SizeofKsmRmapItem));
        foreach (var p in procs)
        {
            long profit = (long)m * (long)PageSize - (long)m * SizeofKsmRmapItem;
            Assert.That(machine.Sysfs[$"/proc/{p.Pid}/ksm_stat"], Is.EqualTo(
                $"ksm_rmap_items {m}\nksm_zero_pages 0\nksm_merging_pages {m}\nksm_process_profit {profit}\n"));
            Assert.That(machine.Sysfs[$"/proc/{p.Pid}/ksm_merging_pages"], Is.EqualTo($"{m}\n"));
        }
        Assert.That(machine.Warnings, Is.Empty);
    }

    /// <summary>
    /// More duplicates than max_page_sharing: with max_page_sharing = 2 and D identical pages,
    /// stable_tree_search stops offering a full dup (is_page_sharing_candidate: rmap_hlist_len
    /// + 0 &lt; 2 fails at 2), so the next page pairs with another in the unstable tree and
    /// stable_tree_insert turns the node into a chain (alloc_stable_node_chain) with one more
    /// dup. Each dup holds 2 mappings: D/2 dups in one chain, pages_shared = D/2 (first item of
    /// each dup), pages_sharing = D/2.
    /// </summary>
    [TestCase(8)]
    public void MoreDuplicatesThanMaxPageSharingMakeChains(int d)
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20 });
        Setup(() =>
        {
            machine.Sysfs["/sys/kernel/mm/ksm/max_page_sharing"] = "2";
            var p = machine.Spawn();
            ulong addr = p.Mmap((ulong)d * PageSize, Protection.Read | Protection.Write, MapFlags.Private | MapFlags.Anonymous);
            p.Fill(addr, (ulong)d * PageSize, 0x5a);
            p.Madvise(addr, (ulong)d * PageSize, Advice.Mergeable);
            machine.Sysfs["/sys/kernel/mm/ksm/run"] = "1";
            machine.Ksm.RunFullScans(2);
        });
        Assert.That(Counter(machine, "stable_node_chains"), Is.EqualTo(1UL));
        Assert.That(Counter(machine, "stable_node_dups"), Is.EqualTo((ulong)d / 2));
        Assert.That(Counter(machine, "pages_shared"), Is.EqualTo((ulong)d / 2));
        Assert.That(Counter(machine, "pages_sharing"), Is.EqualTo((ulong)d / 2));
        // max_page_sharing_store: ksm_pages_shared != 0 -> -EBUSY.
        Assert.That(Assert.Throws<LinuxErrorException>(() => machine.Sysfs["/sys/kernel/mm/ksm/max_page_sharing"] = "3")!.Errno,
            Is.EqualTo(16));
    }

    /// <summary>
    /// Zero pages with use_zero_pages: scan 1 records oldchecksum = zero_checksum (calc_checksum
    /// of a zero-filled page equals that of ZERO_PAGE); scan 2's try_to_merge_with_zero_page
    /// replaces each with the zero page (replace_page: ksm_map_zero_page), never touching the
    /// trees: ksm_zero_pages = Z, pages_shared = pages_sharing = 0.
    /// Without use_zero_pages they merge as ordinary identical pages: one shared, Z-1 sharing.
    /// </summary>
    [TestCase(true, 6)]
    [TestCase(false, 6)]
    public void ZeroPages(bool useZeroPages, int z)
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20 });
        Setup(() =>
        {
            machine.Sysfs["/sys/kernel/mm/ksm/use_zero_pages"] = useZeroPages ? "1" : "0";
            var p = machine.Spawn();
            ulong addr = p.Mmap((ulong)z * PageSize, Protection.Read | Protection.Write, MapFlags.Private | MapFlags.Anonymous);
            // Write then clear: populated anonymous pages that hold zeros.
            p.Fill(addr, (ulong)z * PageSize, 1);
            p.Fill(addr, (ulong)z * PageSize, 0);
            p.Madvise(addr, (ulong)z * PageSize, Advice.Mergeable);
            machine.Sysfs["/sys/kernel/mm/ksm/run"] = "1";
            machine.Ksm.RunFullScans(2);
        });
        if (useZeroPages)
        {
            Assert.That(Counter(machine, "ksm_zero_pages"), Is.EqualTo((ulong)z));
            Assert.That(Counter(machine, "pages_shared"), Is.EqualTo(0UL));
            Assert.That(Counter(machine, "pages_sharing"), Is.EqualTo(0UL));
        }
        else
        {
            Assert.That(Counter(machine, "ksm_zero_pages"), Is.EqualTo(0UL));
            Assert.That(Counter(machine, "pages_shared"), Is.EqualTo(1UL));
            Assert.That(Counter(machine, "pages_sharing"), Is.EqualTo((ulong)z - 1));
        }
    }
}
