using System.Collections.Generic;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Tests.Kernel.Mm;

/// <summary>
/// mm/swap.c and include/linux/mm_inline.h: the per-CPU lru_add batch, its drain onto the node's
/// classic LRU lists with the NR_LRU_BASE + lru node counters and NR_ZONE_LRU_BASE + lru zone
/// counters, activation, and freeing through folios_put_refs/release_pages/__folio_put.
/// </summary>
public unsafe class LruTests
{
    private static ulong Node(RmapFixture f, node_stat_item item) => f.K.node_page_state(f.K.NODE_DATA(0), item);

    private static ulong ZoneLru(RmapFixture f, folio* folio, zone_stat_item item) =>
        f.K.zone_page_state(f.K.page_zone(&folio->page), item);

    private static long FreePages(RmapFixture f)
    {
        long n = 0;
        foreach (var z in f.K.node_zones)
            n += z.nr_free_pages;
        return n;
    }

    private static int ListLength(list_head* head) => (int)list_count_nodes(head);

    private static lruvec* Lruvec(RmapFixture f) => &f.K.NODE_DATA(0)->__lruvec;

    private static folio* AnonFolio(RmapFixture f, uint order = 0)
    {
        folio* folio = f.K.folio_alloc(GFP_HIGHUSER_MOVABLE, order);
        __folio_set_swapbacked(folio); // what folio_add_new_anon_rmap does for anon folios
        return folio;
    }

    [Test]
    public void AddBatchesUntilDrainThenPutFreesOffTheLru()
    {
        using var f = new RmapFixture();
        var k = f.K;
        long free0 = FreePages(f);
        folio* folio = AnonFolio(f);

        k.folio_add_lru(folio);
        Assert.Multiple(() =>
        {
            // __folio_batch_add_and_move: folio_get, and a small folio stays in the batch.
            Assert.That(folio_batch_count(k.cpu_fbatches_lru_add), Is.EqualTo(1u));
            Assert.That(folio_ref_count(folio), Is.EqualTo(2));
            Assert.That(folio_test_lru(folio), Is.False);
            Assert.That(Node(f, node_stat_item.NR_INACTIVE_ANON), Is.Zero);
        });

        k.lru_add_drain();
        Assert.Multiple(() =>
        {
            // folio_batch_move_lru: lru_add -> lruvec_add_folio on LRU_INACTIVE_ANON (swapbacked, not active),
            // folio_set_lru, then folios_put drops the batch's reference.
            Assert.That(folio_batch_count(k.cpu_fbatches_lru_add), Is.Zero);
            Assert.That(folio_test_lru(folio), Is.True);
            Assert.That(folio_ref_count(folio), Is.EqualTo(1));
            Assert.That(Node(f, node_stat_item.NR_INACTIVE_ANON), Is.EqualTo(1UL));
            Assert.That(ZoneLru(f, folio, zone_stat_item.NR_ZONE_INACTIVE_ANON), Is.EqualTo(1UL));
            Assert.That(ListLength(&Lruvec(f)->lists[(int)lru_list.LRU_INACTIVE_ANON]), Is.EqualTo(1));
            Assert.That(Lruvec(f)->lists[(int)lru_list.LRU_INACTIVE_ANON].next == &folio->lru, Is.True);
        });

        // __folio_put -> page_cache_release -> __page_cache_release: off the list under the lru_lock.
        k.folio_put(folio);
        Assert.Multiple(() =>
        {
            Assert.That(Node(f, node_stat_item.NR_INACTIVE_ANON), Is.Zero);
            Assert.That(ZoneLru(f, folio, zone_stat_item.NR_ZONE_INACTIVE_ANON), Is.Zero);
            Assert.That(ListLength(&Lruvec(f)->lists[(int)lru_list.LRU_INACTIVE_ANON]), Is.Zero);
            Assert.That(FreePages(f), Is.EqualTo(free0));
            Assert.That(f.Machine.KernelLog, Has.None.Contains("Bad page state"));
        });
        Assert.That(f.Machine.Warnings, Is.Empty);
    }

    [Test]
    public void AFullBatchMovesItselfOntoTheLru()
    {
        using var f = new RmapFixture();
        var k = f.K;
        var folios = new List<nint>();
        // PAGEVEC_SIZE = 31: folio_batch_add returns the space left; 0 triggers folio_batch_move_lru.
        for (int i = 0; i < PAGEVEC_SIZE - 1; i++)
        {
            folio* folio = AnonFolio(f);
            folios.Add((nint)folio);
            k.folio_add_lru(folio);
        }
        Assert.That(folio_batch_count(k.cpu_fbatches_lru_add), Is.EqualTo(PAGEVEC_SIZE - 1));
        Assert.That(Node(f, node_stat_item.NR_INACTIVE_ANON), Is.Zero);

        folio* last = AnonFolio(f);
        folios.Add((nint)last);
        k.folio_add_lru(last);
        Assert.That(folio_batch_count(k.cpu_fbatches_lru_add), Is.Zero);
        Assert.That(Node(f, node_stat_item.NR_INACTIVE_ANON), Is.EqualTo((ulong)PAGEVEC_SIZE));
        Assert.That(ListLength(&Lruvec(f)->lists[(int)lru_list.LRU_INACTIVE_ANON]), Is.EqualTo((int)PAGEVEC_SIZE));

        foreach (var p in folios)
            k.folio_put((folio*)p);
        Assert.That(Node(f, node_stat_item.NR_INACTIVE_ANON), Is.Zero);
        Assert.That(f.Machine.Warnings, Is.Empty);
    }

