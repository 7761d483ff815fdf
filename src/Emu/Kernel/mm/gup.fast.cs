// SPDX-License-Identifier: GPL-2.0-only
// mm/gup.c, part 4: GUP-fast (CONFIG_HAVE_GUP_FAST), the walk without the mmap lock. Upstream
// runs it with interrupts off so page tables cannot be freed under it, and every grabbed folio
// is re-checked against the entry it came from. Emu has no interrupts: the walk runs as written,
// and gup_fast_interleave lets a test (or a later concurrency model) run another operation at
// the point where upstream races matter (after the folio is grabbed, before the re-checks).
// ZONE_DEVICE leaves (gup_fast_devmap_*) are not transliterated: Emu has no device memory.
using System;
using System.Threading;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>
    /// Called by GUP-fast with the user address after a folio was grabbed and before the entry is
    /// re-read; a concurrent zap, fork or munmap run here must be caught by upstream's re-checks.
    /// </summary>
    internal Action<ulong>? gup_fast_interleave;

    [Upstream("mm/gup.c", "record_subpages", "d56d5e428f6e53d1")]
    internal static int record_subpages(page* page, ulong sz, ulong addr, ulong end, page** pages)
    {
        page* start_page;
        int nr;

        start_page = nth_page(page, (long)((addr & (sz - 1)) >> PAGE_SHIFT));
        for (nr = 0; addr != end; nr++, addr += PAGE_SIZE)
            pages[nr] = nth_page(start_page, nr);

        return nr;
    }

    [Upstream("mm/gup.c", "try_grab_folio_fast", "6e4e5379734d0478")]
    internal folio* try_grab_folio_fast(page* page, int refs, uint flags)
    {
        folio* folio;

        // VM_WARN_ON_ONCE(!irqs_disabled()): Emu has no interrupt state to check.

        if (WARN_ON_ONCE((flags & (FOLL_GET | FOLL_PIN)) == 0))
            return null;

        if ((flags & FOLL_PCI_P2PDMA) == 0 && is_pci_p2pdma_page(page))
            return null;

        if ((flags & FOLL_GET) != 0)
            return try_get_folio(page, refs);

        // FOLL_PIN from here on.

        // The zero page is never freed: no reference needed, nor counted.
        if (is_zero_page(page))
            return page_folio(page);

        folio = try_get_folio(page, refs);
        if (folio == null)
            return null;

        // Only now is it safe to look at the folio's zone: it cannot be freed under us.
        if ((flags & FOLL_LONGTERM) != 0 &&
            !folio_is_longterm_pinnable(folio))
        {
            if (!put_devmap_managed_folio_refs(folio, refs))
                folio_put_refs(folio, refs);
            return null;
        }

        // try_get_folio took refs references; complete them to pins.
        if (folio_test_large(folio))
            atomic_add(refs, &folio->_pincount);
        else
            folio_ref_add(folio,
                          refs * ((int)GUP_PIN_COUNTING_BIAS - 1));
        // The pin must be visible before the caller re-reads PageAnonExclusive.
        Interlocked.MemoryBarrier(); // smp_mb__after_atomic()

        node_stat_mod_folio(folio, NR_FOLL_PIN_ACQUIRED, refs);

        return folio;
    }

    [Upstream("mm/gup.c", "gup_fast_folio_allowed", "4923417781288869")]
    internal bool gup_fast_folio_allowed(folio* folio, uint flags)
    {
        bool reject_file_backed = false;
        void* mapping;
        bool check_secretmem = false;
        ulong mapping_flags;

        // Longterm writable pins of file folios are refused unless the file is shmem.
        if ((flags & (FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE)) ==
            (FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE))
            reject_file_backed = true;

        // Secretmem folios are always small (CONFIG_SECRETMEM=y).
        if (!folio_test_large(folio))
            check_secretmem = true;

        if (!reject_file_backed && !check_secretmem)
            return true;

        if (WARN_ON_ONCE(folio_test_slab(folio)))
            return false;

        // HugeTLB is neither file-backed for writeback nor secretmem.
        if (folio_test_hugetlb(folio))
            return true;

        // lockdep_assert_irqs_disabled(): the mapping cannot be freed while interrupts are
        // off upstream; Emu frees nothing concurrently.

        mapping = (void*)Volatile.Read(ref *(nint*)&folio->mapping); // READ_ONCE(folio->mapping)

        // Truncated or being split: let the slow path look.
        if (mapping == null)
            return false;

        // Anonymous (and KSM, movable) folios carry flags in mapping.
        mapping_flags = (ulong)mapping & PAGE_MAPPING_FLAGS;
        if (mapping_flags != 0)
            return (mapping_flags & PAGE_MAPPING_ANON) != 0;

        // A page-cache folio: only here is it a real address_space.
        if (check_secretmem && secretmem_mapping(mapping))
            return false;
        // Only shmem may take a longterm writable pin.
        return !reject_file_backed || shmem_mapping(mapping);
    }

    [Upstream("mm/gup.c", "gup_fast_undo_dev_pagemap", "4e8a0ee89189dbd0")]
    internal void gup_fast_undo_dev_pagemap(int* nr, int nr_start, uint flags, page** pages)
    {
        while ((*nr) - nr_start != 0)
        {
            folio* folio = page_folio(pages[--(*nr)]);

            folio_clear_referenced(folio);
            gup_put_folio(folio, 1, flags);
        }
    }

    [Upstream("mm/gup.c", "gup_fast_pte_range", "8d14fcb5b2ae1496")]
    internal int gup_fast_pte_range(pmd_t pmd, pmd_t* pmdp, ulong addr, ulong end, uint flags, page** pages, int* nr)
    {
        void* pgmap = null;
        int nr_start = *nr, ret = 0;
        pte_t* ptep, ptem;

        ptem = ptep = pte_offset_map(&pmd, addr);
        if (ptep == null)
            return 0;
        do
        {
            pte_t pte = ptep_get_lockless(ptep);
            page* page;
            folio* folio;

            // NUMA-hinting entries must fault so the NUMA balancing code sees the access.
            if (pte_protnone(pte))
                goto pte_unmap;

            if (!pte_access_permitted(pte, (flags & FOLL_WRITE) != 0))
                goto pte_unmap;

            if (pte_devmap(pte))
            {
                if ((flags & FOLL_LONGTERM) != 0)
                    goto pte_unmap;

                pgmap = get_dev_pagemap(pte_pfn(pte), pgmap);
                if (pgmap == null)
                {
                    gup_fast_undo_dev_pagemap(nr, nr_start, flags, pages);
                    goto pte_unmap;
                }
            }
            else if (pte_special(pte))
                goto pte_unmap;

            VM_BUG_ON(!pfn_valid(pte_pfn(pte)));
            page = pte_page(pte);

            folio = try_grab_folio_fast(page, 1, flags);
            if (folio == null)
                goto pte_unmap;

            gup_fast_interleave?.Invoke(addr);

            // The entry (or the table) may have changed since we read it: a zap or a
            // fork's write-protect. Back off unless both are still what we saw.
            if (pmd_val(pmd) != pmd_val(*pmdp) ||
                pte_val(pte) != pte_val(ptep_get(ptep)))
            {
                gup_put_folio(folio, 1, flags);
                goto pte_unmap;
            }

            if (!gup_fast_folio_allowed(folio, flags))
            {
                gup_put_folio(folio, 1, flags);
                goto pte_unmap;
            }

            if (!pte_write(pte) && gup_must_unshare(null, flags, page))
            {
                gup_put_folio(folio, 1, flags);
                goto pte_unmap;
            }

            // x86 has no protected guest memory to make accessible.
            if ((flags & FOLL_PIN) != 0)
            {
                ret = arch_make_folio_accessible(folio);
                if (ret != 0)
                {
                    gup_put_folio(folio, 1, flags);
                    goto pte_unmap;
                }
            }
            folio_set_referenced(folio);
            pages[*nr] = page;
            (*nr)++;
        } while (Step(ref ptep, ref addr) != end);

        ret = 1;

    pte_unmap:
        if (pgmap != null)
            put_dev_pagemap(pgmap);
        pte_unmap(ptem);
        return ret;

        // The C loop condition "ptep++, addr += PAGE_SIZE, addr != end".
        static ulong Step(ref pte_t* p, ref ulong a)
        {
            p++;
            a += PAGE_SIZE;
            return a;
        }
    }

    // Not transliterated: ZONE_DEVICE PMD leaves (CONFIG_ARCH_HAS_PTE_DEVMAP && THP upstream).
    internal int gup_fast_devmap_pmd_leaf(pmd_t orig, pmd_t* pmdp, ulong addr, ulong end, uint flags, page** pages, int* nr)
        => throw new NotSupportedException("Emu has no ZONE_DEVICE memory: gup_fast_devmap_pmd_leaf");

    // Not transliterated: ZONE_DEVICE PUD leaves.
    internal int gup_fast_devmap_pud_leaf(pud_t orig, pud_t* pudp, ulong addr, ulong end, uint flags, page** pages, int* nr)
        => throw new NotSupportedException("Emu has no ZONE_DEVICE memory: gup_fast_devmap_pud_leaf");

    [Upstream("mm/gup.c", "gup_fast_pmd_leaf", "ba652ee860a1fc3a")]
    internal int gup_fast_pmd_leaf(pmd_t orig, pmd_t* pmdp, ulong addr, ulong end, uint flags, page** pages, int* nr)
    {
        page* page;
        folio* folio;
        int refs;

        if (!pmd_access_permitted(orig, (flags & FOLL_WRITE) != 0))
            return 0;

        if (pmd_special(orig))
            return 0;

        if (pmd_devmap(orig))
        {
            if ((flags & FOLL_LONGTERM) != 0)
                return 0;
            return gup_fast_devmap_pmd_leaf(orig, pmdp, addr, end, flags,
                                            pages, nr);
        }

        page = pmd_page(orig);
        refs = record_subpages(page, PMD_SIZE, addr, end, pages + *nr);

        folio = try_grab_folio_fast(page, refs, flags);
        if (folio == null)
            return 0;

        if (pmd_val(orig) != pmd_val(*pmdp))
        {
            gup_put_folio(folio, refs, flags);
            return 0;
        }

        if (!gup_fast_folio_allowed(folio, flags))
        {
            gup_put_folio(folio, refs, flags);
            return 0;
        }
        if (!pmd_write(orig) && gup_must_unshare(null, flags, &folio->page))
        {
            gup_put_folio(folio, refs, flags);
            return 0;
        }

        *nr += refs;
        folio_set_referenced(folio);
        return 1;
    }

    [Upstream("mm/gup.c", "gup_fast_pud_leaf", "50e53be6ac350464")]
    internal int gup_fast_pud_leaf(pud_t orig, pud_t* pudp, ulong addr, ulong end, uint flags, page** pages, int* nr)
    {
        page* page;
        folio* folio;
        int refs;

        if (!pud_access_permitted(orig, (flags & FOLL_WRITE) != 0))
            return 0;

        if (pud_special(orig))
            return 0;

        if (pud_devmap(orig))
        {
            if ((flags & FOLL_LONGTERM) != 0)
                return 0;
            return gup_fast_devmap_pud_leaf(orig, pudp, addr, end, flags,
                                            pages, nr);
        }

        page = pud_page(orig);
        refs = record_subpages(page, PUD_SIZE, addr, end, pages + *nr);

        folio = try_grab_folio_fast(page, refs, flags);
        if (folio == null)
            return 0;

        if (pud_val(orig) != pud_val(*pudp))
        {
            gup_put_folio(folio, refs, flags);
            return 0;
        }

        if (!gup_fast_folio_allowed(folio, flags))
        {
            gup_put_folio(folio, refs, flags);
            return 0;
        }

        if (!pud_write(orig) && gup_must_unshare(null, flags, &folio->page))
        {
            gup_put_folio(folio, refs, flags);
            return 0;
        }

        *nr += refs;
        folio_set_referenced(folio);
        return 1;
    }

    [Upstream("mm/gup.c", "gup_fast_pgd_leaf", "fee3361ad527efdf")]
    internal int gup_fast_pgd_leaf(pgd_t orig, pgd_t* pgdp, ulong addr, ulong end, uint flags, page** pages, int* nr)
    {
        int refs;
        page* page;
        folio* folio;

        if (!pgd_access_permitted(orig, (flags & FOLL_WRITE) != 0))
            return 0;

        // BUILD_BUG_ON(pgd_devmap(orig)): no devmap at the PGD level.

        page = pgd_page(orig);
        refs = record_subpages(page, PGDIR_SIZE, addr, end, pages + *nr);

        folio = try_grab_folio_fast(page, refs, flags);
        if (folio == null)
            return 0;

        if (pgd_val(orig) != pgd_val(*pgdp))
        {
            gup_put_folio(folio, refs, flags);
            return 0;
        }

        if (pgd_write(orig) == 0 && gup_must_unshare(null, flags, &folio->page))
        {
            gup_put_folio(folio, refs, flags);
            return 0;
        }

        if (!gup_fast_folio_allowed(folio, flags))
        {
            gup_put_folio(folio, refs, flags);
            return 0;
        }

        *nr += refs;
        folio_set_referenced(folio);
        return 1;
    }

    [Upstream("mm/gup.c", "gup_fast_pmd_range", "3d4faff4827333e9")]
    internal int gup_fast_pmd_range(pud_t* pudp, pud_t pud, ulong addr, ulong end, uint flags, page** pages, int* nr)
    {
        ulong next;
        pmd_t* pmdp;

        pmdp = pmd_offset(&pud, addr); // pmd_offset_lockless(pudp, pud, addr)
        do
        {
            pmd_t pmd = pmdp_get_lockless(pmdp);

            next = pmd_addr_end(addr, end);
            if (!pmd_present(pmd))
                return 0;

            if (pmd_leaf(pmd))
            {
                // NUMA-hinting leaves must fault, as in the PTE case.
                if (pmd_protnone(pmd))
                    return 0;

                if (gup_fast_pmd_leaf(pmd, pmdp, addr, next, flags,
                                      pages, nr) == 0)
                    return 0;

            }
            else if (gup_fast_pte_range(pmd, pmdp, addr, next, flags,
                                        pages, nr) == 0)
                return 0;
        } while (Next(ref pmdp, ref addr, next) != end);

        return 1;

        static ulong Next(ref pmd_t* p, ref ulong a, ulong n) { p++; a = n; return a; }
    }

    [Upstream("mm/gup.c", "gup_fast_pud_range", "ca4ea73fffbd0b6f")]
    internal int gup_fast_pud_range(p4d_t* p4dp, p4d_t p4d, ulong addr, ulong end, uint flags, page** pages, int* nr)
    {
        ulong next;
        pud_t* pudp;

        pudp = pud_offset(&p4d, addr); // pud_offset_lockless(p4dp, p4d, addr)
        do
        {
            pud_t pud = pudp_get(pudp);

            next = pud_addr_end(addr, end);
            if (!pud_present(pud))
                return 0;
            if (pud_leaf(pud))
            {
                if (gup_fast_pud_leaf(pud, pudp, addr, next, flags,
                                      pages, nr) == 0)
                    return 0;
            }
            else if (gup_fast_pmd_range(pudp, pud, addr, next, flags,
                                        pages, nr) == 0)
                return 0;
        } while (Next(ref pudp, ref addr, next) != end);

        return 1;

        static ulong Next(ref pud_t* p, ref ulong a, ulong n) { p++; a = n; return a; }
    }

    [Upstream("mm/gup.c", "gup_fast_p4d_range", "20561e65acb76f7e")]
    internal int gup_fast_p4d_range(pgd_t* pgdp, pgd_t pgd, ulong addr, ulong end, uint flags, page** pages, int* nr)
    {
        ulong next;
        p4d_t* p4dp;

        // p4d_offset_lockless(pgdp, pgd, addr): with the p4d folded this points at our copy.
        p4dp = p4d_offset(&pgd, addr);
        do
        {
            p4d_t p4d = p4dp_get(p4dp);

            next = p4d_addr_end(addr, end);
            if (!p4d_present(p4d))
                return 0;
            // BUILD_BUG_ON(p4d_leaf(p4d)): x86 has no P4D leaves.
            if (gup_fast_pud_range(p4dp, p4d, addr, next, flags,
                                   pages, nr) == 0)
                return 0;
        } while (Next(ref p4dp, ref addr, next) != end);

        return 1;

        static ulong Next(ref p4d_t* p, ref ulong a, ulong n) { p++; a = n; return a; }
    }

    [Upstream("mm/gup.c", "gup_fast_pgd_range", "b3ae68bb545c860e")]
    internal void gup_fast_pgd_range(ulong addr, ulong end, uint flags, page** pages, int* nr)
    {
        ulong next;
        pgd_t* pgdp;

        pgdp = pgd_offset(current_mm, addr);
        do
        {
            pgd_t pgd = pgdp_get(pgdp);

            next = pgd_addr_end(addr, end);
            if (pgd_none(pgd))
                return;
            if (pgd_leaf(pgd))
            {
                if (gup_fast_pgd_leaf(pgd, pgdp, addr, next, flags,
                                      pages, nr) == 0)
                    return;
            }
            else if (gup_fast_p4d_range(pgdp, pgd, addr, next, flags,
                                        pages, nr) == 0)
                return;
        } while (Next(ref pgdp, ref addr, next) != end);

        static ulong Next(ref pgd_t* p, ref ulong a, ulong n) { p++; a = n; return a; }
    }

    [Upstream("arch/x86/include/asm/pgtable_64.h", "gup_fast_permitted", "aede01d4150d0a3b")]
    internal static bool gup_fast_permitted(ulong start, ulong end)
    {
        if ((end >> __VIRTUAL_MASK_SHIFT) != 0)
            return false;
        return true;
    }

    [Upstream("mm/gup.c", "gup_fast", "8eb3b42197b83cc2")]
    internal ulong gup_fast(ulong start, ulong end, uint gup_flags, page** pages)
    {
        ulong flags;
        int nr_pinned = 0;
        uint seq = 0;

        if (/* !IS_ENABLED(CONFIG_HAVE_GUP_FAST) || */
            !gup_fast_permitted(start, end))
            return 0;

        if ((gup_flags & FOLL_PIN) != 0)
        {
            // fork() is write-protecting this mm right now: pinning could race with its
            // folio_needs_cow_for_dma() decision, so leave it to the slow path.
            seq = raw_read_seqcount(&current_mm->write_protect_seq);
            if ((seq & 1) != 0)
                return 0;
        }

        // Upstream disables interrupts so that page tables (freed after an IPI or RCU
        // grace period) stay valid during the walk.
        flags = EmuIrqFlags; // local_irq_save(flags);
        gup_fast_pgd_range(start, end, gup_flags, pages, &nr_pinned);
        // local_irq_restore(flags);
        _ = flags;

        // A fork that started while we pinned may have shared pages we now hold pinned
        // without copying them: undo all pins and let the slow path serialize with fork.
        if ((gup_flags & FOLL_PIN) != 0)
        {
            if (read_seqcount_retry(&current_mm->write_protect_seq, seq))
            {
                gup_fast_unpin_user_pages(pages, (ulong)nr_pinned);
                return 0;
            }
            else
            {
                sanity_check_pinned_pages(pages, (ulong)nr_pinned);
            }
        }
        return (ulong)nr_pinned;
    }

    [Upstream("mm/gup.c", "gup_fast_fallback", "f456e8a50f5662c4")]
    internal int gup_fast_fallback(ulong start, ulong nr_pages, uint gup_flags, page** pages)
    {
        ulong len, end;
        ulong nr_pinned;
        int locked = 0;
        int ret;

        if (WARN_ON_ONCE((gup_flags & ~(uint)(FOLL_WRITE | FOLL_LONGTERM |
                                              FOLL_FORCE | FOLL_PIN | FOLL_GET |
                                              FOLL_FAST_ONLY | FOLL_NOFAULT |
                                              FOLL_PCI_P2PDMA | FOLL_HONOR_NUMA_FAULT)) != 0))
            return -EINVAL;

        if ((gup_flags & FOLL_PIN) != 0)
            mm_set_has_pinned_flag(&current_mm->flags);

        // might_lock_read(&current->mm->mmap_lock) unless FOLL_FAST_ONLY: lockdep annotation only.

        start = untagged_addr(start) & PAGE_MASK;
        len = nr_pages << PAGE_SHIFT;
        if (check_add_overflow(start, len, &end))
            return -EOVERFLOW;
        if (end > TASK_SIZE_MAX)
            return -EFAULT;
        if (!access_ok(start, len))
            return -EFAULT;

        nr_pinned = gup_fast(start, end, gup_flags, pages);
        if (nr_pinned == nr_pages || (gup_flags & FOLL_FAST_ONLY) != 0)
            return (int)nr_pinned;

        // The lockless walk stopped early: the slow path does the rest.
        start += nr_pinned << PAGE_SHIFT;
        pages += nr_pinned;
        ret = (int)__gup_longterm_locked(current_mm, start, nr_pages - nr_pinned,
                                         pages, &locked,
                                         gup_flags | FOLL_TOUCH | FOLL_UNLOCKABLE);
        if (ret < 0)
        {
            // What GUP-fast got is kept: report it, not the slow path's error.
            if (nr_pinned != 0)
                return (int)nr_pinned;
            return ret;
        }
        return ret + (int)nr_pinned;
    }

    [Upstream("mm/gup.c", "get_user_pages_fast_only", "243867e741fff347")]
    internal int get_user_pages_fast_only(ulong start, int nr_pages, uint gup_flags, page** pages)
    {
        // FOLL_FAST_ONLY: never fall back to the slow path (callers in atomic context).
        if (!is_valid_gup_args(pages, null, &gup_flags,
                               FOLL_GET | FOLL_FAST_ONLY))
            return -EINVAL;

        return gup_fast_fallback(start, (ulong)nr_pages, gup_flags, pages);
    }

    [Upstream("mm/gup.c", "get_user_pages_fast", "3b97e08c2d8e4f24")]
    internal int get_user_pages_fast(ulong start, int nr_pages, uint gup_flags, page** pages)
    {
        // FOLL_GET is the default here, unlike pin_user_pages_fast.
        if (!is_valid_gup_args(pages, null, &gup_flags, FOLL_GET))
            return -EINVAL;
        return gup_fast_fallback(start, (ulong)nr_pages, gup_flags, pages);
    }

    [Upstream("mm/gup.c", "pin_user_pages_fast", "54589fc953377122")]
    internal int pin_user_pages_fast(ulong start, int nr_pages, uint gup_flags, page** pages)
    {
        if (!is_valid_gup_args(pages, null, &gup_flags, FOLL_PIN))
            return -EINVAL;
        return gup_fast_fallback(start, (ulong)nr_pages, gup_flags, pages);
    }
}
