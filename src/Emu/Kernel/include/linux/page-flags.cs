using System.Threading;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

// include/linux/page-flags.h: the hand-written inlines (the flag macros' expansions are
// generated into PageFlagAccessors). VM_BUG_ON_PGFLAGS is off, as in Debian's config.
public unsafe partial class Kernel
{
    /// <summary>Emu never remaps HugeTLB vmemmap, so the static key stays off.</summary>
    private static readonly bool hugetlb_optimize_vmemmap_key = false;

    [Upstream("include/linux/page-flags.h", "page_fixed_fake_head", "de2bc61d708d8142")]
    internal static page* page_fixed_fake_head(page* page)
    {
        if (!hugetlb_optimize_vmemmap_key)
            return page;
        if (((ulong)page & (PAGE_SIZE - 1)) == 0 && test_bit(PG_head, &page->flags))
        {
            ulong head = Volatile.Read(ref page[1].compound_head);
            if ((head & 1) != 0)
                return (page*)(head - 1);
        }
        return page;
    }

    [Upstream("include/linux/page-flags.h", "page_is_fake_head", "9e4c9165755462dc")]
    internal static int page_is_fake_head(page* page) => page_fixed_fake_head(page) != page ? 1 : 0;

    [Upstream("include/linux/page-flags.h", "_compound_head", "c2a9158d8dc8f46d")]
    internal static ulong _compound_head(page* page)
    {
        ulong head = Volatile.Read(ref page->compound_head);
        if ((head & 1) != 0)
            return head - 1;
        return (ulong)page_fixed_fake_head(page);
    }

    [Upstream("include/linux/page-flags.h", "compound_head", UpstreamAttribute.Macro)]
    internal static page* compound_head(page* page) => (page*)_compound_head(page);

    [Upstream("include/linux/page-flags.h", "page_folio", UpstreamAttribute.Macro)]
    internal static folio* page_folio(page* p) => (folio*)_compound_head(p);

    [Upstream("include/linux/page-flags.h", "folio_page", UpstreamAttribute.Macro)]
    internal static page* folio_page(folio* folio, long n) => nth_page(&folio->page, n);

    [Upstream("include/linux/page-flags.h", "PageTail", "99add4d6df41864f")]
    internal static bool PageTail(page* page) => (Volatile.Read(ref page->compound_head) & 1) != 0 || page_is_fake_head(page) != 0;

    [Upstream("include/linux/page-flags.h", "PageCompound", "858d05a9bfa47eca")]
    internal static bool PageCompound(page* page) => test_bit(PG_head, &page->flags) || (Volatile.Read(ref page->compound_head) & 1) != 0;

    [Upstream("include/linux/page-flags.h", "PagePoisoned", "077332e97f9fee7f")]
    internal static bool PagePoisoned(page* page) => (long)Volatile.Read(ref page->flags) == PAGE_POISON_PATTERN;

    [Upstream("include/linux/page-flags.h", "folio_mapping_flags", "aec4ab38fb71837c")]
    internal static bool folio_mapping_flags(folio* folio) => ((ulong)folio->mapping & PAGE_MAPPING_FLAGS) != 0;

    [Upstream("include/linux/page-flags.h", "PageMappingFlags", "787429469ea78c5a")]
    internal static bool PageMappingFlags(page* page) => ((ulong)page->mapping & PAGE_MAPPING_FLAGS) != 0;

    [Upstream("include/linux/page-flags.h", "folio_test_anon", "4189f710c152f134")]
    internal static bool folio_test_anon(folio* folio) => ((ulong)folio->mapping & PAGE_MAPPING_ANON) != 0;

    [Upstream("include/linux/page-flags.h", "PageAnon", "0980045f6591252a")]
    internal static bool PageAnon(page* page) => folio_test_anon(page_folio(page));

    [Upstream("include/linux/page-flags.h", "__folio_test_movable", "b731c01f4be852fd")]
    internal static bool __folio_test_movable(folio* folio) => ((ulong)folio->mapping & PAGE_MAPPING_FLAGS) == PAGE_MAPPING_MOVABLE;

    [Upstream("include/linux/page-flags.h", "folio_test_ksm", "b962b220f05d2015")]
    internal static bool folio_test_ksm(folio* folio) => ((ulong)folio->mapping & PAGE_MAPPING_FLAGS) == PAGE_MAPPING_KSM;

    [Upstream("include/linux/page-flags.h", "PageKsm", "287b8d7f6bb181b1")]
    internal static bool PageKsm(page* page) => folio_test_ksm(page_folio(page));

    /// <summary>x86 loads are ordered, so the smp_rmb after a set bit is a compiler barrier only.</summary>
    [Upstream("include/linux/page-flags.h", "folio_test_uptodate", "5adcc2f8e61327b1")]
    internal static bool folio_test_uptodate(folio* folio) => test_bit(PG_uptodate, &folio->flags);

    [Upstream("include/linux/page-flags.h", "PageUptodate", "a7598fffc061fc5e")]
    internal static bool PageUptodate(page* page) => folio_test_uptodate(page_folio(page));