    [Test]
    public void LargeFoliosAndFileFoliosGoToTheirListsAtOnce()
    {
        using var f = new RmapFixture();
        var k = f.K;
        // folio_may_be_lru_cached: a large folio is never held in the batch.
        folio* large = AnonFolio(f, 3);
        k.folio_add_lru(large);
        Assert.That(folio_test_lru(large), Is.True);
        // update_lru_size counts pages: folio_nr_pages = 8.
        Assert.That(Node(f, node_stat_item.NR_INACTIVE_ANON), Is.EqualTo(8UL));
        Assert.That(ZoneLru(f, large, zone_stat_item.NR_ZONE_INACTIVE_ANON), Is.EqualTo(8UL));

        // folio_lru_list: !swapbacked is file LRU (folio_is_file_lru).
        folio* file = k.folio_alloc(GFP_HIGHUSER_MOVABLE, 0);
        k.folio_add_lru(file);
        k.lru_add_drain_all();
        Assert.That(Node(f, node_stat_item.NR_INACTIVE_FILE), Is.EqualTo(1UL));
        Assert.That(ListLength(&Lruvec(f)->lists[(int)lru_list.LRU_INACTIVE_FILE]), Is.EqualTo(1));

        k.folio_put(large);
        k.folio_put(file);
        Assert.That(Node(f, node_stat_item.NR_INACTIVE_ANON), Is.Zero);
        Assert.That(Node(f, node_stat_item.NR_INACTIVE_FILE), Is.Zero);
        Assert.That(f.Machine.Warnings, Is.Empty);
    }

    [Test]
    public void MarkAccessedTwiceActivates()
    {
        using var f = new RmapFixture();
        var k = f.K;

        // On the LRU: first access sets PG_referenced; the second queues folio_activate.
        folio* onLru = AnonFolio(f);
        k.folio_add_lru(onLru);
        k.lru_add_drain();
        k.folio_mark_accessed(onLru);
        Assert.That(folio_test_referenced(onLru), Is.True);
        k.folio_mark_accessed(onLru);
        Assert.That(folio_test_referenced(onLru), Is.False, "cleared once activation is queued");
        Assert.That(folio_test_active(onLru), Is.False, "still in the lru_activate batch");
        k.lru_add_drain();
        // lru_activate: off the inactive list, PG_active, onto the active list.
        Assert.That(folio_test_active(onLru), Is.True);
        Assert.That(Node(f, node_stat_item.NR_ACTIVE_ANON), Is.EqualTo(1UL));
        Assert.That(Node(f, node_stat_item.NR_INACTIVE_ANON), Is.Zero);
        // workingset_activation ages the lruvec's non-resident clock by the folio's pages.
        Assert.That(Lruvec(f)->nonresident_age.counter, Is.EqualTo(1L));

        // Still in the add batch: __lru_cache_activate_folio marks it, the drain adds it active.
        folio* inBatch = AnonFolio(f);
        k.folio_add_lru(inBatch);
        k.folio_mark_accessed(inBatch);
        k.folio_mark_accessed(inBatch);
        Assert.That(folio_test_active(inBatch), Is.True);
        k.lru_add_drain();
        Assert.That(Node(f, node_stat_item.NR_ACTIVE_ANON), Is.EqualTo(2UL));
        Assert.That(ListLength(&Lruvec(f)->lists[(int)lru_list.LRU_ACTIVE_ANON]), Is.EqualTo(2));

        k.folio_put(onLru);
        k.folio_put(inBatch);
        Assert.That(Node(f, node_stat_item.NR_ACTIVE_ANON), Is.Zero);
        Assert.That(f.Machine.Warnings, Is.Empty);
    }

