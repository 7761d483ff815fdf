namespace Emu.Kernel;

// include/linux/page_ref.h. The page_ref tracepoints are never active in Emu, so each
// function is its atomic operation.
public unsafe partial class Kernel
{
    [Upstream("include/linux/page_ref.h", "page_ref_count", "a89c20e5d3d5de1e")]
    internal static int page_ref_count(page* page) => atomic_read(&page->_refcount);

    [Upstream("include/linux/page_ref.h", "folio_ref_count", "170b55f4c4510ccf")]
    internal static int folio_ref_count(folio* folio) => page_ref_count(&folio->page);

    [Upstream("include/linux/page_ref.h", "page_count", "604a300ba8603f82")]
    internal static int page_count(page* page) => folio_ref_count(page_folio(page));

    [Upstream("include/linux/page_ref.h", "set_page_count", "2ee532c1481aebc9")]
    internal static void set_page_count(page* page, int v) => atomic_set(&page->_refcount, v);

    [Upstream("include/linux/page_ref.h", "folio_set_count", "8b920153a6bec230")]
    internal static void folio_set_count(folio* folio, int v) => set_page_count(&folio->page, v);

    [Upstream("include/linux/page_ref.h", "init_page_count", "daab12cad2b56199")]
    internal static void init_page_count(page* page) => set_page_count(page, 1);

    [Upstream("include/linux/page_ref.h", "page_ref_add", "7d9245e306ac0bb8")]
    internal static void page_ref_add(page* page, int nr) => atomic_add(nr, &page->_refcount);

    [Upstream("include/linux/page_ref.h", "folio_ref_add", "530c5415f12f5735")]
    internal static void folio_ref_add(folio* folio, int nr) => page_ref_add(&folio->page, nr);

    [Upstream("include/linux/page_ref.h", "page_ref_sub", "7f57d3c39463b487")]
    internal static void page_ref_sub(page* page, int nr) => atomic_sub(nr, &page->_refcount);

    [Upstream("include/linux/page_ref.h", "folio_ref_sub", "0355637722fd8689")]
    internal static void folio_ref_sub(folio* folio, int nr) => page_ref_sub(&folio->page, nr);

    [Upstream("include/linux/page_ref.h", "folio_ref_sub_return", "475b996adc2251cf")]
    internal static int folio_ref_sub_return(folio* folio, int nr) => atomic_sub_return(nr, &folio->page._refcount);

    [Upstream("include/linux/page_ref.h", "page_ref_inc", "f47b2c24335fe9a6")]
    internal static void page_ref_inc(page* page) => atomic_inc(&page->_refcount);

    [Upstream("include/linux/page_ref.h", "folio_ref_inc", "f600f32978cbd85f")]
    internal static void folio_ref_inc(folio* folio) => page_ref_inc(&folio->page);

    [Upstream("include/linux/page_ref.h", "page_ref_dec", "164c0278791fce39")]
    internal static void page_ref_dec(page* page) => atomic_dec(&page->_refcount);

    [Upstream("include/linux/page_ref.h", "folio_ref_dec", "439d4380c3b76277")]
    internal static void folio_ref_dec(folio* folio) => page_ref_dec(&folio->page);

    [Upstream("include/linux/page_ref.h", "page_ref_sub_and_test", "7dc6f5cd1eab32bb")]
    internal static bool page_ref_sub_and_test(page* page, int nr) => atomic_sub_and_test(nr, &page->_refcount);

    [Upstream("include/linux/page_ref.h", "folio_ref_sub_and_test", "b6b37098140cc450")]
    internal static bool folio_ref_sub_and_test(folio* folio, int nr) => page_ref_sub_and_test(&folio->page, nr);

    [Upstream("include/linux/page_ref.h", "page_ref_inc_return", "4f6f5934987da600")]
    internal static int page_ref_inc_return(page* page) => atomic_inc_return(&page->_refcount);

    [Upstream("include/linux/page_ref.h", "folio_ref_inc_return", "8f70767667c0ed90")]
    internal static int folio_ref_inc_return(folio* folio) => page_ref_inc_return(&folio->page);

    [Upstream("include/linux/page_ref.h", "page_ref_dec_and_test", "91f3865d840439bf")]
    internal static bool page_ref_dec_and_test(page* page) => atomic_dec_and_test(&page->_refcount);

    [Upstream("include/linux/page_ref.h", "folio_ref_dec_and_test", "cc4ddb1219285293")]
    internal static bool folio_ref_dec_and_test(folio* folio) => page_ref_dec_and_test(&folio->page);

    [Upstream("include/linux/page_ref.h", "page_ref_dec_return", "ade5c70463339702")]
    internal static int page_ref_dec_return(page* page) => atomic_dec_return(&page->_refcount);

    [Upstream("include/linux/page_ref.h", "folio_ref_dec_return", "774f51f86dadf48e")]
    internal static int folio_ref_dec_return(folio* folio) => page_ref_dec_return(&folio->page);

    /// <summary>The rcu_read_lock section only guards vmemmap remapping, which Emu does not do.</summary>
    [Upstream("include/linux/page_ref.h", "page_ref_add_unless", "b1337eb6c2501df7")]
    internal static bool page_ref_add_unless(page* page, int nr, int u)
    {
        bool ret = false;
        if (page_is_fake_head(page) == 0 && page_ref_count(page) != u)
            ret = atomic_add_unless(&page->_refcount, nr, u);
        return ret;
    }

    [Upstream("include/linux/page_ref.h", "folio_ref_add_unless", "06ec482338fab1e8")]
    internal static bool folio_ref_add_unless(folio* folio, int nr, int u) => page_ref_add_unless(&folio->page, nr, u);

    [Upstream("include/linux/page_ref.h", "folio_try_get", "922079ff0fd0c51a")]
    internal static bool folio_try_get(folio* folio) => folio_ref_add_unless(folio, 1, 0);

    [Upstream("include/linux/page_ref.h", "folio_ref_try_add", "4bcadb30880fc145")]
    internal static bool folio_ref_try_add(folio* folio, int count) => folio_ref_add_unless(folio, count, 0);

    [Upstream("include/linux/page_ref.h", "page_ref_freeze", "d08fc280301db615")]
    internal static bool page_ref_freeze(page* page, int count) => atomic_cmpxchg(&page->_refcount, count, 0) == count;

    [Upstream("include/linux/page_ref.h", "folio_ref_freeze", "966fa13d18d26d64")]
    internal static bool folio_ref_freeze(folio* folio, int count) => page_ref_freeze(&folio->page, count);

    [Upstream("include/linux/page_ref.h", "page_ref_unfreeze", "980672492cfb234e")]
    internal void page_ref_unfreeze(page* page, int count)
    {
        VM_BUG_ON_PAGE(page_count(page) != 0, page);
        VM_BUG_ON(count == 0);
        atomic_set_release(&page->_refcount, count);
    }

    [Upstream("include/linux/page_ref.h", "folio_ref_unfreeze", "2fbf1fa42b54ceb1")]
    internal void folio_ref_unfreeze(folio* folio, int count) => page_ref_unfreeze(&folio->page, count);
}
