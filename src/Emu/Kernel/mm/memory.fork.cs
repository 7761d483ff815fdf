// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/memory.c: copy_page_range and its per-level helpers (fork),
// in upstream order. A COW mapping's writable ptes are write-protected in parent and child and
// the anon folios shared (folio_try_dup_anon_rmap_pte clears PageAnonExclusive); a folio that may
// be pinned cannot be shared, so the child gets a copy at once (copy_present_page). Emu has no
// swap, migration or device entries and no uffd markers: copy_nonpresent_pte refuses them. No
// large folios (no THP), no files, no pfn maps, no HugeTLB. Emu does not reschedule.
using System;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // Model of copy_nonpresent_pte: every non-present pte it handles (swap, migration, device
    // private/exclusive entries, pte markers) is something Emu never creates.
    internal int copy_nonpresent_pte(mm_struct* dst_mm, mm_struct* src_mm,
                                     pte_t* dst_pte, pte_t* src_pte, vm_area_struct* dst_vma,
                                     vm_area_struct* src_vma, ulong addr, int* rss)
    {
        swp_entry_t entry = pte_to_swp_entry(ptep_get(src_pte));
        throw new NotSupportedException($"Emu has no swap, migration, device or marker entries: copy_nonpresent_pte 0x{entry.val:x}");
    }

    // The child gets its own copy of a possibly pinned anon page (prealloc'd by the caller).
    [Upstream("mm/memory.c", "copy_present_page", "221b0264ffef930e")]
    internal int copy_present_page(vm_area_struct* dst_vma, vm_area_struct* src_vma,
                                   pte_t* dst_pte, pte_t* src_pte, ulong addr, int* rss,
                                   folio** prealloc, page* page)
    {
        folio* new_folio;
        pte_t pte;

        new_folio = *prealloc;
        if (new_folio == null)
            return -EAGAIN;

        // The preallocated folio becomes the child's copy.
        if (copy_mc_user_highpage(&new_folio->page, page, addr, src_vma) != 0)
            return -EHWPOISON;

        *prealloc = null;
        __folio_mark_uptodate(new_folio);
        folio_add_new_anon_rmap(new_folio, dst_vma, addr, RMAP_EXCLUSIVE);
        folio_add_lru_vma(new_folio, dst_vma);
        rss[MM_ANONPAGES]++;

        // Private to the child: writable at once if the vma allows it.
        pte = mk_pte(&new_folio->page, dst_vma->vm_page_prot);
        pte = maybe_mkwrite(pte_mkdirty(pte), dst_vma);
        if (userfaultfd_pte_wp(dst_vma, ptep_get(src_pte)))
            // Keep the uffd-wp bit of the source.
            pte = pte_mkuffd_wp(pte);
        set_pte_at(dst_vma->vm_mm, addr, dst_pte, pte);
        return 0;
    }

    [Upstream("include/linux/pgtable.h", "wrprotect_ptes", "77572cdc8642ccbf")]
    internal static void wrprotect_ptes(mm_struct* mm, ulong addr,
                                        pte_t* ptep, uint nr)
    {
        for (;;)
        {
            ptep_set_wrprotect(mm, addr, ptep);
            if (--nr == 0)
                break;
            ptep++;
            addr += PAGE_SIZE;
        }
    }

    // COW: both parent and child lose write access; the child's copy starts clean-if-shared, old.
    [Upstream("mm/memory.c", "__copy_present_ptes", "64d4f08cd1bd5ab5")]
    internal void __copy_present_ptes(vm_area_struct* dst_vma,
                                      vm_area_struct* src_vma, pte_t* dst_pte, pte_t* src_pte,
                                      pte_t pte, ulong addr, int nr)
    {
        mm_struct* src_mm = src_vma->vm_mm;

        // Write-protect in the parent too, so either side's write faults.
        if (is_cow_mapping(src_vma->vm_flags) && pte_write(pte))
        {
            wrprotect_ptes(src_mm, addr, src_pte, (uint)nr);
            pte = pte_wrprotect(pte);
        }

        // A shared mapping's dirty state stays with the parent's pte.
        if ((src_vma->vm_flags & VM_SHARED) != 0)
            pte = pte_mkclean(pte);
        pte = pte_mkold(pte);

        if (!userfaultfd_wp(dst_vma))
            pte = pte_clear_uffd_wp(pte);

        set_ptes(dst_vma->vm_mm, addr, dst_pte, pte, (uint)nr);
    }

    // Returns the number of ptes copied, or -EAGAIN when a prealloc'd folio is needed.
    [Upstream("mm/memory.c", "copy_present_ptes", "77d5cf8103d262a8")]
    internal int copy_present_ptes(vm_area_struct* dst_vma, vm_area_struct* src_vma,
                                   pte_t* dst_pte, pte_t* src_pte, pte_t pte, ulong addr,
                                   int max_nr, int* rss, folio** prealloc)
    {
        page* page;
        folio* folio;
        int err;

        page = vm_normal_page(src_vma, addr, pte);
        if (page == null)
            goto copy_pte;

        folio = page_folio(page);

        // Batching over large folios: there are none without THP.
        if (*prealloc == null && folio_test_large(folio) && max_nr != 1)
            throw new NotSupportedException("Emu has no large folios: folio_pte_batch in copy_present_ptes");

        folio_get(folio);
        if (folio_test_anon(folio))
        {
            // Sharing fails for an exclusive page that may be pinned: copy it instead.
            if (folio_try_dup_anon_rmap_pte(folio, page, src_vma) != 0)
            {
                folio_put(folio);
                err = copy_present_page(dst_vma, src_vma, dst_pte, src_pte,
                                        addr, rss, prealloc, page);
                return err != 0 ? err : 1;
            }
            rss[MM_ANONPAGES]++;
            VM_WARN_ON_FOLIO(PageAnonExclusive(page), folio);
        }
        else
        {
            throw new NotSupportedException("Emu maps no files: folio_dup_file_rmap_pte");
        }

    copy_pte:
        __copy_present_ptes(dst_vma, src_vma, dst_pte, src_pte, pte, addr, 1);
        return 1;
    }

    [Upstream("mm/memory.c", "copy_pte_range", "788668c4c90dbe9f")]
    internal int copy_pte_range(vm_area_struct* dst_vma, vm_area_struct* src_vma,
                                pmd_t* dst_pmd, pmd_t* src_pmd, ulong addr,
                                ulong end)
    {
        mm_struct* dst_mm = dst_vma->vm_mm;
        mm_struct* src_mm = src_vma->vm_mm;
        pte_t* orig_src_pte, orig_dst_pte;
        pte_t* src_pte, dst_pte;
        pte_t ptent;
        spinlock* src_ptl, dst_ptl;
        int progress, max_nr, ret = 0;
        int* rss = stackalloc int[NR_MM_COUNTERS];
        folio* prealloc = null;
        int nr;

    again:
        progress = 0;
        init_rss_vec(rss);

        // Lock the child's table, then the parent's (nested: same lock class).
        dst_pte = pte_alloc_map_lock(dst_mm, dst_pmd, addr, &dst_ptl);
        if (dst_pte == null)
        {
            ret = -ENOMEM;
            goto @out;
        }
        src_pte = pte_offset_map_nolock(src_mm, src_pmd, addr, &src_ptl);
        if (src_pte == null)
        {
            pte_unmap_unlock(dst_pte, dst_ptl);
            // The source table went away meanwhile: nothing to copy.
            goto @out;
        }
        spin_lock_nested(src_ptl, SINGLE_DEPTH_NESTING);
        orig_src_pte = src_pte;
        orig_dst_pte = dst_pte;

        do
        {
            nr = 1;

            // need_resched()/spin_needbreak(): Emu never breaks out to reschedule.
            if (progress >= 32)
                progress = 0;
            ptent = ptep_get(src_pte);
            if (pte_none(ptent))
            {
                progress++;
                continue;
            }
            if (!pte_present(ptent))
            {
                ret = copy_nonpresent_pte(dst_mm, src_mm,
                                          dst_pte, src_pte,
                                          dst_vma, src_vma,
                                          addr, rss);
            }
            max_nr = (int)((end - addr) / PAGE_SIZE);
            ret = copy_present_ptes(dst_vma, src_vma, dst_pte, src_pte,
                                    ptent, addr, max_nr, rss, &prealloc);
            // Needs a preallocated page, or the copy hit poison: stop here and handle it unlocked.
            if (ret == -EAGAIN || ret == -EHWPOISON)
                break;
            if (prealloc != null)
            {
                // The preallocated page was not needed after all.
                folio_put(prealloc);
                prealloc = null;
            }
            nr = ret;
            progress += 8 * nr;
        } while (StepCopy(ref dst_pte, ref src_pte, ref addr, nr) != end);

        pte_unmap_unlock(orig_src_pte, src_ptl);
        add_mm_rss_vec(dst_mm, rss);
        pte_unmap_unlock(orig_dst_pte, dst_ptl);

        if (ret == -EHWPOISON)
        {
            goto @out;
        }
        else if (ret == -EAGAIN)
        {
            prealloc = folio_prealloc(src_mm, src_vma, addr, false);
            if (prealloc == null)
                return -ENOMEM;
        }
        else if (ret < 0)
        {
            VM_WARN_ON_ONCE(true);
        }

        // Copied up to addr: go on from there.
        ret = 0;

        if (addr != end)
            goto again;
        @out:
        if (prealloc != null)
            folio_put(prealloc);
        return ret;
    }

    // `dst_pte += nr, src_pte += nr, addr += PAGE_SIZE * nr` of copy_pte_range's loop.
    private static ulong StepCopy(ref pte_t* dst_pte, ref pte_t* src_pte, ref ulong addr, int nr)
    {
        dst_pte += nr;
        src_pte += nr;
        addr += PAGE_SIZE * (ulong)nr;
        return addr;
    }

    // `dst++, src++, addr = next` of the upper-level copy loops.
    private static ulong StepCopy<T>(ref T* dst, ref T* src, ref ulong addr, ulong next) where T : unmanaged
    {
        dst++;
        src++;
        addr = next;
        return addr;
    }

    [Upstream("mm/memory.c", "copy_pmd_range", "d2029115757d2f5c")]
    internal int copy_pmd_range(vm_area_struct* dst_vma, vm_area_struct* src_vma,
                                pud_t* dst_pud, pud_t* src_pud, ulong addr,
                                ulong end)
    {
        mm_struct* dst_mm = dst_vma->vm_mm;
        pmd_t* src_pmd, dst_pmd;
        ulong next;

        dst_pmd = pmd_alloc(dst_mm, dst_pud, addr);
        if (dst_pmd == null)
            return -ENOMEM;
        src_pmd = pmd_offset(src_pud, addr);
        do
        {
            next = pmd_addr_end(addr, end);
            if (is_swap_pmd(*src_pmd) || pmd_trans_huge(*src_pmd)
                || pmd_devmap(*src_pmd))
                throw new NotSupportedException("Emu has no THP: copy_huge_pmd");
            if (pmd_none_or_clear_bad(src_pmd))
                continue;
            if (copy_pte_range(dst_vma, src_vma, dst_pmd, src_pmd,
                               addr, next) != 0)
                return -ENOMEM;
        } while (StepCopy(ref dst_pmd, ref src_pmd, ref addr, next) != end);
        return 0;
    }

    [Upstream("mm/memory.c", "copy_pud_range", "bb12ea646fbf632c")]
    internal int copy_pud_range(vm_area_struct* dst_vma, vm_area_struct* src_vma,
                                p4d_t* dst_p4d, p4d_t* src_p4d, ulong addr,
                                ulong end)
    {
        mm_struct* dst_mm = dst_vma->vm_mm;
        pud_t* src_pud, dst_pud;
        ulong next;

        dst_pud = pud_alloc(dst_mm, dst_p4d, addr);
        if (dst_pud == null)
            return -ENOMEM;
        src_pud = pud_offset(src_p4d, addr);
        do
        {
            next = pud_addr_end(addr, end);
            if (pud_trans_huge(*src_pud) || pud_devmap(*src_pud))
                throw new NotSupportedException("Emu has no THP: copy_huge_pud");
            if (pud_none_or_clear_bad(src_pud))
                continue;
            if (copy_pmd_range(dst_vma, src_vma, dst_pud, src_pud,
                               addr, next) != 0)
                return -ENOMEM;
        } while (StepCopy(ref dst_pud, ref src_pud, ref addr, next) != end);
        return 0;
    }

    [Upstream("mm/memory.c", "copy_p4d_range", "8cf3fd4616a89daf")]
    internal int copy_p4d_range(vm_area_struct* dst_vma, vm_area_struct* src_vma,
                                pgd_t* dst_pgd, pgd_t* src_pgd, ulong addr,
                                ulong end)
    {
        mm_struct* dst_mm = dst_vma->vm_mm;
        p4d_t* src_p4d, dst_p4d;
        ulong next;

        dst_p4d = p4d_alloc(dst_mm, dst_pgd, addr);
        if (dst_p4d == null)
            return -ENOMEM;
        src_p4d = p4d_offset(src_pgd, addr);
        do
        {
            next = p4d_addr_end(addr, end);
            if (p4d_none_or_clear_bad(src_p4d))
                continue;
            if (copy_pud_range(dst_vma, src_vma, dst_p4d, src_p4d,
                               addr, next) != 0)
                return -ENOMEM;
        } while (StepCopy(ref dst_p4d, ref src_p4d, ref addr, next) != end);
        return 0;
    }

    // Without an anon_vma nothing was ever faulted in privately: the child can fault it itself.
    [Upstream("mm/memory.c", "vma_needs_copy", "af7751b78c22ecb8")]
    internal static bool vma_needs_copy(vm_area_struct* dst_vma, vm_area_struct* src_vma)
    {
        // uffd-wp state lives only in the page tables.
        if (userfaultfd_wp(dst_vma))
            return true;

        if ((src_vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP)) != 0)
            return true;

        if (src_vma->anon_vma != null)
            return true;

        return false;
    }

    [Upstream("mm/memory.c", "copy_page_range", "defbe6ae75164429")]
    internal int copy_page_range(vm_area_struct* dst_vma, vm_area_struct* src_vma)
    {
        pgd_t* src_pgd, dst_pgd;
        ulong addr = src_vma->vm_start;
        ulong end = src_vma->vm_end;
        mm_struct* dst_mm = dst_vma->vm_mm;
        mm_struct* src_mm = src_vma->vm_mm;
        ulong next;
        bool is_cow;
        int ret;

        if (!vma_needs_copy(dst_vma, src_vma))
            return 0;

        if (is_vm_hugetlb_page(src_vma))
            throw new NotSupportedException("Emu has no HugeTLB: copy_hugetlb_page_range");

        if ((src_vma->vm_flags & VM_PFNMAP) != 0)
            throw new NotSupportedException("Emu has no VM_PFNMAP mappings: track_pfn_copy");

        // COW: the parent's ptes get write-protected; GUP-fast must see that (write_protect_seq).
        is_cow = is_cow_mapping(src_vma->vm_flags);

        if (is_cow)
        {
            // mmu_notifier_invalidate_range_start: no subscribers.
            vma_assert_write_locked(src_vma);
            do_raw_write_seqcount_begin(&src_mm->write_protect_seq);
        }

        ret = 0;
        dst_pgd = pgd_offset(dst_mm, addr);
        src_pgd = pgd_offset(src_mm, addr);
        do
        {
            next = pgd_addr_end(addr, end);
            if (pgd_none_or_clear_bad(src_pgd))
                continue;
            if (copy_p4d_range(dst_vma, src_vma, dst_pgd, src_pgd,
                               addr, next) != 0)
            {
                ret = -ENOMEM;
                break;
            }
        } while (StepCopy(ref dst_pgd, ref src_pgd, ref addr, next) != end);

        if (is_cow)
        {
            do_raw_write_seqcount_end(&src_mm->write_protect_seq);
        }
        return ret;
    }
}
