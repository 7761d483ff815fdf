// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 fs/proc/task_mmu.c: /proc/pid/pagemap entries. The entry of
// one present or swapped PTE is pte_to_pagemap_entry() line by line; reading is modelled per
// address (pagemap_read_entry) instead of pagemap_read()'s buffered page walk, with
// pagemap_pte_hole()'s answers for unmapped addresses and missing page tables. No THP or hugetlb
// entries exist in Emu, so the PMD and hugetlb walkers are not needed.
using static Emu.Kernel.KernelConstants;

#pragma warning disable CS8981 // kernel-dialect type named as upstream's struct pagemapread

namespace Emu.Kernel;

/// <summary>struct pagemapread: what the reader may see (show_pfn is CAP_SYS_ADMIN's privilege).</summary>
internal struct pagemapread
{
    public bool show_pfn;
}

public unsafe partial class Kernel
{
    internal const int PM_PFRAME_BITS = 55;
    internal const ulong PM_PFRAME_MASK = (1UL << PM_PFRAME_BITS) - 1;
    internal const ulong PM_SOFT_DIRTY = 1UL << 55;
    internal const ulong PM_MMAP_EXCLUSIVE = 1UL << 56;
    internal const ulong PM_UFFD_WP = 1UL << 57;
    internal const ulong PM_FILE = 1UL << 61;
    internal const ulong PM_SWAP = 1UL << 62;
    internal const ulong PM_PRESENT = 1UL << 63;

    [Upstream("fs/proc/task_mmu.c", "make_pme", "2c4fed3688fc4417")]
    internal static ulong make_pme(ulong frame, ulong flags) => (frame & PM_PFRAME_MASK) | flags;

    [Upstream("fs/proc/task_mmu.c", "pte_to_pagemap_entry", "d84b521525c98cfb")]
    internal ulong pte_to_pagemap_entry(pagemapread* pm, vm_area_struct* vma, ulong addr, pte_t pte)
    {
        ulong frame = 0, flags = 0;
        page* page = null;
        folio* folio;

        if (pte_present(pte))
        {
            if (pm->show_pfn)
                frame = pte_pfn(pte);
            flags |= PM_PRESENT;
            page = vm_normal_page(vma, addr, pte);
            if (pte_soft_dirty(pte))
                flags |= PM_SOFT_DIRTY;
            if (pte_uffd_wp(pte))
                flags |= PM_UFFD_WP;
        }
        else if (is_swap_pte(pte))
        {
            swp_entry_t entry;
            if (pte_swp_soft_dirty(pte))
                flags |= PM_SOFT_DIRTY;
            if (pte_swp_uffd_wp(pte))
                flags |= PM_UFFD_WP;
            entry = pte_to_swp_entry(pte);
            if (pm->show_pfn)
            {
                ulong offset;
                if (is_pfn_swap_entry(entry))
                    offset = swp_offset_pfn(entry);
                else
                    offset = swp_offset(entry);
                frame = swp_type(entry) | (offset << MAX_SWAPFILES_SHIFT);
            }
            flags |= PM_SWAP;
            if (is_pfn_swap_entry(entry))
                page = pfn_swap_entry_to_page(entry);
            if (pte_marker_entry_uffd_wp(entry))
                flags |= PM_UFFD_WP;
        }

        if (page != null)
        {
            folio = page_folio(page);
            if (!folio_test_anon(folio))
                flags |= PM_FILE;
            if ((flags & PM_PRESENT) != 0 && folio_precise_page_mapcount(folio, page) == 1)
                flags |= PM_MMAP_EXCLUSIVE;
        }
        if ((vma->vm_flags & VM_SOFTDIRTY) != 0)
            flags |= PM_SOFT_DIRTY;

        return make_pme(frame, flags);
    }

    /// <summary>
    /// The pagemap entry of one user address, as pagemap_read() would return it: outside every VMA
    /// and where no page table exists, pagemap_pte_hole()'s entry; otherwise pte_to_pagemap_entry()
    /// under the PTE lock. The caller holds mmap_lock for read.
    /// </summary>
    internal ulong pagemap_read_entry(mm_struct* mm, ulong addr, bool show_pfn)
    {
        var pm = new pagemapread { show_pfn = show_pfn };
        vm_area_struct* vma = find_vma(mm, addr);
        if (vma == null || addr < vma->vm_start)
            return make_pme(0, 0);
        ulong hole = make_pme(0, (vma->vm_flags & VM_SOFTDIRTY) != 0 ? PM_SOFT_DIRTY : 0);

        pgd_t* pgd = pgd_offset(mm, addr);
        if (pgd_none(*pgd))
            return hole;
        p4d_t* p4d = p4d_offset(pgd, addr);
        if (p4d_none(*p4d))
            return hole;
        pud_t* pud = pud_offset(p4d, addr);
        if (pud_none(*pud))
            return hole;
        pmd_t* pmd = pmd_offset(pud, addr);
        spinlock* ptl;
        pte_t* pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
        if (pte == null)
            return hole;
        ulong pme = pte_to_pagemap_entry(&pm, vma, addr, ptep_get(pte));
        pte_unmap_unlock(pte, ptl);
        return pme;
    }
}
