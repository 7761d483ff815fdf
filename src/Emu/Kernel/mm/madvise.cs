// SPDX-License-Identifier: GPL-2.0-only
// mm/madvise.c (6.12.117): madvise(2) for anonymous memory. Transliterated: the front end
// (do_madvise, madvise_walk_vmas, madvise_vma_behavior, madvise_update_vma), DONTNEED and its
// validity checks, POPULATE_(READ|WRITE), WILLNEED's swap-in walk, REMOVE, the COLD/PAGEOUT and
// FREE frames, and the flag-only advice (NORMAL ... KEEPONFORK, MERGEABLE, HUGEPAGE).
// Debian's config has no CONFIG_ANON_VMA_NAME, so the name-less replace_anon_vma_name is used.
// Not transliterated (visible below): the PTE walk of COLD/PAGEOUT (madvise_cold_or_pageout_pte_range),
// MADV_FREE of large folios and swap entries (Emu maps neither), memory-failure injection, MADV_COLLAPSE.
using System;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/madvise.c", "madvise_need_mmap_write", "71095d0144605292")]
    private static int madvise_need_mmap_write(int behavior)
    {
        switch (behavior)
        {
            case MADV_REMOVE:
            case MADV_WILLNEED:
            case MADV_DONTNEED:
            case MADV_DONTNEED_LOCKED:
            case MADV_COLD:
            case MADV_PAGEOUT:
            case MADV_FREE:
            case MADV_POPULATE_READ:
            case MADV_POPULATE_WRITE:
            case MADV_COLLAPSE:
                return 0;
            default:
                // Anything not listed changes vm_flags: mmap_lock for writing.
                return 1;
        }
    }

    [Upstream("mm/madvise.c", "replace_anon_vma_name", "64b8bbce424a1369", Definition = 2)]
    private static int replace_anon_vma_name(vm_area_struct* vma, void* anon_name)
    {
        if (anon_name != null)
            return -EINVAL;

        return 0;
    }

    [Upstream("mm/madvise.c", "madvise_update_vma", "832b12fb60f647d5")]
    private int madvise_update_vma(vm_area_struct* vma, vm_area_struct** prev, ulong start, ulong end,
        ulong new_flags, void* anon_name)
    {
        mm_struct* mm = vma->vm_mm;
        int error;
        vma_iterator vmi;
        vma_iter_init(&vmi, mm, start); // VMA_ITERATOR

        if (new_flags == vma->vm_flags && anon_vma_name_eq(anon_vma_name(vma), anon_name))
        {
            *prev = vma;
            return 0;
        }

        vma = vma_modify_flags_name(&vmi, *prev, vma, start, end, new_flags, anon_name);
        if (IS_ERR(vma))
            return (int)PTR_ERR(vma);

        *prev = vma;

        vma_start_write(vma);
        vm_flags_reset(vma, new_flags);
        if ((new_flags & VM_HUGEPAGE) != 0)
            khugepaged_enter_vma(vma, new_flags);

        if (vma->vm_file == null || vma_is_anon_shmem(vma))
        {
            error = replace_anon_vma_name(vma, anon_name);
            if (error != 0)
                return error;
        }

        return 0;
    }

    [Upstream("mm/madvise.c", "swapin_walk_pmd_entry", "c3e6581dd9f9120b")]
    private int swapin_walk_pmd_entry(pmd_t* pmd, ulong start, ulong end, mm_walk* walk)
    {
        vm_area_struct* vma = (vm_area_struct*)walk->@private;
        pte_t* ptep = null;
        spinlock* ptl = null;
        ulong addr;

        for (addr = start; addr < end; addr += PAGE_SIZE)
        {
            pte_t pte;
            swp_entry_t entry;

            if (ptep++ == null)
            {
                ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
                if (ptep == null)
                    break;
            }

            pte = ptep_get(ptep);
            if (!is_swap_pte(pte))
                continue;
            entry = pte_to_swp_entry(pte);
            if (non_swap_entry(entry))
                continue;

            // A real swap entry: Emu has no swap device, so none is ever installed.
            throw new NotSupportedException("Emu models no swap: read_swap_cache_async in swapin_walk_pmd_entry");
        }

        if (ptep != null)
            pte_unmap_unlock(ptep, ptl);
        cond_resched();

        return 0;
    }

    private static int swapin_walk_pmd_entry_thunk(Kernel k, pmd_t* pmd, ulong start, ulong end, mm_walk* walk)
        => k.swapin_walk_pmd_entry(pmd, start, end, walk);

    private mm_walk_ops* _swapin_walk_ops;

    // static const struct mm_walk_ops swapin_walk_ops, built on first use.
    private mm_walk_ops* swapin_walk_ops => _swapin_walk_ops != null ? _swapin_walk_ops
        : _swapin_walk_ops = madvise_walk_ops("swapin_walk_ops", &swapin_walk_pmd_entry_thunk);

    private mm_walk_ops* madvise_walk_ops(string name, delegate*<Kernel, pmd_t*, ulong, ulong, mm_walk*, int> pmd_entry)
    {
        var ops = AllocateGlobal<mm_walk_ops>(name);
        ops->pmd_entry = pmd_entry;
        ops->walk_lock = page_walk_lock.PGWALK_RDLOCK;
        return ops;
    }

    // CONFIG_SWAP=y; anonymous VMAs only (Emu has no files or shmem).
    [Upstream("mm/madvise.c", "madvise_willneed", "c294580cdd452014")]
    private long madvise_willneed(vm_area_struct* vma, vm_area_struct** prev, ulong start, ulong end)
    {
        void* file = vma->vm_file;

        *prev = vma;
        if (file == null)
        {
            walk_page_range(vma->vm_mm, start, end, swapin_walk_ops, vma);
            lru_add_drain();
            return 0;
        }

        throw new NotSupportedException("Emu has no files: madvise_willneed of a file mapping");
    }

    [Upstream("mm/madvise.c", "can_do_file_pageout", "da0e71c6ac7d1bd2")]
    private static bool can_do_file_pageout(vm_area_struct* vma)
    {
        if (vma->vm_file == null)
            return false;
        throw new NotSupportedException("Emu has no files: can_do_file_pageout");
    }

    /// <summary>
    /// Not transliterated: mm/madvise.c madvise_cold_or_pageout_pte_range. Emu models a kernel with
    /// no swap device, where reclaim of an anon folio fails at add_to_swap and the folio stays
    /// mapped; only the LRU aging (deactivation, reactivation) is skipped.
    /// </summary>
    private void madvise_cold_or_pageout_walk(mmu_gather* tlb, vm_area_struct* vma, ulong addr, ulong end, bool pageout)
    {
    }

    [Upstream("mm/madvise.c", "madvise_cold_page_range", "45f4505c429b7e50")]
    private void madvise_cold_page_range(mmu_gather* tlb, vm_area_struct* vma, ulong addr, ulong end)
    {
        tlb_start_vma(tlb, vma);
        // walk_page_range(cold_walk_ops, .pageout = false): the model above stands in for the walk.
        madvise_cold_or_pageout_walk(tlb, vma, addr, end, pageout: false);
        tlb_end_vma(tlb, vma);
    }

    [Upstream("mm/madvise.c", "can_madv_lru_vma", "36fd943e6cd8362f")]
    private static bool can_madv_lru_vma(vm_area_struct* vma)
    {
        return (vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB)) == 0;
    }

    [Upstream("mm/madvise.c", "madvise_cold", "2adc7d0e582fd9e0")]
    private long madvise_cold(vm_area_struct* vma, vm_area_struct** prev, ulong start_addr, ulong end_addr)
    {
        mm_struct* mm = vma->vm_mm;
        mmu_gather tlb;

        *prev = vma;
        if (!can_madv_lru_vma(vma))
            return -EINVAL;

        lru_add_drain();
        tlb_gather_mmu(&tlb, mm);
        madvise_cold_page_range(&tlb, vma, start_addr, end_addr);
        tlb_finish_mmu(&tlb);

        return 0;
    }

    [Upstream("mm/madvise.c", "madvise_pageout_page_range", "e1e07ab5fccfb731")]
    private void madvise_pageout_page_range(mmu_gather* tlb, vm_area_struct* vma, ulong addr, ulong end)
    {
        tlb_start_vma(tlb, vma);
        // walk_page_range(cold_walk_ops, .pageout = true): the model above stands in for the walk.
        madvise_cold_or_pageout_walk(tlb, vma, addr, end, pageout: true);
        tlb_end_vma(tlb, vma);
    }

    [Upstream("mm/madvise.c", "madvise_pageout", "7f96b48113fba5b7")]
    private long madvise_pageout(vm_area_struct* vma, vm_area_struct** prev, ulong start_addr, ulong end_addr)
    {
        mm_struct* mm = vma->vm_mm;
        mmu_gather tlb;

        *prev = vma;
        if (!can_madv_lru_vma(vma))
            return -EINVAL;

        // Private file mappings may still page out their anon COW copies.
        if (!vma_is_anonymous(vma) && (!can_do_file_pageout(vma) && (vma->vm_flags & VM_MAYSHARE) != 0))
            return 0;

        lru_add_drain();
        tlb_gather_mmu(&tlb, mm);
        madvise_pageout_page_range(&tlb, vma, start_addr, end_addr);
        tlb_finish_mmu(&tlb);

        return 0;
    }

    [Upstream("mm/madvise.c", "madvise_free_pte_range", "82d7015e0152d1d2")]
    private int madvise_free_pte_range(pmd_t* pmd, ulong addr, ulong end, mm_walk* walk)
    {
        const int cydp_flags = CYDP_CLEAR_YOUNG | CYDP_CLEAR_DIRTY;
        mmu_gather* tlb = (mmu_gather*)walk->@private;
        mm_struct* mm = tlb->mm;
        vm_area_struct* vma = walk->vma;
        spinlock* ptl = null;
        pte_t* start_pte, pte;
        pte_t ptent;
        folio* folio;
        int nr_swap = 0;
        ulong next;
        int nr;

        next = pmd_addr_end(addr, end);
        if (pmd_trans_huge(*pmd))
            throw new NotSupportedException("Emu has no THP: madvise_free_huge_pmd");

        tlb_change_page_size(tlb, (uint)PAGE_SIZE);
        start_pte = pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
        if (start_pte == null)
            return 0;
        flush_tlb_batched_pending(mm);
        // arch_enter_lazy_mmu_mode: no paravirt batching.
        for (; addr != end; pte += nr, addr += PAGE_SIZE * (ulong)nr)
        {
            nr = 1;
            ptent = ptep_get(pte);

            if (pte_none(ptent))
                continue;
            // Swap entries are dropped rather than read back in.
            if (!pte_present(ptent))
            {
                swp_entry_t entry;

                entry = pte_to_swp_entry(ptent);
                if (!non_swap_entry(entry))
                    throw new NotSupportedException("Emu models no swap: swap_pte_batch/free_swap_and_cache_nr in madvise_free_pte_range");
                else if (is_hwpoison_entry(entry) ||
                         is_poisoned_swp_entry(entry))
                {
                    pte_clear_not_present_full(mm, addr, pte, (int)tlb->fullmm);
                }
                continue;
            }

            folio = vm_normal_folio(vma, addr, ptent);
            if (folio == null || folio_is_zone_device(folio))
                continue;

            // Split-or-batch of a large folio (madvise_folio_pte_batch, split_folio): Emu maps only
            // order-0 anon folios (THP never).
            if (folio_test_large(folio))
                throw new NotSupportedException("Emu maps no large anon folios: madvise_free_pte_range's large-folio branch");

            if (folio_test_swapcache(folio) || folio_test_dirty(folio))
            {
                if (!folio_trylock(folio))
                    continue;
                // Fully mapped here, so mapcount == nr_pages means only this mm maps it.
                if (folio_mapcount(folio) != folio_nr_pages(folio))
                {
                    folio_unlock(folio);
                    continue;
                }

                if (folio_test_swapcache(folio) &&
                    !folio_free_swap(folio))
                {
                    folio_unlock(folio);
                    continue;
                }

                folio_clear_dirty(folio);
                folio_unlock(folio);
            }

            if (pte_young(ptent) || pte_dirty(ptent))
            {
                clear_young_dirty_ptes(vma, addr, pte, (uint)nr, cydp_flags);
                tlb_remove_tlb_entries(tlb, pte, (uint)nr, addr);
            }
            folio_mark_lazyfree(folio);
        }

        if (nr_swap != 0)
            add_mm_counter(mm, MM_SWAPENTS, nr_swap);
        if (start_pte != null)
            pte_unmap_unlock(start_pte, ptl);
        cond_resched();

        return 0;
    }

    private static int madvise_free_pte_range_thunk(Kernel k, pmd_t* pmd, ulong addr, ulong end, mm_walk* walk)
        => k.madvise_free_pte_range(pmd, addr, end, walk);

    private mm_walk_ops* _madvise_free_walk_ops;

    // static const struct mm_walk_ops madvise_free_walk_ops, built on first use.
    private mm_walk_ops* madvise_free_walk_ops => _madvise_free_walk_ops != null ? _madvise_free_walk_ops
        : _madvise_free_walk_ops = madvise_walk_ops("madvise_free_walk_ops", &madvise_free_pte_range_thunk);

    [Upstream("mm/madvise.c", "madvise_free_single_vma", "478ee5e4aebd2db5")]
    private int madvise_free_single_vma(vm_area_struct* vma, ulong start_addr, ulong end_addr)
    {
        mm_struct* mm = vma->vm_mm;
        mmu_notifier_range range;
        mmu_gather tlb;

        if (!vma_is_anonymous(vma))
            return -EINVAL;

        range.start = Math.Max(vma->vm_start, start_addr);
        if (range.start >= vma->vm_end)
            return -EINVAL;
        range.end = Math.Min(vma->vm_end, end_addr);
        if (range.end <= vma->vm_start)
            return -EINVAL;
        mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, range.start, range.end);

        lru_add_drain();
        tlb_gather_mmu(&tlb, mm);
        update_hiwater_rss(mm);

        mmu_notifier_invalidate_range_start(&range);
        tlb_start_vma(&tlb, vma);
        walk_page_range(vma->vm_mm, range.start, range.end, madvise_free_walk_ops, &tlb);
        tlb_end_vma(&tlb, vma);
        mmu_notifier_invalidate_range_end(&range);
        tlb_finish_mmu(&tlb);

        return 0;
    }

    [Upstream("mm/madvise.c", "madvise_dontneed_single_vma", "00123184ce496199")]
    private long madvise_dontneed_single_vma(vm_area_struct* vma, ulong start, ulong end)
    {
        zap_page_range_single(vma, start, end - start, null);
        return 0;
    }

    [Upstream("mm/madvise.c", "madvise_dontneed_free_valid_vma", "999df495868b9cb8")]
    private static bool madvise_dontneed_free_valid_vma(vm_area_struct* vma, ulong start, ulong* end, int behavior)
    {
        if (!is_vm_hugetlb_page(vma))
        {
            ulong forbidden = VM_PFNMAP;

            if (behavior != MADV_DONTNEED_LOCKED)
                forbidden |= VM_LOCKED;

            return (vma->vm_flags & forbidden) == 0;
        }

        throw new NotSupportedException("Emu has no hugetlb: madvise_dontneed_free_valid_vma of a hugetlb VMA");
    }

    [Upstream("mm/madvise.c", "madvise_dontneed_free", "744b68ad3740fbc3")]
    private long madvise_dontneed_free(vm_area_struct* vma, vm_area_struct** prev, ulong start, ulong end, int behavior)
    {
        mm_struct* mm = vma->vm_mm;

        *prev = vma;
        if (!madvise_dontneed_free_valid_vma(vma, start, &end, behavior))
            return -EINVAL;

        if (start == end)
            return 0;

        if (!userfaultfd_remove(vma, start, end))
        {
            *prev = null; // the lock was dropped: prev is stale

            mmap_read_lock(mm);
            vma = vma_lookup(mm, start);
            if (vma == null)
                return -ENOMEM;
            if (!madvise_dontneed_free_valid_vma(vma, start, &end, behavior))
                return -EINVAL;
            if (end > vma->vm_end)
                end = vma->vm_end;
            if (start == end)
                return 0;
            VM_WARN_ON(start > end);
        }

        if (behavior == MADV_DONTNEED || behavior == MADV_DONTNEED_LOCKED)
            return madvise_dontneed_single_vma(vma, start, end);
        else if (behavior == MADV_FREE)
            return madvise_free_single_vma(vma, start, end);
        else
            return -EINVAL;
    }

    [Upstream("mm/madvise.c", "madvise_populate", "be979d6dc5d16b2f")]
    private long madvise_populate(mm_struct* mm, ulong start, ulong end, int behavior)
    {
        bool write = behavior == MADV_POPULATE_WRITE;
        int locked = 1;
        long pages;

        while (start < end)
        {
            pages = faultin_page_range(mm, start, end, write, &locked);
            if (locked == 0)
            {
                mmap_read_lock(mm);
                locked = 1;
            }
            if (pages < 0)
            {
                switch (pages)
                {
                    case -EINTR:
                        return -EINTR;
                    case -EINVAL:
                        return -EINVAL;
                    case -EHWPOISON:
                        return -EHWPOISON;
                    case -EFAULT:
                        return -EFAULT;
                    default:
                        pr_warn($"madvise_populate: unhandled return value: {pages}\n");
                        return -ENOMEM;
                    case -ENOMEM:
                        return -ENOMEM;
                }
            }
            start += (ulong)pages * PAGE_SIZE;
        }
        return 0;
    }

    // Anonymous memory has no file to punch a hole in: -EINVAL, as upstream's !f check.
    [Upstream("mm/madvise.c", "madvise_remove", "82392f82aaf79c73")]
    private long madvise_remove(vm_area_struct* vma, vm_area_struct** prev, ulong start, ulong end)
    {
        void* f;

        *prev = null;

        if ((vma->vm_flags & VM_LOCKED) != 0)
            return -EINVAL;

        f = vma->vm_file;

        if (f == null)
            return -EINVAL;

        throw new NotSupportedException("Emu has no files: madvise_remove (vfs_fallocate) of a file mapping");
    }

    [Upstream("mm/madvise.c", "madvise_vma_behavior", "89f165c868d746c8")]
    private int madvise_vma_behavior(vm_area_struct* vma, vm_area_struct** prev, ulong start, ulong end, ulong behavior_)
    {
        int behavior = (int)behavior_;
        int error;
        void* anon_name;
        ulong new_flags = vma->vm_flags;

        if (!can_modify_vma_madv(vma, behavior))
            return -EPERM;

        switch (behavior)
        {
            case MADV_REMOVE:
                return (int)madvise_remove(vma, prev, start, end);
            case MADV_WILLNEED:
                return (int)madvise_willneed(vma, prev, start, end);
            case MADV_COLD:
                return (int)madvise_cold(vma, prev, start, end);
            case MADV_PAGEOUT:
                return (int)madvise_pageout(vma, prev, start, end);
            case MADV_FREE:
            case MADV_DONTNEED:
            case MADV_DONTNEED_LOCKED:
                return (int)madvise_dontneed_free(vma, prev, start, end, behavior);
            case MADV_NORMAL:
                new_flags = new_flags & ~(ulong)VM_RAND_READ & ~(ulong)VM_SEQ_READ;
                break;
            case MADV_SEQUENTIAL:
                new_flags = (new_flags & ~(ulong)VM_RAND_READ) | VM_SEQ_READ;
                break;
            case MADV_RANDOM:
                new_flags = (new_flags & ~(ulong)VM_SEQ_READ) | VM_RAND_READ;
                break;
            case MADV_DONTFORK:
                new_flags |= VM_DONTCOPY;
                break;
            case MADV_DOFORK:
                if ((vma->vm_flags & VM_IO) != 0)
                    return -EINVAL;
                new_flags &= ~(ulong)VM_DONTCOPY;
                break;
            case MADV_WIPEONFORK:
                if (vma->vm_file != null || (vma->vm_flags & VM_SHARED) != 0)
                    return -EINVAL;
                new_flags |= VM_WIPEONFORK;
                break;
            case MADV_KEEPONFORK:
                if ((vma->vm_flags & VM_DROPPABLE) != 0)
                    return -EINVAL;
                new_flags &= ~(ulong)VM_WIPEONFORK;
                break;
            case MADV_DONTDUMP:
                new_flags |= VM_DONTDUMP;
                break;
            case MADV_DODUMP:
                if ((!is_vm_hugetlb_page(vma) && (new_flags & VM_SPECIAL) != 0) ||
                    (vma->vm_flags & VM_DROPPABLE) != 0)
                    return -EINVAL;
                new_flags &= ~(ulong)VM_DONTDUMP;
                break;
            case MADV_MERGEABLE:
            case MADV_UNMERGEABLE:
                error = ksm_madvise(vma, start, end, behavior, &new_flags);
                if (error != 0)
                    goto @out;
                break;
            case MADV_HUGEPAGE:
            case MADV_NOHUGEPAGE:
                error = hugepage_madvise(vma, &new_flags, behavior);
                if (error != 0)
                    goto @out;
                break;
            case MADV_COLLAPSE:
                return madvise_collapse(vma, prev, start, end);
        }

        anon_name = anon_vma_name(vma);
        anon_vma_name_get(anon_name);
        error = madvise_update_vma(vma, prev, start, end, new_flags, anon_name);
        anon_vma_name_put(anon_name);

    @out:
        // Temporary lack of kernel memory is EAGAIN for madvise.
        if (error == -ENOMEM)
            error = -EAGAIN;
        return error;
    }

    /// <summary>
    /// Stub (CONFIG_MEMORY_FAILURE): mm/madvise.c madvise_inject_error. Emu's processes run without
    /// CAP_SYS_ADMIN (see capable), so the permission check answers every call.
    /// </summary>
    [Upstream("mm/madvise.c", "madvise_inject_error", "2dd077a4bdd84a4f")]
    private int madvise_inject_error(int behavior, ulong start, ulong end)
    {
        if (!capable(CAP_SYS_ADMIN))
            return -EPERM;

        throw new NotSupportedException("Emu has no memory-failure handling: madvise_inject_error");
    }

    [Upstream("mm/madvise.c", "madvise_behavior_valid", "b15f7ad37b537eac")]
    private static bool madvise_behavior_valid(int behavior)
    {
        switch (behavior)
        {
            case MADV_DOFORK:
            case MADV_DONTFORK:
            case MADV_NORMAL:
            case MADV_SEQUENTIAL:
            case MADV_RANDOM:
            case MADV_REMOVE:
            case MADV_WILLNEED:
            case MADV_DONTNEED:
            case MADV_DONTNEED_LOCKED:
            case MADV_FREE:
            case MADV_COLD:
            case MADV_PAGEOUT:
            case MADV_POPULATE_READ:
            case MADV_POPULATE_WRITE:
            // CONFIG_KSM
            case MADV_MERGEABLE:
            case MADV_UNMERGEABLE:
            // CONFIG_TRANSPARENT_HUGEPAGE
            case MADV_HUGEPAGE:
            case MADV_NOHUGEPAGE:
            case MADV_COLLAPSE:
            case MADV_DONTDUMP:
            case MADV_DODUMP:
            case MADV_WIPEONFORK:
            case MADV_KEEPONFORK:
            // CONFIG_MEMORY_FAILURE
            case MADV_SOFT_OFFLINE:
            case MADV_HWPOISON:
                return true;

            default:
                return false;
        }
    }

    [Upstream("mm/madvise.c", "madvise_walk_vmas", "3edf77f1d98044c0")]
    private int madvise_walk_vmas(mm_struct* mm, ulong start, ulong end, ulong arg,
        delegate*<Kernel, vm_area_struct*, vm_area_struct**, ulong, ulong, ulong, int> visit)
    {
        vm_area_struct* vma;
        vm_area_struct* prev;
        ulong tmp;
        int unmapped_error = 0;

        // Holes in [start, end) are skipped but make the result -ENOMEM.
        vma = find_vma_prev(mm, start, &prev);
        if (vma != null && start > vma->vm_start)
            prev = vma;

        for (; ; )
        {
            int error;

            if (vma == null)
                return -ENOMEM;

            if (start < vma->vm_start)
            {
                unmapped_error = -ENOMEM;
                start = vma->vm_start;
                if (start >= end)
                    break;
            }

            tmp = vma->vm_end;
            if (end < tmp)
                tmp = end;

            error = visit(this, vma, &prev, start, tmp, arg);
            if (error != 0)
                return error;
            start = tmp;
            if (prev != null && start < prev->vm_end)
                start = prev->vm_end;
            if (start >= end)
                break;
            if (prev != null)
                vma = find_vma(mm, prev->vm_end);
            else // the visit dropped mmap_lock
                vma = find_vma(mm, start);
        }

        return unmapped_error;
    }

    private static int madvise_vma_behavior_thunk(Kernel k, vm_area_struct* vma, vm_area_struct** prev,
        ulong start, ulong end, ulong behavior) => k.madvise_vma_behavior(vma, prev, start, end, behavior);

    [Upstream("mm/madvise.c", "do_madvise", "e0ae12bd97378975")]
    internal int do_madvise(mm_struct* mm, ulong start, ulong len_in, int behavior)
    {
        ulong end;
        int error;
        int write;
        ulong len;

        if (!madvise_behavior_valid(behavior))
            return -EINVAL;

        if (!PAGE_ALIGNED(start))
            return -EINVAL;
        len = PAGE_ALIGN(len_in);

        // len_in rounded up from a small negative to zero
        if (len_in != 0 && len == 0)
            return -EINVAL;

        end = start + len;
        if (end < start)
            return -EINVAL;

        if (end == start)
            return 0;

        // CONFIG_MEMORY_FAILURE
        if (behavior == MADV_HWPOISON || behavior == MADV_SOFT_OFFLINE)
            return madvise_inject_error(behavior, start, start + len_in);

        write = madvise_need_mmap_write(behavior);
        if (write != 0)
        {
            if (mmap_write_lock_killable(mm) != 0)
                return -EINTR;
        }
        else
        {
            mmap_read_lock(mm);
        }

        start = untagged_addr_remote(mm, start);
        end = start + len;

        // blk_start_plug/blk_finish_plug: no block layer in Emu.
        switch (behavior)
        {
            case MADV_POPULATE_READ:
            case MADV_POPULATE_WRITE:
                error = (int)madvise_populate(mm, start, end, behavior);
                break;
            default:
                error = madvise_walk_vmas(mm, start, end, (ulong)behavior, &madvise_vma_behavior_thunk);
                break;
        }

        if (write != 0)
            mmap_write_unlock(mm);
        else
            mmap_read_unlock(mm);

        return error;
    }
}
