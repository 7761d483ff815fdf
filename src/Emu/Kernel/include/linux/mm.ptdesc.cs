// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/linux/mm.h (page-table section) and the ptdesc casts of
// include/linux/mm_types.h: page-table pages as ptdescs, their allocation, and the split page-table
// locks. Debian amd64: CONFIG_SPLIT_PTE_PTLOCKS=y, CONFIG_SPLIT_PMD_PTLOCKS=y, and spinlock_t is 4
// bytes (no DEBUG_SPINLOCK/LOCK_ALLOC in the layout), so ALLOC_SPLIT_PTLOCKS is 0: the lock lives
// inside struct ptdesc and ptlock_alloc/free do nothing. pgtables_bytes counts with CONFIG_MMU.
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // ---- the casts between a page-table page and its descriptor (mm_types.h) ----

    [Upstream("include/linux/mm_types.h", "ptdesc_page", UpstreamAttribute.Macro)]
    internal static page* ptdesc_page(ptdesc* pt) => (page*)pt;

    [Upstream("include/linux/mm_types.h", "ptdesc_folio", UpstreamAttribute.Macro)]
    internal static folio* ptdesc_folio(ptdesc* pt) => (folio*)pt;

    [Upstream("include/linux/mm_types.h", "page_ptdesc", UpstreamAttribute.Macro)]
    internal static ptdesc* page_ptdesc(page* p) => (ptdesc*)p;

    // CONFIG_HUGETLB_PMD_PAGE_TABLE_SHARING=y: the first definition.
    [Upstream("include/linux/mm_types.h", "ptdesc_pmd_pts_init", "?")]
    internal static void ptdesc_pmd_pts_init(ptdesc* ptdesc)
    {
        atomic_set(&ptdesc->pt_share_count, 0);
    }

    // ---- pgtables_bytes ----

    [Upstream("include/linux/mm.h", "mm_inc_nr_puds", "?", Definition = 2)]
    internal static void mm_inc_nr_puds(mm_struct* mm)
    {
        if (mm_pud_folded(mm))
            return;
        atomic_long_add(PTRS_PER_PUD * sizeof(pud_t), &mm->pgtables_bytes);
    }

    [Upstream("include/linux/mm.h", "mm_dec_nr_puds", "?", Definition = 2)]
    internal static void mm_dec_nr_puds(mm_struct* mm)
    {
        if (mm_pud_folded(mm))
            return;
        atomic_long_sub(PTRS_PER_PUD * sizeof(pud_t), &mm->pgtables_bytes);
    }

    [Upstream("include/linux/mm.h", "mm_inc_nr_pmds", "?", Definition = 2)]
    internal static void mm_inc_nr_pmds(mm_struct* mm)
    {
        if (mm_pmd_folded(mm))
            return;
        atomic_long_add(PTRS_PER_PMD * sizeof(pmd_t), &mm->pgtables_bytes);
    }

    [Upstream("include/linux/mm.h", "mm_dec_nr_pmds", "?", Definition = 2)]
    internal static void mm_dec_nr_pmds(mm_struct* mm)
    {
        if (mm_pmd_folded(mm))
            return;
        atomic_long_sub(PTRS_PER_PMD * sizeof(pmd_t), &mm->pgtables_bytes);
    }

    [Upstream("include/linux/mm.h", "mm_pgtables_bytes_init", "?")]
    internal static void mm_pgtables_bytes_init(mm_struct* mm)
    {
        atomic_long_set(&mm->pgtables_bytes, 0);
    }

    [Upstream("include/linux/mm.h", "mm_pgtables_bytes", "?")]
    internal static ulong mm_pgtables_bytes(mm_struct* mm)
    {
        return (ulong)atomic_long_read(&mm->pgtables_bytes);
    }

    [Upstream("include/linux/mm.h", "mm_inc_nr_ptes", "?")]
    internal static void mm_inc_nr_ptes(mm_struct* mm)
    {
        atomic_long_add(PTRS_PER_PTE * sizeof(pte_t), &mm->pgtables_bytes);
    }

    [Upstream("include/linux/mm.h", "mm_dec_nr_ptes", "?")]
    internal static void mm_dec_nr_ptes(mm_struct* mm)
    {
        atomic_long_sub(PTRS_PER_PTE * sizeof(pte_t), &mm->pgtables_bytes);
    }

    // Neither the pud nor the pmd level is folded on x86_64 (mm_pud_folded/mm_pmd_folded are the
    // asm-generic "false" unless the level is folded at build time).
    [Upstream("include/asm-generic/pgtable-nopud.h", "mm_pud_folded", UpstreamAttribute.Macro)]
    internal static bool mm_pud_folded(mm_struct* mm) => false;

    [Upstream("include/asm-generic/pgtable-nopmd.h", "mm_pmd_folded", UpstreamAttribute.Macro)]
    internal static bool mm_pmd_folded(mm_struct* mm) => false;

    // ---- allocating a level only when it is missing ----

    [Upstream("include/linux/mm.h", "p4d_alloc", "?")]
    internal p4d_t* p4d_alloc(mm_struct* mm, pgd_t* pgd,
                              ulong address)
    {
        return (pgd_none(*pgd) && __p4d_alloc(mm, pgd, address) != 0) ?
            null : p4d_offset(pgd, address);
    }

    [Upstream("include/linux/mm.h", "pud_alloc", "?")]
    internal pud_t* pud_alloc(mm_struct* mm, p4d_t* p4d,
                              ulong address)
    {
        return (p4d_none(*p4d) && __pud_alloc(mm, p4d, address) != 0) ?
            null : pud_offset(p4d, address);
    }

    [Upstream("include/linux/mm.h", "pmd_alloc", "?")]
    internal pmd_t* pmd_alloc(mm_struct* mm, pud_t* pud, ulong address)
    {
        return (pud_none(*pud) && __pmd_alloc(mm, pud, address) != 0) ?
            null : pmd_offset(pud, address);
    }

    // ---- ptdesc <-> address ----

    [Upstream("include/linux/mm.h", "virt_to_ptdesc", "?")]
    internal ptdesc* virt_to_ptdesc(void* x)
    {
        return page_ptdesc(virt_to_page(x));
    }

    [Upstream("include/linux/mm.h", "ptdesc_to_virt", "?")]
    internal void* ptdesc_to_virt(ptdesc* pt)
    {
        return page_to_virt(ptdesc_page(pt));
    }

    [Upstream("include/linux/mm.h", "ptdesc_address", "?")]
    internal void* ptdesc_address(ptdesc* pt)
    {
        return folio_address(ptdesc_folio(pt));
    }

    [Upstream("include/linux/mm.h", "pagetable_is_reserved", "?")]
    internal static bool pagetable_is_reserved(ptdesc* pt)
    {
        return folio_test_reserved(ptdesc_folio(pt));
    }

    // Page-table pages are compound-order allocations described by their head's ptdesc.
    [Upstream("include/linux/mm.h", "pagetable_alloc_noprof", "?")]
    internal ptdesc* pagetable_alloc(uint gfp, uint order)
    {
        page* page = alloc_pages(gfp | __GFP_COMP, order);

        return page_ptdesc(page);
    }

    [Upstream("include/linux/mm.h", "pagetable_free", "?")]
    internal void pagetable_free(ptdesc* pt)
    {
        page* page = ptdesc_page(pt);

        __free_pages(page, compound_order(page));
    }

    // ---- split pte locks: the second (!ALLOC_SPLIT_PTLOCKS) definitions ----

    [Upstream("include/linux/mm.h", "ptlock_cache_init", "?", Definition = 2)]
    internal static void ptlock_cache_init()
    {
    }

    [Upstream("include/linux/mm.h", "ptlock_alloc", "?", Definition = 2)]
    internal static bool ptlock_alloc(ptdesc* ptdesc)
    {
        return true;
    }

    [Upstream("include/linux/mm.h", "ptlock_free", "?", Definition = 2)]
    internal static void ptlock_free(ptdesc* ptdesc)
    {
    }

    [Upstream("include/linux/mm.h", "ptlock_ptr", "?", Definition = 2)]
    internal static spinlock* ptlock_ptr(ptdesc* ptdesc)
    {
        return &ptdesc->ptl;
    }

    [Upstream("include/linux/mm.h", "pte_lockptr", "?")]
    internal spinlock* pte_lockptr(mm_struct* mm, pmd_t* pmd)
    {
        return ptlock_ptr(page_ptdesc(pmd_page(*pmd)));
    }

    [Upstream("include/linux/mm.h", "ptep_lockptr", "?")]
    internal spinlock* ptep_lockptr(mm_struct* mm, pte_t* pte)
    {
        // No CONFIG_HIGHPTE, and a pte table fits one page: upstream's two BUILD_BUG_ONs hold.
        return ptlock_ptr(virt_to_ptdesc(pte));
    }

    // prep_new_page() zeroed page->private, which the lock overlays: a non-zero word means someone
    // else (slab) is using this page.
    [Upstream("include/linux/mm.h", "ptlock_init", "?")]
    internal bool ptlock_init(ptdesc* ptdesc)
    {
        VM_BUG_ON_PAGE(*(ulong*)&ptdesc->ptl != 0, ptdesc_page(ptdesc));
        if (!ptlock_alloc(ptdesc))
            return false;
        spin_lock_init(ptlock_ptr(ptdesc));
        return true;
    }

    [Upstream("include/linux/mm.h", "pagetable_pte_ctor", "?")]
    internal bool pagetable_pte_ctor(ptdesc* ptdesc)
    {
        folio* folio = ptdesc_folio(ptdesc);

        if (!ptlock_init(ptdesc))
            return false;
        __folio_set_pgtable(folio);
        lruvec_stat_add_folio(folio, node_stat_item.NR_PAGETABLE);
        return true;
    }

    [Upstream("include/linux/mm.h", "pagetable_pte_dtor", "?")]
    internal void pagetable_pte_dtor(ptdesc* ptdesc)
    {
        folio* folio = ptdesc_folio(ptdesc);

        ptlock_free(ptdesc);
        __folio_clear_pgtable(folio);
        lruvec_stat_sub_folio(folio, node_stat_item.NR_PAGETABLE);
    }

    // Returns with the pte table mapped and its lock held, or null when *pmd has no pte table.
    [Upstream("include/linux/mm.h", "pte_offset_map_lock", "?")]
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

    [Upstream("include/linux/mm.h", "pmd_pgtable_page", "?")]
    internal page* pmd_pgtable_page(pmd_t* pmd)
    {
        ulong mask = ~(PTRS_PER_PMD * (ulong)sizeof(pmd_t) - 1);
        return virt_to_page((void*)((ulong)pmd & mask));
    }

    [Upstream("include/linux/mm.h", "pmd_ptdesc", "?")]
    internal ptdesc* pmd_ptdesc(pmd_t* pmd)
    {
        return page_ptdesc(pmd_pgtable_page(pmd));
    }

    [Upstream("include/linux/mm.h", "pmd_lockptr", "?")]
    internal spinlock* pmd_lockptr(mm_struct* mm, pmd_t* pmd)
    {
        return ptlock_ptr(pmd_ptdesc(pmd));
    }

    [Upstream("include/linux/mm.h", "pmd_ptlock_init", "?")]
    internal bool pmd_ptlock_init(ptdesc* ptdesc)
    {
        ptdesc->pmd_huge_pte = null;
        return ptlock_init(ptdesc);
    }

    [Upstream("include/linux/mm.h", "pmd_ptlock_free", "?")]
    internal void pmd_ptlock_free(ptdesc* ptdesc)
    {
        VM_BUG_ON_PAGE(ptdesc->pmd_huge_pte != null, ptdesc_page(ptdesc));
        ptlock_free(ptdesc);
    }

    [Upstream("include/linux/mm.h", "pmd_lock", "?")]
    internal spinlock* pmd_lock(mm_struct* mm, pmd_t* pmd)
    {
        spinlock* ptl = pmd_lockptr(mm, pmd);
        spin_lock(ptl);
        return ptl;
    }

    [Upstream("include/linux/mm.h", "pagetable_pmd_ctor", "?")]
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

    [Upstream("include/linux/mm.h", "pagetable_pmd_dtor", "?")]
    internal void pagetable_pmd_dtor(ptdesc* ptdesc)
    {
        folio* folio = ptdesc_folio(ptdesc);

        pmd_ptlock_free(ptdesc);
        __folio_clear_pgtable(folio);
        lruvec_stat_sub_folio(folio, node_stat_item.NR_PAGETABLE);
    }

    // The pud level is not split: mm->page_table_lock guards it.
    [Upstream("include/linux/mm.h", "pud_lockptr", "?")]
    internal static spinlock* pud_lockptr(mm_struct* mm, pud_t* pud)
    {
        return &mm->page_table_lock;
    }

    [Upstream("include/linux/mm.h", "pud_lock", "?")]
    internal spinlock* pud_lock(mm_struct* mm, pud_t* pud)
    {
        spinlock* ptl = pud_lockptr(mm, pud);

        spin_lock(ptl);
        return ptl;
    }

    [Upstream("include/linux/mm.h", "pagetable_pud_ctor", "?")]
    internal void pagetable_pud_ctor(ptdesc* ptdesc)
    {
        folio* folio = ptdesc_folio(ptdesc);

        __folio_set_pgtable(folio);
        lruvec_stat_add_folio(folio, node_stat_item.NR_PAGETABLE);
    }

    [Upstream("include/linux/mm.h", "pagetable_pud_dtor", "?")]
    internal void pagetable_pud_dtor(ptdesc* ptdesc)
    {
        folio* folio = ptdesc_folio(ptdesc);

        __folio_clear_pgtable(folio);
        lruvec_stat_sub_folio(folio, node_stat_item.NR_PAGETABLE);
    }
}
