// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/memory.c: freeing page tables (free_pgd_range,
// free_pgtables) and unmapping (zap_*_range ... unmap_vmas, zap_page_range_single), in upstream
// order. Non-present entries other than pte markers (swap, migration, device) do not exist in Emu
// and are refused; huge pmd/pud entries never exist (no THP); no file folios (no delayed rmap
// for dirty file pages). Emu does not reschedule: need_resched() is false, cond_resched a no-op.
using System;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // Only the table is freed: the pages it mapped were zapped before.
    [Upstream("mm/memory.c", "free_pte_range", "71012af4d6810d0d")]
    internal void free_pte_range(mmu_gather* tlb, pmd_t* pmd,
                                 ulong addr)
    {
        page* token = pmd_pgtable(*pmd);
        pmd_clear(pmd);
        pte_free_tlb(tlb, token, addr);
        mm_dec_nr_ptes(tlb->mm);
    }

    [Upstream("mm/memory.c", "free_pmd_range", "03b1c9c9d38aebf8")]
    internal void free_pmd_range(mmu_gather* tlb, pud_t* pud,
                                 ulong addr, ulong end,
                                 ulong floor, ulong ceiling)
    {
        pmd_t* pmd;
        ulong next;
        ulong start;

        start = addr;
        pmd = pmd_offset(pud, addr);
        do
        {
            next = pmd_addr_end(addr, end);
            if (pmd_none_or_clear_bad(pmd))
                continue;
            free_pte_range(tlb, pmd, addr);
        } while (Next(ref pmd, ref addr, next) != end);

        // Free the pmd table only if no other vma's range reaches into it.
        start &= PUD_MASK;
        if (start < floor)
            return;
        if (ceiling != 0)
        {
            ceiling &= PUD_MASK;
            if (ceiling == 0)
                return;
        }
        if (end - 1 > ceiling - 1)
            return;

        pmd = pmd_offset(pud, start);
        pud_clear(pud);
        pmd_free_tlb(tlb, pmd, start);
        mm_dec_nr_pmds(tlb->mm);
    }

    [Upstream("mm/memory.c", "free_pud_range", "d5da052a2e4bd38a")]
    internal void free_pud_range(mmu_gather* tlb, p4d_t* p4d,
                                 ulong addr, ulong end,
                                 ulong floor, ulong ceiling)
    {
        pud_t* pud;
        ulong next;
        ulong start;

        start = addr;
        pud = pud_offset(p4d, addr);
        do
        {
            next = pud_addr_end(addr, end);
            if (pud_none_or_clear_bad(pud))
                continue;
            free_pmd_range(tlb, pud, addr, next, floor, ceiling);
        } while (Next(ref pud, ref addr, next) != end);

        start &= P4D_MASK;
        if (start < floor)
            return;
        if (ceiling != 0)
        {
            ceiling &= P4D_MASK;
            if (ceiling == 0)
                return;
        }
        if (end - 1 > ceiling - 1)
            return;

        pud = pud_offset(p4d, start);
        p4d_clear(p4d);
        pud_free_tlb(tlb, pud, start);
        mm_dec_nr_puds(tlb->mm);
    }

    [Upstream("mm/memory.c", "free_p4d_range", "fa226d5772ff8bba")]
    internal void free_p4d_range(mmu_gather* tlb, pgd_t* pgd,
                                 ulong addr, ulong end,
                                 ulong floor, ulong ceiling)
    {
        p4d_t* p4d;
        ulong next;
        ulong start;

        start = addr;
        p4d = p4d_offset(pgd, addr);
        do
        {
            next = p4d_addr_end(addr, end);
            if (p4d_none_or_clear_bad(p4d))
                continue;
            free_pud_range(tlb, p4d, addr, next, floor, ceiling);
        } while (Next(ref p4d, ref addr, next) != end);

        start &= PGDIR_MASK;
        if (start < floor)
            return;
        if (ceiling != 0)
        {
            ceiling &= PGDIR_MASK;
            if (ceiling == 0)
                return;
        }
        if (end - 1 > ceiling - 1)
            return;

        p4d = p4d_offset(pgd, start);
        pgd_clear(pgd);
        p4d_free_tlb(tlb, p4d, start);
    }

    // The `do { } while (p++, addr = next, addr != end)` step of the range walkers.
    private static ulong Next<T>(ref T* p, ref ulong addr, ulong next) where T : unmanaged
    {
        p++;
        addr = next;
        return addr;
    }

    // Frees the page tables of [addr, end) that no vma in [floor, ceiling) still needs. Address
    // 0 is both the bottom (addr, floor) and the top (end, ceiling): hence the "- 1" compares.
    [Upstream("mm/memory.c", "free_pgd_range", "a754431ee0daa330")]
    internal void free_pgd_range(mmu_gather* tlb,
                                 ulong addr, ulong end,
                                 ulong floor, ulong ceiling)
    {
        pgd_t* pgd;
        ulong next;

        addr &= PMD_MASK;
        if (addr < floor)
        {
            addr += PMD_SIZE;
            if (addr == 0)
                return;
        }
        if (ceiling != 0)
        {
            ceiling &= PMD_MASK;
            if (ceiling == 0)
                return;
        }
        if (end - 1 > ceiling - 1)
            end -= PMD_SIZE;
        if (addr > end - 1)
            return;
        // Tables are gathered as PAGE_SIZE pages.
        tlb_change_page_size(tlb, (uint)PAGE_SIZE);
        pgd = pgd_offset(tlb->mm, addr);
        do
        {
            next = pgd_addr_end(addr, end);
            if (pgd_none_or_clear_bad(pgd))
                continue;
            free_p4d_range(tlb, pgd, addr, next, floor, ceiling);
        } while (Next(ref pgd, ref addr, next) != end);
    }

    // No HugeTLB and no files: unlink_file_vma* have nothing to do (vm_file is NULL).
    [Upstream("mm/memory.c", "free_pgtables", "362ce200de752fc6")]
    internal void free_pgtables(mmu_gather* tlb, ma_state* mas,
                                vm_area_struct* vma, ulong floor,
                                ulong ceiling, bool mm_wr_locked)
    {
        do
        {
            ulong addr = vma->vm_start;
            vm_area_struct* next;

            // ceiling may be 0 (USER_PGTABLES_CEILING): ceiling - 1 wraps, as upstream.
            next = (vm_area_struct*)mas_find(mas, ceiling - 1);
            if (xa_is_zero(next))
                next = null;

            // Hide the vma from rmap walks before its tables go.
            if (mm_wr_locked)
                vma_start_write(vma);
            unlink_anon_vmas(vma);

            if (is_vm_hugetlb_page(vma))
            {
                throw new NotSupportedException("Emu has no HugeTLB: hugetlb_free_pgd_range");
            }
            else
            {
                if (vma->vm_file != null)
                    throw new NotSupportedException("Emu maps no files: unlink_file_vma_batch_add");

                // Merge nearby vmas into one free_pgd_range call.
                while (next != null && next->vm_start <= vma->vm_end + PMD_SIZE
                       && !is_vm_hugetlb_page(next))
                {
                    vma = next;
                    next = (vm_area_struct*)mas_find(mas, ceiling - 1);
                    if (xa_is_zero(next))
                        next = null;
                    if (mm_wr_locked)
                        vma_start_write(vma);
                    unlink_anon_vmas(vma);
                    if (vma->vm_file != null)
                        throw new NotSupportedException("Emu maps no files: unlink_file_vma_batch_add");
                }
                free_pgd_range(tlb, addr, vma->vm_end,
                               floor, next != null ? next->vm_start : ceiling);
            }
            vma = next;
        } while (vma != null);
    }

    [Upstream("mm/memory.c", "init_rss_vec", "e5761bc6f7f1526d")]
    internal static void init_rss_vec(int* rss)
    {
        new Span<int>(rss, NR_MM_COUNTERS).Clear();
    }

    [Upstream("mm/memory.c", "add_mm_rss_vec", "4a4d72012bd0b80c")]
    internal void add_mm_rss_vec(mm_struct* mm, int* rss)
    {
        int i;

        for (i = 0; i < NR_MM_COUNTERS; i++)
            if (rss[i] != 0)
                add_mm_counter(mm, i, rss[i]);
    }

    [Upstream("mm/memory.c", "should_zap_cows", "c8b64254c5efced4")]
    internal static bool should_zap_cows(zap_details* details)
    {
        // No details: zap everything.
        if (details == null)
            return true;

        // Private COW copies only when asked.
        return details->even_cows;
    }

    [Upstream("mm/memory.c", "should_zap_folio", "6e7d9fb38fef1a99")]
    internal static bool should_zap_folio(zap_details* details,
                                          folio* folio)
    {
        if (should_zap_cows(details))
            return true;

        // Otherwise only non-anonymous folios go.
        return !folio_test_anon(folio);
    }

    [Upstream("include/linux/pgtable.h", "clear_full_ptes", "4f2814b878ba29a3")]
    internal static void clear_full_ptes(mm_struct* mm, ulong addr,
                                         pte_t* ptep, uint nr, int full)
    {
        for (;;)
        {
            ptep_get_and_clear_full(mm, addr, ptep, full);
            if (--nr == 0)
                break;
            ptep++;
            addr += PAGE_SIZE;
        }
    }

    [Upstream("arch/x86/mm/pgtable.c", "arch_check_zapped_pte", "4346dbb71e00e738")]
    internal void arch_check_zapped_pte(vm_area_struct* vma, pte_t pte)
    {
        // Dirty without Write means a shadow-stack pte: only legal in a shadow-stack vma.
        VM_WARN_ON_ONCE((vma->vm_flags & VM_SHADOW_STACK) == 0 &&
                        pte_shstk(pte));
    }

    [Upstream("include/linux/mm.h", "update_hiwater_rss", "516a63ecc651807d")]
    internal static void update_hiwater_rss(mm_struct* mm)
    {
        ulong _rss = get_mm_rss(mm);

        if ((mm)->hiwater_rss < _rss)
            (mm)->hiwater_rss = _rss;
    }

    // Anonymous folios only: their rmap goes at once, then the page joins the gather.
    [Upstream("mm/memory.c", "zap_present_folio_ptes", "ba97227f05f4eaf4")]
    internal void zap_present_folio_ptes(mmu_gather* tlb,
                                         vm_area_struct* vma, folio* folio,
                                         page* page, pte_t* pte, pte_t ptent, uint nr,
                                         ulong addr, zap_details* details, int* rss,
                                         bool* force_flush, bool* force_break)
    {
        mm_struct* mm = tlb->mm;
        bool delay_rmap = false;

        if (!folio_test_anon(folio))
        {
            throw new NotSupportedException("Emu maps no files: zapping a file folio");
        }
        else
        {
            // Accessed/dirty bits do not matter for anonymous memory being dropped.
            clear_full_ptes(mm, addr, pte, nr, (int)tlb->fullmm);
            rss[MM_ANONPAGES] -= (int)nr;
        }
        // One pte of the batch is enough to check.
        arch_check_zapped_pte(vma, ptent);
        tlb_remove_tlb_entries(tlb, pte, nr, addr);
        if (userfaultfd_pte_wp(vma, ptent))
            zap_install_uffd_wp_if_needed(vma, addr, pte, (int)nr, details,
                                          ptent);

        if (!delay_rmap)
        {
            folio_remove_rmap_ptes(folio, page, (int)nr, vma);

            if (folio_mapcount(folio) < 0)
                print_bad_pte(vma, addr, ptent, page);
        }
        if (__tlb_remove_folio_pages(tlb, page, nr, delay_rmap))
        {
            *force_flush = true;
            *force_break = true;
        }
    }

    // An anonymous vma's zap drops everything, uffd-wp markers included.
    [Upstream("mm/memory.c", "zap_install_uffd_wp_if_needed", "200d2f74171c6b1a")]
    internal static void zap_install_uffd_wp_if_needed(vm_area_struct* vma,
                                                       ulong addr, pte_t* pte, int nr,
                                                       zap_details* details, pte_t pteval)
    {
        if (vma_is_anonymous(vma))
            return;

        throw new NotSupportedException("Emu maps no files: pte_install_uffd_wp_if_needed");
    }

    [Upstream("mm/memory.c", "zap_present_ptes", "378d557457efbd98")]
    internal int zap_present_ptes(mmu_gather* tlb,
                                  vm_area_struct* vma, pte_t* pte, pte_t ptent,
                                  uint max_nr, ulong addr,
                                  zap_details* details, int* rss, bool* force_flush,
                                  bool* force_break)
    {
        mm_struct* mm = tlb->mm;
        folio* folio;
        page* page;

        page = vm_normal_page(vma, addr, ptent);
        if (page == null)
        {
            // The zero page (or another special pte): just clear it.
            ptep_get_and_clear_full(mm, addr, pte, (int)tlb->fullmm);
            arch_check_zapped_pte(vma, ptent);
            tlb_flush_pte_range(tlb, addr, PAGE_SIZE); // tlb_remove_tlb_entry
            __tlb_remove_tlb_entry(tlb, pte, addr);
            if (userfaultfd_pte_wp(vma, ptent))
                zap_install_uffd_wp_if_needed(vma, addr, pte, 1,
                                              details, ptent);
            ksm_might_unmap_zero_page(mm, ptent);
            return 1;
        }

        folio = page_folio(page);
        if (!should_zap_folio(details, folio))
            return 1;

        // Large folios (batched) never exist without THP.
        if (folio_test_large(folio) && max_nr != 1)
            throw new NotSupportedException("Emu has no large anonymous folios: folio_pte_batch");
        zap_present_folio_ptes(tlb, vma, folio, page, pte, ptent, 1, addr,
                               details, rss, force_flush, force_break);
        return 1;
    }

    [Upstream("mm/memory.c", "zap_pte_range", "225581f995b7323b")]
    internal ulong zap_pte_range(mmu_gather* tlb,
                                 vm_area_struct* vma, pmd_t* pmd,
                                 ulong addr, ulong end,
                                 zap_details* details)
    {
        bool force_flush = false, force_break = false;
        mm_struct* mm = tlb->mm;
        int* rss = stackalloc int[NR_MM_COUNTERS];
        spinlock* ptl;
        pte_t* start_pte;
        pte_t* pte;
        swp_entry_t entry;
        int nr;

        tlb_change_page_size(tlb, (uint)PAGE_SIZE);
        init_rss_vec(rss);
        start_pte = pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
        if (pte == null)
            return addr;

        flush_tlb_batched_pending(mm);
        // arch_enter_lazy_mmu_mode: no paravirt batching.
        do
        {
            pte_t ptent = ptep_get(pte);
            int max_nr;

            nr = 1;
            if (pte_none(ptent))
                continue;

            if (pte_present(ptent))
            {
                max_nr = (int)((end - addr) / PAGE_SIZE);
                nr = zap_present_ptes(tlb, vma, pte, ptent, (uint)max_nr,
                                      addr, details, rss, &force_flush,
                                      &force_break);
                if (force_break)
                {
                    addr += (ulong)nr * PAGE_SIZE;
                    break;
                }
                continue;
            }

            entry = pte_to_swp_entry(ptent);
            if (pte_marker_entry_uffd_wp(entry))
            {
                // Anonymous vmas drop their markers.
                if (!vma_is_anonymous(vma))
                    throw new NotSupportedException("Emu maps no files: zap_drop_file_uffd_wp");
            }
            else
            {
                throw new NotSupportedException($"Emu has no swap, migration or device entries: swap entry 0x{entry.val:x}");
            }
            clear_not_present_full_ptes(mm, addr, pte, (uint)nr, (int)tlb->fullmm);
            zap_install_uffd_wp_if_needed(vma, addr, pte, nr, details, ptent);
        } while (StepPtes(ref pte, ref addr, nr) != end);

        add_mm_rss_vec(mm, rss);
        // arch_leave_lazy_mmu_mode.

        // Flush the TLB before the delayed rmaps go and before the ptl is dropped.
        if (force_flush)
        {
            tlb_flush_mmu_tlbonly(tlb);
            tlb_flush_rmaps(tlb, vma);
        }
        pte_unmap_unlock(start_pte, ptl);

        // Only now may the gathered pages be freed.
        if (force_flush)
            tlb_flush_mmu(tlb);

        return addr;
    }

    // `pte += nr, addr += PAGE_SIZE * nr` of zap_pte_range's loop.
    private static ulong StepPtes(ref pte_t* pte, ref ulong addr, int nr)
    {
        pte += nr;
        addr += PAGE_SIZE * (ulong)nr;
        return addr;
    }

    [Upstream("include/linux/pgtable.h", "clear_not_present_full_ptes", "3310e099276f2411")]
    internal static void clear_not_present_full_ptes(mm_struct* mm,
                                                     ulong addr, pte_t* ptep, uint nr, int full)
    {
        for (;;)
        {
            pte_clear_not_present_full(mm, addr, ptep, full);
            if (--nr == 0)
                break;
            ptep++;
            addr += PAGE_SIZE;
        }
    }

    [Upstream("include/linux/pgtable.h", "pte_clear_not_present_full", "8ba89401c617cf6f")]
    internal static void pte_clear_not_present_full(mm_struct* mm,
                                                    ulong address,
                                                    pte_t* ptep,
                                                    int full)
    {
        pte_clear(mm, address, ptep);
    }

    [Upstream("mm/memory.c", "zap_pmd_range", "d22710deeccb601c")]
    internal ulong zap_pmd_range(mmu_gather* tlb,
                                 vm_area_struct* vma, pud_t* pud,
                                 ulong addr, ulong end,
                                 zap_details* details)
    {
        pmd_t* pmd;
        ulong next;

        pmd = pmd_offset(pud, addr);
        do
        {
            next = pmd_addr_end(addr, end);
            if (is_swap_pmd(*pmd) || pmd_trans_huge(*pmd) || pmd_devmap(*pmd))
                throw new NotSupportedException("Emu has no THP: zap_huge_pmd");
            if (pmd_none(*pmd))
            {
                addr = next;
                continue;
            }
            addr = zap_pte_range(tlb, vma, pmd, addr, next, details);
            // Stopped early (batch full): redo this pmd.
            if (addr != next)
                pmd--;
        } while (Step(ref pmd) && addr != end);

        return addr;
    }

    private static bool Step<T>(ref T* p) where T : unmanaged
    {
        p++;
        return true;
    }

    [Upstream("mm/memory.c", "zap_pud_range", "c76d746abee85070")]
    internal ulong zap_pud_range(mmu_gather* tlb,
                                 vm_area_struct* vma, p4d_t* p4d,
                                 ulong addr, ulong end,
                                 zap_details* details)
    {
        pud_t* pud;
        ulong next;

        pud = pud_offset(p4d, addr);
        do
        {
            next = pud_addr_end(addr, end);
            if (pud_trans_huge(*pud) || pud_devmap(*pud))
                throw new NotSupportedException("Emu has no THP: zap_huge_pud");
            if (pud_none_or_clear_bad(pud))
                continue;
            next = zap_pmd_range(tlb, vma, pud, addr, next, details);
        } while (Next(ref pud, ref addr, next) != end);

        return addr;
    }

    [Upstream("mm/memory.c", "zap_p4d_range", "69b68dbcf84a28da")]
    internal ulong zap_p4d_range(mmu_gather* tlb,
                                 vm_area_struct* vma, pgd_t* pgd,
                                 ulong addr, ulong end,
                                 zap_details* details)
    {
        p4d_t* p4d;
        ulong next;

        p4d = p4d_offset(pgd, addr);
        do
        {
            next = p4d_addr_end(addr, end);
            if (p4d_none_or_clear_bad(p4d))
                continue;
            next = zap_pud_range(tlb, vma, p4d, addr, next, details);
        } while (Next(ref p4d, ref addr, next) != end);

        return addr;
    }

    [Upstream("mm/memory.c", "unmap_page_range", "8bf55e57d88599b6")]
    internal void unmap_page_range(mmu_gather* tlb,
                                   vm_area_struct* vma,
                                   ulong addr, ulong end,
                                   zap_details* details)
    {
        pgd_t* pgd;
        ulong next;

        BUG_ON(addr >= end);
        tlb_start_vma(tlb, vma);
        pgd = pgd_offset(vma->vm_mm, addr);
        do
        {
            next = pgd_addr_end(addr, end);
            if (pgd_none_or_clear_bad(pgd))
                continue;
            next = zap_p4d_range(tlb, vma, pgd, addr, next, details);
        } while (Next(ref pgd, ref addr, next) != end);
        tlb_end_vma(tlb, vma);
    }

    [Upstream("mm/memory.c", "unmap_single_vma", "48747fbf8bae78e1")]
    internal void unmap_single_vma(mmu_gather* tlb,
                                   vm_area_struct* vma, ulong start_addr,
                                   ulong end_addr,
                                   zap_details* details, bool mm_wr_locked)
    {
        ulong start = Math.Max(vma->vm_start, start_addr);
        ulong end;

        if (start >= vma->vm_end)
            return;
        end = Math.Min(vma->vm_end, end_addr);
        if (end <= vma->vm_start)
            return;

        if (vma->vm_file != null)
            throw new NotSupportedException("Emu maps no files: uprobe_munmap");

        if ((vma->vm_flags & VM_PFNMAP) != 0)
            throw new NotSupportedException("Emu has no VM_PFNMAP mappings: untrack_pfn");

        if (start != end)
        {
            if (is_vm_hugetlb_page(vma))
                throw new NotSupportedException("Emu has no HugeTLB: __unmap_hugepage_range");
            else
                unmap_page_range(tlb, vma, start, end, details);
        }
    }

    // ZAP_FLAG_DROP_MARKER | ZAP_FLAG_UNMAP (mm.h).
    private const uint ZAP_FLAG_DROP_MARKER = 1u << 0, ZAP_FLAG_UNMAP = 1u << 1;

    // Every vma from vma up to tree_end, as munmap and exit do; mmu notifiers have no subscribers.
    [Upstream("mm/memory.c", "unmap_vmas", "e2c80f7d905f9c36")]
    internal void unmap_vmas(mmu_gather* tlb, ma_state* mas,
                             vm_area_struct* vma, ulong start_addr,
                             ulong end_addr, ulong tree_end,
                             bool mm_wr_locked)
    {
        zap_details details = default;
        details.zap_flags = ZAP_FLAG_DROP_MARKER | ZAP_FLAG_UNMAP;
        // Unmapping also drops private COW copies.
        details.even_cows = true;

        do
        {
            ulong start = start_addr;
            ulong end = end_addr;
            // hugetlb_zap_begin/end: no HugeTLB vmas.
            unmap_single_vma(tlb, vma, start, end, &details,
                             mm_wr_locked);
            vma = (vm_area_struct*)mas_find(mas, tree_end - 1);
        } while (vma != null && !xa_is_zero(vma));
    }

    // Zap one range of one vma (MADV_DONTNEED and friends), with its own gather.
    [Upstream("mm/memory.c", "zap_page_range_single", "0c6bcea3e6319b47")]
    internal void zap_page_range_single(vm_area_struct* vma, ulong address,
                                        ulong size, zap_details* details)
    {
        ulong end = address + size;
        mmu_gather tlb;

        lru_add_drain();
        tlb_gather_mmu(&tlb, vma->vm_mm);
        update_hiwater_rss(vma->vm_mm);
        unmap_single_vma(&tlb, vma, address, end, details, false);
        tlb_finish_mmu(&tlb);
    }
}
