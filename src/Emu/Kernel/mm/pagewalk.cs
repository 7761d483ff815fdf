// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/pagewalk.c: the user page-table walk over a VMA range
// (walk_page_range, walk_page_range_vma, walk_page_vma and the per-level walkers) and
// folio_walk_start. Not here: walk_page_range_novma/walk_kernel_page_table_range,
// walk_page_mapping (no kernel or file page-table walks in Emu).
//
// Function pointers: struct mm_walk_ops's members are void* in the generated struct; each holds
// a static `delegate*<Kernel, ..., int>` taking the Kernel first (the callee is an instance
// method of Kernel). The Call* helpers below are the indirect calls `ops->pmd_entry(...)`.
// Hugetlb is not modelled in Emu (is_vm_hugetlb_page is false), so walk_hugetlb_range is
// the config-off definition.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    private int call_pgd_entry(mm_walk_ops* ops, pgd_t* pgd, ulong addr, ulong next, mm_walk* walk)
        => ((delegate*<Kernel, pgd_t*, ulong, ulong, mm_walk*, int>)ops->pgd_entry)(this, pgd, addr, next, walk);
    private int call_p4d_entry(mm_walk_ops* ops, p4d_t* p4d, ulong addr, ulong next, mm_walk* walk)
        => ((delegate*<Kernel, p4d_t*, ulong, ulong, mm_walk*, int>)ops->p4d_entry)(this, p4d, addr, next, walk);
    private int call_pud_entry(mm_walk_ops* ops, pud_t* pud, ulong addr, ulong next, mm_walk* walk)
        => ((delegate*<Kernel, pud_t*, ulong, ulong, mm_walk*, int>)ops->pud_entry)(this, pud, addr, next, walk);
    private int call_pmd_entry(mm_walk_ops* ops, pmd_t* pmd, ulong addr, ulong next, mm_walk* walk)
        => ((delegate*<Kernel, pmd_t*, ulong, ulong, mm_walk*, int>)ops->pmd_entry)(this, pmd, addr, next, walk);
    private int call_pte_entry(mm_walk_ops* ops, pte_t* pte, ulong addr, ulong next, mm_walk* walk)
        => ((delegate*<Kernel, pte_t*, ulong, ulong, mm_walk*, int>)ops->pte_entry)(this, pte, addr, next, walk);
    private int call_pte_hole(mm_walk_ops* ops, ulong addr, ulong next, int depth, mm_walk* walk)
        => ((delegate*<Kernel, ulong, ulong, int, mm_walk*, int>)ops->pte_hole)(this, addr, next, depth, walk);
    private int call_test_walk(mm_walk_ops* ops, ulong addr, ulong next, mm_walk* walk)
        => ((delegate*<Kernel, ulong, ulong, mm_walk*, int>)ops->test_walk)(this, addr, next, walk);
    private int call_pre_vma(mm_walk_ops* ops, ulong start, ulong end, mm_walk* walk)
        => ((delegate*<Kernel, ulong, ulong, mm_walk*, int>)ops->pre_vma)(this, start, end, walk);
    private void call_post_vma(mm_walk_ops* ops, mm_walk* walk)
        => ((delegate*<Kernel, mm_walk*, void>)ops->post_vma)(this, walk);

    [Upstream("mm/pagewalk.c", "real_depth", "55b9028973b20a89")]
    private int real_depth(int depth)
    {
        if (depth == 3 && PTRS_PER_PMD == 1)
            depth = 2;
        if (depth == 2 && PTRS_PER_PUD == 1)
            depth = 1;
        if (depth == 1 && PTRS_PER_P4D == 1)
            depth = 0;
        return depth;
    }

    [Upstream("mm/pagewalk.c", "walk_pte_range_inner", "9b0f7edc1573acdc")]
    private int walk_pte_range_inner(pte_t* pte, ulong addr, ulong end, mm_walk* walk)
    {
        mm_walk_ops* ops = walk->ops;
        int err = 0;

        for (; ; )
        {
            err = call_pte_entry(ops, pte, addr, addr + PAGE_SIZE, walk);
            if (err != 0)
                break;
            if (addr >= end - PAGE_SIZE)
                break;
            addr += PAGE_SIZE;
            pte++;
        }
        return err;
    }

    [Upstream("mm/pagewalk.c", "walk_pte_range", "467ea797de3e3351")]
    private int walk_pte_range(pmd_t* pmd, ulong addr, ulong end, mm_walk* walk)
    {
        pte_t* pte;
        int err = 0;
        spinlock* ptl;

        if (walk->no_vma)
        {
            // Kernel page tables (init_mm) are not modelled; Emu's walks always have a vma.
            throw new System.NotSupportedException("walk_pte_range: no_vma walks (init_mm) are not modelled in Emu");
        }
        else
        {
            pte = pte_offset_map_lock(walk->mm, pmd, addr, &ptl);
            if (pte != null)
            {
                err = walk_pte_range_inner(pte, addr, end, walk);
                pte_unmap_unlock(pte, ptl);
            }
        }
        if (pte == null)
            walk->action = page_walk_action.ACTION_AGAIN;
        return err;
    }

    [Upstream("mm/pagewalk.c", "walk_pmd_range", "96a2c4d2ae0e498c")]
    private int walk_pmd_range(pud_t* pud, ulong addr, ulong end, mm_walk* walk)
    {
        pud_t pudval = pudp_get(pud);
        pmd_t* pmd;
        ulong next;
        mm_walk_ops* ops = walk->ops;
        int err = 0;
        int depth = real_depth(3);

        // A PUD leaf or a vanished table: let the caller retry at its level.
        if (!pud_present(pudval) || pud_leaf(pudval))
        {
            walk->action = page_walk_action.ACTION_AGAIN;
            return 0;
        }

        pmd = pmd_offset(pud, addr);
        do
        {
        again:
            walk->action = page_walk_action.ACTION_SUBTREE;
            next = pmd_addr_end(addr, end);
            if (pmd_none(*pmd))
            {
                if (ops->pte_hole != null)
                    err = call_pte_hole(ops, addr, next, depth, walk);
                if (err != 0)
                    break;
                continue;
            }

            // The callback may ask to skip the subtree or to look again.
            if (ops->pmd_entry != null)
                err = call_pmd_entry(ops, pmd, addr, next, walk);
            if (err != 0)
                break;

            if (walk->action == page_walk_action.ACTION_AGAIN)
                goto again;

            if ((walk->vma == null && (pmd_leaf(*pmd) || !pmd_present(*pmd))) ||
                walk->action == page_walk_action.ACTION_CONTINUE ||
                ops->pte_entry == null)
                continue;

            if (walk->vma != null)
                split_huge_pmd(walk->vma, pmd, addr);

            err = walk_pte_range(pmd, addr, next, walk);
            if (err != 0)
                break;

            if (walk->action == page_walk_action.ACTION_AGAIN)
                goto again;
        } while (pmd++ != null && (addr = next) != end);

        return err;
    }

    [Upstream("mm/pagewalk.c", "walk_pud_range", "868c302f4e9aae89")]
    private int walk_pud_range(p4d_t* p4d, ulong addr, ulong end, mm_walk* walk)
    {
        pud_t* pud;
        ulong next;
        mm_walk_ops* ops = walk->ops;
        int err = 0;
        int depth = real_depth(2);

        pud = pud_offset(p4d, addr);
        do
        {
        again:
            walk->action = page_walk_action.ACTION_SUBTREE;

            next = pud_addr_end(addr, end);
            if (pud_none(*pud))
            {
                if (ops->pte_hole != null)
                    err = call_pte_hole(ops, addr, next, depth, walk);
                if (err != 0)
                    break;
                continue;
            }

            if (ops->pud_entry != null)
                err = call_pud_entry(ops, pud, addr, next, walk);
            if (err != 0)
                break;

            if (walk->action == page_walk_action.ACTION_AGAIN)
                goto again;

            if ((walk->vma == null && (pud_leaf(*pud) || !pud_present(*pud))) ||
                walk->action == page_walk_action.ACTION_CONTINUE ||
                !(ops->pmd_entry != null || ops->pte_entry != null))
                continue;

            if (walk->vma != null)
                split_huge_pud(walk->vma, pud, addr);

            err = walk_pmd_range(pud, addr, next, walk);
            if (err != 0)
                break;

            if (walk->action == page_walk_action.ACTION_AGAIN)
                goto again;
        } while (pud++ != null && (addr = next) != end);

        return err;
    }

    [Upstream("mm/pagewalk.c", "walk_p4d_range", "e9cc433bf399d75b")]
    private int walk_p4d_range(pgd_t* pgd, ulong addr, ulong end, mm_walk* walk)
    {
        p4d_t* p4d;
        ulong next;
        mm_walk_ops* ops = walk->ops;
        int err = 0;
        int depth = real_depth(1);

        p4d = p4d_offset(pgd, addr);
        do
        {
            next = p4d_addr_end(addr, end);
            if (p4d_none_or_clear_bad(p4d))
            {
                if (ops->pte_hole != null)
                    err = call_pte_hole(ops, addr, next, depth, walk);
                if (err != 0)
                    break;
                continue;
            }
            if (ops->p4d_entry != null)
            {
                err = call_p4d_entry(ops, p4d, addr, next, walk);
                if (err != 0)
                    break;
            }
            if (ops->pud_entry != null || ops->pmd_entry != null || ops->pte_entry != null)
                err = walk_pud_range(p4d, addr, next, walk);
            if (err != 0)
                break;
        } while (p4d++ != null && (addr = next) != end);

        return err;
    }

    [Upstream("mm/pagewalk.c", "walk_pgd_range", "004b1d5f88e922fa")]
    private int walk_pgd_range(ulong addr, ulong end, mm_walk* walk)
    {
        pgd_t* pgd;
        ulong next;
        mm_walk_ops* ops = walk->ops;
        int err = 0;

        if (walk->pgd != null)
            pgd = walk->pgd + pgd_index(addr);
        else
            pgd = pgd_offset(walk->mm, addr);
        do
        {
            next = pgd_addr_end(addr, end);
            if (pgd_none_or_clear_bad(pgd))
            {
                if (ops->pte_hole != null)
                    err = call_pte_hole(ops, addr, next, 0, walk);
                if (err != 0)
                    break;
                continue;
            }
            if (ops->pgd_entry != null)
            {
                err = call_pgd_entry(ops, pgd, addr, next, walk);
                if (err != 0)
                    break;
            }
            if (ops->p4d_entry != null || ops->pud_entry != null || ops->pmd_entry != null || ops->pte_entry != null)
                err = walk_p4d_range(pgd, addr, next, walk);
            if (err != 0)
                break;
        } while (pgd++ != null && (addr = next) != end);

        return err;
    }

    /// <summary>Hugetlb is not modelled: the !CONFIG_HUGETLB_PAGE body.</summary>
    [Upstream("mm/pagewalk.c", "walk_hugetlb_range", "44a1d2edf9e4dbfb", Definition = 2)]
    private static int walk_hugetlb_range(ulong addr, ulong end, mm_walk* walk)
    {
        return 0;
    }

    [Upstream("mm/pagewalk.c", "walk_page_test", "cb6b722b4884c08f")]
    private int walk_page_test(ulong start, ulong end, mm_walk* walk)
    {
        vm_area_struct* vma = walk->vma;
        mm_walk_ops* ops = walk->ops;

        if (ops->test_walk != null)
            return call_test_walk(ops, start, end, walk);

        // VM_PFNMAP has no struct pages to walk: report it as a hole and skip it.
        if ((vma->vm_flags & VM_PFNMAP) != 0)
        {
            int err = 1;
            if (ops->pte_hole != null)
                err = call_pte_hole(ops, start, end, -1, walk);
            return err != 0 ? err : 1;
        }
        return 0;
    }

    [Upstream("mm/pagewalk.c", "__walk_page_range", "91457b317c626cea")]
    private int __walk_page_range(ulong start, ulong end, mm_walk* walk)
    {
        int err = 0;
        vm_area_struct* vma = walk->vma;
        mm_walk_ops* ops = walk->ops;

        if (ops->pre_vma != null)
        {
            err = call_pre_vma(ops, start, end, walk);
            if (err != 0)
                return err;
        }

        if (is_vm_hugetlb_page(vma))
        {
            if (ops->hugetlb_entry != null)
                err = walk_hugetlb_range(start, end, walk);
        }
        else
            err = walk_pgd_range(start, end, walk);

        if (ops->post_vma != null)
            call_post_vma(ops, walk);

        return err;
    }

    [Upstream("mm/pagewalk.c", "process_mm_walk_lock", "3f950d261b143c9d")]
    private void process_mm_walk_lock(mm_struct* mm, page_walk_lock walk_lock)
    {
        if (walk_lock == page_walk_lock.PGWALK_RDLOCK)
            mmap_assert_locked(mm);
        else
            mmap_assert_write_locked(mm);
    }

    [Upstream("mm/pagewalk.c", "process_vma_walk_lock", "fbb075bea2a16884")]
    private void process_vma_walk_lock(vm_area_struct* vma, page_walk_lock walk_lock)
    {
        // CONFIG_PER_VMA_LOCK
        switch (walk_lock)
        {
            case page_walk_lock.PGWALK_WRLOCK:
                vma_start_write(vma);
                break;
            case page_walk_lock.PGWALK_WRLOCK_VERIFY:
                vma_assert_write_locked(vma);
                break;
            case page_walk_lock.PGWALK_RDLOCK:
                // The mmap lock held for read is enough.
                break;
        }
    }

    [Upstream("mm/pagewalk.c", "walk_page_range", "e4642f5acab416ff")]
    internal int walk_page_range(mm_struct* mm, ulong start, ulong end, mm_walk_ops* ops, void* @private)
    {
        int err = 0;
        ulong next;
        vm_area_struct* vma;
        mm_walk walk = default;
        walk.ops = ops;
        walk.mm = mm;
        walk.@private = @private;

        if (start >= end)
            return -EINVAL;

        if (walk.mm == null)
            return -EINVAL;

        process_mm_walk_lock(walk.mm, ops->walk_lock);

        vma = find_vma(walk.mm, start);
        do
        {
            if (vma == null)
            { // after the last vma
                walk.vma = null;
                next = end;
                if (ops->pte_hole != null)
                    err = call_pte_hole(ops, start, next, -1, &walk);
            }
            else if (start < vma->vm_start)
            { // a gap before vma
                walk.vma = null;
                next = System.Math.Min(end, vma->vm_start);
                if (ops->pte_hole != null)
                    err = call_pte_hole(ops, start, next, -1, &walk);
            }
            else
            { // inside vma
                process_vma_walk_lock(vma, ops->walk_lock);
                walk.vma = vma;
                next = System.Math.Min(end, vma->vm_end);
                vma = find_vma(mm, vma->vm_end);

                err = walk_page_test(start, next, &walk);
                if (err > 0)
                {
                    // Skipped on purpose: not an error for the caller.
                    err = 0;
                    continue;
                }
                if (err < 0)
                    break;
                err = __walk_page_range(start, next, &walk);
            }
            if (err != 0)
                break;
        } while ((start = next) < end);
        return err;
    }

    [Upstream("mm/pagewalk.c", "walk_page_range_vma", "7d7267641e949dd9")]
    internal int walk_page_range_vma(vm_area_struct* vma, ulong start, ulong end, mm_walk_ops* ops, void* @private)
    {
        mm_walk walk = default;
        walk.ops = ops;
        walk.mm = vma->vm_mm;
        walk.vma = vma;
        walk.@private = @private;

        if (start >= end || walk.mm == null)
            return -EINVAL;
        if (start < vma->vm_start || end > vma->vm_end)
            return -EINVAL;

        process_mm_walk_lock(walk.mm, ops->walk_lock);
        process_vma_walk_lock(vma, ops->walk_lock);
        return __walk_page_range(start, end, &walk);
    }

    [Upstream("mm/pagewalk.c", "walk_page_vma", "aea9b488001ad950")]
    internal int walk_page_vma(vm_area_struct* vma, mm_walk_ops* ops, void* @private)
    {
        mm_walk walk = default;
        walk.ops = ops;
        walk.mm = vma->vm_mm;
        walk.vma = vma;
        walk.@private = @private;

        if (walk.mm == null)
            return -EINVAL;

        process_mm_walk_lock(walk.mm, ops->walk_lock);
        process_vma_walk_lock(vma, ops->walk_lock);
        return __walk_page_range(vma->vm_start, vma->vm_end, &walk);
    }

    [Upstream("mm/pagewalk.c", "folio_walk_start", "3fa78f2ff69f3991")]
    internal folio* folio_walk_start(folio_walk* fw, vm_area_struct* vma, ulong addr, int flags)
    {
        ulong entry_size;
        bool expose_page = true;
        page* page;
        pud_t* pudp;
        pud_t pud;
        pmd_t* pmdp;
        pmd_t pmd = default;
        pte_t* ptep;
        pte_t pte;
        spinlock* ptl;
        pgd_t* pgdp;
        p4d_t* p4dp;

        mmap_assert_locked(vma->vm_mm);
        vma_pgtable_walk_begin(vma);

        if (WARN_ON_ONCE(addr < vma->vm_start || addr >= vma->vm_end))
            goto not_found;

        pgdp = pgd_offset(vma->vm_mm, addr);
        if (pgd_none_or_clear_bad(pgdp))
            goto not_found;

        p4dp = p4d_offset(pgdp, addr);
        if (p4d_none_or_clear_bad(p4dp))
            goto not_found;

        pudp = pud_offset(p4dp, addr);
        pud = pudp_get(pudp);
        if (pud_none(pud))
            goto not_found;
        // CONFIG_PGTABLE_HAS_HUGE_LEAVES (THP is on in the config)
        if (!pud_present(pud) || pud_leaf(pud))
        {
            ptl = pud_lock(vma->vm_mm, pudp);
            pud = pudp_get(pudp);

            entry_size = PUD_SIZE;
            fw->level = folio_walk_level.FW_LEVEL_PUD;
            fw->pudp = pudp;
            fw->pud = pud;

            if (!pud_present(pud) || pud_devmap(pud) || pud_special(pud))
            {
                spin_unlock(ptl);
                goto not_found;
            }
            else if (!pud_leaf(pud))
            {
                spin_unlock(ptl);
                goto pmd_table;
            }
            // A PUD-mapped anon folio cannot exist yet; only hugetlb/DAX have them.
            page = pud_page(pud);
            goto found;
        }

    pmd_table:
        VM_WARN_ON_ONCE(!pud_present(pud) || pud_leaf(pud));
        pmdp = pmd_offset(pudp, addr);
        pmd = pmdp_get_lockless(pmdp);
        if (pmd_none(pmd))
            goto not_found;
        if (!pmd_present(pmd) || pmd_leaf(pmd))
        {
            ptl = pmd_lock(vma->vm_mm, pmdp);
            pmd = pmdp_get(pmdp);

            entry_size = PMD_SIZE;
            fw->level = folio_walk_level.FW_LEVEL_PMD;
            fw->pmdp = pmdp;
            fw->pmd = pmd;

            if (pmd_none(pmd))
            {
                spin_unlock(ptl);
                goto not_found;
            }
            else if (pmd_present(pmd) && !pmd_leaf(pmd))
            {
                spin_unlock(ptl);
                goto pte_table;
            }
            else if (pmd_present(pmd))
            {
                page = vm_normal_page_pmd(vma, addr, pmd);
                if (page != null)
                {
                    goto found;
                }
                else if ((flags & FW_ZEROPAGE) != 0 && is_huge_zero_pmd(pmd))
                {
                    page = pfn_to_page(pmd_pfn(pmd));
                    expose_page = false;
                    goto found;
                }
            }
            else if ((flags & FW_MIGRATION) != 0 && is_pmd_migration_entry(pmd))
            {
                swp_entry_t entry = pmd_to_swp_entry(pmd);

                page = pfn_swap_entry_to_page(entry);
                expose_page = false;
                goto found;
            }
            spin_unlock(ptl);
            goto not_found;
        }

    pte_table:
        VM_WARN_ON_ONCE(!pmd_present(pmd) || pmd_leaf(pmd));
        ptep = pte_offset_map_lock(vma->vm_mm, pmdp, addr, &ptl);
        if (ptep == null)
            goto not_found;

        pte = ptep_get(ptep);
        entry_size = PAGE_SIZE;
        fw->level = folio_walk_level.FW_LEVEL_PTE;
        fw->ptep = ptep;
        fw->pte = pte;

        if (pte_present(pte))
        {
            page = vm_normal_page(vma, addr, pte);
            if (page != null)
                goto found;
            if ((flags & FW_ZEROPAGE) != 0 && is_zero_pfn(pte_pfn(pte)))
            {
                page = pfn_to_page(pte_pfn(pte));
                expose_page = false;
                goto found;
            }
        }
        else if (!pte_none(pte))
        {
            swp_entry_t entry = pte_to_swp_entry(pte);

            if ((flags & FW_MIGRATION) != 0 && is_migration_entry(entry))
            {
                page = pfn_swap_entry_to_page(entry);
                expose_page = false;
                goto found;
            }
        }
        pte_unmap_unlock(ptep, ptl);
    not_found:
        vma_pgtable_walk_end(vma);
        return null;
    found:
        if (expose_page)
            // The exact subpage of a large mapping.
            fw->page = nth_page(page, (long)((addr & (entry_size - 1)) >> PAGE_SHIFT));
        else
            fw->page = null;
        fw->ptl = ptl;
        return page_folio(page);
    }
}