    [Test]
    public void ReleasePagesDropsReferencesAndFreesLruFolios()
    {
        using var f = new RmapFixture();
        var k = f.K;
        long free0 = FreePages(f);
        const int n = 40; // more than one batch of PAGEVEC_SIZE
        var pages = stackalloc void*[n];
        for (int i = 0; i < n; i++)
        {
            folio* folio = AnonFolio(f, (uint)(i % 3 == 0 ? 1 : 0));
            k.folio_add_lru(folio);
            pages[i] = folio;
        }
        k.lru_add_drain();
        ulong onLru = Node(f, node_stat_item.NR_INACTIVE_ANON);
        Assert.That(onLru, Is.EqualTo((ulong)(14 * 2 + 26)));

        // A second reference on one folio keeps it alive and listed.
        folio* kept = (folio*)pages[5];
        k.folio_get(kept);
        k.release_pages(pages, n);
        Assert.Multiple(() =>
        {
            Assert.That(folio_test_lru(kept) && folio_ref_count(kept) == 1, Is.True);
            Assert.That(Node(f, node_stat_item.NR_INACTIVE_ANON), Is.EqualTo(1UL));
        });
        k.folio_put(kept);
        Assert.That(Node(f, node_stat_item.NR_INACTIVE_ANON), Is.Zero);
        Assert.That(ListLength(&Lruvec(f)->lists[(int)lru_list.LRU_INACTIVE_ANON]), Is.Zero);
        Assert.That(FreePages(f), Is.EqualTo(free0));
        Assert.That(f.Machine.KernelLog, Has.None.Contains("Bad page state"));
        Assert.That(f.Machine.Warnings, Is.Empty);
    }

    [Test]
    public void FoliosPutHonoursPerFolioRefs()
    {
        using var f = new RmapFixture();
        var k = f.K;
        long free0 = FreePages(f);
        folio_batch fbatch;
        folio_batch_init(&fbatch);
        uint* refs = stackalloc uint[3];
        var all = new folio*[3];
        for (int i = 0; i < 3; i++)
        {
            all[i] = AnonFolio(f);
            k.folio_add_lru(all[i]);
            folio_ref_add(all[i], 2); // three references each
            folio_batch_add(&fbatch, all[i]);
        }
        k.lru_add_drain();
        refs[0] = 3; refs[1] = 2; refs[2] = 3;
        // folios_put_refs: folio_ref_sub_and_test by refs[i]; survivors are not freed.
        k.folios_put_refs(&fbatch, refs);
        Assert.That(folio_ref_count(all[1]), Is.EqualTo(1));
        Assert.That(folio_test_lru(all[1]), Is.True);
        Assert.That(Node(f, node_stat_item.NR_INACTIVE_ANON), Is.EqualTo(1UL));
        k.folio_put(all[1]);
        Assert.That(FreePages(f), Is.EqualTo(free0));
        Assert.That(Node(f, node_stat_item.NR_INACTIVE_ANON), Is.Zero);
        Assert.That(f.Machine.Warnings, Is.Empty);
    }

    [Test]
    public void AddLruVmaOfAnUnlockedVmaAddsToTheLru()
    {
        using var f = new RmapFixture();
        var k = f.K;
        var vma = f.NewVma(f.NewMm(), 0x7f0000000000UL, 0x7f0000001000UL);
        f.Prepare(vma);
        folio* folio = k.folio_alloc(GFP_HIGHUSER_MOVABLE, 0);
        k.folio_add_new_anon_rmap(folio, vma, vma->vm_start, RMAP_EXCLUSIVE);
        // folio_add_lru_vma: no VM_LOCKED -> folio_add_lru.
        k.folio_add_lru_vma(folio, vma);
        k.lru_add_drain();
        Assert.That(folio_test_lru(folio), Is.True);
        Assert.That(Node(f, node_stat_item.NR_INACTIVE_ANON), Is.EqualTo(1UL));
        Assert.That(Node(f, node_stat_item.NR_ANON_MAPPED), Is.EqualTo(1UL));

        k.folio_remove_rmap_pte(folio, &folio->page, vma);
        k.folio_put(folio);
        Assert.That(Node(f, node_stat_item.NR_INACTIVE_ANON), Is.Zero);
        Assert.That(Node(f, node_stat_item.NR_ANON_MAPPED), Is.Zero);
        Assert.That(f.Machine.KernelLog, Has.None.Contains("Bad page state"));
        Assert.That(f.Machine.Warnings, Is.Empty);
    }

    [Test]
    public void PageTableConstructorsCountNrPagetable()
    {
        using var f = new RmapFixture();
        var k = f.K;
        ulong before = Node(f, node_stat_item.NR_PAGETABLE);
        ptdesc* pt = k.pagetable_alloc(GFP_KERNEL, 0);
        // mm.h pagetable_pte_ctor: lruvec_stat_add_folio(folio, NR_PAGETABLE) -> __mod_node_page_state(+1).
        Assert.That(k.pagetable_pte_ctor(pt), Is.True);
        Assert.That(Node(f, node_stat_item.NR_PAGETABLE), Is.EqualTo(before + 1));
        Assert.That(k.global_node_page_state_pages(node_stat_item.NR_PAGETABLE), Is.EqualTo(before + 1));
        k.pagetable_pte_dtor(pt);
        Assert.That(Node(f, node_stat_item.NR_PAGETABLE), Is.EqualTo(before));
        k.pagetable_free(pt);
        Assert.That(f.Machine.Warnings, Is.Empty);
    }
}
