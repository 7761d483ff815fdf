using System;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Tests.Ksm;

/// <summary>
/// mm/ksm.c's stable tree, checksum and advisor, driven directly in the kernel dialect on
/// folios that no process maps (no address space needed).
/// </summary>
public unsafe class KsmTreeTests
{
    private Machine _machine = null!;
    private global::Emu.Kernel.Kernel K => _machine.Kernel;

    [SetUp]
    public void SetUp()
    {
        _machine = new Machine(new MachineOptions { MemoryBytes = 32UL << 20 });
        Assert.That(K.ksm_initialized, Is.True, "the Machine runs ksm_init at boot");
    }

    [TearDown]
    public void TearDown() => _machine.Dispose();

    private folio* FolioOf(byte value)
    {
        folio* f = K.folio_alloc(GFP_HIGHUSER_MOVABLE, 0);
        Assert.That((nint)f, Is.Not.EqualTo((nint)0));
        new Span<byte>(K.folio_address(f), (int)PAGE_SIZE).Fill(value);
        return f;
    }

    [Test]
    public void ChecksumsFollowContent()
    {
        folio* a = FolioOf(0x11), b = FolioOf(0x11), c = FolioOf(0x12);
        Assert.That(K.calc_checksum(&a->page), Is.EqualTo(K.calc_checksum(&b->page)));
        Assert.That(K.calc_checksum(&a->page), Is.Not.EqualTo(K.calc_checksum(&c->page)));
        // ksm_init: zero_checksum = calc_checksum(ZERO_PAGE(0)); a zero-filled page matches it.
        folio* z = FolioOf(0);
        Assert.That(K.calc_checksum(&z->page), Is.EqualTo(K.zero_checksum));
        // memcmp_pages orders by the first differing byte: 0x11 < 0x12.
        Assert.That(K.memcmp_pages(&a->page, &c->page), Is.LessThan(0));
        Assert.That(K.pages_identical(&a->page, &b->page), Is.True);
    }

    /// <summary>
    /// stable_tree_insert: the first folio of a content becomes a plain stable node; an equal
    /// one finds it (memcmp_pages == 0 -> need_chain), so alloc_stable_node_chain puts a chain
    /// in its place with both as dups; a third equal folio joins the chain. A different content
    /// is a separate plain node on the side memcmp_pages puts it.
    /// </summary>
    [Test]
    public void EqualContentBuildsAChainOfDups()
    {
        folio* a = FolioOf(0x11);
        ksm_stable_node* n1 = K.stable_tree_insert(a);
        Assert.That((nint)n1, Is.Not.EqualTo((nint)0));
        Assert.That((nint)folio_stable_node(a), Is.EqualTo((nint)n1));
        Assert.That(folio_test_ksm(a), Is.True);
        Assert.That(n1->kpfn, Is.EqualTo(K.folio_pfn(a)));
        Assert.That((nint)K.root_stable_tree->rb_node, Is.EqualTo((nint)(&n1->node)));
        Assert.That(K.ksm_stable_node_chains, Is.EqualTo(0UL));

        folio* b = FolioOf(0x11);
        ksm_stable_node* n2 = K.stable_tree_insert(b);
        Assert.That(K.ksm_stable_node_chains, Is.EqualTo(1UL));
        Assert.That(K.ksm_stable_node_dups, Is.EqualTo(2UL));
        var chain = rb_entry<ksm_stable_node>(K.root_stable_tree->rb_node, offsetof.ksm_stable_node.node);
        Assert.That(chain->rmap_hlist_len, Is.EqualTo(STABLE_NODE_CHAIN));
        // STABLE_NODE_DUP_HEAD is &migrate_nodes.prev.
        Assert.That((nint)n1->head, Is.EqualTo((nint)(&K.migrate_nodes->prev)));
        Assert.That((nint)n2->head, Is.EqualTo((nint)(&K.migrate_nodes->prev)));
        // hlist_add_head: the newest dup first.
        Assert.That((nint)chain->hlist.first, Is.EqualTo((nint)(&n2->hlist_dup)));

        folio* c = FolioOf(0x22);
        ksm_stable_node* n3 = K.stable_tree_insert(c);
        Assert.That(n3->rmap_hlist_len, Is.EqualTo(0));
        // 0x22 > 0x11: to the right of the chain, which kept the root.
        Assert.That((nint)K.root_stable_tree->rb_node, Is.EqualTo((nint)(&chain->node)));
        Assert.That((nint)K.root_stable_tree->rb_node->rb_right, Is.EqualTo((nint)(&n3->node)));

        folio* d = FolioOf(0x11);
        K.stable_tree_insert(d);
        Assert.That(K.ksm_stable_node_chains, Is.EqualTo(1UL));
        Assert.That(K.ksm_stable_node_dups, Is.EqualTo(3UL));
        Assert.That(_machine.Sysfs["/sys/kernel/mm/ksm/stable_node_chains"], Is.EqualTo("1\n"));
        Assert.That(_machine.Sysfs["/sys/kernel/mm/ksm/stable_node_dups"], Is.EqualTo("3\n"));
        Assert.That(_machine.Warnings, Is.Empty);
    }

