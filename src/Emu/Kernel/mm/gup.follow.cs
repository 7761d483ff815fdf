// SPDX-License-Identifier: GPL-2.0-only
// mm/gup.c, part 2: the slow path. follow_page_mask walks the page tables under the mmap lock
// and grabs the page; faultin_page runs handle_mm_fault (with FAULT_FLAG_UNSHARE when a R/O pin
// met a shared anonymous page) until the walk succeeds; __get_user_pages and
// __get_user_pages_locked loop over the range; populate_vma_page_range, faultin_page_range and
// __mm_populate serve MAP_POPULATE, mlock and MADV_POPULATE_*. Emu has no THP, HugeTLB or
// ZONE_DEVICE: the PUD/PMD leaf paths (follow_huge_pud, follow_huge_pmd) and the gate area are
// not transliterated and throw NotSupportedException where upstream would reach them.
using System;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/gup.c", "no_page_table", "28773c7d43c5e31f")]
    internal page* no_page_table(vm_area_struct* vma, uint flags, ulong address)
    {
        if ((flags & FOLL_DUMP) == 0)
            return null;

        // A core dump should skip holes that a fault would only fill with zeroes: say so
        // with -EFAULT for anonymous (and fault-less) VMAs. HugeTLB VMAs do not exist in Emu.
        if (is_vm_hugetlb_page(vma))
        {
            throw new NotSupportedException("Emu has no HugeTLB: hugetlbfs_pagecache_present");
        }
        else if (vma_is_anonymous(vma) ||
                 // !vma->vm_ops->fault: Emu has no vm_operations_struct (no file VMAs).
                 (vma->vm_ops == null ? true : throw new NotSupportedException("Emu has no file VMAs: no_page_table")))
        {
            return ERR_PTR<page>(-EFAULT);
        }

        return null;
    }

    // Not transliterated (CONFIG_PGTABLE_HAS_HUGE_LEAVES=y upstream, but Emu maps no PUD leaves).
    internal page* follow_huge_pud(vm_area_struct* vma, ulong addr, pud_t* pudp, int flags, follow_page_context* ctx)
        => throw new NotSupportedException("Emu has no PUD-mapped folios: follow_huge_pud");

    // Not transliterated (CONFIG_PGTABLE_HAS_HUGE_LEAVES=y upstream, but Emu has no THP).
    internal page* follow_huge_pmd(vm_area_struct* vma, ulong addr, pmd_t* pmd, uint flags, follow_page_context* ctx)
        => throw new NotSupportedException("Emu has no THP: follow_huge_pmd");

    [Upstream("mm/gup.c", "follow_pfn_pte", "f421eaab1dd7f82b")]
    internal int follow_pfn_pte(vm_area_struct* vma, ulong address, pte_t* pte, uint flags)
    {
        if ((flags & FOLL_TOUCH) != 0)
        {
            pte_t orig_entry = ptep_get(pte);
            pte_t entry = orig_entry;

            if ((flags & FOLL_WRITE) != 0)
                entry = pte_mkdirty(entry);
            entry = pte_mkyoung(entry);

            if (!pte_same(orig_entry, entry))
            {
                set_pte_at(vma->vm_mm, address, pte, entry);
                update_mmu_cache(vma, address, pte);
            }
        }

        // The entry is valid but has no struct page behind it.
        return -EEXIST;
    }

    [Upstream("mm/gup.c", "can_follow_write_pte", "ff6a11afae3c4d4a")]
    internal bool can_follow_write_pte(pte_t pte, page* page, vm_area_struct* vma, uint flags)
    {
        if (pte_write(pte))
            return true;

        // Only FOLL_FORCE may write through a read-only entry ...
        if ((flags & FOLL_FORCE) == 0)
            return false;

        // ... never into a shared mapping ...
        if ((vma->vm_flags & (VM_MAYSHARE | VM_SHARED)) != 0)
            return false;

        // ... nor a private mapping that could never become writable ...
        if ((vma->vm_flags & VM_MAYWRITE) == 0)
            return false;

        // ... nor one that is writable and only needs its write fault.
        if ((vma->vm_flags & VM_WRITE) != 0)
            return false;

        // The fault already broke COW: writing is safe only into our own exclusive anon page.
        if (page == null || !PageAnon(page) || !PageAnonExclusive(page))
            return false;

        // Soft-dirty and uffd-wp tracking still want to see the write fault.
        if (pte_needs_soft_dirty_wp(vma, pte))
            return false;
        return !userfaultfd_pte_wp(vma, pte);
    }

    [Upstream("mm/gup.c", "follow_page_pte", "c69c023e0aea9116")]
    internal page* follow_page_pte(vm_area_struct* vma, ulong address, pmd_t* pmd, uint flags, void** pgmap)
    {
        mm_struct* mm = vma->vm_mm;
        folio* folio;
        page* page = null;
        spinlock* ptl;
        pte_t* ptep;
        pte_t pte;
        int ret;

        if (WARN_ON_ONCE((flags & (FOLL_PIN | FOLL_GET)) ==
                         (FOLL_PIN | FOLL_GET)))
            return ERR_PTR<page>(-EINVAL);

        ptep = pte_offset_map_lock(mm, pmd, address, &ptl);
        if (ptep == null)
            return no_page_table(vma, flags, address);
        pte = ptep_get(ptep);
        if (!pte_present(pte))
            goto no_page;
        if (pte_protnone(pte) && !gup_can_follow_protnone(vma, flags))
            goto no_page;

        page = vm_normal_page(vma, address, pte);

        // A write (even FOLL_FORCE) through an entry that does not allow it: fault first.
        if ((flags & FOLL_WRITE) != 0 &&
            !can_follow_write_pte(pte, page, vma, flags))
        {
            page = null;
            goto @out;
        }

        if (page == null && pte_devmap(pte) && (flags & (FOLL_GET | FOLL_PIN)) != 0)
        {
            // Device pages need their pgmap reference, taken by the PMD-level caller.
            if (*pgmap != null)
                page = pte_page(pte);
            else
                goto no_page;
        }
        else if (page == null)
        {
            if ((flags & FOLL_DUMP) != 0)
            {
                // Core dumps leave special pages (the zero page among them) out.
                page = ERR_PTR<page>(-EFAULT);
                goto @out;
            }

            if (is_zero_pfn(pte_pfn(pte)))
            {
                page = pte_page(pte);
            }
            else
            {
                ret = follow_pfn_pte(vma, address, ptep, flags);
                page = ERR_PTR<page>(ret);
                goto @out;
            }
        }
        folio = page_folio(page);

        if (!pte_write(pte) && gup_must_unshare(vma, flags, page))
        {
            page = ERR_PTR<page>(-EMLINK);
            goto @out;
        }

        VM_BUG_ON_PAGE((flags & FOLL_PIN) != 0 && PageAnon(page) &&
                       !PageAnonExclusive(page), page);

        // Takes nothing unless FOLL_GET or FOLL_PIN.
        ret = try_grab_folio(folio, 1, flags);
        if (ret != 0)
        {
            page = ERR_PTR<page>(ret);
            goto @out;
        }

        // Architectures with protected guest memory make the folio readable here; x86 has nothing to do.
        if ((flags & FOLL_PIN) != 0)
        {
            ret = arch_make_folio_accessible(folio);
            if (ret != 0)
            {
                unpin_user_page(page);
                page = ERR_PTR<page>(ret);
                goto @out;
            }
        }
        if ((flags & FOLL_TOUCH) != 0)
        {
            if ((flags & FOLL_WRITE) != 0 &&
                !pte_dirty(pte) && !PageDirty(page))
                set_page_dirty(page);
            // Accessed through GUP counts as a use for reclaim, like a hardware access.
            mark_page_accessed(page);
        }
    @out:
        pte_unmap_unlock(ptep, ptl);
        return page;
    no_page:
        pte_unmap_unlock(ptep, ptl);
        if (!pte_none(pte))
            return null;
        return no_page_table(vma, flags, address);
    }

    [Upstream("mm/gup.c", "follow_pmd_mask", "09ca6b045dd47e57")]
    internal page* follow_pmd_mask(vm_area_struct* vma, ulong address, pud_t* pudp, uint flags, follow_page_context* ctx)
    {
        pmd_t* pmd;
        pmd_t pmdval;
        spinlock* ptl;
        page* page;
        mm_struct* mm = vma->vm_mm;

        pmd = pmd_offset(pudp, address);
        pmdval = pmdp_get_lockless(pmd);
        if (pmd_none(pmdval))
            return no_page_table(vma, flags, address);
        if (!pmd_present(pmdval))
            return no_page_table(vma, flags, address);
        if (pmd_devmap(pmdval))
        {
            ptl = pmd_lock(mm, pmd);
            page = follow_devmap_pmd(vma, address, pmd, (int)flags, &ctx->pgmap);
            spin_unlock(ptl);
            if (page != null)
                return page;
            return no_page_table(vma, flags, address);
        }
        if (!pmd_leaf(pmdval))
            return follow_page_pte(vma, address, pmd, flags, &ctx->pgmap);

        if (pmd_protnone(pmdval) && !gup_can_follow_protnone(vma, flags))
            return no_page_table(vma, flags, address);

        ptl = pmd_lock(mm, pmd);
        pmdval = *pmd;
        if (!pmd_present(pmdval))
        {
            spin_unlock(ptl);
            return no_page_table(vma, flags, address);
        }
        if (!pmd_leaf(pmdval))
        {
            spin_unlock(ptl);
            return follow_page_pte(vma, address, pmd, flags, &ctx->pgmap);
        }
        if (pmd_trans_huge(pmdval) && (flags & FOLL_SPLIT_PMD) != 0)
        {
            spin_unlock(ptl);
            split_huge_pmd(vma, pmd, address);
            // The split may leave the PMD empty: give it a page table before walking on.
            return pte_alloc(mm, pmd) ? ERR_PTR<page>(-ENOMEM) :
                follow_page_pte(vma, address, pmd, flags, &ctx->pgmap);
        }
        page = follow_huge_pmd(vma, address, pmd, flags, ctx);
        spin_unlock(ptl);
        return page;
    }

    [Upstream("mm/gup.c", "follow_pud_mask", "a73309fbeef9de3d")]
    internal page* follow_pud_mask(vm_area_struct* vma, ulong address, p4d_t* p4dp, uint flags, follow_page_context* ctx)
    {
        pud_t* pudp;
        pud_t pud;
        spinlock* ptl;
        page* page;
        mm_struct* mm = vma->vm_mm;

        pudp = pud_offset(p4dp, address);
        pud = pudp_get(pudp);
        if (!pud_present(pud))
            return no_page_table(vma, flags, address);
        if (pud_leaf(pud))
        {
            ptl = pud_lock(mm, pudp);
            page = follow_huge_pud(vma, address, pudp, (int)flags, ctx);
            spin_unlock(ptl);
            if (page != null)
                return page;
            return no_page_table(vma, flags, address);
        }
        if (pud_bad(pud))
            return no_page_table(vma, flags, address);

        return follow_pmd_mask(vma, address, pudp, flags, ctx);
    }

    [Upstream("mm/gup.c", "follow_p4d_mask", "213c4c7374bdd701")]
    internal page* follow_p4d_mask(vm_area_struct* vma, ulong address, pgd_t* pgdp, uint flags, follow_page_context* ctx)
    {
        p4d_t* p4dp;
        p4d_t p4d;

        p4dp = p4d_offset(pgdp, address);
        p4d = p4dp_get(p4dp);
        // BUILD_BUG_ON(p4d_leaf(p4d)): x86 has no P4D leaves.

        if (!p4d_present(p4d) || p4d_bad(p4d))
            return no_page_table(vma, flags, address);

        return follow_pud_mask(vma, address, p4dp, flags, ctx);
    }

    [Upstream("mm/gup.c", "follow_page_mask", "7050b830449ff556")]
    internal page* follow_page_mask(vm_area_struct* vma, ulong address, uint flags, follow_page_context* ctx)
    {
        pgd_t* pgd;
        mm_struct* mm = vma->vm_mm;
        page* page;

        vma_pgtable_walk_begin(vma);

        ctx->page_mask = 0;
        pgd = pgd_offset(mm, address);

        if (pgd_none(*pgd) || pgd_bad(*pgd))
            page = no_page_table(vma, flags, address);
        else
            page = follow_p4d_mask(vma, address, pgd, flags, ctx);

        vma_pgtable_walk_end(vma);

        return page;
    }

    // Not transliterated: Emu maps no gate (vsyscall) page, and in_gate_area() is always false.
    internal int get_gate_page(mm_struct* mm, ulong address, uint gup_flags, vm_area_struct** vma, page** page)
        => throw new NotSupportedException("Emu maps no gate area: get_gate_page");

    [Upstream("mm/gup.c", "faultin_page", "4c13b6f9602bcafd")]
    internal int faultin_page(vm_area_struct* vma, ulong address, uint flags, bool unshare, int* locked)
    {
        uint fault_flags = 0;
        uint ret;

        if ((flags & FOLL_NOFAULT) != 0)
            return -EFAULT;
        if ((flags & FOLL_WRITE) != 0)
            fault_flags |= FAULT_FLAG_WRITE;
        if ((flags & FOLL_REMOTE) != 0)
            fault_flags |= FAULT_FLAG_REMOTE;
        if ((flags & FOLL_UNLOCKABLE) != 0)
        {
            fault_flags |= FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE;
            // Interruptible waits only when the caller can also drop the lock.
            if ((flags & FOLL_INTERRUPTIBLE) != 0)
                fault_flags |= FAULT_FLAG_INTERRUPTIBLE;
        }
        if ((flags & FOLL_NOWAIT) != 0)
            fault_flags |= FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_RETRY_NOWAIT;
        if ((flags & FOLL_TRIED) != 0)
        {
            // Second try after a retry: the fault handler may block this time.
            fault_flags |= FAULT_FLAG_TRIED;
        }
        if (unshare)
        {
            fault_flags |= FAULT_FLAG_UNSHARE;
            // A write fault unshares anyway; asking for both is a caller bug.
            VM_BUG_ON((fault_flags & FAULT_FLAG_WRITE) != 0);
        }

        ret = handle_mm_fault(vma, address, fault_flags, null);

        if ((ret & VM_FAULT_COMPLETED) != 0)
        {
            // The fault dropped the mmap lock and finished: the caller must look again.
            WARN_ON_ONCE((fault_flags & FAULT_FLAG_RETRY_NOWAIT) != 0);
            *locked = 0;
            return -EAGAIN;
        }

        if ((ret & VM_FAULT_ERROR) != 0)
        {
            int err = vm_fault_to_errno(ret, (int)flags);

            if (err != 0)
                return err;
            BUG();
        }

        if ((ret & VM_FAULT_RETRY) != 0)
        {
            if ((fault_flags & FAULT_FLAG_RETRY_NOWAIT) == 0)
                *locked = 0;
            return -EBUSY;
        }

        return 0;
    }

    [Upstream("mm/gup.c", "writable_file_mapping_allowed", "53cef1cec1160464")]
    internal bool writable_file_mapping_allowed(vm_area_struct* vma, ulong gup_flags)
    {
        // Only a longterm write pin of a file mapping is a problem for writeback.
        if ((gup_flags & (FOLL_PIN | FOLL_LONGTERM)) !=
            (FOLL_PIN | FOLL_LONGTERM))
            return true;

        // Such pins are refused where the filesystem tracks dirty pages.
        return !vma_needs_dirty_tracking(vma);
    }

    [Upstream("mm/gup.c", "check_vma_flags", "2936515989e63190")]
    internal int check_vma_flags(vm_area_struct* vma, ulong gup_flags)
    {
        ulong vm_flags = vma->vm_flags;
        int write = (int)(gup_flags & FOLL_WRITE);
        int foreign = (int)(gup_flags & FOLL_REMOTE);
        bool vma_anon = vma_is_anonymous(vma);

        if ((vm_flags & (VM_IO | VM_PFNMAP)) != 0)
            return -EFAULT;

        if ((gup_flags & FOLL_ANON) != 0 && !vma_anon)
            return -EFAULT;

        if ((gup_flags & FOLL_LONGTERM) != 0 && vma_is_fsdax(vma))
            return -EOPNOTSUPP;

        if ((gup_flags & FOLL_SPLIT_PMD) != 0 && is_vm_hugetlb_page(vma))
            return -EOPNOTSUPP;

        if (vma_is_secretmem(vma))
            return -EFAULT;

        if (write != 0)
        {
            if (!vma_anon &&
                !writable_file_mapping_allowed(vma, gup_flags))
                return -EFAULT;

            if ((vm_flags & VM_WRITE) == 0 || (vm_flags & VM_SHADOW_STACK) != 0)
            {
                if ((gup_flags & FOLL_FORCE) == 0)
                    return -EFAULT;
                // No FOLL_FORCE writes into HugeTLB.
                if (is_vm_hugetlb_page(vma))
                    return -EFAULT;
                // A forced write into a shared mapping would modify the file: only COW
                // mappings, where it lands in a private anonymous copy.
                if (!is_cow_mapping(vm_flags))
                    return -EFAULT;
            }
        }
        else if ((vm_flags & VM_READ) == 0)
        {
            if ((gup_flags & FOLL_FORCE) == 0)
                return -EFAULT;
            // Forced reads still need the mapping to be readable in principle.
            if ((vm_flags & VM_MAYREAD) == 0)
                return -EFAULT;
        }
        // Protection keys: foreign (remote) accesses are not checked against the current PKRU.
        if (!arch_vma_access_permitted(vma, write != 0, false, foreign != 0))
            return -EFAULT;
        return 0;
    }

    /// <summary>gup_vma_lookup's once-an-hour warning deadline (a function-static upstream).</summary>
    private ulong gup_vma_lookup_next_warn;

    [Upstream("mm/gup.c", "gup_vma_lookup", "cc9f3ebe62495365")]
    internal vm_area_struct* gup_vma_lookup(mm_struct* mm, ulong addr)
    {
        // !CONFIG_STACK_GROWSUP: GUP no longer expands a grows-down stack, only warns.
        vm_area_struct* vma;
        ulong now, next;

        vma = find_vma(mm, addr);
        if (vma == null || (addr >= vma->vm_start))
            return vma;

        // Warn only for accesses just below a stack VMA.
        if ((vma->vm_flags & VM_GROWSDOWN) == 0)
            return null;
        if (vma->vm_start - addr > 65536)
            return null;

        // At most once an hour.
        now = jiffies; next = gup_vma_lookup_next_warn;
        if (next != 0 && time_before(now, next))
            return null;
        gup_vma_lookup_next_warn = now + 60 * 60 * HZ;

        pr_warn($"GUP no longer grows the stack in emu (0): {vma->vm_start:x}-{vma->vm_end:x} ({addr:x})");
        // dump_stack(): no stack to show.
        return null;
    }

    [Upstream("mm/gup.c", "__get_user_pages", "78cb8f756ba98f52")]
    internal long __get_user_pages(mm_struct* mm, ulong start, ulong nr_pages, uint gup_flags, page** pages, int* locked)
    {
        long ret = 0, i = 0;
        vm_area_struct* vma = null;
        follow_page_context ctx = default;

        if (nr_pages == 0)
            return 0;

        start = untagged_addr_remote(mm, start);

        VM_BUG_ON((pages != null) != ((gup_flags & (FOLL_GET | FOLL_PIN)) != 0));

        do
        {
            page* page = null;
            uint page_increm;

            // First page, or the range crossed into the next VMA.
            if (vma == null || start >= vma->vm_end)
            {
                // MADV_POPULATE_* wants exact errors: -ENOMEM for holes, -EINVAL for
                // VMAs GUP cannot handle.
                if ((gup_flags & FOLL_MADV_POPULATE) != 0)
                {
                    vma = vma_lookup(mm, start);
                    if (vma == null)
                    {
                        ret = -ENOMEM;
                        goto @out;
                    }
                    if (check_vma_flags(vma, gup_flags) != 0)
                    {
                        ret = -EINVAL;
                        goto @out;
                    }
                    goto retry;
                }
                vma = gup_vma_lookup(mm, start);
                if (vma == null && in_gate_area(mm, start))
                {
                    ret = get_gate_page(mm, start & PAGE_MASK,
                                        gup_flags, &vma,
                                        pages != null ? &page : null);
                    if (ret != 0)
                        goto @out;
                    ctx.page_mask = 0;
                    goto next_page;
                }

                if (vma == null)
                {
                    ret = -EFAULT;
                    goto @out;
                }
                ret = check_vma_flags(vma, gup_flags);
                if (ret != 0)
                    goto @out;
            }
        retry:
            // A killed task stops here rather than faulting in more memory.
            if (fatal_signal_pending(current))
            {
                ret = -EINTR;
                goto @out;
            }
            // cond_resched(): Emu does not preempt.

            page = follow_page_mask(vma, start, gup_flags, &ctx);
            if (page == null || PTR_ERR(page) == -EMLINK)
            {
                ret = faultin_page(vma, start, gup_flags,
                                   PTR_ERR(page) == -EMLINK, locked);
                switch (ret)
                {
                    case 0:
                        goto retry;
                    case -EBUSY:
                    case -EAGAIN:
                        ret = 0;
                        goto @out;
                    case -EFAULT:
                    case -ENOMEM:
                    case -EHWPOISON:
                        goto @out;
                }
                BUG();
            }
            else if (PTR_ERR(page) == -EEXIST)
            {
                // A mapping without struct page: fine for population, an error when
                // the caller wants the pages.
                if (pages != null)
                {
                    ret = PTR_ERR(page);
                    goto @out;
                }
            }
            else if (IS_ERR(page))
            {
                ret = PTR_ERR(page);
                goto @out;
            }
        next_page:
            page_increm = 1 + ((uint)~(start >> PAGE_SHIFT) & ctx.page_mask);
            if (page_increm > nr_pages)
                page_increm = (uint)nr_pages;

            if (pages != null)
            {
                page* subpage;
                uint j;

                // A huge leaf was grabbed once: take the references for the other subpages.
                if (page_increm > 1)
                {
                    folio* folio = page_folio(page);

                    // Cannot fail for a folio we already hold, short of overflow.
                    if (try_grab_folio(folio, (int)page_increm - 1,
                                       gup_flags) != 0)
                    {
                        // Drop the one taken by follow_page_mask and report what we have.
                        gup_put_folio(folio, 1, gup_flags);
                        ret = -EFAULT;
                        goto @out;
                    }
                }

                for (j = 0; j < page_increm; j++)
                {
                    subpage = nth_page(page, j);
                    pages[i + j] = subpage;
                    flush_anon_page(vma, subpage, start + j * PAGE_SIZE);
                    flush_dcache_page(subpage);
                }
            }

            i += page_increm;
            start += page_increm * PAGE_SIZE;
            nr_pages -= page_increm;
        } while (nr_pages != 0);
    @out:
        if (ctx.pgmap != null)
            put_dev_pagemap(ctx.pgmap);
        return i != 0 ? i : ret;
    }

    [Upstream("mm/gup.c", "gup_signal_pending", "70acfa8539bf0b1e")]
    internal static bool gup_signal_pending(uint flags)
    {
        if (fatal_signal_pending(current))
            return true;

        if ((flags & FOLL_INTERRUPTIBLE) == 0)
            return false;

        return signal_pending(current);
    }

    [Upstream("mm/gup.c", "__get_user_pages_locked", "ebd854e5d3143612")]
    internal long __get_user_pages_locked(mm_struct* mm, ulong start, ulong nr_pages, page** pages, int* locked, uint flags)
    {
        long ret, pages_done;
        bool must_unlock = false;

        if (nr_pages == 0)
            return 0;

        // The caller may come without the mmap lock and with *locked == 0: take it here.
        if (*locked == 0)
        {
            if (mmap_read_lock_killable(mm) != 0)
                return -EAGAIN;
            must_unlock = true;
            *locked = 1;
        }
        else
            mmap_assert_locked(mm);

        if ((flags & FOLL_PIN) != 0)
            mm_set_has_pinned_flag(&mm->flags);

        // Callers that want pages but did not say how to hold them get FOLL_GET.
        if (pages != null && (flags & FOLL_PIN) == 0)
            flags |= FOLL_GET;

        pages_done = 0;
        for (;;)
        {
            ret = __get_user_pages(mm, start, nr_pages, flags, pages,
                                   locked);
            if ((flags & FOLL_UNLOCKABLE) == 0)
            {
                // No retry can have happened: the result is final.
                pages_done = ret;
                break;
            }

            // After a retry or completed fault the count is a partial success, never an error.
            if (*locked == 0)
            {
                BUG_ON(ret < 0);
                BUG_ON(ret >= (long)nr_pages);
            }

            if (ret > 0)
            {
                nr_pages -= (ulong)ret;
                pages_done += ret;
                if (nr_pages == 0)
                    break;
            }
            if (*locked != 0)
            {
                // Still locked: a real error or a NOWAIT stop; report what we got.
                if (pages_done == 0)
                    pages_done = ret;
                break;
            }
            // The lock was dropped by the fault: resume at the page that needed it.
            if (pages != null)
                pages += ret;
            start += (ulong)ret << PAGE_SHIFT;

            // We re-take the lock below, so it must be released at the end.
            must_unlock = true;

        retry:
            // Give up on a pending signal between retries, as the fault handler would.
            if (gup_signal_pending(flags))
            {
                if (pages_done == 0)
                    pages_done = -EINTR;
                break;
            }

            ret = mmap_read_lock_killable(mm);
            if (ret != 0)
            {
                BUG_ON(ret > 0);
                if (pages_done == 0)
                    pages_done = ret;
                break;
            }

            *locked = 1;
            ret = __get_user_pages(mm, start, 1, flags | FOLL_TRIED,
                                   pages, locked);
            if (*locked == 0)
            {
                // Keep retrying this one page until it succeeds.
                BUG_ON(ret != 0);
                goto retry;
            }
            if (ret != 1)
            {
                BUG_ON(ret > 1);
                if (pages_done == 0)
                    pages_done = ret;
                break;
            }
            nr_pages--;
            pages_done++;
            if (nr_pages == 0)
                break;
            if (pages != null)
                pages++;
            start += PAGE_SIZE;
        }
        if (must_unlock && *locked != 0)
        {
            // We took the lock ourselves: the caller expects it released as it found it.
            mmap_read_unlock(mm);
            *locked = 0;
        }

        // Zero pages without FOLL_NOWAIT would make callers loop forever: report -EFAULT.
        if (WARN_ON_ONCE(pages_done == 0 && (flags & FOLL_NOWAIT) == 0))
            return -EFAULT;

        return pages_done;
    }

    [Upstream("mm/gup.c", "populate_vma_page_range", "f24893417401efa1")]
    internal long populate_vma_page_range(vm_area_struct* vma, ulong start, ulong end, int* locked)
    {
        mm_struct* mm = vma->vm_mm;
        ulong nr_pages = (end - start) / PAGE_SIZE;
        int local_locked = 1;
        int gup_flags;
        long ret;

        VM_BUG_ON(!PAGE_ALIGNED(start));
        VM_BUG_ON(!PAGE_ALIGNED(end));
        VM_BUG_ON_VMA(start < vma->vm_start, vma);
        VM_BUG_ON_VMA(end > vma->vm_end, vma);
        mmap_assert_locked(mm);

        // mlock(MLOCK_ONFAULT) populates nothing up front.
        if ((vma->vm_flags & VM_LOCKONFAULT) != 0)
            return (long)nr_pages;

        // Nothing to populate in PROT_NONE.
        if (!vma_is_accessible(vma))
            return -EFAULT;

        gup_flags = FOLL_TOUCH;
        // Writable private mappings get their COW broken now, so a later write does not
        // fault; anything else is populated by a (forced) read.
        if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
            gup_flags |= FOLL_WRITE;
        else
            gup_flags |= FOLL_FORCE;

        if (locked != null)
            gup_flags |= FOLL_UNLOCKABLE;

        // Population takes no references: pages == NULL.
        ret = __get_user_pages(mm, start, nr_pages, (uint)gup_flags,
                               null, locked != null ? locked : &local_locked);
        lru_add_drain();
        return ret;
    }

    [Upstream("mm/gup.c", "faultin_page_range", "cb9b3b0a8fd116fa")]
    internal long faultin_page_range(mm_struct* mm, ulong start, ulong end, bool write, int* locked)
    {
        ulong nr_pages = (end - start) / PAGE_SIZE;
        int gup_flags;
        long ret;

        VM_BUG_ON(!PAGE_ALIGNED(start));
        VM_BUG_ON(!PAGE_ALIGNED(end));
        mmap_assert_locked(mm);

        // MADV_POPULATE_(READ|WRITE): no FOLL_FORCE, so it behaves like a user access, and
        // poisoned pages are reported as such.
        gup_flags = FOLL_TOUCH | FOLL_HWPOISON | FOLL_UNLOCKABLE |
                    FOLL_MADV_POPULATE;
        if (write)
            gup_flags |= FOLL_WRITE;

        ret = __get_user_pages_locked(mm, start, nr_pages, null, locked,
                                      (uint)gup_flags);
        lru_add_drain();
        return ret;
    }

    [Upstream("mm/gup.c", "__mm_populate", "3fb1ff94f959c18a")]
    internal int __mm_populate(ulong start, ulong len, int ignore_errors)
    {
        mm_struct* mm = current_mm;
        ulong end, nstart, nend;
        vm_area_struct* vma = null;
        int locked = 0;
        long ret = 0;

        end = start + len;

        for (nstart = start; nstart < end; nstart = nend)
        {
            // The lock may have been dropped by a fault: re-take it and look the VMA up again.
            if (locked == 0)
            {
                locked = 1;
                mmap_read_lock(mm);
                vma = find_vma_intersection(mm, nstart, end);
            }
            else if (nstart >= vma->vm_end)
                vma = find_vma_intersection(mm, vma->vm_end, end);

            if (vma == null)
                break;
            // Clip the range to this VMA; IO and PFN mappings are skipped.
            nend = Math.Min(end, vma->vm_end);
            if ((vma->vm_flags & (VM_IO | VM_PFNMAP)) != 0)
                continue;
            if (nstart < vma->vm_start)
                nstart = vma->vm_start;
            // Partial progress is fine: the loop resumes after the last populated page.
            ret = populate_vma_page_range(vma, nstart, nend, &locked);
            if (ret < 0)
            {
                if (ignore_errors != 0)
                {
                    ret = 0;
                    continue; // on to the next VMA
                }
                break;
            }
            nend = nstart + (ulong)ret * PAGE_SIZE;
            ret = 0;
        }
        if (locked != 0)
            mmap_read_unlock(mm);
        return (int)ret; // 0 or -errno
    }
}
