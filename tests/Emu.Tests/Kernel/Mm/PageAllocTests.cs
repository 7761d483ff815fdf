using System;
using System.Collections.Generic;
using System.Linq;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Tests.Kernel.Mm;

/// <summary>
/// The buddy allocator: the transliterated edges of mm/page_alloc.c under random load, with
/// expectations taken from the 6.12.117 C (file:line cited).
/// </summary>
public unsafe class PageAllocTests
{
    private const uint Gfp = GFP_HIGHUSER_MOVABLE;

    private static bool NoBadPages(Machine machine) =>
        machine.Kernel.tainted == 0 && !machine.KernelLog.Any(l => l.Contains("Bad page state"));

    /// <summary>Every free page of the machine, after allocating until failure and freeing it all: all sections online.</summary>
    private static void OnlineAllMemory(Machine machine)
    {
        var k = machine.Kernel;
        var held = new List<nint>();
        page* p;
        while ((p = k.alloc_pages(Gfp | __GFP_NOWARN, MAX_PAGE_ORDER)) != null)
            held.Add((nint)p);
        foreach (var h in held)
            k.__free_pages((page*)h, MAX_PAGE_ORDER);
    }

    [Test]
    public void CompoundFoliosCarryTheFieldsPrepCompoundPageSets()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20 });
        var k = machine.Kernel;
        for (uint order = 1; order <= 9; order++)
        {
            folio* folio = k.folio_alloc(Gfp, order);
            page* head = &folio->page;
            Assert.Multiple(() =>
            {
                // page_alloc.c:1605 prep_new_page -> set_page_refcounted: the head holds the one reference.
                Assert.That(page_ref_count(head), Is.EqualTo(1));
                // page_alloc.c:593 prep_compound_page: __SetPageHead.
                Assert.That(PageHead(head) && folio_test_large(folio), Is.True);
                // internal.h:672 folio_set_order: order in the low byte of _flags_1, _folio_nr_pages = 1 << order.
                Assert.That(folio->_flags_1 & 0xff, Is.EqualTo((ulong)order));
                Assert.That(folio->_folio_nr_pages, Is.EqualTo(1u << (int)order));
                Assert.That(folio_order(folio), Is.EqualTo(order));
                Assert.That(folio_nr_pages(folio), Is.EqualTo(1L << (int)order));
                // internal.h:709 prep_compound_head: the mapcounts start at -1, counters at 0.
                Assert.That(folio->_large_mapcount.counter, Is.EqualTo(-1));
                Assert.That(folio->_entire_mapcount.counter, Is.EqualTo(-1));
                Assert.That(folio->_nr_pages_mapped.counter, Is.Zero);
                Assert.That(folio->_pincount.counter, Is.Zero);
                Assert.That(k.folio_mapcount(folio), Is.Zero);
                // internal.h:701 page_rmappable_folio: folio_alloc marks large folios rmappable.
                Assert.That(folio_test_large_rmappable(folio), Is.True);
                if (order > 1) // internal.h:718: the deferred-split list starts empty.
                    Assert.That(list_empty(&folio->_deferred_list), Is.True);
            });
            for (int i = 1; i < 1 << (int)order; i++)
            {
                page* tail = head + i;
                // internal.h:722 prep_compound_tail: compound_head = head + 1, private 0; TAIL_MAPPING where no folio field overlays it.
                Assert.That(tail->compound_head, Is.EqualTo((ulong)head + 1), $"order {order} tail {i}");
                Assert.That(PageTail(tail) && compound_head(tail) == head && page_folio(tail) == folio, Is.True);
                Assert.That(page_ref_count(tail), Is.Zero);
                if (i >= 4)
                    Assert.That((ulong)tail->mapping, Is.EqualTo((ulong)TAIL_MAPPING), $"order {order} tail {i}");
            }
            k.folio_put(folio);
            Assert.That(NoBadPages(machine), Is.True, string.Join("\n", machine.KernelLog));
        }
    }

    [Test]
    public void RandomAllocationAndFreeLeaveMemmapAsBootLeftIt()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20, Seed = 7 });
        var k = machine.Kernel;
        OnlineAllMemory(machine);
        ulong frames = machine.PageFrames;
        long freeAtStart = k.nr_free_pages();
        var snapshot = new page[frames];
        for (ulong pfn = 0; pfn < frames; pfn++)
            snapshot[pfn] = *k.pfn_to_page(pfn);

        var rng = new Random(7);
        var live = new List<(nint Page, uint Order, bool Compound, ulong Stamp)>();
        var owner = new Dictionary<ulong, int>(); // pfn -> index into live, to catch double handouts
        ulong stamp = 0;
        const int Operations = 100_000;
        for (int op = 0; op < Operations; op++)
        {
            if (live.Count == 0 || (live.Count < 400 && rng.Next(2) == 0))
            {
                uint order = (uint)Math.Min(9, (int)Math.Floor(-Math.Log2(rng.NextDouble() + 1e-9) * 1.5));
                bool compound = order > 0 && rng.Next(3) != 0;
                page* p = compound ? &k.folio_alloc(Gfp, order)->page : k.alloc_pages(Gfp, order);
                if (p == null)
                    continue;
                ulong pfn = k.page_to_pfn(p);
                Assert.That(pfn % (1UL << (int)order), Is.Zero, "buddy blocks are naturally aligned");
                for (ulong i = 0; i < 1UL << (int)order; i++)
                    Assert.That(owner.TryAdd(pfn + i, live.Count), Is.True, $"pfn {pfn + i} handed out twice");
                // post_alloc_hook with init_on_alloc: the memory arrives zeroed.
                var words = (ulong*)k.page_address(p);
                Assert.That(words[0] | words[(512 << (int)order) - 1], Is.Zero);
                words[0] = words[(512 << (int)order) - 1] = ++stamp;
                live.Add(((nint)p, order, compound, stamp));
            }
            else
            {
                int i = rng.Next(live.Count);
                var (p, order, compound, s) = live[i];
                var words = (ulong*)k.page_address((page*)p);
                Assert.That(words[0] == s && words[(512 << (int)order) - 1] == s, Is.True, "another allocation wrote into this one");
                ulong pfn = k.page_to_pfn((page*)p);
                for (ulong j = 0; j < 1UL << (int)order; j++)
                    owner.Remove(pfn + j);
                if (compound)
                    k.folio_put((folio*)p);
                else
                    k.__free_pages((page*)p, order);
                if (i != live.Count - 1)
                {
                    live[i] = live[^1];
                    ulong movedPfn = k.page_to_pfn((page*)live[i].Page);
                    for (ulong j = 0; j < 1UL << (int)live[i].Order; j++)
                        owner[movedPfn + j] = i;
                }
                live.RemoveAt(live.Count - 1);
                Assert.That(k.tainted, Is.Zero, "free_pages_prepare found a bad page");
            }
        }
        foreach (var (p, order, compound, _) in live)
        {
            if (compound)
                k.folio_put((folio*)p);
            else
                k.__free_pages((page*)p, order);
        }

        Assert.That(NoBadPages(machine), Is.True);
        Assert.That(k.nr_free_pages(), Is.EqualTo(freeAtStart));
        // Every struct page is as boot left it in the fields the allocator owns and checks
        // (page_expected_state, check_new_page): flags, mapping, private, _mapcount/page_type,
        // _refcount, memcg_data; and no page still claims to be a tail. Free-list links and
        // stale folio metadata in former tails (e.g. _folio_nr_pages over page[1].index, which
        // free_pages_prepare at page_alloc.c:1086 leaves alone) are not part of that state.
        for (ulong pfn = 0; pfn < frames; pfn++)
        {
            page* now = k.pfn_to_page(pfn);
            var was = snapshot[pfn];
            string at = $"pfn 0x{pfn:x}";
            Assert.That(now->flags, Is.EqualTo(was.flags), at);
            Assert.That((ulong)now->mapping, Is.EqualTo((ulong)was.mapping), at);
            Assert.That(now->@private, Is.EqualTo(was.@private), at);
            Assert.That(now->page_type, Is.EqualTo(was.page_type), at);
            Assert.That(now->_refcount.counter, Is.EqualTo(was._refcount.counter), at);
            Assert.That(now->memcg_data, Is.EqualTo(was.memcg_data), at);
            Assert.That(now->compound_head & 1, Is.Zero, at);
        }
    }

    [Test]
    public void BootFreesMemoryInTheLargestAlignedBlocks()
    {
        // mm/memblock.c:2124 __free_pages_memory: chunks of min(MAX_PAGE_ORDER, __ffs(start)), shrunk to fit.
        using var machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20 });
        var k = machine.Kernel;
        OnlineAllMemory(machine);
        var expected = new List<(ulong Pfn, int Order)>();
        void Decompose(ulong start, ulong end)
        {
            while (start < end)
            {
                int order = start == 0 ? 10 : Math.Min(10, System.Numerics.BitOperations.TrailingZeroCount(start));
                while (start + (1UL << order) > end)
                    order--;
                expected.Add((start, order));
                start += 1UL << order;
            }
        }
        Decompose(256, 4096);                 // ZONE_DMA above the reserved first 1 MiB
        Decompose(4096, machine.PageFrames);  // ZONE_DMA32
        var actual = new List<(ulong Pfn, int Order)>();
        for (ulong pfn = 0; pfn < machine.PageFrames; pfn++)
        {
            page* p = k.pfn_to_page(pfn);
            if (PageBuddy(p))
                actual.Add((pfn, (int)buddy_order(p)));
        }
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(k.nr_free_pages(), Is.EqualTo(expected.Sum(e => 1L << e.Order)));
    }

    [Test]
    public void FreeingAPageWithAMappingIsABadPageAndItIsNotReused()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 16UL << 20 });
        var k = machine.Kernel;
        page* p = k.alloc_page(Gfp);
        long free = k.nr_free_pages();
        p->mapping = (void*)0x1000; // no PAGE_MAPPING_FLAGS bit: free_pages_prepare does not clear it
        k.__free_pages(p, 0);
        // page_alloc.c:923 page_bad_reason, :498 bad_page: reported, tainted, and the page is leaked.
        Assert.That(machine.KernelLog, Has.Some.Contains($"BUG: Bad page state in process swapper/0  pfn:{k.page_to_pfn(p):x5}"));
        Assert.That(machine.KernelLog, Has.Some.EqualTo("page dumped because: non-NULL mapping"));
        Assert.That(k.tainted & (1UL << TAINT_BAD_PAGE), Is.Not.Zero);
        Assert.That(k.nr_free_pages(), Is.EqualTo(free));
    }

    [Test]
    public void FreeingResetsAnAnonMapping()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 16UL << 20 });
        var k = machine.Kernel;
        folio* f = k.folio_alloc(Gfp, 0);
        f->mapping = (void*)(0x10000UL | PAGE_MAPPING_ANON);
        Assert.That(folio_test_anon(f), Is.True);
        k.folio_put(f);
        // page_alloc.c:1146: PageMappingFlags pages have their mapping cleared on free, no bad page.
        Assert.That(f->page.mapping is null, Is.True);
        Assert.That(NoBadPages(machine), Is.True);
        Assert.That(PageBuddy(&f->page), Is.True);
    }

    [Test]
    public void PuttingTheLastReferenceTwiceIsCaught()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 16UL << 20 });
        var k = machine.Kernel;
        folio* f = k.folio_alloc(Gfp, 0);
        k.folio_put(f);
        // mm.h:1140 put_page_testzero: VM_BUG_ON_PAGE(page_ref_count(page) == 0).
        var e = Assert.Throws<KernelBugException>(() => k.folio_put(f));
        Assert.That(e!.Message, Does.Contain("VM_BUG_ON_PAGE(page_ref_count(page) == 0)").And.Contain("page: refcount:0"));
    }

    [Test]
    public void TheZeroPageIsAReservedFrameWithAReference()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 16UL << 20 });
        var k = machine.Kernel;
        page* zero = k.ZERO_PAGE(0);
        Assert.That(k.page_to_pfn(zero), Is.EqualTo(k.zero_pfn));
        Assert.That(PageReserved(zero) && page_ref_count(zero) == 1, Is.True);
        for (int i = 0; i < 512; i++)
            Assert.That(((ulong*)k.page_address(zero))[i], Is.Zero);
    }

    [Test]
    public void ExhaustionReturnsNullAndWarnsUnlessNowarn()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 16UL << 20 });
        var k = machine.Kernel;
        while (k.alloc_pages(Gfp | __GFP_NOWARN, 0) != null) { }
        Assert.That(machine.KernelLog, Has.None.Contains("page allocation failure"));
        Assert.That(k.nr_free_pages(), Is.Zero);
        Assert.That(k.alloc_pages(Gfp, 0) == null, Is.True);
        Assert.That(machine.KernelLog, Has.Some.Contains("page allocation failure: order:0"));
    }
}
