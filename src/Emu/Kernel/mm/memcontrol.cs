using System;

namespace Emu.Kernel;

// Stub: memory cgroups (include/linux/memcontrol.h, mm/memcontrol.c with CONFIG_MEMCG=y), run as
// if booted with cgroup_disable=memory: mem_cgroup_disabled() is true, no folio is charged
// (memcg_data == 0, folio_memcg() is NULL) and every lruvec is the node's __lruvec. The bodies
// are upstream's on that path; a path that would need a live memcg throws.
public unsafe partial class Kernel
{
    [Upstream("include/linux/memcontrol.h", "mem_cgroup_disabled", "65c57f0739f897c9")]
    internal static bool mem_cgroup_disabled()
    {
        return true; // !cgroup_subsys_enabled(memory_cgrp_subsys)
    }

    [Upstream("include/linux/memcontrol.h", "folio_memcg", "6a54f611bf046ff0")]
    internal static void* folio_memcg(folio* folio)
    {
        if (folio->memcg_data != 0)
            throw new NotSupportedException("Emu has no memory cgroups: folio_memcg of a charged folio");
        return null;
    }

    [Upstream("include/linux/memcontrol.h", "mem_cgroup_uncharge", "01b959787e79f6d3")]
    internal static void mem_cgroup_uncharge(folio* folio)
    {
        if (mem_cgroup_disabled())
            return;
        throw new NotSupportedException("Emu has no memory cgroups: __mem_cgroup_uncharge");
    }

    [Upstream("include/linux/memcontrol.h", "mem_cgroup_uncharge_folios", "a308ea26ef4ff038")]
    internal static void mem_cgroup_uncharge_folios(folio_batch* folios)
    {
        if (mem_cgroup_disabled())
            return;
        throw new NotSupportedException("Emu has no memory cgroups: __mem_cgroup_uncharge_folios");
    }

    [Upstream("include/linux/memcontrol.h", "mem_cgroup_lruvec", "44034ace991747a9")]
    internal static lruvec* mem_cgroup_lruvec(void* memcg, pglist_data* pgdat)
    {
        lruvec* lruvec;

        if (mem_cgroup_disabled())
        {
            lruvec = &pgdat->__lruvec;
            goto @out;
        }

        throw new NotSupportedException("Emu has no memory cgroups: mem_cgroup_lruvec of a memcg");
    @out:
        // An lruvec created before its node's pgdat was known gets it now.
        if (lruvec->pgdat != pgdat)
            lruvec->pgdat = pgdat;
        return lruvec;
    }

    [Upstream("include/linux/memcontrol.h", "folio_lruvec", "3f6f2eed4062ebb0", Definition = 1)]
    internal lruvec* folio_lruvec(folio* folio)
    {
        void* memcg = folio_memcg(folio);

        VM_WARN_ON_ONCE_FOLIO(memcg == null && !mem_cgroup_disabled(), folio);
        return mem_cgroup_lruvec(memcg, folio_pgdat(folio));
    }

    [Upstream("include/linux/memcontrol.h", "lruvec_memcg", "bbb0c230672de14a")]
    internal static void* lruvec_memcg(lruvec* lruvec)
    {
        if (mem_cgroup_disabled())
            return null;
        throw new NotSupportedException("Emu has no memory cgroups: lruvec_memcg");
    }

    [Upstream("mm/memcontrol.c", "mem_cgroup_update_lru_size", "a5cfe3cf7f6a47a7")]
    internal static void mem_cgroup_update_lru_size(lruvec* lruvec, lru_list lru, zone_type zid, int nr_pages)
    {
        // mm/memcontrol.c returns at once when memcg is disabled.
        if (mem_cgroup_disabled())
            return;
        throw new NotSupportedException("Emu has no memory cgroups: mem_cgroup_update_lru_size");
    }

