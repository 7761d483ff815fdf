// SPDX-License-Identifier: GPL-2.0-only
// include/linux/rmap.h (CONFIG_MMU): anon_vma reference and lock helpers, the rmap sanity checks
// and the inline dup/share operations on anon folios, the page_vma_mapped_walk helpers.
//
// Idioms:
//  - The callbacks of struct rmap_walk_control are void* fields in the generated struct; they
//    hold C# function pointers to static methods whose first argument is the Kernel (the types
//    below). RMAP_ONE()/RMAP_DONE()/RMAP_ANON_LOCK()/RMAP_INVALID_VMA() cast them back.
//  - DEFINE_FOLIO_VMA_WALK returns the initialized struct by value.
//  - rmap_t is int, as its __bitwise typedef.
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>rwc->rmap_one: <c>bool (*)(struct folio *, struct vm_area_struct *, unsigned long, void *)</c>.</summary>
    internal static delegate*<Kernel, folio*, vm_area_struct*, ulong, void*, bool> RMAP_ONE(rmap_walk_control* rwc) =>
        (delegate*<Kernel, folio*, vm_area_struct*, ulong, void*, bool>)rwc->rmap_one;

    /// <summary>rwc->done: <c>int (*)(struct folio *)</c>.</summary>
    internal static delegate*<Kernel, folio*, int> RMAP_DONE(rmap_walk_control* rwc) =>
        (delegate*<Kernel, folio*, int>)rwc->done;

    /// <summary>rwc->anon_lock: <c>struct anon_vma *(*)(struct folio *, struct rmap_walk_control *)</c>.</summary>
    internal static delegate*<Kernel, folio*, rmap_walk_control*, anon_vma*> RMAP_ANON_LOCK(rmap_walk_control* rwc) =>
        (delegate*<Kernel, folio*, rmap_walk_control*, anon_vma*>)rwc->anon_lock;

    /// <summary>rwc->invalid_vma: <c>bool (*)(struct vm_area_struct *, void *)</c>.</summary>
    internal static delegate*<Kernel, vm_area_struct*, void*, bool> RMAP_INVALID_VMA(rmap_walk_control* rwc) =>
        (delegate*<Kernel, vm_area_struct*, void*, bool>)rwc->invalid_vma;

    [Upstream("include/linux/rmap.h", "get_anon_vma", "37eaac80e86ed356")]
    internal static void get_anon_vma(anon_vma* anon_vma)
    {
        atomic_inc(&anon_vma->refcount);
    }

    [Upstream("include/linux/rmap.h", "put_anon_vma", "122fb3cb8faf8c5e")]
    internal void put_anon_vma(anon_vma* anon_vma)
    {
        if (atomic_dec_and_test(&anon_vma->refcount))
            __put_anon_vma(anon_vma);
    }

    [Upstream("include/linux/rmap.h", "anon_vma_lock_write", "4171984030dfc51b")]
    internal void anon_vma_lock_write(anon_vma* anon_vma)
    {
        down_write(&anon_vma->root->rwsem);
    }

    [Upstream("include/linux/rmap.h", "anon_vma_trylock_write", "b9c502f46331f8de")]
    internal int anon_vma_trylock_write(anon_vma* anon_vma)
    {
        return down_write_trylock(&anon_vma->root->rwsem);
    }

    [Upstream("include/linux/rmap.h", "anon_vma_unlock_write", "465234d78d3aace7")]
    internal void anon_vma_unlock_write(anon_vma* anon_vma)
    {
        up_write(&anon_vma->root->rwsem);
    }

    [Upstream("include/linux/rmap.h", "anon_vma_lock_read", "a62525678b2db8d2")]
    internal void anon_vma_lock_read(anon_vma* anon_vma)
    {
        down_read(&anon_vma->root->rwsem);
    }

    [Upstream("include/linux/rmap.h", "anon_vma_trylock_read", "ea0df82b8b02aa02")]
    internal int anon_vma_trylock_read(anon_vma* anon_vma)
    {
        return down_read_trylock(&anon_vma->root->rwsem);
    }

    [Upstream("include/linux/rmap.h", "anon_vma_unlock_read", "cf4f43246ccdbdd1")]
    internal void anon_vma_unlock_read(anon_vma* anon_vma)
    {
        up_read(&anon_vma->root->rwsem);
    }

    [Upstream("include/linux/rmap.h", "anon_vma_prepare", "57b0c7ac42881756")]
    internal int anon_vma_prepare(vm_area_struct* vma)
    {
        if (vma->anon_vma != null)
            return 0;

        return __anon_vma_prepare(vma);
    }

    [Upstream("include/linux/rmap.h", "anon_vma_merge", "7c54300019a52e6f")]
    internal void anon_vma_merge(vm_area_struct* vma, vm_area_struct* next)
    {
        VM_BUG_ON_VMA(vma->anon_vma != next->anon_vma, vma);
        unlink_anon_vmas(next);
    }

    [Upstream("include/linux/rmap.h", "__folio_rmap_sanity_checks", "f25a043e045aba9d")]
    internal void __folio_rmap_sanity_checks(folio* folio, page* page, int nr_pages, rmap_level level)
    {
        // hugetlb folios have their own rmap helpers.
        VM_WARN_ON_FOLIO(folio_test_hugetlb(folio), folio);

        // The shared zero page never gets ref or mapcount changes.
        VM_WARN_ON_FOLIO(is_zero_folio(folio), folio);

        VM_WARN_ON_ONCE(nr_pages <= 0);
        VM_WARN_ON_FOLIO(page_folio(page) != folio, folio);
        VM_WARN_ON_FOLIO(page_folio(page + nr_pages - 1) != folio, folio);

        switch (level)
        {
            case rmap_level.RMAP_LEVEL_PTE:
                break;
            case rmap_level.RMAP_LEVEL_PMD:
                // A PMD mapping covers exactly one PMD-sized folio.
                VM_WARN_ON_FOLIO(folio_nr_pages(folio) != HPAGE_PMD_NR, folio);
                VM_WARN_ON_FOLIO(nr_pages != HPAGE_PMD_NR, folio);
                break;
            default:
                VM_WARN_ON_ONCE(true);
                break;
        }
    }

    [Upstream("include/linux/rmap.h", "folio_add_anon_rmap_pte", UpstreamAttribute.Macro)]
    internal void folio_add_anon_rmap_pte(folio* folio, page* page, vm_area_struct* vma, ulong address, int flags) =>
        folio_add_anon_rmap_ptes(folio, page, 1, vma, address, flags);

    [Upstream("include/linux/rmap.h", "folio_add_file_rmap_pte", UpstreamAttribute.Macro)]
    internal void folio_add_file_rmap_pte(folio* folio, page* page, vm_area_struct* vma) =>
        folio_add_file_rmap_ptes(folio, page, 1, vma);

    [Upstream("include/linux/rmap.h", "folio_remove_rmap_pte", UpstreamAttribute.Macro)]
    internal void folio_remove_rmap_pte(folio* folio, page* page, vm_area_struct* vma) =>
        folio_remove_rmap_ptes(folio, page, 1, vma);

    [Upstream("include/linux/rmap.h", "__folio_dup_file_rmap", "0932609900264ecc")]
    internal void __folio_dup_file_rmap(folio* folio, page* page, int nr_pages, rmap_level level)
    {
        int orig_nr_pages = nr_pages;

        __folio_rmap_sanity_checks(folio, page, nr_pages, level);

        switch (level)
        {
            case rmap_level.RMAP_LEVEL_PTE:
                if (!folio_test_large(folio))
                {
                    atomic_inc(&folio->_mapcount);
                    break;
                }

                do
                {
                    atomic_inc(&page->_mapcount);
                    page++;
                } while (--nr_pages > 0);
                atomic_add(orig_nr_pages, &folio->_large_mapcount);
                break;
            case rmap_level.RMAP_LEVEL_PMD:
                atomic_inc(&folio->_entire_mapcount);
                atomic_inc(&folio->_large_mapcount);
                break;
        }
    }

    [Upstream("include/linux/rmap.h", "folio_dup_file_rmap_ptes", "d07e38cf808bef63")]
    internal void folio_dup_file_rmap_ptes(folio* folio, page* page, int nr_pages)
    {
        __folio_dup_file_rmap(folio, page, nr_pages, rmap_level.RMAP_LEVEL_PTE);
    }

    [Upstream("include/linux/rmap.h", "folio_dup_file_rmap_pte", "72d16bcea9e18e74")]
    internal void folio_dup_file_rmap_pte(folio* folio, page* page)
    {
        __folio_dup_file_rmap(folio, page, 1, rmap_level.RMAP_LEVEL_PTE);
    }

    [Upstream("include/linux/rmap.h", "__folio_try_dup_anon_rmap", "921b027be72ae32f")]
    internal int __folio_try_dup_anon_rmap(folio* folio, page* page, int nr_pages, vm_area_struct* src_vma,
        rmap_level level)
    {
        int orig_nr_pages = nr_pages;
        bool maybe_pinned;
        int i;

        VM_WARN_ON_FOLIO(!folio_test_anon(folio), folio);
        __folio_rmap_sanity_checks(folio, page, nr_pages, level);

        // A possibly pinned exclusive page must be copied for the child, not shared.
        maybe_pinned = !folio_is_device_private(folio) &&
                       folio_needs_cow_for_dma(src_vma, folio);

        switch (level)
        {
            case rmap_level.RMAP_LEVEL_PTE:
                if (maybe_pinned)
                {
                    for (i = 0; i < nr_pages; i++)
                        if (PageAnonExclusive(page + i))
                            return -EBUSY;
                }

                if (!folio_test_large(folio))
                {
                    if (PageAnonExclusive(page))
                        ClearPageAnonExclusive(page);
                    atomic_inc(&folio->_mapcount);
                    break;
                }

                do
                {
                    if (PageAnonExclusive(page))
                        ClearPageAnonExclusive(page);
                    atomic_inc(&page->_mapcount);
                    page++;
                } while (--nr_pages > 0);
                atomic_add(orig_nr_pages, &folio->_large_mapcount);
                break;
            case rmap_level.RMAP_LEVEL_PMD:
                if (PageAnonExclusive(page))
                {
                    if (maybe_pinned)
                        return -EBUSY;
                    ClearPageAnonExclusive(page);
                }
                atomic_inc(&folio->_entire_mapcount);
                atomic_inc(&folio->_large_mapcount);
                break;
        }
        return 0;
    }

    [Upstream("include/linux/rmap.h", "folio_try_dup_anon_rmap_ptes", "8ba8df08dd839712")]
    internal int folio_try_dup_anon_rmap_ptes(folio* folio, page* page, int nr_pages, vm_area_struct* src_vma)
    {
        return __folio_try_dup_anon_rmap(folio, page, nr_pages, src_vma,
                                         rmap_level.RMAP_LEVEL_PTE);
    }

    [Upstream("include/linux/rmap.h", "folio_try_dup_anon_rmap_pte", "642bb70d36d2ad3c")]
    internal int folio_try_dup_anon_rmap_pte(folio* folio, page* page, vm_area_struct* src_vma)
    {
        return __folio_try_dup_anon_rmap(folio, page, 1, src_vma,
                                         rmap_level.RMAP_LEVEL_PTE);
    }

    /// <summary>CONFIG_TRANSPARENT_HUGEPAGE=y: the PMD level.</summary>
    [Upstream("include/linux/rmap.h", "folio_try_dup_anon_rmap_pmd", "2730bbdb15387edd")]
    internal int folio_try_dup_anon_rmap_pmd(folio* folio, page* page, vm_area_struct* src_vma)
    {
        return __folio_try_dup_anon_rmap(folio, page, (int)HPAGE_PMD_NR, src_vma,
                                         rmap_level.RMAP_LEVEL_PMD);
    }

    [Upstream("include/linux/rmap.h", "__folio_try_share_anon_rmap", "0d68d22ebabc2358")]
    internal int __folio_try_share_anon_rmap(folio* folio, page* page, int nr_pages, rmap_level level)
    {
        VM_WARN_ON_FOLIO(!folio_test_anon(folio), folio);
        VM_WARN_ON_FOLIO(!PageAnonExclusive(page), folio);
        __folio_rmap_sanity_checks(folio, page, nr_pages, level);

        // GUP cannot pin device-private folios.
        if (folio_is_device_private(folio))
        {
            ClearPageAnonExclusive(page);
            return 0;
        }

        // CONFIG_HAVE_GUP_FAST: order the pin check against GUP-fast's pin then recheck.
        smp_mb();

        if (folio_maybe_dma_pinned(folio))
            return -EBUSY;
        ClearPageAnonExclusive(page);

        // Pairs with the read barrier in gup_must_unshare().
        smp_mb__after_atomic();
        return 0;
    }

    [Upstream("include/linux/rmap.h", "folio_try_share_anon_rmap_pte", "d213272e7e70ee20")]
    internal int folio_try_share_anon_rmap_pte(folio* folio, page* page)
    {
        return __folio_try_share_anon_rmap(folio, page, 1, rmap_level.RMAP_LEVEL_PTE);
    }

    /// <summary>CONFIG_TRANSPARENT_HUGEPAGE=y: the PMD level.</summary>
    [Upstream("include/linux/rmap.h", "folio_try_share_anon_rmap_pmd", "0b8ed29db6ebda83")]
    internal int folio_try_share_anon_rmap_pmd(folio* folio, page* page)
    {
        return __folio_try_share_anon_rmap(folio, page, (int)HPAGE_PMD_NR,
                                           rmap_level.RMAP_LEVEL_PMD);
    }

    [Upstream("include/linux/rmap.h", "DEFINE_FOLIO_VMA_WALK", UpstreamAttribute.Macro)]
    internal page_vma_mapped_walk DEFINE_FOLIO_VMA_WALK(folio* _folio, vm_area_struct* _vma, ulong _address, uint _flags) =>
        new()
        {
            pfn = folio_pfn(_folio),
            nr_pages = (ulong)folio_nr_pages(_folio),
            pgoff = folio_pgoff(_folio),
            vma = _vma,
            address = _address,
            flags = _flags,
        };

    [Upstream("include/linux/rmap.h", "page_vma_mapped_walk_done", "60d0ac1a450b0be8")]
    internal void page_vma_mapped_walk_done(page_vma_mapped_walk* pvmw)
    {
        // A hugetlb walk points pte at the entry without mapping it.
        if (pvmw->pte != null && !is_vm_hugetlb_page(pvmw->vma))
            pte_unmap(pvmw->pte);
        if (pvmw->ptl != null)
            spin_unlock(pvmw->ptl);
    }

    [Upstream("include/linux/rmap.h", "page_vma_mapped_walk_restart", "9d58610085d377a6")]
    internal void page_vma_mapped_walk_restart(page_vma_mapped_walk* pvmw)
    {
        WARN_ON_ONCE(pvmw->pmd == null && pvmw->pte == null);

        if (pvmw->ptl != null)
            spin_unlock(pvmw->ptl);
        else
            WARN_ON_ONCE(true);

        pvmw->ptl = null;
        pvmw->pmd = null;
        pvmw->pte = null;
    }
}
