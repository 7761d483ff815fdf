using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Tests.Kernel.Mm;

/// <summary>
/// mm/rmap.c and include/linux/rmap.h: anon_vma trees through prepare/fork/clone/unlink, and the
/// 6.12 mapcount accounting of the rmap add/dup/remove/share operations. Expectations come from
/// the C functions named in each assertion.
/// </summary>
public unsafe class RmapTests
{
    private const ulong Base = 0x7f0000000000UL;

    private static int Chain(vm_area_struct* vma) => (int)list_count_nodes(&vma->anon_vma_chain);

    private static int TreeCount(anon_vma* av)
    {
        int n = 0;
        foreach (anon_vma_chain* avc in anon_vma_interval_tree_foreach(&av->rb_root, 0, ulong.MaxValue))
            n++;
        return n;
    }

    private static void NoWarnings(RmapFixture f) =>
        Assert.That(f.Machine.Warnings, Is.Empty, string.Join("\n", f.Machine.Warnings));

    [Test]
    public void PrepareCreatesASelfRootedAnonVma()
    {
        using var f = new RmapFixture();
        var mm = f.NewMm();
        var vma = f.NewVma(mm, Base, Base + 16 * PAGE_SIZE);

        Assert.That(f.Prepare(vma), Is.Zero);
        anon_vma* av = vma->anon_vma;
        Assert.That(av != null, Is.True);
        Assert.Multiple(() =>
        {
            // anon_vma_alloc: refcount 1, root and parent itself.
            Assert.That(av->refcount.counter, Is.EqualTo(1));
            Assert.That(av->root == av && av->parent == av, Is.True);
            // __anon_vma_prepare: num_children++ for the self-parent link, num_active_vmas++ for vma.
            Assert.That(av->num_children, Is.EqualTo(1UL));
            Assert.That(av->num_active_vmas, Is.EqualTo(1UL));
            // anon_vma_chain_assign + anon_vma_interval_tree_insert: one avc, on both lists.
            Assert.That(Chain(vma), Is.EqualTo(1));
            Assert.That(TreeCount(av), Is.EqualTo(1));
        });
        var avc = container_of<anon_vma_chain>(vma->anon_vma_chain.next, offsetof.anon_vma_chain.same_vma);
        Assert.That(avc->vma == vma && avc->anon_vma == av, Is.True);

        // rmap.h anon_vma_prepare: an existing anon_vma is kept.
        Assert.That(f.Prepare(vma), Is.Zero);
        Assert.That(vma->anon_vma == av && Chain(vma) == 1 && av->num_active_vmas == 1, Is.True);
        NoWarnings(f);
    }

    [Test]
    public void ForkGivesTheChildItsOwnAnonVmaUnderTheParentRoot()
    {
        using var f = new RmapFixture();
        var pmm = f.NewMm();
        var pvma = f.NewVma(pmm, Base, Base + 4 * PAGE_SIZE);
        f.Prepare(pvma);
        anon_vma* a = pvma->anon_vma;

        var cvma = f.DupVma(f.NewMm(), pvma);
        Assert.That(f.K.anon_vma_fork(cvma, pvma), Is.Zero);
        anon_vma* b = cvma->anon_vma;
        Assert.Multiple(() =>
        {
            // anon_vma_clone finds nothing to reuse (a has num_active_vmas 1), so anon_vma_fork allocates.
            Assert.That(b != null && b != a, Is.True);
            Assert.That(b->root == a && b->parent == a, Is.True);
            // get_anon_vma(anon_vma->root): the root is pinned by its child.
            Assert.That(a->refcount.counter, Is.EqualTo(2));
            Assert.That(b->refcount.counter, Is.EqualTo(1));
            // anon_vma->parent->num_children++.
            Assert.That(a->num_children, Is.EqualTo(2UL));
            Assert.That(b->num_children, Is.Zero);
            Assert.That(a->num_active_vmas, Is.EqualTo(1UL));
            Assert.That(b->num_active_vmas, Is.EqualTo(1UL));
            // The child is chained to a (clone) and b (its own); a's tree now holds both vmas.
            Assert.That(Chain(cvma), Is.EqualTo(2));
            Assert.That(TreeCount(a), Is.EqualTo(2));
            Assert.That(TreeCount(b), Is.EqualTo(1));
        });
        // anon_vma_chain_assign uses list_add: the newest (own) avc is first.
        var first = container_of<anon_vma_chain>(cvma->anon_vma_chain.next, offsetof.anon_vma_chain.same_vma);
        Assert.That(first->anon_vma == b, Is.True);
        NoWarnings(f);
    }

