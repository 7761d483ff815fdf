// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/memory.c: page faults on anonymous memory, in upstream
// order (vm_normal_page ... lock_mm_and_find_vma). What Emu does not have is refused where the
// real path would need it: file and shared mappings (do_fault, wp_page_shared), swap entries
// (do_swap_page), NUMA hinting faults (do_numa_page), HugeTLB and userfaultfd. THP is modelled as
// never allowed (thp_vma_allowable_order(s) false, i.e. transparent_hugepage=never): a none pmd
// gets a pte table and anonymous faults allocate order-0 folios. Perf events and vm event
// counters are off. fault flags: vmf->flags is the generated enum fault_flag; tests cast to int.
using System;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // include/uapi/asm-generic/errno.h
    private const int EHWPOISON = 133;

    private static bool vmf_has(vm_fault* vmf, int flag) => ((int)vmf->flags & flag) != 0;

    [Upstream("mm/memory.c", "vmf_orig_pte_uffd_wp", "08b8eca8c915cc46")]
    internal static bool vmf_orig_pte_uffd_wp(vm_fault* vmf)
    {
        if (!userfaultfd_wp(vmf->vma))
            return false;
        if (!vmf_has(vmf, FAULT_FLAG_ORIG_PTE_VALID))
            return false;

        return pte_marker_uffd_wp(vmf->orig_pte);
    }

    /// <summary>mm/internal.h highest_memmap_pfn: the last pfn with a struct page.</summary>
    internal ulong highest_memmap_pfn => max_pfn - 1;

    // print_bad_pte's rate limit (60 reports, then quiet for a minute) needs a clock Emu lacks:
    // every report is printed. The report itself is upstream's.
    internal void print_bad_pte(vm_area_struct* vma, ulong addr,
                                pte_t pte, page* page)
    {
        pgd_t* pgd = pgd_offset(vma->vm_mm, addr);
        p4d_t* p4d = p4d_offset(pgd, addr);
        pud_t* pud = pud_offset(p4d, addr);
        pmd_t* pmd = pmd_offset(pud, addr);
        ulong index = linear_page_index(vma, addr);

        pr_alert($"BUG: Bad page map in process {current_comm}  pte:{pte_val(pte):x8} pmd:{pmd_val(*pmd):x8}");
        if (page != null)
            dump_page(page, "bad pte");
        pr_alert($"addr:{addr:x16} vm_flags:{vma->vm_flags:x8} anon_vma:{(ulong)vma->anon_vma:x16} mapping:{0:x16} index:{index:x}");
        tainted |= 1UL << TAINT_BAD_PAGE; // add_taint(TAINT_BAD_PAGE, LOCKDEP_NOW_UNRELIABLE)
    }

    // The struct page behind a pte, or null for special mappings (the zero page, pfn maps).
    [Upstream("mm/memory.c", "vm_normal_page", "6288525df462cfce")]
    internal page* vm_normal_page(vm_area_struct* vma, ulong addr,
                                  pte_t pte)
    {
        ulong pfn = pte_pfn(pte);

        // CONFIG_ARCH_HAS_PTE_SPECIAL=y: the pte bit decides.
        if (!pte_special(pte))
            goto check_pfn;
        if (vma->vm_ops != null)
            throw new NotSupportedException("Emu has no vm_operations_struct: find_special_page");
        if ((vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP)) != 0)
            return null;
        if (is_zero_pfn(pfn))
            return null;
        if (pte_devmap(pte))
            return null;

        print_bad_pte(vma, addr, pte, null);
        return null;

    check_pfn:
        if (pfn > highest_memmap_pfn)
        {
            print_bad_pte(vma, addr, pte, null);
            return null;
        }

        // Reserved pages may still be mapped (vDSO-like); they come back here too.
        VM_WARN_ON_ONCE(is_zero_pfn(pfn));
        return pfn_to_page(pfn);
    }

    [Upstream("mm/memory.c", "vm_normal_folio", "368ec8b7f29bda59")]
    internal folio* vm_normal_folio(vm_area_struct* vma, ulong addr,
                                    pte_t pte)
    {
        page* page = vm_normal_page(vma, addr, pte);

        if (page != null)
            return page_folio(page);
        return null;
    }

    [Upstream("mm/memory.c", "folio_prealloc", "e2de8e0860f07901")]
    internal folio* folio_prealloc(mm_struct* src_mm,
                                   vm_area_struct* vma, ulong addr, bool need_zero)
    {
        folio* new_folio;

        if (need_zero)
            new_folio = vma_alloc_zeroed_movable_folio(vma, addr);
        else
            new_folio = vma_alloc_folio(GFP_HIGHUSER_MOVABLE, 0, vma,
                                        addr, false);

        if (new_folio == null)
            return null;

        if (mem_cgroup_charge(new_folio, src_mm, GFP_KERNEL) != 0)
        {
            folio_put(new_folio);
            return null;
        }
        folio_throttle_swaprate(new_folio, GFP_KERNEL);

        return new_folio;
    }

    // Only the struct-page case exists in Emu (no pfn mappings to copy from a user address).
    [Upstream("mm/memory.c", "__wp_page_copy_user", "23ccd11d4b6fbe3c")]
    internal int __wp_page_copy_user(page* dst, page* src,
                                     vm_fault* vmf)
    {
        vm_area_struct* vma = vmf->vma;
        ulong addr = vmf->address;

        if (src != null)
        {
            if (copy_mc_user_highpage(dst, src, addr, vma) != 0)
                return -EHWPOISON;
            return 0;
        }
        throw new NotSupportedException("Emu has no pfn mappings: __wp_page_copy_user without a source page");
    }

    // Make the existing pte writable (and dirty, young) in place; drops the pte lock.
    [Upstream("mm/memory.c", "wp_page_reuse", "99bdd76ab6d258f3")]
    internal void wp_page_reuse(vm_fault* vmf, folio* folio)
    {
        vm_area_struct* vma = vmf->vma;
        pte_t entry;

        VM_BUG_ON(!vmf_has(vmf, FAULT_FLAG_WRITE));
        VM_WARN_ON(is_zero_pfn(pte_pfn(vmf->orig_pte)));

        if (folio != null)
        {
            VM_BUG_ON(folio_test_anon(folio) &&
                      !PageAnonExclusive(vmf->page));
            // The old cpupid may belong to an unrelated task by now.
            folio_xchg_last_cpupid(folio, (1 << (int)LAST_CPUPID_SHIFT) - 1);
        }

        flush_cache_page(vma, vmf->address, pte_pfn(vmf->orig_pte));
        entry = pte_mkyoung(vmf->orig_pte);
        entry = maybe_mkwrite(pte_mkdirty(entry), vma);
        if (ptep_set_access_flags(vma, vmf->address, vmf->pte, entry, 1) != 0)
            update_mmu_cache_range(vmf, vma, vmf->address, vmf->pte, 1);
        pte_unmap_unlock(vmf->pte, vmf->ptl);
        count_vm_event("PGREUSE");
    }

    // The vma needs an anon_vma before an anonymous folio can be mapped into it.
    [Upstream("mm/memory.c", "__vmf_anon_prepare", "9761d1abed3a2c1b")]
    internal uint __vmf_anon_prepare(vm_fault* vmf)
    {
        vm_area_struct* vma = vmf->vma;
        uint ret = 0;

        if (vma->anon_vma != null)
            return 0;
        if (vmf_has(vmf, FAULT_FLAG_VMA_LOCK))
        {
            if (!mmap_read_trylock(vma->vm_mm))
                return VM_FAULT_RETRY;
        }
        if (__anon_vma_prepare(vma) != 0)
            ret = VM_FAULT_OOM;
        if (vmf_has(vmf, FAULT_FLAG_VMA_LOCK))
            mmap_read_unlock(vma->vm_mm);
        return ret;
    }

    // COW or unshare: copy into a new exclusive folio and switch the pte over under the lock,
    // removing the old folio's rmap only after the new pte is in place.
    [Upstream("mm/memory.c", "wp_page_copy", "09b4ce9ef2c2b42b")]
    internal uint wp_page_copy(vm_fault* vmf)
    {
        bool unshare = vmf_has(vmf, FAULT_FLAG_UNSHARE);
        vm_area_struct* vma = vmf->vma;
        mm_struct* mm = vma->vm_mm;
        folio* old_folio = null;
        folio* new_folio = null;
        pte_t entry;
        int page_copied = 0;
        uint ret;
        bool pfn_is_zero;

        if (vmf->page != null)
            old_folio = page_folio(vmf->page);
        ret = vmf_anon_prepare(vmf);
        if (ret != 0)
            goto @out;

        pfn_is_zero = is_zero_pfn(pte_pfn(vmf->orig_pte));
        new_folio = folio_prealloc(mm, vma, vmf->address, pfn_is_zero);
        if (new_folio == null)
            goto oom;

        if (!pfn_is_zero)
        {
            int err;

            err = __wp_page_copy_user(&new_folio->page, vmf->page, vmf);
            if (err != 0)
            {
                // Someone else may have resolved the fault; otherwise the access faults again.
                folio_put(new_folio);
                if (old_folio != null)
                    folio_put(old_folio);

                return err == -EHWPOISON ? (uint)VM_FAULT_HWPOISON : 0;
            }
        }

        __folio_mark_uptodate(new_folio);

        // mmu_notifier_invalidate_range_start: no subscribers.

        // The pte lock was dropped: re-check the pte.
        vmf->pte = pte_offset_map_lock(mm, vmf->pmd, vmf->address, &vmf->ptl);
        if (vmf->pte != null && pte_same(ptep_get(vmf->pte), vmf->orig_pte))
        {
            if (old_folio != null)
            {
                if (!folio_test_anon(old_folio))
                {
                    dec_mm_counter(mm, mm_counter_file(old_folio));
                    inc_mm_counter(mm, MM_ANONPAGES);
                }
            }
            else
            {
                ksm_might_unmap_zero_page(mm, vmf->orig_pte);
                inc_mm_counter(mm, MM_ANONPAGES);
            }
            flush_cache_page(vma, vmf->address, pte_pfn(vmf->orig_pte));
            entry = mk_pte(&new_folio->page, vma->vm_page_prot);
            entry = pte_sw_mkyoung(entry);
            if (unshare)
            {
                if (pte_soft_dirty(vmf->orig_pte))
                    entry = pte_mksoft_dirty(entry);
                if (pte_uffd_wp(vmf->orig_pte))
                    entry = pte_mkuffd_wp(entry);
            }
            else
            {
                entry = maybe_mkwrite(pte_mkdirty(entry), vma);
            }

            // Clear and flush before installing, so no CPU sees old and new at once.
            ptep_clear_flush(vma, vmf->address, vmf->pte);
            folio_add_new_anon_rmap(new_folio, vma, vmf->address, RMAP_EXCLUSIVE);
            folio_add_lru_vma(new_folio, vma);
            BUG_ON(unshare && pte_write(entry));
            set_pte_at(mm, vmf->address, vmf->pte, entry);
            update_mmu_cache_range(vmf, vma, vmf->address, vmf->pte, 1);
            if (old_folio != null)
            {
                // Only now, with the pte switched, may the old folio's mapcount drop: a reuse
                // decision elsewhere must not see it unmapped while this pte still points at it.
                folio_remove_rmap_pte(old_folio, vmf->page, vma);
            }

            // The old folio is what gets released below.
            new_folio = old_folio;
            page_copied = 1;
            pte_unmap_unlock(vmf->pte, vmf->ptl);
        }
        else if (vmf->pte != null)
        {
            update_mmu_tlb(vma, vmf->address, vmf->pte);
            pte_unmap_unlock(vmf->pte, vmf->ptl);
        }

        // mmu_notifier_invalidate_range_end: no subscribers.

        if (new_folio != null)
            folio_put(new_folio);
        if (old_folio != null)
        {
            if (page_copied != 0)
                free_swap_cache(old_folio);
            folio_put(old_folio);
        }

        return 0;
    oom:
        ret = VM_FAULT_OOM;
    @out:
        if (old_folio != null)
            folio_put(old_folio);

        return ret;
    }

    // Reusable only if this mapping holds the sole reference (checked again under the folio lock).
    [Upstream("mm/memory.c", "wp_can_reuse_anon_folio", "e695ff996be835c0")]
    internal bool wp_can_reuse_anon_folio(folio* folio,
                                          vm_area_struct* vma)
    {
        // Large folios are never reused piecemeal.
        if (folio_test_large(folio))
            return false;

        // Cheap checks first; KSM folios may not hold extra references.
        if (folio_test_ksm(folio) || folio_ref_count(folio) > 3)
            return false;
        if (!folio_test_lru(folio))
            // A reference may be sitting in a per-CPU LRU batch.
            lru_add_drain();
        if (folio_ref_count(folio) > 1 + (folio_test_swapcache(folio) ? 1 : 0))
            return false;
        if (!folio_trylock(folio))
            return false;
        if (folio_test_swapcache(folio))
            folio_free_swap(folio);
        if (folio_test_ksm(folio) || folio_ref_count(folio) != 1)
        {
            folio_unlock(folio);
            return false;
        }
        // The only reference is ours and the folio is locked: take it over for this vma.
        folio_move_anon_rmap(folio, vma);
        folio_unlock(folio);
        return true;
    }

    // Write (or unshare) fault on a present, read-only pte; entered with the pte lock held.
    [Upstream("mm/memory.c", "do_wp_page", "1a3b68493a4aea25")]
    internal uint do_wp_page(vm_fault* vmf)
    {
        bool unshare = vmf_has(vmf, FAULT_FLAG_UNSHARE);
        vm_area_struct* vma = vmf->vma;
        folio* folio = null;

        if (!unshare)
        {
            if (userfaultfd_pte_wp(vma, ptep_get(vmf->pte)))
            {
                throw new NotSupportedException("Emu has no userfaultfd: uffd-wp write fault");
            }

            // Deferred uffd-wp flushes must be done before copying.
            if (userfaultfd_wp(vmf->vma) &&
                mm_tlb_flush_pending(vmf->vma->vm_mm))
                flush_tlb_page(vmf->vma, vmf->address);
        }

        vmf->page = vm_normal_page(vma, vmf->address, vmf->orig_pte);

        if (vmf->page != null)
            folio = page_folio(vmf->page);

        // Shared mappings never COW.
        if ((vma->vm_flags & (VM_SHARED | VM_MAYSHARE)) != 0)
        {
            throw new NotSupportedException("Emu has no shared mappings: wp_pfn_shared/wp_page_shared");
        }

        // Private: an exclusive anon page is reused as is; otherwise reuse if we hold the only
        // reference, else copy.
        if (folio != null && folio_test_anon(folio) &&
            (PageAnonExclusive(vmf->page) || wp_can_reuse_anon_folio(folio, vma)))
        {
            if (!PageAnonExclusive(vmf->page))
                SetPageAnonExclusive(vmf->page);
            if (unshare)
            {
                pte_unmap_unlock(vmf->pte, vmf->ptl);
                return 0;
            }
            wp_page_reuse(vmf, folio);
            return 0;
        }
        // Copy.
        if (folio != null)
            folio_get(folio);

        pte_unmap_unlock(vmf->pte, vmf->ptl);
        if (folio != null && folio_test_ksm(folio))
            count_vm_event("COW_KSM");
        return wp_page_copy(vmf);
    }

    [Upstream("mm/memory.c", "do_pte_missing", "1eb1786c799f1b13")]
    internal uint do_pte_missing(vm_fault* vmf)
    {
        if (vma_is_anonymous(vmf->vma))
            return do_anonymous_page(vmf);
        else
            throw new NotSupportedException("Emu maps no files: do_fault");
    }

    [Upstream("mm/memory.c", "pte_range_none", "868940ec42f16d2b")]
    internal static bool pte_range_none(pte_t* pte, int nr_pages)
    {
        int i;

        for (i = 0; i < nr_pages; i++)
        {
            if (!pte_none(ptep_get_lockless(pte + i)))
                return false;
        }

        return true;
    }

    // CONFIG_TRANSPARENT_HUGEPAGE=y, but Emu allows no large orders (see the file comment): the
    // order search ends at once and the fallback allocates order 0.
    [Upstream("mm/memory.c", "alloc_anon_folio", "0145ec3bec1e6d10")]
    internal folio* alloc_anon_folio(vm_fault* vmf)
    {
        vm_area_struct* vma = vmf->vma;
        ulong orders;

        // uffd needs per-page faults.
        if (userfaultfd_armed(vma))
            goto fallback;

        orders = thp_vma_allowable_orders(vma, vma->vm_flags,
                                          TVA_IN_PF | TVA_ENFORCE_SYSFS, (1UL << PMD_ORDER) - 1);
        orders = thp_vma_suitable_orders(vma, vmf->address, orders);

        if (orders == 0)
            goto fallback;

        throw new NotSupportedException("Emu has no THP: mTHP anonymous fault orders");

    fallback:
        return folio_prealloc(vma->vm_mm, vma, vmf->address, true);
    }

    // Fault on a none pte of an anonymous vma: map the zero page for reads, else a new folio.
    [Upstream("mm/memory.c", "do_anonymous_page", "d459530d966bf3c3")]
    internal uint do_anonymous_page(vm_fault* vmf)
    {
        vm_area_struct* vma = vmf->vma;
        ulong addr = vmf->address;
        folio* folio;
        uint ret = 0;
        int nr_pages = 1;
        pte_t entry;

        // A shared mapping without vm_ops cannot be served here.
        if ((vma->vm_flags & VM_SHARED) != 0)
            return VM_FAULT_SIGBUS;

        // pte_alloc, not pte_alloc_map: OOM stays distinguishable from a racing unmap.
        if (pte_alloc(vma->vm_mm, vmf->pmd))
            return VM_FAULT_OOM;

        // Reads map the shared zero page.
        if (!vmf_has(vmf, FAULT_FLAG_WRITE) &&
            !mm_forbids_zeropage(vma->vm_mm))
        {
            entry = pte_mkspecial(pfn_pte(my_zero_pfn(vmf->address),
                                          vma->vm_page_prot));
            vmf->pte = pte_offset_map_lock(vma->vm_mm, vmf->pmd,
                                           vmf->address, &vmf->ptl);
            if (vmf->pte == null)
                goto unlock;
            if (vmf_pte_changed(vmf))
            {
                update_mmu_tlb(vma, vmf->address, vmf->pte);
                goto unlock;
            }
            ret = check_stable_address_space(vma->vm_mm);
            if (ret != 0)
                goto unlock;
            if (userfaultfd_missing(vma))
            {
                pte_unmap_unlock(vmf->pte, vmf->ptl);
                throw new NotSupportedException("Emu has no userfaultfd: handle_userfault(VM_UFFD_MISSING)");
            }
            goto setpte;
        }

        // A private page of our own.
        ret = vmf_anon_prepare(vmf);
        if (ret != 0)
            return ret;
        // null on OOM (Emu's allocator has no ERR_PTR(-EAGAIN) case: no mTHP table mapping).
        folio = alloc_anon_folio(vmf);
        if (folio == null)
            goto oom;

        nr_pages = (int)folio_nr_pages(folio);
        addr = vmf->address & ~((ulong)nr_pages * PAGE_SIZE - 1); // ALIGN_DOWN

        // Page contents before the pte that exposes them.
        __folio_mark_uptodate(folio);

        entry = mk_pte(&folio->page, vma->vm_page_prot);
        entry = pte_sw_mkyoung(entry);
        if ((vma->vm_flags & VM_WRITE) != 0)
            entry = pte_mkwrite(pte_mkdirty(entry), vma);

        vmf->pte = pte_offset_map_lock(vma->vm_mm, vmf->pmd, addr, &vmf->ptl);
        if (vmf->pte == null)
            goto release;
        if (nr_pages == 1 && vmf_pte_changed(vmf))
        {
            update_mmu_tlb(vma, addr, vmf->pte);
            goto release;
        }
        else if (nr_pages > 1 && !pte_range_none(vmf->pte, nr_pages))
        {
            update_mmu_tlb_range(vma, addr, vmf->pte, (uint)nr_pages);
            goto release;
        }

        ret = check_stable_address_space(vma->vm_mm);
        if (ret != 0)
            goto release;

        if (userfaultfd_missing(vma))
        {
            pte_unmap_unlock(vmf->pte, vmf->ptl);
            folio_put(folio);
            throw new NotSupportedException("Emu has no userfaultfd: handle_userfault(VM_UFFD_MISSING)");
        }

        folio_ref_add(folio, nr_pages - 1);
        add_mm_counter(vma->vm_mm, MM_ANONPAGES, nr_pages);
        // count_mthp_stat(MTHP_STAT_ANON_FAULT_ALLOC): THP stats are not kept.
        folio_add_new_anon_rmap(folio, vma, addr, RMAP_EXCLUSIVE);
        folio_add_lru_vma(folio, vma);
    setpte:
        if (vmf_orig_pte_uffd_wp(vmf))
            entry = pte_mkuffd_wp(entry);
        set_ptes(vma->vm_mm, addr, vmf->pte, entry, (uint)nr_pages);

        // Was not present: nothing to invalidate.
        update_mmu_cache_range(vmf, vma, addr, vmf->pte, (uint)nr_pages);
    unlock:
        if (vmf->pte != null)
            pte_unmap_unlock(vmf->pte, vmf->ptl);
        return ret;
    release:
        folio_put(folio);
        goto unlock;
    oom:
        return VM_FAULT_OOM;
    }

    [Upstream("mm/memory.c", "vmf_pte_changed", "6c8a0702634f5e93")]
    internal static bool vmf_pte_changed(vm_fault* vmf)
    {
        if (vmf_has(vmf, FAULT_FLAG_ORIG_PTE_VALID))
            return !pte_same(ptep_get(vmf->pte), vmf->orig_pte);

        return !pte_none(ptep_get(vmf->pte));
    }

    // The pte level: choose the handler from a lockless read, then recheck under the lock.
    [Upstream("mm/memory.c", "handle_pte_fault", "87a488aa958a85c9")]
    internal uint handle_pte_fault(vm_fault* vmf)
    {
        pte_t entry;

        if (pmd_none(*vmf->pmd))
        {
            // No table yet: do_pte_missing allocates it.
            vmf->pte = null;
            vmf->flags &= ~fault_flag.FAULT_FLAG_ORIG_PTE_VALID;
        }
        else
        {
            // The table may vanish under us (a racing collapse): then just retry the access.
            vmf->pte = pte_offset_map_nolock(vmf->vma->vm_mm, vmf->pmd,
                                             vmf->address, &vmf->ptl);
            if (vmf->pte == null)
                return 0;
            vmf->orig_pte = ptep_get_lockless(vmf->pte);
            vmf->flags |= fault_flag.FAULT_FLAG_ORIG_PTE_VALID;

            if (pte_none(vmf->orig_pte))
            {
                pte_unmap(vmf->pte);
                vmf->pte = null;
            }
        }

        if (vmf->pte == null)
            return do_pte_missing(vmf);

        if (!pte_present(vmf->orig_pte))
            throw new NotSupportedException("Emu has no swap or migration: do_swap_page");

        if (pte_protnone(vmf->orig_pte) && vma_is_accessible(vmf->vma))
            throw new NotSupportedException("Emu has no NUMA balancing: do_numa_page");

        spin_lock(vmf->ptl);
        entry = vmf->orig_pte;
        if (!pte_same(ptep_get(vmf->pte), entry))
        {
            update_mmu_tlb(vmf->vma, vmf->address, vmf->pte);
            goto unlock;
        }
        if (vmf_has(vmf, FAULT_FLAG_WRITE | FAULT_FLAG_UNSHARE))
        {
            if (!pte_write(entry))
                return do_wp_page(vmf);
            else if (vmf_has(vmf, FAULT_FLAG_WRITE))
                entry = pte_mkdirty(entry);
        }
        entry = pte_mkyoung(entry);
        if (ptep_set_access_flags(vmf->vma, vmf->address, vmf->pte, entry,
                                  (int)vmf->flags & FAULT_FLAG_WRITE) != 0)
        {
            update_mmu_cache_range(vmf, vmf->vma, vmf->address,
                                   vmf->pte, 1);
        }
        else
        {
            // Spurious: already fixed by someone else; a retried fault does not flush again.
            if (vmf_has(vmf, FAULT_FLAG_TRIED))
                goto unlock;
            if (vmf_has(vmf, FAULT_FLAG_WRITE))
                flush_tlb_fix_spurious_fault(vmf->vma, vmf->address,
                                             vmf->pte);
        }
    unlock:
        pte_unmap_unlock(vmf->pte, vmf->ptl);
        return 0;
    }

    // Walk (allocating) down to the pmd; huge pud/pmd entries never exist in Emu (no THP).
    [Upstream("mm/memory.c", "__handle_mm_fault", "60b259d7ea75d3db")]
    internal uint __handle_mm_fault(vm_area_struct* vma,
                                    ulong address, uint flags)
    {
        vm_fault vmf = default;
        vmf.vma = vma;
        vmf.address = address & PAGE_MASK;
        vmf.real_address = address;
        vmf.flags = (fault_flag)flags;
        vmf.pgoff = linear_page_index(vma, address);
        vmf.gfp_mask = __get_fault_gfp_mask(vma);
        mm_struct* mm = vma->vm_mm;
        ulong vm_flags = vma->vm_flags;
        pgd_t* pgd;
        p4d_t* p4d;
        uint ret;

        pgd = pgd_offset(mm, address);
        p4d = p4d_alloc(mm, pgd, address);
        if (p4d == null)
            return VM_FAULT_OOM;

        vmf.pud = pud_alloc(mm, p4d, address);
        if (vmf.pud == null)
            return VM_FAULT_OOM;
    retry_pud:
        if (pud_none(*vmf.pud) &&
            thp_vma_allowable_order(vma, vm_flags,
                                    TVA_IN_PF | TVA_ENFORCE_SYSFS, PUD_ORDER))
        {
            throw new NotSupportedException("Emu has no THP: create_huge_pud");
        }
        else
        {
            pud_t orig_pud = *vmf.pud;

            if (pud_trans_huge(orig_pud) || pud_devmap(orig_pud))
                throw new NotSupportedException("Emu has no THP: a huge pud");
        }

        vmf.pmd = pmd_alloc(mm, vmf.pud, address);
        if (vmf.pmd == null)
            return VM_FAULT_OOM;

        // A huge pud may have appeared meanwhile.
        if (pud_trans_unstable(vmf.pud))
            goto retry_pud;

        if (pmd_none(*vmf.pmd) &&
            thp_vma_allowable_order(vma, vm_flags,
                                    TVA_IN_PF | TVA_ENFORCE_SYSFS, PMD_ORDER))
        {
            throw new NotSupportedException("Emu has no THP: create_huge_pmd");
        }

        vmf.orig_pmd = pmdp_get_lockless(vmf.pmd);
        if (pmd_none(vmf.orig_pmd))
            goto fallback;

        if (!pmd_present(vmf.orig_pmd))
        {
            throw new NotSupportedException("Emu has no migration: a pmd migration entry");
        }
        if (pmd_trans_huge(vmf.orig_pmd) || pmd_devmap(vmf.orig_pmd))
        {
            throw new NotSupportedException("Emu has no THP: a huge pmd");
        }

    fallback:
        ret = handle_pte_fault(&vmf);
        return ret;
    }

    // PGFAULT and the task's min/maj fault counts: Emu keeps no vm events or task counters yet,
    // and there are no perf events.
    [Upstream("mm/memory.c", "mm_account_fault", "050a296a06c6c531")]
    internal void mm_account_fault(mm_struct* mm, void* regs,
                                   ulong address, uint flags,
                                   uint ret)
    {
        bool major;

        if ((ret & VM_FAULT_RETRY) != 0)
            return;

        count_vm_event("PGFAULT");
        // count_memcg_event_mm: memcg is not modelled.

        if ((ret & VM_FAULT_ERROR) != 0)
            return;

        major = (ret & VM_FAULT_MAJOR) != 0 || (flags & FAULT_FLAG_TRIED) != 0;

        if (major)
            current_maj_flt++;
        else
            current_min_flt++;
    }

    /// <summary>current->maj_flt and current->min_flt.</summary>
    internal ulong current_maj_flt, current_min_flt;

    // CONFIG_LRU_GEN=y: current->in_lru_fault records whether the vma has recency; Emu keeps it
    // as a field (read by nothing while lru_gen is disabled).
    internal bool current_in_lru_fault;

    [Upstream("mm/memory.c", "lru_gen_enter_fault", "5a64d187f60d1a81")]
    internal void lru_gen_enter_fault(vm_area_struct* vma)
    {
        current_in_lru_fault = vma_has_recency(vma);
    }

    [Upstream("mm/memory.c", "lru_gen_exit_fault", "4b23df1a2aa66782")]
    internal void lru_gen_exit_fault()
    {
        current_in_lru_fault = false;
    }

    [Upstream("mm/memory.c", "sanitize_fault_flags", "832a6d5eeb3f3667")]
    internal uint sanitize_fault_flags(vm_area_struct* vma,
                                       uint* flags)
    {
        if ((*flags & FAULT_FLAG_UNSHARE) != 0)
        {
            if (WARN_ON_ONCE((*flags & FAULT_FLAG_WRITE) != 0))
                return VM_FAULT_SIGSEGV;
            // Unsharing only means something for COW mappings: elsewhere it is a read fault.
            if (!is_cow_mapping(vma->vm_flags))
                *flags &= ~(uint)FAULT_FLAG_UNSHARE;
        }
        else if ((*flags & FAULT_FLAG_WRITE) != 0)
        {
            // Never a write fault on a mapping that can't be written ...
            if (WARN_ON_ONCE((vma->vm_flags & VM_MAYWRITE) == 0))
                return VM_FAULT_SIGSEGV;
            // ... and forced writes only on COW mappings.
            if (WARN_ON_ONCE((vma->vm_flags & VM_WRITE) == 0 &&
                             !is_cow_mapping(vma->vm_flags)))
                return VM_FAULT_SIGSEGV;
        }
        // CONFIG_PER_VMA_LOCK: a vma-locked fault cannot use RETRY_NOWAIT.
        if (WARN_ON_ONCE((*flags &
                          (FAULT_FLAG_VMA_LOCK | FAULT_FLAG_RETRY_NOWAIT)) ==
                         (FAULT_FLAG_VMA_LOCK | FAULT_FLAG_RETRY_NOWAIT)))
            return VM_FAULT_SIGSEGV;

        return 0;
    }

    // Entered with the mmap_lock (or the vma lock) held; regs null: not from a trap frame.
    [Upstream("mm/memory.c", "handle_mm_fault", "09b782c697defdd4")]
    internal uint handle_mm_fault(vm_area_struct* vma, ulong address,
                                  uint flags, void* regs)
    {
        mm_struct* mm = vma->vm_mm;
        uint ret;
        bool is_droppable;

        // __set_current_state(TASK_RUNNING): no scheduler.

        ret = sanitize_fault_flags(vma, &flags);
        if (ret != 0)
            goto @out;

        if (!arch_vma_access_permitted(vma, (flags & FAULT_FLAG_WRITE) != 0,
                                       (flags & FAULT_FLAG_INSTRUCTION) != 0,
                                       (flags & FAULT_FLAG_REMOTE) != 0))
        {
            ret = VM_FAULT_SIGSEGV;
            goto @out;
        }

        is_droppable = (vma->vm_flags & VM_DROPPABLE) != 0;

        // mem_cgroup_enter_user_fault: memcg OOM handling is not modelled.

        lru_gen_enter_fault(vma);

        if (is_vm_hugetlb_page(vma))
            throw new NotSupportedException("Emu has no HugeTLB: hugetlb_fault");
        else
            ret = __handle_mm_fault(vma, address, flags);

        lru_gen_exit_fault();

        // Droppable memory is never worth an OOM kill: the access just fails.
        if (is_droppable)
            ret &= ~(uint)VM_FAULT_OOM;

    @out:
        mm_account_fault(mm, regs, address, flags, ret);

        return ret;
    }

    // CONFIG_LOCK_MM_AND_FIND_VMA=y. regs null: a user-mode fault (Emu's MMU), so the
    // exception-table checks for kernel-mode faults do not apply.
    [Upstream("mm/memory.c", "get_mmap_lock_carefully", "c5deaa9ecce63e7d")]
    internal bool get_mmap_lock_carefully(mm_struct* mm, void* regs)
    {
        if (mmap_read_trylock(mm))
            return true;

        return mmap_read_lock_killable(mm) == 0;
    }

    // Without an upgradable rwsem the read lock must be dropped and the write lock taken.
    [Upstream("mm/memory.c", "mmap_upgrade_trylock", "6515cbe019508072")]
    internal static bool mmap_upgrade_trylock(mm_struct* mm)
    {
        return false;
    }

    [Upstream("mm/memory.c", "upgrade_mmap_lock_carefully", "39dcbc3a404e15d1")]
    internal bool upgrade_mmap_lock_carefully(mm_struct* mm, void* regs)
    {
        mmap_read_unlock(mm);
        return mmap_write_lock_killable(mm) == 0;
    }

    // The vma for a user fault at addr with the mmap_lock read-held, growing a stack vma down to
    // it if needed; null (lock dropped) when there is none.
    [Upstream("mm/memory.c", "lock_mm_and_find_vma", "08398aea0d3bb407")]
    internal vm_area_struct* lock_mm_and_find_vma(mm_struct* mm,
                                                  ulong addr, void* regs)
    {
        vm_area_struct* vma;

        if (!get_mmap_lock_carefully(mm, regs))
            return null;

        vma = find_vma(mm, addr);
        if (vma != null && (vma->vm_start <= addr))
            return vma;

        // Only a stack vma above may be extended down to the address.
        if (vma == null || (vma->vm_flags & VM_GROWSDOWN) == 0)
        {
            mmap_read_unlock(mm);
            return null;
        }

        if (!mmap_upgrade_trylock(mm))
        {
            if (!upgrade_mmap_lock_carefully(mm, regs))
                return null;

            // The tree may have changed while unlocked.
            vma = find_vma(mm, addr);
            if (vma == null)
                goto fail;
            if (vma->vm_start <= addr)
                goto success;
            if ((vma->vm_flags & VM_GROWSDOWN) == 0)
                goto fail;
        }

        if (expand_stack_locked(vma, addr) != 0)
            goto fail;

    success:
        mmap_write_downgrade(mm);
        return vma;

    fail:
        mmap_write_unlock(mm);
        return null;
    }

    [Upstream("mm/memory.c", "__get_fault_gfp_mask", "e484a7990a5aee49")]
    internal static uint __get_fault_gfp_mask(vm_area_struct* vma)
    {
        void* vm_file = vma->vm_file;

        if (vm_file != null)
            throw new NotSupportedException("Emu maps no files: mapping_gfp_mask");

        // No file: GFP_KERNEL, as for special mappings.
        return GFP_KERNEL;
    }
}
