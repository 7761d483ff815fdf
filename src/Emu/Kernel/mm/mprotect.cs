// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/mprotect.c: the PTE rewrite (can_change_pte_writable,
// change_pte_range, the pgd..pmd walkers, change_protection) and mprotect(2) itself
// (mprotect_fixup, do_mprotect_pkey), in upstream order. What Emu never produces keeps its
// upstream branch but lands in a visible stub: huge PMD/PUD leaves (THP, mm/huge_memory.cs),
// HugeTLB, NUMA-hinting protection (MM_CP_PROT_NUMA: nothing runs task_numa_work), uffd-wp
// (no vma has a userfaultfd context). MMU notifiers have no subscribers (stub calls). The boot
// CPU has no OSPKE, so pkeys are always 0 and only pkey -1/0 are "allocated".
using System;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;
using pgprot_t = Emu.Kernel.pgprot;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // A private pte may skip the write fault only when the fault handler would reuse the page
    // anyway: an exclusive anonymous page. A shared one only when already dirty.
    [Upstream("mm/mprotect.c", "can_change_pte_writable", "78285c198bf319fd")]
    internal bool can_change_pte_writable(vm_area_struct* vma, ulong addr,
                                          pte_t pte)
    {
        page* page;

        if (WARN_ON_ONCE((vma->vm_flags & VM_WRITE) == 0))
            return false;

        if (pte_protnone(pte))
            return false;

        // Soft-dirty and uffd-wp tracking both need the write fault.
        if (pte_needs_soft_dirty_wp(vma, pte))
            return false;

        if (userfaultfd_pte_wp(vma, pte))
            return false;

        if ((vma->vm_flags & VM_SHARED) == 0)
        {
            page = vm_normal_page(vma, addr, pte);
            return page != null && PageAnon(page) && PageAnonExclusive(page);
        }

        VM_WARN_ON_ONCE(is_zero_pfn(pte_pfn(pte)) && pte_dirty(pte));

        // Dirty means the filesystem was already told about the write (writenotify).
        return pte_dirty(pte);
    }

    [Upstream("mm/mprotect.c", "change_pte_range", "6aab5534a0d671d9")]
    internal long change_pte_range(mmu_gather* tlb,
                                   vm_area_struct* vma, pmd_t* pmd, ulong addr,
                                   ulong end, pgprot_t newprot, ulong cp_flags)
    {
        pte_t* pte;
        pte_t oldpte;
        spinlock* ptl;
        long pages = 0;
        int target_node = NUMA_NO_NODE;
        bool prot_numa = (cp_flags & MM_CP_PROT_NUMA) != 0;
        bool uffd_wp = (cp_flags & MM_CP_UFFD_WP) != 0;
        bool uffd_wp_resolve = (cp_flags & MM_CP_UFFD_WP_RESOLVE) != 0;

        tlb_change_page_size(tlb, (uint)PAGE_SIZE);
        pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
        if (pte == null)
            return -EAGAIN;

        // A single-threaded private mapping: pages already on this node stay untouched.
        if (prot_numa && (vma->vm_flags & VM_SHARED) == 0 &&
            atomic_read(&vma->vm_mm->mm_users) == 1)
            target_node = numa_node_id();

        flush_tlb_batched_pending(vma->vm_mm);
        // arch_enter_lazy_mmu_mode: no paravirt batching.
        do
        {
            oldpte = ptep_get(pte);
            if (pte_present(oldpte))
            {
                pte_t ptent;

                // NUMA hinting leaves alone what a hinting fault could not migrate anyway.
                if (prot_numa)
                {
                    folio* folio;
                    int nid;
                    bool toptier;

                    // Already PROT_NONE: no flush needed.
                    if (pte_protnone(oldpte))
                        continue;

                    folio = vm_normal_folio(vma, addr, oldpte);
                    if (folio == null || folio_is_zone_device(folio) ||
                        folio_test_ksm(folio))
                        continue;

                    // Shared COW pages are not worth a hinting fault.
                    if (is_cow_mapping(vma->vm_flags) &&
                        (folio_maybe_dma_pinned(folio) ||
                         folio_likely_mapped_shared(folio)))
                        continue;

                    // Async migration cannot move every dirty file page.
                    if (folio_is_file_lru(folio) != 0 &&
                        folio_test_dirty(folio))
                        continue;

                    nid = folio_nid(folio);
                    if (target_node == nid)
                        continue;
                    toptier = node_is_toptier(nid);

                    // Top-tier pages only matter to the normal balancing mode.
                    if ((sysctl_numa_balancing_mode & NUMA_BALANCING_NORMAL) == 0 &&
                        toptier)
                        continue;
                    if (folio_use_access_time(folio))
                        folio_xchg_access_time(folio,
                            (int)jiffies_to_msecs(jiffies));
                }

                oldpte = ptep_modify_prot_start(vma, addr, pte);
                ptent = pte_modify(oldpte, newprot);

                if (uffd_wp)
                    ptent = pte_mkuffd_wp(ptent);
                else if (uffd_wp_resolve)
                    ptent = pte_clear_uffd_wp(ptent);

                // newprot of a private writable mapping is read-only (COW); the pte may still
                // become writable here when the write fault would only have reused the page.
                if ((cp_flags & MM_CP_TRY_CHANGE_WRITABLE) != 0 &&
                    !pte_write(ptent) &&
                    can_change_pte_writable(vma, addr, ptent))
                    ptent = pte_mkwrite(ptent, vma);

                ptep_modify_prot_commit(vma, addr, pte, oldpte, ptent);
                if (pte_needs_flush(oldpte, ptent))
                    tlb_flush_pte_range(tlb, addr, PAGE_SIZE);
                pages++;
            }
            else if (is_swap_pte(oldpte))
            {
                swp_entry_t entry = pte_to_swp_entry(oldpte);
                pte_t newpte;

                if (is_writable_migration_entry(entry))
                {
                    folio* folio = pfn_swap_entry_folio(entry);

                    // Write permission is re-checked at the next fault instead.
                    if (folio_test_anon(folio))
                        entry = make_readable_exclusive_migration_entry(
                                    swp_offset(entry));
                    else
                        entry = make_readable_migration_entry(swp_offset(entry));
                    newpte = swp_entry_to_pte(entry);
                    if (pte_swp_soft_dirty(oldpte))
                        newpte = pte_swp_mksoft_dirty(newpte);
                }
                else if (is_writable_device_private_entry(entry))
                {
                    // Soft-dirty is not kept on device-private entries (as in copy_nonpresent_pte).
                    entry = make_readable_device_private_entry(
                                swp_offset(entry));
                    newpte = swp_entry_to_pte(entry);
                    if (pte_swp_uffd_wp(oldpte))
                        newpte = pte_swp_mkuffd_wp(newpte);
                }
                else if (is_writable_device_exclusive_entry(entry))
                {
                    entry = make_readable_device_exclusive_entry(
                                swp_offset(entry));
                    newpte = swp_entry_to_pte(entry);
                    if (pte_swp_soft_dirty(oldpte))
                        newpte = pte_swp_mksoft_dirty(newpte);
                    if (pte_swp_uffd_wp(oldpte))
                        newpte = pte_swp_mkuffd_wp(newpte);
                }
                else if (is_pte_marker_entry(entry))
                {
                    // A poisoned entry faults with SIGBUS whatever the protection.
                    if (is_poisoned_swp_entry(entry))
                        continue;
                    // Resolving uffd-wp drops the marker: the next fault is an ordinary one.
                    if (uffd_wp_resolve)
                    {
                        pte_clear(vma->vm_mm, addr, pte);
                        pages++;
                    }
                    continue;
                }
                else
                {
                    newpte = oldpte;
                }

                if (uffd_wp)
                    newpte = pte_swp_mkuffd_wp(newpte);
                else if (uffd_wp_resolve)
                    newpte = pte_swp_clear_uffd_wp(newpte);

                if (!pte_same(oldpte, newpte))
                {
                    set_pte_at(vma->vm_mm, addr, pte, newpte);
                    pages++;
                }
            }
            else
            {
                WARN_ON_ONCE(!pte_none(oldpte));

                // Only uffd-wp has anything to do on an empty pte.
                if (!uffd_wp)
                    continue;

                if (userfaultfd_wp_use_markers(vma))
                {
                    // The page may still exist in the page or swap cache: protect it with a marker.
                    set_pte_at(vma->vm_mm, addr, pte,
                               make_pte_marker(PTE_MARKER_UFFD_WP));
                    pages++;
                }
            }
        } while (StepPtes(ref pte, ref addr, 1) != end);
        // arch_leave_lazy_mmu_mode.
        pte_unmap_unlock(pte - 1, ptl);

        return pages;
    }

    // Splitting to ptes is needed when pte markers must be installed (uffd-wp on file memory).
    [Upstream("mm/mprotect.c", "pgtable_split_needed", "f00639f81282de57")]
    internal static bool pgtable_split_needed(vm_area_struct* vma, ulong cp_flags)
    {
        return (cp_flags & MM_CP_UFFD_WP) != 0 && !vma_is_anonymous(vma);
    }

    // Page tables must exist where uffd-wp has to leave markers.
    [Upstream("mm/mprotect.c", "pgtable_populate_needed", "0450effd79308a9e")]
    internal static bool pgtable_populate_needed(vm_area_struct* vma, ulong cp_flags)
    {
        if ((cp_flags & MM_CP_UFFD_WP) == 0)
            return false;

        return userfaultfd_wp_use_markers(vma);
    }

    // A pte table that cannot be allocated is an -ENOMEM, as in the fault path.
    [Upstream("mm/mprotect.c", "change_pmd_prepare", UpstreamAttribute.Macro)]
    internal long change_pmd_prepare(vm_area_struct* vma, pmd_t* pmd, ulong cp_flags)
    {
        long err = 0;
        if (pgtable_populate_needed(vma, cp_flags))
        {
            if (pte_alloc(vma->vm_mm, pmd))
                err = -ENOMEM;
        }
        return err;
    }

    // change_prepare(vma, high, low, addr, cp_flags) for each (high, low) pair upstream uses:
    // (pgd, p4d), (p4d, pud), (pud, pmd).
    [Upstream("mm/mprotect.c", "change_prepare", UpstreamAttribute.Macro)]
    internal long change_prepare(vm_area_struct* vma, pgd_t* high, ulong addr, ulong cp_flags)
    {
        long err = 0;
        if (pgtable_populate_needed(vma, cp_flags))
        {
            p4d_t* p = p4d_alloc(vma->vm_mm, high, addr);
            if (p == null)
                err = -ENOMEM;
        }
        return err;
    }

    [Upstream("mm/mprotect.c", "change_prepare", UpstreamAttribute.Macro)]
    internal long change_prepare(vm_area_struct* vma, p4d_t* high, ulong addr, ulong cp_flags)
    {
        long err = 0;
        if (pgtable_populate_needed(vma, cp_flags))
        {
            pud_t* p = pud_alloc(vma->vm_mm, high, addr);
            if (p == null)
                err = -ENOMEM;
        }
        return err;
    }

    [Upstream("mm/mprotect.c", "change_prepare", UpstreamAttribute.Macro)]
    internal long change_prepare(vm_area_struct* vma, pud_t* high, ulong addr, ulong cp_flags)
    {
        long err = 0;
        if (pgtable_populate_needed(vma, cp_flags))
        {
            pmd_t* p = pmd_alloc(vma->vm_mm, high, addr);
            if (p == null)
                err = -ENOMEM;
        }
        return err;
    }

    [Upstream("mm/mprotect.c", "change_pmd_range", "95c5ccc70d529335")]
    internal long change_pmd_range(mmu_gather* tlb,
                                   vm_area_struct* vma, pud_t* pud, ulong addr,
                                   ulong end, pgprot_t newprot, ulong cp_flags)
    {
        pmd_t* pmd;
        ulong next;
        long pages = 0;
        ulong nr_huge_updates = 0;

        pmd = pmd_offset(pud, addr);
        do
        {
            long ret;
            pmd_t _pmd;
        again:
            next = pmd_addr_end(addr, end);

            ret = change_pmd_prepare(vma, pmd, cp_flags);
            if (ret != 0)
            {
                pages = ret;
                break;
            }

            if (pmd_none(*pmd))
                goto next;

            _pmd = pmdp_get_lockless(pmd);
            if (is_swap_pmd(_pmd) || pmd_trans_huge(_pmd) || pmd_devmap(_pmd))
            {
                if ((next - addr != HPAGE_PMD_SIZE) ||
                    pgtable_split_needed(vma, cp_flags))
                {
                    __split_huge_pmd(vma, pmd, addr, false, null);
                    // A file pmd may be gone after the split: repopulate before the pte level.
                    ret = change_pmd_prepare(vma, pmd, cp_flags);
                    if (ret != 0)
                    {
                        pages = ret;
                        break;
                    }
                }
                else
                {
                    ret = change_huge_pmd(tlb, vma, pmd,
                                          addr, newprot, cp_flags);
                    if (ret != 0)
                    {
                        if (ret == HPAGE_PMD_NR)
                        {
                            pages += HPAGE_PMD_NR;
                            nr_huge_updates++;
                        }

                        goto next;
                    }
                }
                // The huge pmd was split: fall through to the ptes.
            }

            ret = change_pte_range(tlb, vma, pmd, addr, next, newprot,
                                   cp_flags);
            // The pte table went away under us (-EAGAIN): look at the pmd again.
            if (ret < 0)
                goto again;
            pages += ret;
        next:
            cond_resched();
        } while (Next(ref pmd, ref addr, next) != end);

        if (nr_huge_updates != 0)
            count_vm_numa_events("NUMA_HUGE_PTE_UPDATES", (long)nr_huge_updates);
        return pages;
    }

    [Upstream("mm/mprotect.c", "change_pud_range", "a1a27b3eca7b8fff")]
    internal long change_pud_range(mmu_gather* tlb,
                                   vm_area_struct* vma, p4d_t* p4d, ulong addr,
                                   ulong end, pgprot_t newprot, ulong cp_flags)
    {
        mmu_notifier_range range;
        pud_t* pudp;
        pud_t pud;
        ulong next;
        long pages = 0, ret;

        range.start = 0;

        pudp = pud_offset(p4d, addr);
        do
        {
        again:
            next = pud_addr_end(addr, end);
            ret = change_prepare(vma, pudp, addr, cp_flags);
            if (ret != 0)
            {
                pages = ret;
                break;
            }

            pud = pudp_get(pudp);
            if (pud_none(pud))
                continue;

            // The notifier range opens at the first populated pud only.
            if (range.start == 0)
            {
                mmu_notifier_range_init(&range,
                                        MMU_NOTIFY_PROTECTION_VMA, 0,
                                        vma->vm_mm, addr, end);
                mmu_notifier_invalidate_range_start(&range);
            }

            if (pud_leaf(pud))
            {
                if ((next - addr != PUD_SIZE) ||
                    pgtable_split_needed(vma, cp_flags))
                {
                    __split_huge_pud(vma, pudp, addr);
                    goto again;
                }
                else
                {
                    ret = change_huge_pud(tlb, vma, pudp,
                                          addr, newprot, cp_flags);
                    if (ret == 0)
                        goto again;
                    if (ret == HPAGE_PUD_NR)
                        pages += HPAGE_PUD_NR;
                    continue;
                }
            }

            pages += change_pmd_range(tlb, vma, pudp, addr, next, newprot,
                                      cp_flags);
        } while (Next(ref pudp, ref addr, next) != end);

        if (range.start != 0)
            mmu_notifier_invalidate_range_end(&range);

        return pages;
    }

    [Upstream("mm/mprotect.c", "change_p4d_range", "988a353a54291021")]
    internal long change_p4d_range(mmu_gather* tlb,
                                   vm_area_struct* vma, pgd_t* pgd, ulong addr,
                                   ulong end, pgprot_t newprot, ulong cp_flags)
    {
        p4d_t* p4d;
        ulong next;
        long pages = 0, ret;

        p4d = p4d_offset(pgd, addr);
        do
        {
            next = p4d_addr_end(addr, end);
            ret = change_prepare(vma, p4d, addr, cp_flags);
            if (ret != 0)
                return ret;
            if (p4d_none_or_clear_bad(p4d))
                continue;
            pages += change_pud_range(tlb, vma, p4d, addr, next, newprot,
                                      cp_flags);
        } while (Next(ref p4d, ref addr, next) != end);

        return pages;
    }

    [Upstream("mm/mprotect.c", "change_protection_range", "103efb1ae72621e3")]
    internal long change_protection_range(mmu_gather* tlb,
                                          vm_area_struct* vma, ulong addr,
                                          ulong end, pgprot_t newprot, ulong cp_flags)
    {
        mm_struct* mm = vma->vm_mm;
        pgd_t* pgd;
        ulong next;
        long pages = 0, ret;

        BUG_ON(addr >= end);
        pgd = pgd_offset(mm, addr);
        tlb_start_vma(tlb, vma);
        do
        {
            next = pgd_addr_end(addr, end);
            ret = change_prepare(vma, pgd, addr, cp_flags);
            if (ret != 0)
            {
                pages = ret;
                break;
            }
            if (pgd_none_or_clear_bad(pgd))
                continue;
            pages += change_p4d_range(tlb, vma, pgd, addr, next, newprot,
                                      cp_flags);
        } while (Next(ref pgd, ref addr, next) != end);

        tlb_end_vma(tlb, vma);

        return pages;
    }

    // Rewrites the ptes of [start, end) to vma->vm_page_prot (set by the caller); the TLB flush
    // is gathered in tlb. Returns the number of entries changed.
    [Upstream("mm/mprotect.c", "change_protection", "c797fd3b02517f8c")]
    internal long change_protection(mmu_gather* tlb,
                                    vm_area_struct* vma, ulong start,
                                    ulong end, ulong cp_flags)
    {
        pgprot_t newprot = vma->vm_page_prot;
        long pages;

        BUG_ON((cp_flags & MM_CP_UFFD_WP_ALL) == MM_CP_UFFD_WP_ALL);

        // CONFIG_NUMA_BALANCING=y: NUMA hinting makes the ptes PROT_NONE whatever the vma says.
        if ((cp_flags & MM_CP_PROT_NUMA) != 0)
            newprot = PAGE_NONE;

        if (is_vm_hugetlb_page(vma))
            pages = hugetlb_change_protection(vma, start, end, newprot,
                                              cp_flags);
        else
            pages = change_protection_range(tlb, vma, start, end, newprot,
                                            cp_flags);

        return pages;
    }

    [Upstream("include/linux/mm.h", "MM_CP_TRY_CHANGE_WRITABLE", UpstreamAttribute.Macro)]
    internal const uint MM_CP_TRY_CHANGE_WRITABLE = 1U << 0;
    [Upstream("include/linux/mm.h", "MM_CP_PROT_NUMA", UpstreamAttribute.Macro)]
    internal const uint MM_CP_PROT_NUMA = 1U << 1;
    [Upstream("include/linux/mm.h", "MM_CP_UFFD_WP", UpstreamAttribute.Macro)]
    internal const uint MM_CP_UFFD_WP = 1U << 2;
    [Upstream("include/linux/mm.h", "MM_CP_UFFD_WP_RESOLVE", UpstreamAttribute.Macro)]
    internal const uint MM_CP_UFFD_WP_RESOLVE = 1U << 3;
    [Upstream("include/linux/mm.h", "MM_CP_UFFD_WP_ALL", UpstreamAttribute.Macro)]
    internal const uint MM_CP_UFFD_WP_ALL = MM_CP_UFFD_WP | MM_CP_UFFD_WP_RESOLVE;

    /// <summary>include/linux/mman.h default: x86 defines none.</summary>
    [Upstream("include/linux/mman.h", "arch_validate_prot", "92e8e692fd9182fe")]
    internal static bool arch_validate_prot(ulong prot, ulong addr)
    {
        return (prot & ~(ulong)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)) == 0;
    }

    [Upstream("arch/x86/include/asm/pkeys.h", "arch_override_mprotect_pkey", "a79582c8e51a0f30")]
    internal static int arch_override_mprotect_pkey(vm_area_struct* vma, int prot, int pkey)
    {
        // No OSPKE on Emu's boot CPU.
        return 0;
    }

    /// <summary>arch/x86/include/asm/pkeys.h: pkey 0 is always allocated; pkey_alloc does not exist in Emu.</summary>
    internal static bool mm_pkey_is_allocated(mm_struct* mm, int pkey)
    {
        return pkey == 0;
    }

    [Upstream("mm/mprotect.c", "mprotect_fixup", "a9e4ed312bfa66ff")]
    internal int mprotect_fixup(vma_iterator* vmi, mmu_gather* tlb, vm_area_struct* vma, vm_area_struct** pprev,
        ulong start, ulong end, ulong newflags)
    {
        mm_struct* mm = vma->vm_mm;
        ulong oldflags = vma->vm_flags;
        long nrpages = (long)((end - start) >> (int)PAGE_SHIFT);
        uint mm_cp_flags = 0;
        ulong charged = 0;
        int error;

        if (!can_modify_vma(vma))
            return -EPERM;

        if (newflags == oldflags)
        {
            *pprev = vma;
            return 0;
        }

        // The L1TF PFN check only concerns VM_PFNMAP/VM_MIXEDMAP, which Emu cannot create.
        if ((vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP)) != 0 &&
            (newflags & VM_ACCESS_FLAGS) == 0)
            throw new NotSupportedException("mprotect_fixup: PROT_NONE on a PFN mapping");

        // Becoming writable charges a private mapping; dropping write can uncharge only
        // anonymous memory that has no anon_vma yet.
        if ((newflags & VM_WRITE) != 0)
        {
            if (!may_expand_vm(mm, newflags, (ulong)nrpages) &&
                may_expand_vm(mm, oldflags, (ulong)nrpages))
                return -ENOMEM;
            if ((oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB |
                VM_SHARED | VM_NORESERVE)) == 0)
            {
                charged = (ulong)nrpages;
                if (security_vm_enough_memory_mm(mm, (long)charged) != 0)
                    return -ENOMEM;
                newflags |= VM_ACCOUNT;
            }
        }
        else if ((oldflags & VM_ACCOUNT) != 0 && vma_is_anonymous(vma) &&
                 vma->anon_vma == null)
        {
            newflags &= ~(ulong)VM_ACCOUNT;
        }

        vma = vma_modify_flags(vmi, *pprev, vma, start, end, newflags);
        if (IS_ERR(vma))
        {
            error = (int)PTR_ERR(vma);
            goto fail;
        }

        *pprev = vma;

        vma_start_write(vma);
        vm_flags_reset(vma, newflags);
        if (vma_wants_manual_pte_write_upgrade(vma))
            mm_cp_flags |= MM_CP_TRY_CHANGE_WRITABLE;
        vma_set_page_prot(vma);

        change_protection(tlb, vma, start, end, mm_cp_flags);

        if ((oldflags & VM_ACCOUNT) != 0 && (newflags & VM_ACCOUNT) == 0)
            vm_unacct_memory(nrpages);

        // A locked private mapping becoming writable is COWed now rather than on first write.
        if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) == VM_LOCKED &&
            (newflags & VM_WRITE) != 0)
        {
            throw new NotSupportedException("mprotect_fixup: populate_vma_page_range (mlock is not modelled)");
        }

        vm_stat_account(mm, oldflags, -nrpages);
        vm_stat_account(mm, newflags, nrpages);
        return 0;

    fail:
        vm_unacct_memory((long)charged);
        return error;
    }

    [Upstream("mm/mprotect.c", "do_mprotect_pkey", "81131863c6279589")]
    internal int do_mprotect_pkey(ulong start, ulong len, ulong prot, int pkey)
    {
        ulong nstart, end, tmp, reqprot;
        vm_area_struct* vma, prev;
        int error;
        ulong grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
        // READ_IMPLIES_EXEC is not in Emu's personality.
        bool rier = false;
        mmu_gather tlb;
        vma_iterator vmi;

        prot &= ~(ulong)(PROT_GROWSDOWN | PROT_GROWSUP);
        if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
            return -EINVAL;

        if ((start & ~PAGE_MASK) != 0)
            return -EINVAL;
        if (len == 0)
            return 0;
        len = PAGE_ALIGN(len);
        end = start + len;
        if (end <= start)
            return -ENOMEM;
        if (!arch_validate_prot(prot, start))
            return -EINVAL;

        reqprot = prot;

        if (mmap_write_lock_killable(current_mm) != 0)
            return -EINTR;

        // A pkey must have come from pkey_alloc().
        error = -EINVAL;
        if ((pkey != -1) && !mm_pkey_is_allocated(current_mm, pkey))
            goto @out;

        vma_iter_init(&vmi, current_mm, start);
        vma = vma_find(&vmi, end);
        error = -ENOMEM;
        if (vma == null)
            goto @out;

        if ((grows & PROT_GROWSDOWN) != 0)
        {
            if (vma->vm_start >= end)
                goto @out;
            start = vma->vm_start;
            error = -EINVAL;
            if ((vma->vm_flags & VM_GROWSDOWN) == 0)
                goto @out;
        }
        else
        {
            if (vma->vm_start > start)
                goto @out;
            if ((grows & PROT_GROWSUP) != 0)
            {
                end = vma->vm_end;
                error = -EINVAL;
                if ((vma->vm_flags & VM_GROWSUP) == 0)
                    goto @out;
            }
        }

        prev = vma_prev(&vmi);
        if (start > vma->vm_start)
            prev = vma;

        tlb_gather_mmu(&tlb, current_mm);
        nstart = start;
        tmp = vma->vm_start;
        while ((vma = vma_find(&vmi, end)) != null)
        {
            ulong mask_off_old_flags;
            ulong newflags;
            int new_vma_pkey;

            // A hole in the range ends the walk with -ENOMEM.
            if (vma->vm_start != tmp)
            {
                error = -ENOMEM;
                break;
            }

            if (rier && (vma->vm_flags & VM_MAYEXEC) != 0)
                prot |= PROT_EXEC;

            // Every call states r/w/x in full: what is not asked for is cleared.
            mask_off_old_flags = VM_ACCESS_FLAGS | VM_FLAGS_CLEAR;

            new_vma_pkey = arch_override_mprotect_pkey(vma, (int)prot, pkey);
            newflags = calc_vm_prot_bits(prot, (ulong)new_vma_pkey);
            newflags |= (vma->vm_flags & ~mask_off_old_flags);

            // VM_MAY* sit 4 bits above VM_*: asking for a right the VMA may not have.
            if (((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) != 0)
            {
                error = -EACCES;
                break;
            }

            if (map_deny_write_exec(vma->vm_flags, newflags))
            {
                error = -EACCES;
                break;
            }

            if (!arch_validate_flags(newflags))
            {
                error = -EINVAL;
                break;
            }

            error = security_file_mprotect(vma, reqprot, prot);
            if (error != 0)
                break;

            tmp = vma->vm_end;
            if (tmp > end)
                tmp = end;

            if (vm_ops_has_callbacks(vma))
                throw new NotSupportedException("do_mprotect_pkey: vm_ops->mprotect");

            error = mprotect_fixup(&vmi, &tlb, vma, &prev, nstart, tmp, newflags);
            if (error != 0)
                break;

            tmp = vma_iter_end(&vmi);
            nstart = tmp;
            prot = reqprot;
        }
        tlb_finish_mmu(&tlb);

        if (error == 0 && tmp < end)
            error = -ENOMEM;

    @out:
        mmap_write_unlock(current_mm);
        return error;
    }
}
