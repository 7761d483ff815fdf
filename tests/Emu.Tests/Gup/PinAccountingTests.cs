using System;
using System.Linq;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Tests.Gup;

/// <summary>
/// GUP reference and pin accounting on folios allocated directly (no process): what 6.12's
/// mm/gup.c does to folio_ref_count, _pincount and folio_maybe_dma_pinned. Every expectation is
/// computed from the C (function cited) with GUP_PIN_COUNTING_BIAS = 1 &lt;&lt; 10 (mm.h).
/// </summary>
public unsafe class PinAccountingTests
{
    private const uint Gfp = GFP_HIGHUSER_MOVABLE;
    private const int Bias = 1 << 10; // include/linux/mm.h GUP_PIN_COUNTING_BIAS

    private Machine _machine = null!;
    private Emu.Kernel.Kernel K => _machine.Kernel;

    [SetUp]
    public void SetUp() => _machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20 });

    [TearDown]
    public void TearDown() => _machine.Dispose();

    private void AssertNoWarnings() =>
        Assert.That(_machine.Warnings, Is.Empty, string.Join("\n", _machine.Warnings));

    [Test]
    public void PinOfASmallFolioAddsTheBiasToItsRefcount()
    {
        folio* f = K.folio_alloc(Gfp, 0);
        Assert.That(folio_ref_count(f), Is.EqualTo(1));
        Assert.That(folio_maybe_dma_pinned(f), Is.False);

        // gup.c try_grab_folio, FOLL_PIN on a small folio: folio_ref_add(folio, refs * GUP_PIN_COUNTING_BIAS).
        Assert.That(K.try_grab_folio(f, 1, FOLL_PIN), Is.Zero);
        Assert.That(folio_ref_count(f), Is.EqualTo(1 + Bias));
        // mm.h folio_maybe_dma_pinned: refcount >= GUP_PIN_COUNTING_BIAS for small folios.
        Assert.That(folio_maybe_dma_pinned(f), Is.True);

        Assert.That(K.try_grab_folio(f, 2, FOLL_PIN), Is.Zero);
        Assert.That(folio_ref_count(f), Is.EqualTo(1 + 3 * Bias));

        // gup.c unpin_folio -> gup_put_folio(folio, 1, FOLL_PIN): refs *= GUP_PIN_COUNTING_BIAS.
        K.unpin_folio(f);
        Assert.That(folio_ref_count(f), Is.EqualTo(1 + 2 * Bias));
        K.unpin_user_folio(f, 2);
        Assert.That(folio_ref_count(f), Is.EqualTo(1));
        Assert.That(folio_maybe_dma_pinned(f), Is.False);
        // A small folio has no _pincount (mm.h folio_has_pincount == folio_test_large).
        Assert.That(folio_has_pincount(f), Is.False);
        AssertNoWarnings();
        K.folio_put(f);
    }

    [TestCase(1u)]
    [TestCase(2u)]
    [TestCase(9u)]
    public void PinOfALargeFolioCountsInPincountAndOneReferencePerPin(uint order)
    {
        folio* f = K.folio_alloc(Gfp, order);
        Assert.That(folio_maybe_dma_pinned(f), Is.False);

        // gup.c try_grab_folio, large folio: folio_ref_add(folio, refs); atomic_add(refs, &folio->_pincount).
        Assert.That(K.try_grab_folio(f, 3, FOLL_PIN), Is.Zero);
        Assert.That(folio_ref_count(f), Is.EqualTo(1 + 3));
        Assert.That(f->_pincount.counter, Is.EqualTo(3));
        // mm.h folio_maybe_dma_pinned: folio_has_pincount -> _pincount > 0.
        Assert.That(folio_maybe_dma_pinned(f), Is.True);

        // gup.c folio_add_pin, large: folio_ref_inc + atomic_inc(_pincount).
        K.folio_add_pin(f);
        Assert.That(folio_ref_count(f), Is.EqualTo(5));
        Assert.That(f->_pincount.counter, Is.EqualTo(4));

        // gup.c gup_put_folio, large: atomic_sub(refs, &_pincount), folio_put_refs(folio, refs).
        K.gup_put_folio(f, 4, FOLL_PIN);
        Assert.That(folio_ref_count(f), Is.EqualTo(1));
        Assert.That(f->_pincount.counter, Is.Zero);
        Assert.That(folio_maybe_dma_pinned(f), Is.False);
        AssertNoWarnings();
        K.folio_put(f);
    }

    [Test]
    public void FollGetTakesPlainReferencesThatAreNotPins()
    {
        folio* small = K.folio_alloc(Gfp, 0);
        folio* large = K.folio_alloc(Gfp, 2);

        // gup.c try_grab_folio: FOLL_GET -> folio_ref_add(folio, refs), nothing else.
        Assert.That(K.try_grab_folio(small, 5, FOLL_GET), Is.Zero);
        Assert.That(K.try_grab_folio(large, 5, FOLL_GET), Is.Zero);
        Assert.That(folio_ref_count(small), Is.EqualTo(6));
        Assert.That(folio_ref_count(large), Is.EqualTo(6));
        Assert.That(large->_pincount.counter, Is.Zero);
        Assert.That(folio_maybe_dma_pinned(small), Is.False);
        Assert.That(folio_maybe_dma_pinned(large), Is.False);

        // gup.c gup_put_folio without FOLL_PIN: folio_put_refs(folio, refs).
        K.gup_put_folio(small, 5, FOLL_GET);
        K.gup_put_folio(large, 5, FOLL_GET);
        Assert.That(folio_ref_count(small), Is.EqualTo(1));
        Assert.That(folio_ref_count(large), Is.EqualTo(1));
        AssertNoWarnings();
        K.folio_put(small);
        K.folio_put(large);
    }

    [Test]
    public void ASmallFolioWith1024OrdinaryReferencesLooksPinned()
    {
        // The refcount partition of a small folio is ambiguous: mm.h folio_maybe_dma_pinned reads
        // folio_ref_count(folio) >= GUP_PIN_COUNTING_BIAS, so 1024 plain references are a false positive.
        folio* f = K.folio_alloc(Gfp, 0);
        folio_ref_add(f, Bias - 2);
        Assert.That(folio_ref_count(f), Is.EqualTo(Bias - 1));
        Assert.That(folio_maybe_dma_pinned(f), Is.False);

        folio_ref_inc(f);
        Assert.That(folio_ref_count(f), Is.EqualTo(Bias));
        Assert.That(folio_maybe_dma_pinned(f), Is.True, "false positive: no pin was taken");

        // A large folio counts pins exactly in _pincount: references alone never look pinned.
        folio* large = K.folio_alloc(Gfp, 1);
        folio_ref_add(large, 5 * Bias);
        Assert.That(folio_maybe_dma_pinned(large), Is.False);

        folio_ref_sub(f, Bias - 1);
        folio_ref_sub(large, 5 * Bias);
        AssertNoWarnings();
        K.folio_put(f);
        K.folio_put(large);
    }

    [Test]
    public void PinsOfTheZeroPageAreNotCounted()
    {
        page* zero = K.ZERO_PAGE(0);
        folio* zf = page_folio(zero);
        int before = folio_ref_count(zf);
        Assert.That(K.is_zero_folio(zf), Is.True);

        // gup.c try_grab_folio: FOLL_PIN on is_zero_folio returns 0 without touching the refcount.
        Assert.That(K.try_grab_folio(zf, 1, FOLL_PIN), Is.Zero);
        Assert.That(folio_ref_count(zf), Is.EqualTo(before));
        // gup.c try_grab_folio_fast: the zero page is returned as is.
        Assert.That((nint)K.try_grab_folio_fast(zero, 1, FOLL_PIN), Is.EqualTo((nint)zf));
        Assert.That(folio_ref_count(zf), Is.EqualTo(before));
        // gup.c gup_put_folio / folio_add_pin: nothing for the zero folio either.
        K.unpin_user_page(zero);
        K.folio_add_pin(zf);
        Assert.That(folio_ref_count(zf), Is.EqualTo(before));
        // mm.h folio_is_longterm_pinnable: the zero folio always is.
        Assert.That(K.folio_is_longterm_pinnable(zf), Is.True);

        // A FOLL_GET on the zero page is a real reference (gup.c try_grab_folio FOLL_GET branch).
        Assert.That(K.try_grab_folio(zf, 1, FOLL_GET), Is.Zero);
        Assert.That(folio_ref_count(zf), Is.EqualTo(before + 1));
        K.gup_put_folio(zf, 1, FOLL_GET);
        Assert.That(folio_ref_count(zf), Is.EqualTo(before));
        AssertNoWarnings();
    }

    [Test]
    public void FastPathPinCompletesTheTryGetReferenceToAFullBias()
    {
        folio* small = K.folio_alloc(Gfp, 0);
        folio* large = K.folio_alloc(Gfp, 3);

        // gup.c try_grab_folio_fast: try_get_folio adds refs, then refs * (GUP_PIN_COUNTING_BIAS - 1)
        // for small folios or refs to _pincount for large ones.
        Assert.That((nint)K.try_grab_folio_fast(&small->page, 2, FOLL_PIN | FOLL_LONGTERM), Is.EqualTo((nint)small));
        Assert.That(folio_ref_count(small), Is.EqualTo(1 + 2 * Bias));
        Assert.That((nint)K.try_grab_folio_fast(&large->page + 3, 2, FOLL_PIN), Is.EqualTo((nint)large));
        Assert.That(folio_ref_count(large), Is.EqualTo(3));
        Assert.That(large->_pincount.counter, Is.EqualTo(2));
        // FOLL_GET: try_get_folio only.
        Assert.That((nint)K.try_grab_folio_fast(&large->page + 1, 1, FOLL_GET), Is.EqualTo((nint)large));
        Assert.That(folio_ref_count(large), Is.EqualTo(4));

        // Neither flag: WARN_ON_ONCE and NULL.
        Assert.That(K.try_grab_folio_fast(&small->page, 1, 0) == null, Is.True);
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1));

        K.gup_put_folio(small, 2, FOLL_PIN);
        K.gup_put_folio(large, 2, FOLL_PIN);
        K.gup_put_folio(large, 1, FOLL_GET);
        Assert.That(folio_ref_count(small), Is.EqualTo(1));
        Assert.That(folio_ref_count(large), Is.EqualTo(1));
        Assert.That(large->_pincount.counter, Is.Zero);
        K.folio_put(small);
        K.folio_put(large);
    }

    [Test]
    public void TryGetFolioFailsOnAFreedFolio()
    {
        folio* f = K.folio_alloc(Gfp, 0);
        K.folio_put(f);
        // gup.c try_get_folio: folio_ref_try_add (add unless zero) fails on refcount 0.
        Assert.That(K.try_get_folio(&f->page, 1) == null, Is.True);
        Assert.That(folio_ref_count(f), Is.Zero);
        // gup.c try_grab_folio: WARN_ON_ONCE(folio_ref_count <= 0) and -ENOMEM.
        Assert.That(K.try_grab_folio(f, 1, FOLL_PIN), Is.EqualTo(-ENOMEM));
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1));
    }

    [Test]
    public void UnpinUserPagesGroupsRunsOfOneFolioAndSkipsNulls()
    {
        folio* large = K.folio_alloc(Gfp, 2);
        folio* small = K.folio_alloc(Gfp, 0);
        Assert.That(K.try_grab_folio(large, 3, FOLL_PIN), Is.Zero);
        Assert.That(K.try_grab_folio(small, 1, FOLL_PIN), Is.Zero);

        page** pages = stackalloc page*[5];
        pages[0] = null;
        pages[1] = &large->page + 1;
        pages[2] = &large->page + 2;
        pages[3] = &large->page + 3;
        pages[4] = &small->page;
        // gup.c unpin_user_pages: a NULL entry is skipped; gup_folio_next batches the run of
        // entries in one folio into one gup_put_folio(folio, 3, FOLL_PIN).
        K.unpin_user_pages(pages, 5);
        Assert.That(folio_ref_count(large), Is.EqualTo(1));
        Assert.That(large->_pincount.counter, Is.Zero);
        Assert.That(folio_ref_count(small), Is.EqualTo(1));
        AssertNoWarnings();

        // gup.c unpin_user_pages: WARN_ON(IS_ERR_VALUE(npages)) returns without touching anything.
        K.unpin_user_pages(pages, unchecked((ulong)-EFAULT));
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1));
        Assert.That(folio_ref_count(small), Is.EqualTo(1));
        K.folio_put(large);
        K.folio_put(small);
    }

    [Test]
    public void UnpinUserPagesReadsTheFolioOfANullEntryAfterARun()
    {
        // gup.c gup_folio_next compares page_folio(list[nr]) for every entry after i, and only
        // unpin_user_pages' own loop skips NULL: a NULL right after a non-NULL entry is
        // dereferenced, as in C (the pofs error path only leaves NULLs before the live entries).
        folio* f = K.folio_alloc(Gfp, 0);
        Assert.That(K.try_grab_folio(f, 1, FOLL_PIN), Is.Zero);
        page** pages = stackalloc page*[2];
        pages[0] = &f->page;
        pages[1] = null;
        Assert.Throws<NullReferenceException>(() => K.unpin_user_pages(pages, 2));
        Assert.That(folio_ref_count(f), Is.EqualTo(1 + Bias), "nothing was put before the fault");
        K.unpin_user_page(&f->page);
        K.folio_put(f);
    }

    [Test]
    public void UnpinWithDirtyMarksEachFolioDirtyOnce()
    {
        folio* large = K.folio_alloc(Gfp, 2);
        folio* small = K.folio_alloc(Gfp, 0);
        Assert.That(K.try_grab_folio(large, 4, FOLL_PIN), Is.Zero);
        Assert.That(K.try_grab_folio(small, 1, FOLL_PIN), Is.Zero);

        // gup.c unpin_user_page_range_dirty_lock: gup_folio_range_next takes min(npages - i,
        // folio_nr_pages - index) pages of the folio at once, marks it dirty, puts nr pins.
        K.unpin_user_page_range_dirty_lock(&large->page, 4, true);
        Assert.That(folio_test_dirty(large), Is.True);
        Assert.That(folio_test_locked(large), Is.False);
        Assert.That(folio_ref_count(large), Is.EqualTo(1));
        Assert.That(large->_pincount.counter, Is.Zero);

        // gup.c unpin_user_pages_dirty_lock with make_dirty = false is unpin_user_pages: no dirtying.
        page* p = &small->page;
        K.unpin_user_pages_dirty_lock(&p, 1, false);
        Assert.That(folio_test_dirty(small), Is.False);
        Assert.That(folio_ref_count(small), Is.EqualTo(1));

        Assert.That(K.try_grab_folio(small, 1, FOLL_PIN), Is.Zero);
        K.unpin_user_pages_dirty_lock(&p, 1, true);
        Assert.That(folio_test_dirty(small), Is.True);
        Assert.That(folio_ref_count(small), Is.EqualTo(1));
        AssertNoWarnings();
        folio_clear_dirty(large);
        folio_clear_dirty(small);
        K.folio_put(large);
        K.folio_put(small);
    }

    [Test]
    public void UnpinFoliosPutsOneBatchPerRunOfEqualEntries()
    {
        folio* a = K.folio_alloc(Gfp, 0);
        folio* b = K.folio_alloc(Gfp, 1);
        Assert.That(K.try_grab_folio(a, 3, FOLL_PIN), Is.Zero);
        Assert.That(K.try_grab_folio(b, 2, FOLL_PIN), Is.Zero);
        folio** folios = stackalloc folio*[6];
        folios[0] = a; folios[1] = a; folios[2] = b; folios[3] = null; folios[4] = a; folios[5] = b;
        // gup.c unpin_folios: each run of equal entries is one gup_put_folio; NULL runs are skipped.
        K.unpin_folios(folios, 6);
        Assert.That(folio_ref_count(a), Is.EqualTo(1));
        Assert.That(folio_ref_count(b), Is.EqualTo(1));
        Assert.That(b->_pincount.counter, Is.Zero);
        AssertNoWarnings();
        K.folio_put(a);
        K.folio_put(b);
    }

    [Test]
    public void EveryFolioOfThisMachineIsLongtermPinnable()
    {
        // mm.h folio_is_longterm_pinnable (CONFIG_MIGRATION, no CONFIG_CMA): false only for device
        // coherent memory and ZONE_MOVABLE; Emu's machine has neither, so the FOLL_LONGTERM
        // migration path collects nothing (gup.c collect_longterm_unpinnable_folios).
        folio* f = K.folio_alloc(Gfp, 0);
        Assert.That(folio_zonenum(f), Is.Not.EqualTo(zone_type.ZONE_MOVABLE));
        Assert.That(K.folio_is_longterm_pinnable(f), Is.True);
        Assert.That(K.try_grab_folio(f, 1, FOLL_PIN), Is.Zero);
        page* p = &f->page;
        Assert.That(K.check_and_migrate_movable_pages(1, &p), Is.Zero);
        Assert.That(folio_ref_count(f), Is.EqualTo(1 + Bias), "nothing to migrate: the pin stays");
        K.unpin_user_page(p);
        K.folio_put(f);
        AssertNoWarnings();
    }
    [TestCase(false)]
    [TestCase(true)]
    public void ProcessPinAndUnpinMoveTheCountersExactly(bool fast) => AddressSpace.Run(() =>
    {
        var p = _machine.Spawn();
        ulong mem = p.Mmap(2 * PAGE_SIZE, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        p.Fill(mem, 2 * PAGE_SIZE, 3);
        folio* f = page_folio(K.pfn_to_page(AddressSpace.Pfn(p, mem)!.Value));
        int before = folio_ref_count(f);
        var flags = fast ? PinFlags.Fast : PinFlags.None;

        // gup.c try_grab_folio(_fast), small folio: + GUP_PIN_COUNTING_BIAS per pin, no _pincount.
        var a = p.Pin(mem, 1, flags);
        var b = p.Pin(mem, 2, flags | PinFlags.Write);
        Assert.That(folio_ref_count(f), Is.EqualTo(before + 2 * Bias));
        Assert.That(folio_maybe_dma_pinned(f), Is.True);
        // FOLL_GET: one plain reference (gup.c try_grab_folio FOLL_GET branch).
        var g = p.Get(mem, 1, flags);
        Assert.That(folio_ref_count(f), Is.EqualTo(before + 2 * Bias + 1));

        // unpin_user_pages_dirty_lock / put_page give back exactly what was taken.
        b.Release(dirty: true);
        Assert.That(folio_ref_count(f), Is.EqualTo(before + Bias + 1));
        Assert.That(folio_test_dirty(f), Is.True);
        g.Release();
        a.Release();
        Assert.That(folio_ref_count(f), Is.EqualTo(before));
        Assert.That(folio_maybe_dma_pinned(f), Is.False);
        AssertNoWarnings();
    });

    [Test]
    public void ForkCopiesASmallFolioWhose1024ReferencesLookLikeAPin() => AddressSpace.Run(() =>
    {
        // The false positive matters at fork: memory.c copy_present_ptes takes folio_get(folio) first,
        // then folio_try_dup_anon_rmap_pte -> folio_needs_cow_for_dma (COW mapping, MMF_HAS_PINNED,
        // folio_maybe_dma_pinned) copies the page for the child instead of sharing it. So 1023
        // references before fork (1024 with fork's own) are enough; no pin is held on the page.
        var p = _machine.Spawn();
        ulong mem = p.Mmap(3 * PAGE_SIZE, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        p.Fill(mem, 3 * PAGE_SIZE, 3);
        // Any earlier pin sets MMF_HAS_PINNED for good (gup.c mm_set_has_pinned_flag).
        p.Pin(mem + 2 * PAGE_SIZE, 1).Release();

        ulong below = mem, at = mem + PAGE_SIZE;
        var held = new System.Collections.Generic.List<PinnedPages>();
        foreach (var addr in new[] { below, at })
        {
            folio* f = page_folio(K.pfn_to_page(AddressSpace.Pfn(p, addr)!.Value));
            int target = addr == at ? Bias - 1 : Bias - 2;
            while (folio_ref_count(f) < target)
                held.Add(p.Get(addr, 1));
            Assert.That(folio_ref_count(f), Is.EqualTo(target));
            Assert.That(folio_maybe_dma_pinned(f), Is.False);
        }

        var child = p.Fork();
        Assert.That(AddressSpace.Pfn(child, below), Is.EqualTo(AddressSpace.Pfn(p, below)), "1022 + 1 references: shared");
        Assert.That(AddressSpace.Pfn(child, at), Is.Not.EqualTo(AddressSpace.Pfn(p, at)), "1023 + 1 references: copied as if pinned");
        foreach (var h in held)
            h.Release();
        child.Exit();
        p.Exit();
        AssertNoWarnings();
    });
}