    [Upstream("mm/memcontrol.c", "folio_lruvec_lock_irqsave", "28d055d606355ceb")]
    internal lruvec* folio_lruvec_lock_irqsave(folio* folio, ulong* flags)
    {
        lruvec* lruvec = folio_lruvec(folio);

        spin_lock_irqsave(&lruvec->lru_lock, out *flags);
        // lruvec_memcg_debug: nothing to check with memcg disabled.
        return lruvec;
    }

    [Upstream("mm/memcontrol.c", "folio_lruvec_lock_irq", "9c13cac6e1295fa7")]
    internal lruvec* folio_lruvec_lock_irq(folio* folio)
    {
        lruvec* lruvec = folio_lruvec(folio);

        spin_lock_irq(&lruvec->lru_lock);
        return lruvec;
    }

    [Upstream("include/linux/memcontrol.h", "unlock_page_lruvec_irq", "2a95e0e531d27329")]
    internal void unlock_page_lruvec_irq(lruvec* lruvec)
    {
        spin_unlock_irq(&lruvec->lru_lock);
    }

    [Upstream("include/linux/memcontrol.h", "unlock_page_lruvec_irqrestore", "c13721b20373c78a")]
    internal void unlock_page_lruvec_irqrestore(lruvec* lruvec, ulong flags)
    {
        spin_unlock_irqrestore(&lruvec->lru_lock, flags);
    }

    [Upstream("include/linux/memcontrol.h", "folio_matches_lruvec", "37048888618b0d26")]
    internal bool folio_matches_lruvec(folio* folio, lruvec* lruvec)
    {
        return lruvec_pgdat(lruvec) == folio_pgdat(folio) &&
               lruvec_memcg(lruvec) == folio_memcg(folio);
    }

    [Upstream("include/linux/memcontrol.h", "folio_lruvec_relock_irqsave", "f4c30b738cc80f6d")]
    internal void folio_lruvec_relock_irqsave(folio* folio, lruvec** lruvecp, ulong* flags)
    {
        if (*lruvecp != null)
        {
            if (folio_matches_lruvec(folio, *lruvecp))
                return;

            unlock_page_lruvec_irqrestore(*lruvecp, *flags);
        }

        *lruvecp = folio_lruvec_lock_irqsave(folio, flags);
    }

    [Upstream("mm/memcontrol.c", "__mod_lruvec_state", "37a10f71b11b59a6")]
    internal void __mod_lruvec_state(lruvec* lruvec, node_stat_item idx, int val)
    {
        __mod_node_page_state(lruvec_pgdat(lruvec), idx, val);

        if (!mem_cgroup_disabled())
            throw new NotSupportedException("Emu has no memory cgroups: __mod_memcg_lruvec_state");
    }

    [Upstream("mm/memcontrol.c", "__lruvec_stat_mod_folio", "86d238f25b197da6")]
    internal void __lruvec_stat_mod_folio(folio* folio, node_stat_item idx, int val)
    {
        void* memcg;
        pglist_data* pgdat = folio_pgdat(folio);
        lruvec* lruvec;

        rcu_read_lock();
        memcg = folio_memcg(folio);
        // An uncharged folio counts for its node only.
        if (memcg == null)
        {
            rcu_read_unlock();
            __mod_node_page_state(pgdat, idx, val);
            return;
        }

        lruvec = mem_cgroup_lruvec(memcg, pgdat);
        __mod_lruvec_state(lruvec, idx, val);
        rcu_read_unlock();
    }

    [Upstream("include/linux/memcontrol.h", "mm_match_cgroup", "8dc1e3e874003814", Definition = 1)]
    internal static bool mm_match_cgroup(mm_struct* mm, void* memcg) =>
        throw new NotSupportedException("Emu has no memory cgroups: mm_match_cgroup");
}

public unsafe partial class Kernel
{
    [Upstream("include/linux/memcontrol.h", "parent_lruvec", "c63767ae746d3d8f")]
    internal static lruvec* parent_lruvec(lruvec* lruvec)
    {
        void* memcg;

        memcg = lruvec_memcg(lruvec);
        if (memcg == null)
            return null;
        throw new NotSupportedException("Emu has no memory cgroups: parent_mem_cgroup");
    }
}