    /// <summary>
    /// run=2 (unmerge_and_remove_all_rmap_items) ends with remove_all_stable_nodes: an unmapped
    /// KSM folio's node goes (remove_stable_node: !folio_mapped), the folio keeps only
    /// PAGE_MAPPING_KSM (folio_set_stable_node(folio, NULL)), and a chain whose dups are all
    /// gone is freed (remove_stable_node_chain -> free_stable_node_chain).
    /// </summary>
    [Test]
    public void UnmergeAllRemovesUnmappedStableNodes()
    {
        folio* a = FolioOf(0x11), b = FolioOf(0x11), c = FolioOf(0x22);
        K.stable_tree_insert(a);
        K.stable_tree_insert(b);
        K.stable_tree_insert(c);
        Assert.That(K.ksm_stable_node_chains, Is.EqualTo(1UL));

        _machine.Sysfs["/sys/kernel/mm/ksm/run"] = "2";

        Assert.That((nint)K.root_stable_tree->rb_node, Is.EqualTo((nint)0));
        Assert.That(K.ksm_stable_node_chains, Is.EqualTo(0UL));
        Assert.That(K.ksm_stable_node_dups, Is.EqualTo(0UL));
        foreach (nint p in new[] { (nint)a, (nint)b, (nint)c })
        {
            folio* f = (folio*)p;
            Assert.That((ulong)f->mapping, Is.EqualTo((ulong)PAGE_MAPPING_KSM));
            Assert.That((nint)folio_stable_node(f), Is.EqualTo((nint)0));
            Assert.That(folio_test_locked(f), Is.False, "remove_stable_node unlocks");
        }
        Assert.That(_machine.Warnings, Is.Empty);
    }

    /// <summary>
    /// max_page_sharing_store with ksm_pages_shared == 0: remove_all_stable_nodes() succeeds for
    /// unmapped KSM folios, so the knob changes (no EBUSY) and the tree is emptied.
    /// </summary>
    [Test]
    public void MaxPageSharingChangeEmptiesAnUnmappedStableTree()
    {
        K.stable_tree_insert(FolioOf(0x33));
        _machine.Sysfs["/sys/kernel/mm/ksm/max_page_sharing"] = "10";
        Assert.That(_machine.Sysfs["/sys/kernel/mm/ksm/max_page_sharing"], Is.EqualTo("10\n"));
        Assert.That((nint)K.root_stable_tree->rb_node, Is.EqualTo((nint)0));
    }

    /// <summary>
    /// scan_time_advisor's arithmetic (mm/ksm.c) on the virtual clock, starting from
    /// pages_to_scan = advisor_min_pages_to_scan = 500 and a scan of 400 s that took ksmd no
    /// measurable CPU (cpu_percent clamps to 1):
    /// round 1: factor = 200*100/400 = 50; change = ewma(0, 400*100/400) = 30*100/100 = 30;
    ///   pages = 500*100/50 * 30/100 = 300; per_page_cost = 500/1 = 500;
    ///   min(300, 500*70) = 300, max(300, 500*10) = 5000, min(5000, 30000) = 5000.
    /// round 2: change = ewma(30, 100) = (70*30 + 30*100)/100 = 51; pages = 5000*100/50*51/100
    ///   = 5100; per_page_cost = 5000; max(5100, 50000) = 50000; min(50000, 30000) = 30000.
    /// </summary>
    [Test]
    public void ScanTimeAdvisorOnTheVirtualClock()
    {
        _machine.Sysfs["/sys/kernel/mm/ksm/advisor_mode"] = "scan-time";
        Assert.That(K.ksm_thread_pages_to_scan, Is.EqualTo(500u));

        K.advisor_start_scan();
        K.jiffies += 400 * HZ;
        K.advisor_stop_scan();
        Assert.That(_machine.Sysfs["/sys/kernel/mm/ksm/pages_to_scan"], Is.EqualTo("5000\n"));

        K.advisor_start_scan();
        K.jiffies += 400 * HZ;
        K.advisor_stop_scan();
        Assert.That(_machine.Sysfs["/sys/kernel/mm/ksm/pages_to_scan"], Is.EqualTo("30000\n"));
    }
}
