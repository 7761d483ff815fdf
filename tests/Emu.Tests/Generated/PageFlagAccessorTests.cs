using System.Runtime.InteropServices;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Tests.Generated;

/// <summary>
/// The accessors generated from page-flags.h's macros behave as 6.12's: which page of a compound
/// page holds the flag (PF_* policies, FOLIO_SECOND_PAGE), atomic test-and-set results, page types.
/// </summary>
public unsafe class PageFlagAccessorTests
{
    private page* _pages;

    [SetUp]
    public void Allocate()
    {
        _pages = (page*)NativeMemory.AlignedAlloc(4 * (nuint)sizeof(page), 64);
        NativeMemory.Clear(_pages, 4 * (nuint)sizeof(page));
    }

    [TearDown]
    public void Free() => NativeMemory.AlignedFree(_pages);

    private folio* Folio => (folio*)_pages;

    /// <summary>Makes pages 0..3 one compound page, as prep_compound_tail does: tails point at the head | 1.</summary>
    private void MakeCompound()
    {
        __SetPageHead(&_pages[0]);
        for (int i = 1; i < 4; i++)
            _pages[i].compound_head = (ulong)&_pages[0] | 1;
    }

    [Test]
    public void EnumValuesAreUpstreams()
    {
        // enum pageflags starts with PG_locked; enum pagetype's first type is 0xf0 (page-flags.h, 6.12).
        Assert.That(PG_locked, Is.Zero);
        Assert.That(PGTY_buddy, Is.EqualTo(0xf0));
        Assert.That(GUP_PIN_COUNTING_BIAS, Is.EqualTo(1u << 10));
        Assert.That(PAGE_MAPPING_KSM, Is.EqualTo(PAGE_MAPPING_ANON | PAGE_MAPPING_MOVABLE));
    }

    [Test]
    public void FolioLockSetsAndClearsTheHeadFlag()
    {
        __folio_set_locked(Folio); // __PAGEFLAG(Locked, ...): only the non-atomic setter exists upstream
        Assert.That(_pages[0].flags, Is.EqualTo(1UL << PG_locked));
        Assert.That(PageLocked(&_pages[0]), Is.True);
        __folio_clear_locked(Folio);
        Assert.That(folio_test_locked(Folio), Is.False);
        Assert.That(_pages[0].flags, Is.Zero);
    }

    [Test]
    public void PfHeadRedirectsATailPageToItsHead()
    {
        MakeCompound();
        SetPageDirty(&_pages[2]);
        Assert.That(_pages[0].flags & (1UL << PG_dirty), Is.Not.Zero);
        Assert.That(_pages[2].flags & (1UL << PG_dirty), Is.Zero);
        Assert.That(PageDirty(&_pages[3]), Is.True);
        Assert.That(TestClearPageDirty(&_pages[1]), Is.True);
        Assert.That(TestClearPageDirty(&_pages[1]), Is.False);
    }

    [Test]
    public void PfAnyAndNoCompoundActOnThePageItself()
    {
        MakeCompound();
        SetPagePrivate(&_pages[2]); // PAGEFLAG(Private, private, PF_ANY)
        Assert.That(_pages[2].flags & (1UL << PG_private), Is.Not.Zero);
        Assert.That(_pages[0].flags & (1UL << PG_private), Is.Zero);
    }

    [Test]
    public void SecondPageFlagsLiveInTheFirstTail()
    {
        MakeCompound();
        folio_set_large_rmappable(Folio); // FOLIO_FLAG(large_rmappable, FOLIO_SECOND_PAGE)
        Assert.That(_pages[1].flags & (1UL << PG_large_rmappable), Is.Not.Zero);
        Assert.That(_pages[0].flags & (1UL << PG_large_rmappable), Is.Zero);
        Assert.That(folio_test_large_rmappable(Folio), Is.True);
    }

    [Test]
    public void TestAndSetReturnsThePreviousValue()
    {
        Assert.That(TestSetPageHWPoison(&_pages[0]), Is.False);
        Assert.That(TestSetPageHWPoison(&_pages[0]), Is.True);
        Assert.That(PageHWPoison(&_pages[0]), Is.True);
    }

    [Test]
    public void FlagsThisConfigCompilesOutAreConstantFalse()
    {
        // No CONFIG_HIGHMEM on amd64: PAGEFLAG_FALSE(HighMem, highmem).
        _pages[0].flags = ulong.MaxValue;
        Assert.That(PageHighMem(&_pages[0]), Is.False);
        Assert.That(folio_test_highmem(Folio), Is.False);
    }

    [Test]
    public void PageTypesUseTheTopByteOfPageType()
    {
        _pages[0].page_type = uint.MaxValue; // no type, as after page init
        __SetPageBuddy(&_pages[0]);
        Assert.That(_pages[0].page_type >> 24, Is.EqualTo((uint)PGTY_buddy));
        Assert.That(PageBuddy(&_pages[0]), Is.True);
        Assert.That(PageTable(&_pages[0]), Is.False);
        __ClearPageBuddy(&_pages[0]);
        Assert.That(_pages[0].page_type, Is.EqualTo(uint.MaxValue));
    }

    [Test]
    public void SettingATypeOverAnotherIsABug()
    {
        _pages[0].page_type = uint.MaxValue;
        __SetPageTable(&_pages[0]);
        Assert.Throws<KernelBugException>(() => __SetPageBuddy(&_pages[0]));
    }
}
