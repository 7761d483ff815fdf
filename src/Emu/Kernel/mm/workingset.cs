// SPDX-License-Identifier: GPL-2.0-only
// mm/workingset.c: the non-resident aging that activation drives. Refault detection (shadow
// entries) needs swap or a page cache, which Emu does not have.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/workingset.c", "workingset_age_nonresident", "22254bcc690cf597")]
    internal void workingset_age_nonresident(lruvec* lruvec, ulong nr_pages)
    {
        // Aging a cgroup's lruvec ages every ancestor's too.
        do
        {
            atomic_long_add((long)nr_pages, &lruvec->nonresident_age);
        } while ((lruvec = parent_lruvec(lruvec)) != null);
    }

    [Upstream("mm/workingset.c", "workingset_activation", "dc1778228b9ce0cc")]
    internal void workingset_activation(folio* folio)
    {
        void* memcg;

        rcu_read_lock();
        // Folios outside any memcg (VDSO pages) do not age the lists.
        memcg = folio_memcg(folio); // folio_memcg_rcu
        if (!mem_cgroup_disabled() && memcg == null)
            goto @out;
        workingset_age_nonresident(folio_lruvec(folio), (ulong)folio_nr_pages(folio));
    @out:
        rcu_read_unlock();
    }
}
