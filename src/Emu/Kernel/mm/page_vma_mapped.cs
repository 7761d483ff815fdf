// SPDX-License-Identifier: GPL-2.0-only
// mm/page_vma_mapped.c: find where a folio's pages are mapped in one vma. The hugetlb branch is
// kept for its control flow but Emu has no hugetlb vmas, so it throws. C# cannot jump into a
// loop body, so page_vma_mapped_walk's do { ... } while, which upstream enters at next_pte, is
// written with labels: restart is the loop top, loop_cond its condition, continue a goto there.
using System;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/page_vma_mapped.c", "not_found", "2a3ebd0c314aae2f")]
    internal bool not_found(page_vma_mapped_walk* pvmw)
    {
        page_vma_mapped_walk_done(pvmw);
        return false;
    }

    [Upstream("mm/page_vma_mapped.c", "map_pte", "9dcbfc1f988e6063")]
    internal bool map_pte(page_vma_mapped_walk* pvmw, spinlock** ptlp)
    {
        pte_t ptent;

        if ((pvmw->flags & PVMW_SYNC) != 0)
        {
            pvmw->pte = pte_offset_map_lock(pvmw->vma->vm_mm, pvmw->pmd,
                                            pvmw->address, &pvmw->ptl);
            return pvmw->pte != null;
        }

        pvmw->pte = pte_offset_map_nolock(pvmw->vma->vm_mm, pvmw->pmd,
                                          pvmw->address, ptlp);
        if (pvmw->pte == null)
            return false;

        ptent = ptep_get(pvmw->pte);

        if ((pvmw->flags & PVMW_MIGRATION) != 0)
        {
            if (!is_swap_pte(ptent))
                return false;
        }
        else if (is_swap_pte(ptent))
        {
            swp_entry_t entry;
            // Device-private and -exclusive entries stand for mapped pages.
            entry = pte_to_swp_entry(ptent);
            if (!is_device_private_entry(entry) &&
                !is_device_exclusive_entry(entry))
                return false;
        }
        else if (!pte_present(ptent))
        {
            return false;
        }
        pvmw->ptl = *ptlp;
        spin_lock(pvmw->ptl);
        return true;
    }

    [Upstream("mm/page_vma_mapped.c", "check_pte", "16cf0ea7cf550221")]
    internal bool check_pte(page_vma_mapped_walk* pvmw, ulong pte_nr)
    {
        ulong pfn;
        pte_t ptent;

        if (is_vm_hugetlb_page(pvmw->vma))
            throw new NotSupportedException("Emu has no HugeTLB: huge_ptep_get");
        else
            ptent = ptep_get(pvmw->pte);

        if ((pvmw->flags & PVMW_MIGRATION) != 0)
        {
            swp_entry_t entry;
            if (!is_swap_pte(ptent))
                return false;
            entry = pte_to_swp_entry(ptent);

            if (!is_migration_entry(entry) &&
                !is_device_exclusive_entry(entry))
                return false;

            pfn = swp_offset_pfn(entry);
        }
        else if (is_swap_pte(ptent))
        {
            swp_entry_t entry;

            // Device-private and -exclusive entries carry the pfn.
            entry = pte_to_swp_entry(ptent);
            if (!is_device_private_entry(entry) &&
                !is_device_exclusive_entry(entry))
                return false;

            pfn = swp_offset_pfn(entry);
        }
        else
        {
            if (!pte_present(ptent))
                return false;

            pfn = pte_pfn(ptent);
        }

        if ((pfn + pte_nr - 1) < pvmw->pfn)
            return false;
        if (pfn > (pvmw->pfn + pvmw->nr_pages - 1))
            return false;
        return true;
    }

    [Upstream("mm/page_vma_mapped.c", "check_pmd", "deb480a3d43baa1c")]
    internal static bool check_pmd(ulong pfn, page_vma_mapped_walk* pvmw)
    {
        if ((pfn + HPAGE_PMD_NR - 1) < pvmw->pfn)
            return false;
        if (pfn > pvmw->pfn + pvmw->nr_pages - 1)
            return false;
        return true;
    }

    [Upstream("mm/page_vma_mapped.c", "step_forward", "f0b0434b6c851a10")]
    internal static void step_forward(page_vma_mapped_walk* pvmw, ulong size)
    {
        pvmw->address = (pvmw->address + size) & ~(size - 1);
        if (pvmw->address == 0)
            pvmw->address = ulong.MaxValue;
    }

    [Upstream("mm/page_vma_mapped.c", "page_vma_mapped_walk", "7b45cc34eee3fa35")]
    internal bool page_vma_mapped_walk(page_vma_mapped_walk* pvmw)
    {
        vm_area_struct* vma = pvmw->vma;
        mm_struct* mm = vma->vm_mm;
        ulong end;
        spinlock* ptl = null;
        pgd_t* pgd;
        p4d_t* p4d;
        pud_t* pud;
        pmd_t pmde;

        // The previous call found a PMD mapping: there is nothing further in this vma.
        if (pvmw->pmd != null && pvmw->pte == null)
            return not_found(pvmw);

        if (is_vm_hugetlb_page(vma))
            throw new NotSupportedException("Emu has no HugeTLB: hugetlb_walk");

        end = vma_address_end(pvmw);
        if (pvmw->pte != null)
            goto next_pte;
    restart:
        // do {
        pgd = pgd_offset(mm, pvmw->address);
        if (!pgd_present(*pgd))
        {
            step_forward(pvmw, PGDIR_SIZE);
            goto loop_cond; // continue
        }
        p4d = p4d_offset(pgd, pvmw->address);
        if (!p4d_present(*p4d))
        {
            step_forward(pvmw, P4D_SIZE);
            goto loop_cond; // continue
        }
        pud = pud_offset(p4d, pvmw->address);
        if (!pud_present(*pud))
        {
            step_forward(pvmw, PUD_SIZE);
            goto loop_cond; // continue
        }

        pvmw->pmd = pmd_offset(pud, pvmw->address);
        // Read once: a THP may be split or collapsed under us; recheck under the lock.
        pmde = pmdp_get_lockless(pvmw->pmd);

        if (pmd_trans_huge(pmde) || is_pmd_migration_entry(pmde) ||
            (pmd_present(pmde) && pmd_devmap(pmde)))
        {
            pvmw->ptl = pmd_lock(mm, pvmw->pmd);
            pmde = *pvmw->pmd;
            if (!pmd_present(pmde))
            {
                swp_entry_t entry;

                if (!thp_migration_supported() ||
                    (pvmw->flags & PVMW_MIGRATION) == 0)
                    return not_found(pvmw);
                entry = pmd_to_swp_entry(pmde);
                if (!is_migration_entry(entry) ||
                    !check_pmd(swp_offset_pfn(entry), pvmw))
                    return not_found(pvmw);
                return true;
            }
            if (pmd_trans_huge(pmde) || pmd_devmap(pmde))
            {
                if ((pvmw->flags & PVMW_MIGRATION) != 0)
                    return not_found(pvmw);
                if (!check_pmd(pmd_pfn(pmde), pvmw))
                    return not_found(pvmw);
                return true;
            }
            // Split under us: walk the new page table.
            spin_unlock(pvmw->ptl);
            pvmw->ptl = null;
        }
        else if (!pmd_present(pmde))
        {
            // With PVMW_SYNC, wait out a THP split or collapse that may hold the pmd lock.
            if ((pvmw->flags & PVMW_SYNC) != 0 &&
                thp_vma_suitable_order(vma, pvmw->address,
                                       PMD_ORDER) &&
                (pvmw->nr_pages >= HPAGE_PMD_NR))
            {
                spinlock* ptl2 = pmd_lock(mm, pvmw->pmd);

                spin_unlock(ptl2);
            }
            step_forward(pvmw, PMD_SIZE);
            goto loop_cond; // continue
        }
        if (!map_pte(pvmw, &ptl))
        {
            if (pvmw->pte == null)
                goto restart;
            goto next_pte;
        }
    this_pte:
        if (check_pte(pvmw, 1))
            return true;
    next_pte:
        do
        {
            pvmw->address += PAGE_SIZE;
            if (pvmw->address >= end)
                return not_found(pvmw);
            // Crossed into the next page table.
            if ((pvmw->address & (PMD_SIZE - PAGE_SIZE)) == 0)
            {
                if (pvmw->ptl != null)
                {
                    spin_unlock(pvmw->ptl);
                    pvmw->ptl = null;
                }
                pte_unmap(pvmw->pte);
                pvmw->pte = null;
                goto restart;
            }
            pvmw->pte++;
        } while (pte_none(ptep_get(pvmw->pte)));

        if (pvmw->ptl == null)
        {
            pvmw->ptl = ptl;
            spin_lock(pvmw->ptl);
        }
        goto this_pte;
    loop_cond:
        if (pvmw->address < end)
            goto restart; // } while (pvmw->address < end)

        return false;
    }
}