    [Upstream("include/linux/page-flags.h", "__folio_mark_uptodate", "566595fbcde5364f")]
    internal static void __folio_mark_uptodate(folio* folio)
    {
        Interlocked.MemoryBarrier(); // smp_wmb
        __set_bit(PG_uptodate, &folio->flags);
    }

    [Upstream("include/linux/page-flags.h", "folio_mark_uptodate", "bcf6a5a7256b1997")]
    internal static void folio_mark_uptodate(folio* folio)
    {
        Interlocked.MemoryBarrier(); // smp_wmb
        set_bit(PG_uptodate, &folio->flags);
    }

    [Upstream("include/linux/page-flags.h", "__SetPageUptodate", "317c4a43a51f1495")]
    internal static void __SetPageUptodate(page* page) => __folio_mark_uptodate((folio*)page);

    [Upstream("include/linux/page-flags.h", "SetPageUptodate", "50efdc1ffddf12b2")]
    internal static void SetPageUptodate(page* page) => folio_mark_uptodate((folio*)page);

    [Upstream("include/linux/page-flags.h", "folio_test_head", "a90ad1b9db47d779")]
    internal static bool folio_test_head(folio* folio) => test_bit(PG_head, &folio->flags);

    [Upstream("include/linux/page-flags.h", "PageHead", "3c6e5de26ede5c71")]
    internal static bool PageHead(page* page) => test_bit(PG_head, &page->flags) && page_is_fake_head(page) == 0;

    [Upstream("include/linux/page-flags.h", "folio_test_large", "03c94f675780704e")]
    internal static bool folio_test_large(folio* folio) => folio_test_head(folio);

    [Upstream("include/linux/page-flags.h", "set_compound_head", "7989b4a4b6e06fcd")]
    internal static void set_compound_head(page* page, page* head) => Volatile.Write(ref page->compound_head, (ulong)head + 1);

    [Upstream("include/linux/page-flags.h", "clear_compound_head", "cf7638fd77e2b4a4")]
    internal static void clear_compound_head(page* page) => Volatile.Write(ref page->compound_head, 0);

    [Upstream("include/linux/page-flags.h", "ClearPageCompound", "2d17202f364df9d5")]
    internal void ClearPageCompound(page* page)
    {
        BUG_ON(!PageHead(page));
        ClearPageHead(page);
    }

    [Upstream("include/linux/page-flags.h", "PageTransHuge", "6d6cca7efc42235f")]
    internal bool PageTransHuge(page* page)
    {
        VM_BUG_ON_PAGE(PageTail(page), page);
        return PageHead(page);
    }

    [Upstream("include/linux/page-flags.h", "PageTransCompound", "86f860aba848e7b9")]
    internal static bool PageTransCompound(page* page) => PageCompound(page);

    [Upstream("include/linux/page-flags.h", "page_type_has_type", "bd6a9be55ee50cec")]
    internal static bool page_type_has_type(int page_type) => page_type < (PGTY_mapcount_underflow << 24);

    [Upstream("include/linux/page-flags.h", "page_mapcount_is_type", "c208457a5190bad1")]
    internal static bool page_mapcount_is_type(uint mapcount) => page_type_has_type((int)(mapcount - 1));

    [Upstream("include/linux/page-flags.h", "page_has_type", "ff38e4d60e44c94b")]
    internal static bool page_has_type(page* page) => page_mapcount_is_type(page->page_type);

    [Upstream("include/linux/page-flags.h", "PageSlab", "a9dd225f85d51f6e")]
    internal static bool PageSlab(page* page) => folio_test_slab(page_folio(page));

    [Upstream("include/linux/page-flags.h", "PageHuge", "24e362268dc92b5d")]
    internal static bool PageHuge(page* page) => folio_test_hugetlb(page_folio(page));

    [Upstream("include/linux/page-flags.h", "PageAnonExclusive", "2a70c18aff4677d3")]
    internal static bool PageAnonExclusive(page* page)
    {
        if (PageHuge(page))
            page = compound_head(page);
        return test_bit(PG_anon_exclusive, &page->flags);
    }

    [Upstream("include/linux/page-flags.h", "SetPageAnonExclusive", "8a3efaafdeb7b06e")]
    internal static void SetPageAnonExclusive(page* page) => set_bit(PG_anon_exclusive, &page->flags);

    [Upstream("include/linux/page-flags.h", "ClearPageAnonExclusive", "58f51e24b445d758")]
    internal static void ClearPageAnonExclusive(page* page) => clear_bit(PG_anon_exclusive, &page->flags);

    [Upstream("include/linux/page-flags.h", "__ClearPageAnonExclusive", "2cbf680cd4620987")]
    internal static void __ClearPageAnonExclusive(page* page) => __clear_bit(PG_anon_exclusive, &page->flags);

    [Upstream("include/linux/page-flags.h", "folio_test_swapcache", "aac4e5870ee39d4c")]
    internal static bool folio_test_swapcache(folio* folio) =>
        folio_test_swapbacked(folio) && test_bit(PG_swapcache, &folio->flags);
}