    [Test]
    public void CloneReusesAnAnonVmaWithNoVmasAndOneChild()
    {
        using var f = new RmapFixture();
        var p = f.NewVma(f.NewMm(), Base, Base + PAGE_SIZE);
        f.Prepare(p);
        anon_vma* a = p->anon_vma;
        var c = f.DupVma(f.NewMm(), p);
        f.K.anon_vma_fork(c, p);
        anon_vma* b = c->anon_vma;
        var g = f.DupVma(f.NewMm(), c);
        f.K.anon_vma_fork(g, c);
        anon_vma* d = g->anon_vma;
        Assert.That(d != b && d->parent == b && b->num_children == 1, Is.True);

        // The middle process unmaps: b keeps g's avc, loses its only vma.
        f.K.unlink_anon_vmas(c);
        Assert.That(b->num_active_vmas, Is.Zero);
        Assert.That(b->num_children, Is.EqualTo(1UL));

        // anon_vma_clone: num_children < 2 && num_active_vmas == 0 -> dst->anon_vma = that anon_vma.
        var gg = f.DupVma(f.NewMm(), g);
        long before = f.K.anon_vma_cachep!.ObjectsInUse;
        Assert.That(f.K.anon_vma_fork(gg, g), Is.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(gg->anon_vma == b, Is.True, "b is reused");
            Assert.That(f.K.anon_vma_cachep!.ObjectsInUse, Is.EqualTo(before), "no anon_vma allocated");
            Assert.That(b->num_active_vmas, Is.EqualTo(1UL));
            // The root is never reused: it counts itself and b as children.
            Assert.That(a->num_children, Is.EqualTo(2UL));
            Assert.That(Chain(gg), Is.EqualTo(3));
        });
        NoWarnings(f);
    }

    [Test]
    public void UnlinkFreesEmptyAnonVmasAndTheRootLast()
    {
        using var f = new RmapFixture();
        long avBase = f.K.anon_vma_cachep!.ObjectsInUse, avcBase = f.K.anon_vma_chain_cachep!.ObjectsInUse;
        var p = f.NewVma(f.NewMm(), Base, Base + PAGE_SIZE);
        f.Prepare(p);
        anon_vma* a = p->anon_vma;
        var c = f.DupVma(f.NewMm(), p);
        f.K.anon_vma_fork(c, p);
        Assert.That(f.K.anon_vma_cachep.ObjectsInUse - avBase, Is.EqualTo(2));
        Assert.That(f.K.anon_vma_chain_cachep.ObjectsInUse - avcBase, Is.EqualTo(3));

        f.K.unlink_anon_vmas(c);
        Assert.Multiple(() =>
        {
            // b's tree emptied: parent->num_children--, put_anon_vma(b) frees it and drops its root pin.
            Assert.That(c->anon_vma == null && Chain(c) == 0, Is.True);
            Assert.That(a->num_children, Is.EqualTo(1UL));
            Assert.That(a->refcount.counter, Is.EqualTo(1));
            Assert.That(TreeCount(a), Is.EqualTo(1));
            Assert.That(f.K.anon_vma_cachep.ObjectsInUse - avBase, Is.EqualTo(1));
            Assert.That(f.K.anon_vma_chain_cachep.ObjectsInUse - avcBase, Is.EqualTo(1));
        });

        f.K.unlink_anon_vmas(p);
        Assert.That(p->anon_vma == null && Chain(p) == 0, Is.True);
        Assert.That(f.K.anon_vma_cachep.ObjectsInUse, Is.EqualTo(avBase));
        Assert.That(f.K.anon_vma_chain_cachep.ObjectsInUse, Is.EqualTo(avcBase));
        NoWarnings(f);
    }

    [Test]
    public void SmallFolioMapcountThroughNewDupAddRemove()
    {
        using var f = new RmapFixture();
        var k = f.K;
        var pvma = f.NewVma(f.NewMm(), Base, Base + 4 * PAGE_SIZE);
        f.Prepare(pvma);
        var cmm = f.NewMm();
        var cvma = f.DupVma(cmm, pvma);
        k.anon_vma_fork(cvma, pvma);
        pglist_data* pgdat = k.NODE_DATA(0);
        ulong mapped0 = k.node_page_state(pgdat, node_stat_item.NR_ANON_MAPPED);

        folio* folio = k.folio_alloc(GFP_HIGHUSER_MOVABLE, 0);
        page* page = &folio->page;
        ulong addr = Base + 2 * PAGE_SIZE;
        k.folio_add_new_anon_rmap(folio, pvma, addr, RMAP_EXCLUSIVE);
        Assert.Multiple(() =>
        {
            // folio_add_new_anon_rmap: _mapcount 0 (one mapping), PageAnonExclusive, mapping = anon_vma | ANON.
            Assert.That(folio->_mapcount.counter, Is.Zero);
            Assert.That(k.folio_mapcount(folio), Is.EqualTo(1));
            Assert.That(PageAnonExclusive(page), Is.True);
            Assert.That((ulong)folio->mapping, Is.EqualTo((ulong)pvma->anon_vma + PAGE_MAPPING_ANON));
            // __folio_set_anon: index = linear_page_index(vma, address).
            Assert.That(folio->index, Is.EqualTo(pvma->vm_pgoff + 2));
            Assert.That(folio_test_swapbacked(folio), Is.True);
            // __folio_mod_stat(folio, nr = 1, 0): NR_ANON_MAPPED += 1.
            Assert.That(k.node_page_state(pgdat, node_stat_item.NR_ANON_MAPPED), Is.EqualTo(mapped0 + 1));
        });

        // fork: copy_present_pte's dup with write_protect_seq odd (raw_write_seqcount_begin).
        pvma->vm_mm->write_protect_seq.sequence = 1;
        Assert.That(k.folio_try_dup_anon_rmap_pte(folio, page, pvma), Is.Zero);
        Assert.Multiple(() =>
        {
            // __folio_try_dup_anon_rmap: exclusive cleared, _mapcount++, no stat change.
            Assert.That(PageAnonExclusive(page), Is.False);
            Assert.That(folio->_mapcount.counter, Is.EqualTo(1));
            Assert.That(k.node_page_state(pgdat, node_stat_item.NR_ANON_MAPPED), Is.EqualTo(mapped0 + 1));
        });

        // A third mapping through folio_add_anon_rmap_pte: __folio_add_rmap's inc_and_test is not first.
        k.folio_add_anon_rmap_pte(folio, page, cvma, addr, RMAP_NONE);
        Assert.That(folio->_mapcount.counter, Is.EqualTo(2));
        Assert.That(k.node_page_state(pgdat, node_stat_item.NR_ANON_MAPPED), Is.EqualTo(mapped0 + 1));

        // __folio_remove_rmap: only the last removal (add_negative) changes NR_ANON_MAPPED.
        k.folio_remove_rmap_pte(folio, page, cvma);
        k.folio_remove_rmap_pte(folio, page, pvma);
        Assert.That(k.node_page_state(pgdat, node_stat_item.NR_ANON_MAPPED), Is.EqualTo(mapped0 + 1));
        k.folio_remove_rmap_pte(folio, page, pvma);
        Assert.That(folio->_mapcount.counter, Is.EqualTo(-1));
        Assert.That(k.folio_mapped(folio), Is.False);
        Assert.That(k.node_page_state(pgdat, node_stat_item.NR_ANON_MAPPED), Is.EqualTo(mapped0));
        k.folio_put(folio);
        NoWarnings(f);
    }

    [Test]
    public void LargeFolioMapcountsAndNrPagesMapped()
    {
        using var f = new RmapFixture();
        var k = f.K;
        var vma = f.NewVma(f.NewMm(), Base, Base + 16 * PAGE_SIZE);
        f.Prepare(vma);
        pglist_data* pgdat = k.NODE_DATA(0);
        const int order = 2, nr = 1 << order;
        folio* folio = k.folio_alloc(GFP_HIGHUSER_MOVABLE, order);
        page* head = &folio->page;
        long nrAnon0 = k.mthp_stats[order, (int)mthp_stat_item.MTHP_STAT_NR_ANON];

        k.folio_add_new_anon_rmap(folio, vma, Base, RMAP_EXCLUSIVE);
        Assert.Multiple(() =>
        {
            // Not PMD-mappable: every page _mapcount 0 and exclusive, _large_mapcount nr - 1, _nr_pages_mapped nr.
            for (int i = 0; i < nr; i++)
            {
                Assert.That(head[i]._mapcount.counter, Is.Zero, $"page {i}");
                Assert.That(PageAnonExclusive(head + i), Is.True, $"page {i}");
            }
            Assert.That(folio->_large_mapcount.counter, Is.EqualTo(nr - 1));
            Assert.That(folio->_nr_pages_mapped.counter, Is.EqualTo(nr));
            Assert.That(k.folio_mapcount(folio), Is.EqualTo(nr));
            Assert.That(k.node_page_state(pgdat, node_stat_item.NR_ANON_MAPPED), Is.EqualTo((ulong)nr));
            // mod_mthp_stat(order, MTHP_STAT_NR_ANON, 1).
            Assert.That(k.mthp_stats[order, (int)mthp_stat_item.MTHP_STAT_NR_ANON], Is.EqualTo(nrAnon0 + 1));
        });

        vma->vm_mm->write_protect_seq.sequence = 1;
        Assert.That(k.folio_try_dup_anon_rmap_ptes(folio, head, nr, vma), Is.Zero);
        Assert.Multiple(() =>
        {
            // __folio_try_dup_anon_rmap: per-page _mapcount++, _large_mapcount += nr, exclusive cleared.
            for (int i = 0; i < nr; i++)
            {
                Assert.That(head[i]._mapcount.counter, Is.EqualTo(1), $"page {i}");
                Assert.That(PageAnonExclusive(head + i), Is.False, $"page {i}");
            }
            Assert.That(folio->_large_mapcount.counter, Is.EqualTo(2 * nr - 1));
            Assert.That(folio->_nr_pages_mapped.counter, Is.EqualTo(nr));
            Assert.That(k.folio_mapcount(folio), Is.EqualTo(2 * nr));
        });

        // First removal: no page's mapcount goes negative, so nr stays 0 and nothing is partially mapped.
        k.folio_remove_rmap_ptes(folio, head, nr, vma);
        Assert.That(folio->_large_mapcount.counter, Is.EqualTo(nr - 1));
        Assert.That(folio->_nr_pages_mapped.counter, Is.EqualTo(nr));
        Assert.That(k.node_page_state(pgdat, node_stat_item.NR_ANON_MAPPED), Is.EqualTo((ulong)nr));
        // Second: last = nr, _nr_pages_mapped 0 < ENTIRELY_MAPPED, so NR_ANON_MAPPED -= nr.
        k.folio_remove_rmap_ptes(folio, head, nr, vma);
        Assert.That(folio->_large_mapcount.counter, Is.EqualTo(-1));
        Assert.That(folio->_nr_pages_mapped.counter, Is.Zero);
        Assert.That(k.node_page_state(pgdat, node_stat_item.NR_ANON_MAPPED), Is.Zero);

        // Map two middle pages: __folio_add_rmap counts first = 2 into _nr_pages_mapped and nr.
        k.folio_add_anon_rmap_ptes(folio, head + 1, 2, vma, Base + PAGE_SIZE, RMAP_NONE);
        Assert.Multiple(() =>
        {
            Assert.That(head[0]._mapcount.counter, Is.EqualTo(-1));
            Assert.That(head[1]._mapcount.counter, Is.Zero);
            Assert.That(head[2]._mapcount.counter, Is.Zero);
            Assert.That(head[3]._mapcount.counter, Is.EqualTo(-1));
            Assert.That(folio->_large_mapcount.counter, Is.EqualTo(1));
            Assert.That(folio->_nr_pages_mapped.counter, Is.EqualTo(2));
            Assert.That(k.node_page_state(pgdat, node_stat_item.NR_ANON_MAPPED), Is.EqualTo(2UL));
        });
        k.folio_remove_rmap_ptes(folio, head + 1, 2, vma);
        Assert.That(folio->_nr_pages_mapped.counter, Is.Zero);
        Assert.That(k.node_page_state(pgdat, node_stat_item.NR_ANON_MAPPED), Is.Zero);
        k.folio_put(folio);
        NoWarnings(f);
    }

    [Test]
    public void TryDupRefusesAMaybePinnedExclusivePage()
    {
        using var f = new RmapFixture();
        var k = f.K;
        var vma = f.NewVma(f.NewMm(), Base, Base + 16 * PAGE_SIZE);
        f.Prepare(vma);
        mm_struct* mm = vma->vm_mm;
        mm->write_protect_seq.sequence = 1;

        folio* small = k.folio_alloc(GFP_HIGHUSER_MOVABLE, 0);
        k.folio_add_new_anon_rmap(small, vma, Base, RMAP_EXCLUSIVE);
        // folio_maybe_dma_pinned for a small folio: refcount >= GUP_PIN_COUNTING_BIAS.
        folio_ref_add(small, (int)GUP_PIN_COUNTING_BIAS);

        // folio_needs_cow_for_dma: false until the mm has MMF_HAS_PINNED.
        Assert.That(k.folio_try_dup_anon_rmap_pte(small, &small->page, vma), Is.Zero);
        Assert.That(small->_mapcount.counter, Is.EqualTo(1));
        k.folio_remove_rmap_pte(small, &small->page, vma);
        SetPageAnonExclusive(&small->page);

        set_bit(MMF_HAS_PINNED, &mm->flags);
        Assert.That(k.folio_try_dup_anon_rmap_pte(small, &small->page, vma), Is.EqualTo(-EBUSY));
        Assert.That(small->_mapcount.counter, Is.Zero, "nothing changed on -EBUSY");
        Assert.That(PageAnonExclusive(&small->page), Is.True);

        // A shared (non-exclusive) page may be duplicated even when pinned.
        ClearPageAnonExclusive(&small->page);
        Assert.That(k.folio_try_dup_anon_rmap_pte(small, &small->page, vma), Is.Zero);

        // A large folio counts pins in _pincount.
        folio* large = k.folio_alloc(GFP_HIGHUSER_MOVABLE, 2);
        k.folio_add_new_anon_rmap(large, vma, Base + 4 * PAGE_SIZE, RMAP_EXCLUSIVE);
        atomic_set(&large->_pincount, 1);
        Assert.That(k.folio_try_dup_anon_rmap_ptes(large, &large->page, 4, vma), Is.EqualTo(-EBUSY));
        Assert.That(large->_large_mapcount.counter, Is.EqualTo(3));
        atomic_set(&large->_pincount, 0);
        Assert.That(k.folio_try_dup_anon_rmap_ptes(large, &large->page, 4, vma), Is.Zero);
        Assert.That(large->_large_mapcount.counter, Is.EqualTo(7));
        NoWarnings(f);
    }

    [Test]
    public void TryShareClearsAnonExclusiveUnlessPinned()
    {
        using var f = new RmapFixture();
        var k = f.K;
        var vma = f.NewVma(f.NewMm(), Base, Base + PAGE_SIZE);
        f.Prepare(vma);
        folio* folio = k.folio_alloc(GFP_HIGHUSER_MOVABLE, 0);
        k.folio_add_new_anon_rmap(folio, vma, Base, RMAP_EXCLUSIVE);

        folio_ref_add(folio, (int)GUP_PIN_COUNTING_BIAS);
        // __folio_try_share_anon_rmap: folio_maybe_dma_pinned -> -EBUSY, still exclusive.
        Assert.That(k.folio_try_share_anon_rmap_pte(folio, &folio->page), Is.EqualTo(-EBUSY));
        Assert.That(PageAnonExclusive(&folio->page), Is.True);

        folio_ref_sub(folio, (int)GUP_PIN_COUNTING_BIAS);
        Assert.That(k.folio_try_share_anon_rmap_pte(folio, &folio->page), Is.Zero);
        Assert.That(PageAnonExclusive(&folio->page), Is.False);
        Assert.That(folio->_mapcount.counter, Is.Zero, "sharing does not change the mapcount");
        NoWarnings(f);
    }

    [Test]
    public void PageVmaMappedWalkFindsThePtesOfAFolio()
    {
        using var f = new RmapFixture();
        var k = f.K;
        var mm = f.NewMm();
        var vma = f.NewVma(mm, Base, Base + 16 * PAGE_SIZE);
        f.Prepare(vma);

        folio* small = k.folio_alloc(GFP_HIGHUSER_MOVABLE, 0);
        ulong addr = Base + 5 * PAGE_SIZE;
        k.folio_add_new_anon_rmap(small, vma, addr, RMAP_EXCLUSIVE);
        pte_t* ptep = f.MapPage(mm, addr, &small->page);

        // page_address_in_vma: vma_address(vma, index, 1).
        Assert.That(k.page_address_in_vma(&small->page, vma), Is.EqualTo(addr));
        Assert.That(k.mm_find_pmd(mm, addr) != null, Is.True);

        var pvmw = k.DEFINE_FOLIO_VMA_WALK(small, vma, addr, 0);
        Assert.That(k.page_vma_mapped_walk(&pvmw), Is.True);
        Assert.That(pvmw.pte == ptep && pvmw.address == addr, Is.True);
        // map_pte: the pte lock is held while the walk stands on an entry.
        Assert.That(spin_is_locked(pvmw.ptl), Is.True);
        spinlock* ptl = pvmw.ptl;
        // vma_address_end for one page: the next step is past the end -> not_found unlocks.
        Assert.That(k.page_vma_mapped_walk(&pvmw), Is.False);
        Assert.That(spin_is_locked(ptl), Is.False);

        // A large folio with PTEs on pages 0, 1 and 3 (2 is not mapped): three hits in order.
        folio* large = k.folio_alloc(GFP_HIGHUSER_MOVABLE, 2);
        ulong laddr = Base + 8 * PAGE_SIZE;
        k.folio_add_new_anon_rmap(large, vma, laddr, RMAP_EXCLUSIVE);
        foreach (int i in new[] { 0, 1, 3 })
            f.MapPage(mm, laddr + (ulong)i * PAGE_SIZE, &large->page + i);
        var walk = k.DEFINE_FOLIO_VMA_WALK(large, vma, laddr, 0);
        var hits = new System.Collections.Generic.List<ulong>();
        while (k.page_vma_mapped_walk(&walk))
            hits.Add((walk.address - laddr) / PAGE_SIZE);
        Assert.That(hits, Is.EqualTo(new ulong[] { 0, 1, 3 }));

        // A PTE of another pfn is no hit (check_pte's pfn range test).
        var other = k.DEFINE_FOLIO_VMA_WALK(small, vma, laddr, 0);
        Assert.That(k.page_vma_mapped_walk(&other), Is.False);
        NoWarnings(f);
    }

    [Test]
    public void FolioReferencedWalksParentAndChildMappings()
    {
        using var f = new RmapFixture();
        var k = f.K;
        var pmm = f.NewMm();
        var pvma = f.NewVma(pmm, Base, Base + 4 * PAGE_SIZE);
        f.Prepare(pvma);
        var cmm = f.NewMm();
        var cvma = f.DupVma(cmm, pvma);
        k.anon_vma_fork(cvma, pvma);

        folio* folio = k.folio_alloc(GFP_HIGHUSER_MOVABLE, 0);
        ulong addr = Base + PAGE_SIZE;
        k.folio_add_new_anon_rmap(folio, pvma, addr, RMAP_EXCLUSIVE);
        pte_t* pp = f.MapPage(pmm, addr, &folio->page, young: true);
        pmm->write_protect_seq.sequence = 1;
        k.folio_try_dup_anon_rmap_pte(folio, &folio->page, pvma);
        pte_t* cp = f.MapPage(cmm, addr, &folio->page, young: true);

        ulong vm_flags;
        // folio_referenced: rmap_walk_anon over the root anon_vma's tree finds both vmas;
        // folio_referenced_one counts each young PTE and clears it (ptep_clear_flush_young).
        Assert.That(k.folio_referenced(folio, 0, null, &vm_flags), Is.EqualTo(2));
        Assert.That(vm_flags, Is.EqualTo(pvma->vm_flags & ~(ulong)VM_LOCKED));
        Assert.That(pte_young(*pp) || pte_young(*cp), Is.False);

        // Only the child touched it again.
        set_pte_at(cmm, addr, cp, pte_mkyoung(*cp));
        Assert.That(k.folio_referenced(folio, 0, null, &vm_flags), Is.EqualTo(1));
        Assert.That(k.folio_referenced(folio, 0, null, &vm_flags), Is.Zero);
        NoWarnings(f);
    }

    [Test]
    public void FolioGetAnonVmaTakesAReferenceOnlyWhileMapped()
    {
        using var f = new RmapFixture();
        var k = f.K;
        var vma = f.NewVma(f.NewMm(), Base, Base + PAGE_SIZE);
        f.Prepare(vma);
        anon_vma* av = vma->anon_vma;
        folio* folio = k.folio_alloc(GFP_HIGHUSER_MOVABLE, 0);
        k.folio_add_new_anon_rmap(folio, vma, Base, RMAP_EXCLUSIVE);

        anon_vma* got = k.folio_get_anon_vma(folio);
        Assert.That(got == av && av->refcount.counter == 2, Is.True);
        k.put_anon_vma(got);

        anon_vma* locked = k.folio_lock_anon_vma_read(folio, null);
        Assert.That(locked == av, Is.True);
        Assert.That(rwsem_is_locked(&av->root->rwsem), Is.True);
        k.anon_vma_unlock_read(locked);

        k.folio_remove_rmap_pte(folio, &folio->page, vma);
        // Unmapped: folio->mapping is stale, so no anon_vma is handed out.
        Assert.That(k.folio_get_anon_vma(folio) == null, Is.True);
        Assert.That(k.folio_lock_anon_vma_read(folio, null) == null, Is.True);
        Assert.That(av->refcount.counter, Is.EqualTo(1));
        k.folio_put(folio);
        NoWarnings(f);
    }
}
