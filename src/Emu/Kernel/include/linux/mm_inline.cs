// SPDX-License-Identifier: GPL-2.0-only
// include/linux/mm_inline.h: LRU list membership and sizes.
//
// MGLRU: CONFIG_LRU_GEN=y, and Debian's config also sets CONFIG_LRU_GEN_ENABLED=y, but Emu runs
// with the LRU_GEN_CORE capability off, as after `echo n > /sys/kernel/mm/lru_gen/enabled`:
// lru_gen_enabled() is false, folios carry no generation, and the classic active/inactive lists
// are used. struct lruvec's lrugen is trimmed, so lru_gen_add_folio reads "lrugen->enabled" as
// lru_gen_enabled(); the generation paths past that test are not modelled and throw.
using System;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>The static key lru_gen_caps[LRU_GEN_CORE]: off in Emu (see the file comment).</summary>
    internal bool lru_gen_caps_core;

    [Upstream("include/linux/mm_inline.h", "folio_is_file_lru", "7db670f29780ee1a")]
    internal static int folio_is_file_lru(folio* folio)
    {
        return !folio_test_swapbacked(folio) ? 1 : 0;
    }

    [Upstream("include/linux/mm_inline.h", "__update_lru_size", "7f3e4137825f6a85")]
    internal void __update_lru_size(lruvec* lruvec, lru_list lru, zone_type zid, long nr_pages)
    {
        pglist_data* pgdat = lruvec_pgdat(lruvec);

        lockdep_assert_held(&lruvec->lru_lock);
        WARN_ON_ONCE(nr_pages != (int)nr_pages);

        __mod_lruvec_state(lruvec, (node_stat_item)((int)node_stat_item.NR_LRU_BASE + (int)lru), (int)nr_pages);
        __mod_zone_page_state(NODE_ZONE(pgdat, zid),
                (zone_stat_item)((int)zone_stat_item.NR_ZONE_LRU_BASE + (int)lru), nr_pages);
    }

    [Upstream("include/linux/mm_inline.h", "update_lru_size", "f8e35fe47ab23761")]
    internal void update_lru_size(lruvec* lruvec, lru_list lru, zone_type zid, long nr_pages)
    {
        __update_lru_size(lruvec, lru, zid, nr_pages);
        // CONFIG_MEMCG
        mem_cgroup_update_lru_size(lruvec, lru, zid, (int)nr_pages);
    }

    [Upstream("include/linux/mm_inline.h", "__folio_clear_lru_flags", "eeca64ed84641483")]
    internal void __folio_clear_lru_flags(folio* folio)
    {
        VM_BUG_ON_FOLIO(!folio_test_lru(folio), folio);

        __folio_clear_lru(folio);

        // Both set is a bug: leave them for bad_page() to report.
        if (folio_test_active(folio) && folio_test_unevictable(folio))
            return;

        __folio_clear_active(folio);
        __folio_clear_unevictable(folio);
    }

    [Upstream("include/linux/mm_inline.h", "folio_lru_list", "fcac5791dc404d76")]
    internal lru_list folio_lru_list(folio* folio)
    {
        lru_list lru;

        VM_BUG_ON_FOLIO(folio_test_active(folio) && folio_test_unevictable(folio), folio);

        if (folio_test_unevictable(folio))
            return lru_list.LRU_UNEVICTABLE;

        lru = folio_is_file_lru(folio) != 0 ? lru_list.LRU_INACTIVE_FILE : lru_list.LRU_INACTIVE_ANON;
        if (folio_test_active(folio))
            lru += LRU_ACTIVE;

        return lru;
    }

    /// <summary>CONFIG_LRU_GEN_ENABLED=y: static_branch_likely on the capability (off in Emu).</summary>
    [Upstream("include/linux/mm_inline.h", "lru_gen_enabled", "8d497c877bf4ac31")]
    internal bool lru_gen_enabled()
    {
        return lru_gen_caps_core;
    }

    /// <summary>current->in_lru_fault: Emu's faults never set it while MGLRU is off.</summary>
    [Upstream("include/linux/mm_inline.h", "lru_gen_in_fault", "6e5718b69837a79c")]
    internal static bool lru_gen_in_fault()
    {
        return false;
    }

    [Upstream("include/linux/mm_inline.h", "folio_lru_gen", "b64fad043fd265c3")]
    internal static int folio_lru_gen(folio* folio)
    {
        ulong flags = folio->flags; // READ_ONCE

        return (int)((flags & LRU_GEN_MASK) >> (int)LRU_GEN_PGOFF) - 1;
    }

    [Upstream("include/linux/mm_inline.h", "lru_gen_add_folio", "7cad1d98276ff1e4")]
    internal bool lru_gen_add_folio(lruvec* lruvec, folio* folio, bool reclaiming)
    {
        int gen = folio_lru_gen(folio);

        VM_WARN_ON_ONCE_FOLIO(gen != -1, folio);

        // lrugen->enabled (trimmed) follows the LRU_GEN_CORE capability.
        if (folio_test_unevictable(folio) || !lru_gen_enabled())
            return false;

        throw new NotSupportedException("Emu runs without MGLRU: lru_gen_add_folio with lru_gen enabled");
    }

    [Upstream("include/linux/mm_inline.h", "lru_gen_del_folio", "f47ec5f0d6120df4")]
    internal bool lru_gen_del_folio(lruvec* lruvec, folio* folio, bool reclaiming)
    {
        int gen = folio_lru_gen(folio);

        if (gen < 0)
            return false;

        throw new NotSupportedException("Emu runs without MGLRU: lru_gen_del_folio of a folio with a generation");
    }

    [Upstream("include/linux/mm_inline.h", "lruvec_add_folio", "b0323cc94fa80963")]
    internal void lruvec_add_folio(lruvec* lruvec, folio* folio)
    {
        lru_list lru = folio_lru_list(folio);

        if (lru_gen_add_folio(lruvec, folio, false))
            return;

        update_lru_size(lruvec, lru, folio_zonenum(folio),
                folio_nr_pages(folio));
        if (lru != lru_list.LRU_UNEVICTABLE)
            list_add(&folio->lru, &lruvec->lists[(int)lru]);
    }

    [Upstream("include/linux/mm_inline.h", "lruvec_add_folio_tail", "6d6b6b00ae231e29")]
    internal void lruvec_add_folio_tail(lruvec* lruvec, folio* folio)
    {
        lru_list lru = folio_lru_list(folio);

        if (lru_gen_add_folio(lruvec, folio, true))
            return;

        update_lru_size(lruvec, lru, folio_zonenum(folio),
                folio_nr_pages(folio));
        // Never used for LRU_UNEVICTABLE.
        list_add_tail(&folio->lru, &lruvec->lists[(int)lru]);
    }

    [Upstream("include/linux/mm_inline.h", "lruvec_del_folio", "ce5f205be45de95f")]
    internal void lruvec_del_folio(lruvec* lruvec, folio* folio)
    {
        lru_list lru = folio_lru_list(folio);

        if (lru_gen_del_folio(lruvec, folio, false))
            return;

        if (lru != lru_list.LRU_UNEVICTABLE)
            list_del(&folio->lru);
        update_lru_size(lruvec, lru, folio_zonenum(folio),
                -folio_nr_pages(folio));
    }

    [Upstream("include/linux/mm_inline.h", "vma_has_recency", "a3a11b85e1fa2052")]
    internal static bool vma_has_recency(vm_area_struct* vma)
    {
        if ((vma->vm_flags & (VM_SEQ_READ | VM_RAND_READ)) != 0)
            return false;

        // vma->vm_file->f_mode & FMODE_NOREUSE: Emu has no files.
        if (vma->vm_file != null)
            throw new NotSupportedException("Emu has no files: vma_has_recency on a file vma");

        return true;
    }
}
