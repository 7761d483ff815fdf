// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/linux/mm.h (page-table section) and the ptdesc casts of
// include/linux/mm_types.h: page-table pages as ptdescs, their allocation, and the split page-table
// locks. Debian amd64: CONFIG_SPLIT_PTE_PTLOCKS=y, CONFIG_SPLIT_PMD_PTLOCKS=y, and spinlock_t is 4
// bytes (no DEBUG_SPINLOCK/LOCK_ALLOC in the layout), so ALLOC_SPLIT_PTLOCKS is 0: the lock lives
// inside struct ptdesc and ptlock_alloc/free do nothing. pgtables_bytes counts with CONFIG_MMU.
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // ---- the casts between a page-table page and its descriptor (mm_types.h) ----

    [Upstream("include/linux/mm_types.h", "ptdesc_page", UpstreamAttribute.Macro)]
    internal static page* ptdesc_page(ptdesc* pt) => (page*)pt;

    [Upstream("include/linux/mm_types.h", "ptdesc_folio", UpstreamAttribute.Macro)]
    internal static folio* ptdesc_folio(ptdesc* pt) => (folio*)pt;

    [Upstream("include/linux/mm_types.h", "page_ptdesc", UpstreamAttribute.Macro)]
    internal static ptdesc* page_ptdesc(page* p) => (ptdesc*)p;

    // CONFIG_HUGETLB_PMD_PAGE_TABLE_SHARING=y: the first definition.
    [Upstream("include/linux/mm_types.h", "ptdesc_pmd_pts_init", "337ce4a634deb37e")]
    internal static void ptdesc_pmd_pts_init(ptdesc* ptdesc)
    {
        atomic_set(&ptdesc->pt_share_count, 0);
    }

    // ---- pgtables_bytes ----

    [Upstream("include/linux/mm.h", "mm_inc_nr_puds", "93482e47737cdf58", Definition = 2)]
    internal static void mm_inc_nr_puds(mm_struct* mm)
    {
        if (mm_pud_folded(mm))
            return;
        atomic_long_add(PTRS_PER_PUD * sizeof(pud_t), &mm->pgtables_bytes);
    }

    [Upstream("include/linux/mm.h", "mm_dec_nr_puds", "30dad756ab94324c", Definition = 2)]
    internal static void mm_dec_nr_puds(mm_struct* mm)
    {
        if (mm_pud_folded(mm))
            return;
        atomic_long_sub(PTRS_PER_PUD * sizeof(pud_t), &mm->pgtables_bytes);
    }

    [Upstream("include/linux/mm.h", "mm_inc_nr_pmds", "69cb7d0911b5e19a", Definition = 2)]
    internal static void mm_inc_nr_pmds(mm_struct* mm)
    {
        if (mm_pmd_folded(mm))
            return;
        atomic_long_add(PTRS_PER_PMD * sizeof(pmd_t), &mm->pgtables_bytes);
    }

    [Upstream("include/linux/mm.h", "mm_dec_nr_pmds", "1ace9644ff35e3c7", Definition = 2)]
    internal static void mm_dec_nr_pmds(mm_struct* mm)
    {
        if (mm_pmd_folded(mm))
            return;
        atomic_long_sub(PTRS_PER_PMD * sizeof(pmd_t), &mm->pgtables_bytes);
    }

    [Upstream("include/linux/mm.h", "mm_pgtables_bytes_init", "75277296ddb87531")]
    internal static void mm_pgtables_bytes_init(mm_struct* mm)
    {
        atomic_long_set(&mm->pgtables_bytes, 0);
    }

    [Upstream("include/linux/mm.h", "mm_pgtables_bytes", "00e77fc211ad7b0e")]
    internal static ulong mm_pgtables_bytes(mm_struct* mm)
    {
        return (ulong)atomic_long_read(&mm->pgtables_bytes);
    }

    [Upstream("include/linux/mm.h", "mm_inc_nr_ptes", "65e033127756917f")]
    internal static void mm_inc_nr_ptes(mm_struct* mm)
    {
        atomic_long_add(PTRS_PER_PTE * sizeof(pte_t), &mm->pgtables_bytes);
    }

    [Upstream("include/linux/mm.h", "mm_dec_nr_ptes", "93e021bbedf8363a")]
    internal static void mm_dec_nr_ptes(mm_struct* mm)
    {
        atomic_long_sub(PTRS_PER_PTE * sizeof(pte_t), &mm->pgtables_bytes);
    }

    // Neither the pud nor the pmd level is folded on x86_64 (mm_pud_folded/mm_pmd_folded are the
    // asm-generic "false" unless the level is folded at build time).
    [Upstream("include/linux/pgtable.h", "mm_pud_folded", UpstreamAttribute.Macro)]
    internal static bool mm_pud_folded(mm_struct* mm) => false;

    [Upstream("include/linux/pgtable.h", "mm_pmd_folded", UpstreamAttribute.Macro)]
    internal static bool mm_pmd_folded(mm_struct* mm) => false;

    // ---- allocating a level only when it is missing ----

    [Upstream("include/linux/mm.h", "p4d_alloc", "2ca5ebdf004ce978")]
    internal p4d_t* p4d_alloc(mm_struct* mm, pgd_t* pgd,
                              ulong address)
    {
        return (pgd_none(*pgd) && __p4d_alloc(mm, pgd, address) != 0) ?
            null : p4d_offset(pgd, address);
    }

    [Upstream("include/linux/mm.h", "pud_alloc", "274155380620a377")]
    internal pud_t* pud_alloc(mm_struct* mm, p4d_t* p4d,
                              ulong address)
    {
        return (p4d_none(*p4d) && __pud_alloc(mm, p4d, address) != 0) ?
            null : pud_offset(p4d, address);
    }

    [Upstream("include/linux/mm.h", "pmd_alloc", "3c7bb356088e5001")]
    internal pmd_t* pmd_alloc(mm_struct* mm, pud_t* pud, ulong address)
    {
        return (pud_none(*pud) && __pmd_alloc(mm, pud, address) != 0) ?
            null : pmd_offset(pud, address);
    }

    // ---- ptdesc <-> address ----

    [Upstream("include/linux/mm.h", "virt_to_ptdesc", "26ce9be32dcf69b2")]
    internal ptdesc* virt_to_ptdesc(void* x)
    {
        return page_ptdesc(virt_to_page(x));
    }

    [Upstream("include/linux/mm.h", "ptdesc_to_virt", "48c55b09a2ae8abe")]
    internal void* ptdesc_to_virt(ptdesc* pt)
    {
        return page_to_virt(ptdesc_page(pt));
    }

    [Upstream("include/linux/mm.h", "ptdesc_address", "718dddcb7f191116")]
    internal void* ptdesc_address(ptdesc* pt)
    {
        return folio_address(ptdesc_folio(pt));
    }

    [Upstream("include/linux/mm.h", "pagetable_is_reserved", "f536f737e167c229")]
    internal static bool pagetable_is_reserved(ptdesc* pt)
    {
        return folio_test_reserved(ptdesc_folio(pt));
    }

    // Page-table pages are compound-order allocations described by their head's ptdesc.
    [Upstream("include/linux/mm.h", "pagetable_alloc_noprof", "2d9901d92a33a4d7")]
    internal ptdesc* pagetable_alloc(uint gfp, uint order)
    {
        page* page = alloc_pages(gfp | __GFP_COMP, order);

        return page_ptdesc(page);
    }

    [Upstream("include/linux/mm.h", "pagetable_free", "5c3dbd2240109977")]
    internal void pagetable_free(ptdesc* pt)
    {
        page* page = ptdesc_page(pt);

        __free_pages(page, compound_order(page));
    }

    // ---- split pte locks, !ALLOC_SPLIT_PTLOCKS (ptlock_ptr's first definition is the ALLOC one) ----

    [Upstream("include/linux/mm.h", "ptlock_cache_init", "257c1be96ae69f4b")]
    internal static void ptlock_cache_init()
    {
    }

    [Upstream("include/linux/mm.h", "ptlock_alloc", "b48df3a0d50249a5")]
    internal static bool ptlock_alloc(ptdesc* ptdesc)
    {
        return true;
    }

    [Upstream("include/linux/mm.h", "ptlock_free", "257c1be96ae69f4b")]
    internal static void ptlock_free(ptdesc* ptdesc)
    {
    }

    [Upstream("include/linux/mm.h", "ptlock_ptr", "5c44a0168784b171", Definition = 2)]
    internal static spinlock* ptlock_ptr(ptdesc* ptdesc)
    {
        return &ptdesc->ptl;
    }

    [Upstream("include/linux/mm.h", "pte_lockptr", "1678256309f15e92")]
    internal spinlock* pte_lockptr(mm_struct* mm, pmd_t* pmd)
    {
        return ptlock_ptr(page_ptdesc(pmd_page(*pmd)));
    }

    [Upstream("include/linux/mm.h", "ptep_lockptr", "2cbd52560578a12c")]
    internal spinlock* ptep_lockptr(mm_struct* mm, pte_t* pte)
    {
        // No CONFIG_HIGHPTE, and a pte table fits one page: upstream's two BUILD_BUG_ONs hold.
        return ptlock_ptr(virt_to_ptdesc(pte));
    }

    // prep_new_page() zeroed page->private, which the lock overlays: a non-zero word means someone
    // else (slab) is using this page.
    [Upstream("include/linux/mm.h", "ptlock_init", "90407ad048ed3a04")]
    internal bool ptlock_init(ptdesc* ptdesc)
    {
        VM_BUG_ON_PAGE(*(ulong*)&ptdesc->ptl != 0, ptdesc_page(ptdesc));
        if (!ptlock_alloc(ptdesc))
            return false;
        spin_lock_init(ptlock_ptr(ptdesc));
        return true;
    }

    [Upstream("include/linux/mm.h", "pagetable_pte_ctor", "49a9f17684583ee6")]
    internal bool pagetable_pte_ctor(ptdesc* ptdesc)
    {
        folio* folio = ptdesc_folio(ptdesc);

        if (!ptlock_init(ptdesc))
            return false;
        __folio_set_pgtable(folio);
        lruvec_stat_add_folio(folio, node_stat_item.NR_PAGETABLE);
        return true;
    }

    [Upstream("include/linux/mm.h", "pagetable_pte_dtor", "6ecc931de7175cc8")]
    internal void pagetable_pte_dtor(ptdesc* ptdesc)
    {
        folio* folio = ptdesc_folio(ptdesc);

        ptlock_free(ptdesc);
        __folio_clear_pgtable(folio);
        lruvec_stat_sub_folio(folio, node_stat_item.NR_PAGETABLE);
    }

    // Returns with the pte table mapped and its lock held, or null when *pmd has no pte table.
    [Upstream("include/linux/mm.h", "pte_offset_map_lock", "3cbfb249545f7be1")]
    internal pte_t* pte_offset_map_lock(mm_struct* mm, pmd_t* pmd,
                                        ulong addr, spinlock** ptlp)
    {
        pte_t* pte;

        pte = __pte_offset_map_lock(mm, pmd, addr, ptlp);
        return pte;
    }

    [Upstream("include/linux/mm.h", "pte_unmap_unlock", UpstreamAttribute.Macro)]
    internal void pte_unmap_unlock(pte_t* pte, spinlock* ptl)
    {
        spin_unlock(ptl);
        pte_unmap(pte);
    }

    // True when a needed pte table could not be allocated.
    [Upstream("include/linux/mm.h", "pte_alloc", UpstreamAttribute.Macro)]
    internal bool pte_alloc(mm_struct* mm, pmd_t* pmd) => pmd_none(*pmd) && __pte_alloc(mm, pmd) != 0;

    [Upstream("include/linux/mm.h", "pte_alloc_map", UpstreamAttribute.Macro)]
    internal pte_t* pte_alloc_map(mm_struct* mm, pmd_t* pmd, ulong address) =>
        pte_alloc(mm, pmd) ? null : pte_offset_map(pmd, address);

    [Upstream("include/linux/mm.h", "pte_alloc_map_lock", UpstreamAttribute.Macro)]
    internal pte_t* pte_alloc_map_lock(mm_struct* mm, pmd_t* pmd, ulong address, spinlock** ptlp) =>
        pte_alloc(mm, pmd) ? null : pte_offset_map_lock(mm, pmd, address, ptlp);

    // ---- split pmd locks (CONFIG_SPLIT_PMD_PTLOCKS=y: the first definitions) ----

    [Upstream("include/linux/mm.h", "pmd_pgtable_page", "94e0fb47a7f694f2")]
    internal page* pmd_pgtable_page(pmd_t* pmd)
    {
        ulong mask = ~(PTRS_PER_PMD * (ulong)sizeof(pmd_t) - 1);
        return virt_to_page((void*)((ulong)pmd & mask));
    }

    [Upstream("include/linux/mm.h", "pmd_ptdesc", "a81a90cc8546a115")]
    internal ptdesc* pmd_ptdesc(pmd_t* pmd)
    {
        return page_ptdesc(pmd_pgtable_page(pmd));
    }

    [Upstream("include/linux/mm.h", "pmd_lockptr", "14484364dae84b0a")]
    internal spinlock* pmd_lockptr(mm_struct* mm, pmd_t* pmd)
    {
        return ptlock_ptr(pmd_ptdesc(pmd));
    }

    [Upstream("include/linux/mm.h", "pmd_ptlock_init", "240cc9470e8e2eee")]
    internal bool pmd_ptlock_init(ptdesc* ptdesc)
    {
        ptdesc->pmd_huge_pte = null;
        return ptlock_init(ptdesc);
    }

    [Upstream("include/linux/mm.h", "pmd_ptlock_free", "c2ce45f88ea5c9af")]
    internal void pmd_ptlock_free(ptdesc* ptdesc)
    {
        VM_BUG_ON_PAGE(ptdesc->pmd_huge_pte != null, ptdesc_page(ptdesc));
        ptlock_free(ptdesc);
    }

    [Upstream("include/linux/mm.h", "pmd_lock", "b45df5fd3e108384")]
    internal spinlock* pmd_lock(mm_struct* mm, pmd_t* pmd)
    {
        spinlock* ptl = pmd_lockptr(mm, pmd);
        spin_lock(ptl);
        return ptl;
    }

    [Upstream("include/linux/mm.h", "pagetable_pmd_ctor", "6c45c08a24f65abb")]
    internal bool pagetable_pmd_ctor(ptdesc* ptdesc)
    {
        folio* folio = ptdesc_folio(ptdesc);

        if (!pmd_ptlock_init(ptdesc))
            return false;
        __folio_set_pgtable(folio);
        ptdesc_pmd_pts_init(ptdesc);
        lruvec_stat_add_folio(folio, node_stat_item.NR_PAGETABLE);
        return true;
    }

    [Upstream("include/linux/mm.h", "pagetable_pmd_dtor", "09befbdd8f2f1a62")]
    internal void pagetable_pmd_dtor(ptdesc* ptdesc)
    {
        folio* folio = ptdesc_folio(ptdesc);

        pmd_ptlock_free(ptdesc);
        __folio_clear_pgtable(folio);
        lruvec_stat_sub_folio(folio, node_stat_item.NR_PAGETABLE);
    }

    // The pud level is not split: mm->page_table_lock guards it.
    [Upstream("include/linux/mm.h", "pud_lockptr", "3113138b74ac4031")]
    internal static spinlock* pud_lockptr(mm_struct* mm, pud_t* pud)
    {
        return &mm->page_table_lock;
    }

    [Upstream("include/linux/mm.h", "pud_lock", "5dededffe8dab6ef")]
    internal spinlock* pud_lock(mm_struct* mm, pud_t* pud)
    {
        spinlock* ptl = pud_lockptr(mm, pud);

        spin_lock(ptl);
        return ptl;
    }

    [Upstream("include/linux/mm.h", "pagetable_pud_ctor", "e17e96034167ac9d")]
    internal void pagetable_pud_ctor(ptdesc* ptdesc)
    {
        folio* folio = ptdesc_folio(ptdesc);

        __folio_set_pgtable(folio);
        lruvec_stat_add_folio(folio, node_stat_item.NR_PAGETABLE);
    }

    [Upstream("include/linux/mm.h", "pagetable_pud_dtor", "fca4bfde9b6a39e3")]
    internal void pagetable_pud_dtor(ptdesc* ptdesc)
    {
        folio* folio = ptdesc_folio(ptdesc);

        __folio_clear_pgtable(folio);
        lruvec_stat_sub_folio(folio, node_stat_item.NR_PAGETABLE);
    }
}
