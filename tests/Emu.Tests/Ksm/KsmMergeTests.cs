using System;
using System.Collections.Generic;
using NUnit.Framework;

namespace Emu.Tests.Ksm;

/// <summary>
/// Exact KSM counters for workloads whose outcome follows from mm/ksm.c's algorithm, read
/// back through sysfs and /proc/pid/ksm_stat after <c>RunFullScans(2)</c>. The processes opt in
/// with prctl(PR_SET_MEMORY_MERGE) (ksm_enable_merge_any), which marks every VMA mergeable.
/// The sysfs formulas (mm/ksm.c, 6.12): pages_volatile_show = rmap_items - shared - sharing -
/// unshared; general_profit_show = (pages_sharing + ksm_zero_pages) * PAGE_SIZE - rmap_items *
/// sizeof(ksm_rmap_item); ksm_process_profit = (ksm_merging_pages + ksm_zero_pages) * PAGE_SIZE
/// - ksm_rmap_items * sizeof(ksm_rmap_item); fs/proc/base.c proc_pid_ksm_stat prints those
/// four per-mm lines.
/// </summary>
public class KsmMergeTests
{
    private const ulong PageSize = 4096;
    private const int SizeofKsmRmapItem = 64; // sizeof(struct ksm_rmap_item) on x86_64 (mm/ksm.h)

    private static ulong Counter(Machine m, string name) => ulong.Parse(m.Sysfs["/sys/kernel/mm/ksm/" + name]);

    private static long SignedCounter(Machine m, string name) => long.Parse(m.Sysfs["/sys/kernel/mm/ksm/" + name]);

    private static void Setup(Action action) => action();

    private static string KsmStat(ulong rmapItems, ulong zeroPages, ulong mergingPages) =>
        $"ksm_rmap_items {rmapItems}\nksm_zero_pages {zeroPages}\nksm_merging_pages {mergingPages}\n" +
        $"ksm_process_profit {(long)(mergingPages + zeroPages) * (long)PageSize - (long)rmapItems * SizeofKsmRmapItem}\n";

    [Test]
    public unsafe void SizeofKsmRmapItemIsTheGeneratedStructs() =>
        // rmap_list, anon_vma/nid union, mm, address (4 x 8) + oldchecksum, age, remaining_skips
        // (4 + 1 + 1, padded to 8) + the rb_node / {head, hlist} union (24) = 64.
        Assert.That(sizeof(global::Emu.Kernel.ksm_rmap_item), Is.EqualTo(SizeofKsmRmapItem));

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
                procs[p].SetMemoryMerge(true);
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
    /// More duplicates than max_page_sharing: with max_page_sharing = 2 and D identical pages
    /// in one mm. Scan 1 only records checksums. Scan 2: page 0 goes into the unstable tree,
    /// page 1 merges with it (a stable node, 2 mappings: full); page 2 finds the node but
    /// stable_node_dup skips it (is_page_sharing_candidate: rmap_hlist_len 2 &lt; 2 fails), so it
    /// goes into the unstable tree and page 3 pairs with it; stable_tree_insert finds the same
    /// content, turns the node into a chain (alloc_stable_node_chain, the old node becomes its
    /// first dup) and adds a second dup; and so on. Result: one chain holding D/2 dups, each dup
    /// with 2 mappings: pages_shared = D/2, pages_sharing = D/2, rmap_items = D (all merging),
    /// pages_unshared = pages_volatile = 0, general_profit = D/2 * PAGE_SIZE - D * 64.
    /// </summary>
    [TestCase(8)]
    [TestCase(6)]
    public void MoreDuplicatesThanMaxPageSharingMakeChains(int d)
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20 });
        machine.Sysfs["/sys/kernel/mm/ksm/max_page_sharing"] = "2";
        var p = machine.Spawn();
        ulong addr = p.Mmap((ulong)d * PageSize, Protection.Read | Protection.Write, MapFlags.Private | MapFlags.Anonymous);
        p.Fill(addr, (ulong)d * PageSize, 0x5a);
        p.SetMemoryMerge(true);
        machine.Sysfs["/sys/kernel/mm/ksm/run"] = "1";
        machine.Ksm.RunFullScans(2);

        ulong half = (ulong)d / 2;
        Assert.That(Counter(machine, "stable_node_chains"), Is.EqualTo(1UL));
        Assert.That(Counter(machine, "stable_node_dups"), Is.EqualTo(half));
        Assert.That(Counter(machine, "pages_shared"), Is.EqualTo(half));
        Assert.That(Counter(machine, "pages_sharing"), Is.EqualTo(half));
        Assert.That(Counter(machine, "pages_unshared"), Is.EqualTo(0UL));
        Assert.That(Counter(machine, "pages_volatile"), Is.EqualTo(0UL));
        Assert.That(SignedCounter(machine, "general_profit"), Is.EqualTo((long)(half * PageSize) - d * SizeofKsmRmapItem));
        Assert.That(machine.Sysfs[$"/proc/{p.Pid}/ksm_stat"], Is.EqualTo(KsmStat((ulong)d, 0, (ulong)d)));
        // Exactly D/2 distinct frames back the range, each mapped twice.
        var pfns = new System.Collections.Generic.Dictionary<ulong, int>();
        for (int i = 0; i < d; i++)
        {
            ulong e = p.ReadPagemap(addr + (ulong)i * PageSize);
            Assert.That(e >> 63, Is.EqualTo(1UL), "present");
            ulong pfn = e & 0x007fffffffffffffUL;
            pfns[pfn] = pfns.GetValueOrDefault(pfn) + 1;
        }
        Assert.That(pfns.Count, Is.EqualTo(d / 2));
        Assert.That(pfns.Values, Is.All.EqualTo(2));
        // max_page_sharing_store: ksm_pages_shared != 0 -> -EBUSY.
        Assert.That(Assert.Throws<LinuxErrorException>(() => machine.Sysfs["/sys/kernel/mm/ksm/max_page_sharing"] = "3")!.Errno,
            Is.EqualTo(16));
        Assert.That(machine.Warnings, Is.Empty);
    }

    /// <summary>
    /// Z zero-filled (populated) pages in each of P processes. With use_zero_pages: scan 1
    /// records oldchecksum = calc_checksum = zero_checksum; scan 2's try_to_merge_with_zero_page
    /// replaces each page with ZERO_PAGE (replace_page's ksm_map_zero_page counts it in
    /// ksm_zero_pages and mm->ksm_zero_pages), never touching the trees. The rmap items stay
    /// (only a later scan's get_next_rmap_item would drop them, the zero page not being
    /// walked): rmap_items = P*Z, pages_shared = pages_sharing = unshared = 0, so
    /// pages_volatile = P*Z; general_profit = P*Z * (PAGE_SIZE - 64); per mm ksm_merging_pages 0.
    /// Without use_zero_pages they merge as ordinary identical pages: one KSM page shared,
    /// P*Z - 1 sharing, every mapping a merging page.
    /// </summary>
    [TestCase(true, 1, 6)]
    [TestCase(false, 1, 6)]
    [TestCase(true, 3, 5)]
    [TestCase(false, 3, 5)]
    public void ZeroPages(bool useZeroPages, int nprocs, int z)
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20 });
        machine.Sysfs["/sys/kernel/mm/ksm/use_zero_pages"] = useZeroPages ? "1" : "0";
        var procs = new Process[nprocs];
        var addrs = new ulong[nprocs];
        for (int i = 0; i < nprocs; i++)
        {
            var p = procs[i] = machine.Spawn();
            ulong addr = addrs[i] = p.Mmap((ulong)z * PageSize, Protection.Read | Protection.Write, MapFlags.Private | MapFlags.Anonymous);
            // Write then clear: populated anonymous pages that hold zeros.
            p.Fill(addr, (ulong)z * PageSize, 1);
            p.Fill(addr, (ulong)z * PageSize, 0);
            p.SetMemoryMerge(true);
        }
        machine.Sysfs["/sys/kernel/mm/ksm/run"] = "1";
        machine.Ksm.RunFullScans(2);

        ulong total = (ulong)(nprocs * z);
        if (useZeroPages)
        {
            Assert.That(Counter(machine, "ksm_zero_pages"), Is.EqualTo(total));
            Assert.That(Counter(machine, "pages_shared"), Is.EqualTo(0UL));
            Assert.That(Counter(machine, "pages_sharing"), Is.EqualTo(0UL));
            Assert.That(Counter(machine, "pages_unshared"), Is.EqualTo(0UL));
            Assert.That(Counter(machine, "pages_volatile"), Is.EqualTo(total));
            Assert.That(SignedCounter(machine, "general_profit"), Is.EqualTo((long)total * ((long)PageSize - SizeofKsmRmapItem)));
            foreach (var p in procs)
                Assert.That(machine.Sysfs[$"/proc/{p.Pid}/ksm_stat"], Is.EqualTo(KsmStat((ulong)z, (ulong)z, 0)));
        }
        else
        {
            Assert.That(Counter(machine, "ksm_zero_pages"), Is.EqualTo(0UL));
            Assert.That(Counter(machine, "pages_shared"), Is.EqualTo(1UL));
            Assert.That(Counter(machine, "pages_sharing"), Is.EqualTo(total - 1));
            Assert.That(Counter(machine, "pages_volatile"), Is.EqualTo(0UL));
            Assert.That(SignedCounter(machine, "general_profit"), Is.EqualTo((long)(total - 1) * (long)PageSize - (long)total * SizeofKsmRmapItem));
            foreach (var p in procs)
                Assert.That(machine.Sysfs[$"/proc/{p.Pid}/ksm_stat"], Is.EqualTo(KsmStat((ulong)z, 0, (ulong)z)));
        }
        // Every mapping reads back zeros whatever it now maps.
        var buf = new byte[PageSize];
        for (int i = 0; i < nprocs; i++)
            for (int j = 0; j < z; j++)
            {
                procs[i].Read(addrs[i] + (ulong)j * PageSize, buf);
                Assert.That(buf, Is.All.EqualTo((byte)0));
            }
        Assert.That(machine.Warnings, Is.Empty);
    }

    /// <summary>
    /// prctl(PR_SET_MEMORY_MERGE, 0) after two processes' M identical pages merged into one
    /// stable node (shared 1, sharing 2M-1): ksm_disable_merge_any -> ksm_del_vmas ->
    /// __ksm_del_vma -> unmerge_ksm_pages breaks every KSM mapping of process 0 (break_ksm's
    /// FAULT_FLAG_UNSHARE fault copies the page) and clears VM_MERGEABLE. The rmap items stay in
    /// the stable tree (mm->ksm_merging_pages is only dropped in remove_rmap_item_from_tree /
    /// remove_node_from_stable_tree), so process 0 still reports M merging pages until the next
    /// scan. That scan finds no mergeable VMA in process 0 (the mm stays registered:
    /// MMF_VM_MERGEABLE) and remove_trailing_rmap_items frees all its items: process 0's
    /// ksm_stat is all zero, the node keeps process 1's M items: shared 1, sharing M-1.
    /// </summary>
    [Test]
    public void PrctlUnmergeUndoesTheMerge()
    {
        const int m = 16;
        using var machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20 });
        var procs = new Process[2];
        var addrs = new ulong[2];
        for (int i = 0; i < 2; i++)
        {
            var p = procs[i] = machine.Spawn();
            addrs[i] = p.Mmap(m * PageSize, Protection.Read | Protection.Write, MapFlags.Private | MapFlags.Anonymous);
            p.Fill(addrs[i], m * PageSize, 0x77);
            p.SetMemoryMerge(true);
        }
        machine.Sysfs["/sys/kernel/mm/ksm/run"] = "1";
        machine.Ksm.RunFullScans(2);
        Assert.That(Counter(machine, "pages_shared") + Counter(machine, "pages_sharing"), Is.EqualTo(2UL * m));

        procs[0].SetMemoryMerge(false);
        Assert.That(procs[0].GetMemoryMerge(), Is.False);
        var seen = new System.Collections.Generic.HashSet<ulong>();
        for (int j = 0; j < m; j++)
            Assert.That(seen.Add(procs[0].ReadPagemap(addrs[0] + (ulong)j * PageSize) & 0x007fffffffffffffUL), Is.True,
                "process 0 maps no PFN twice");
        Assert.That(machine.Sysfs[$"/proc/{procs[0].Pid}/ksm_stat"], Is.EqualTo(KsmStat(m, 0, m)));
        var buf = new byte[PageSize];
        procs[0].Read(addrs[0], buf);
        Assert.That(buf, Is.All.EqualTo((byte)0x77));

        machine.Ksm.RunFullScans(1);
        Assert.That(machine.Sysfs[$"/proc/{procs[0].Pid}/ksm_stat"], Is.EqualTo(KsmStat(0, 0, 0)));
        Assert.That(machine.Sysfs[$"/proc/{procs[1].Pid}/ksm_stat"], Is.EqualTo(KsmStat(m, 0, m)));
        Assert.That(Counter(machine, "pages_shared"), Is.EqualTo(1UL));
        Assert.That(Counter(machine, "pages_sharing"), Is.EqualTo((ulong)m - 1));
        Assert.That(machine.Warnings, Is.Empty);
    }
}
