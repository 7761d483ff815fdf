// SPDX-License-Identifier: GPL-2.0-only
// mm/ksm.c's paths for subsystems Emu stubs (memory failure, migration, memory hot-remove),
// in one place. folio_migrate_ksm and the hot-remove tree pruning are transliterated (they
// only touch KSM's own trees) but nothing in Emu calls them yet; collect_procs_ksm and the
// memory notifier are stubs that throw, since Emu has no hwpoison and no memory offlining.
using System;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>Stub: CONFIG_MEMORY_FAILURE is a stubbed subsystem (no hwpoison in Emu).</summary>
    internal void collect_procs_ksm(folio* folio, page* page, list_head* to_kill, int force_early)
        => throw new NotSupportedException("memory failure: collect_procs_ksm (mm/ksm.c) is not modelled in Emu");

    [Upstream("mm/ksm.c", "folio_migrate_ksm", "5aa2d699ea3cbe85")]
    internal void folio_migrate_ksm(folio* newfolio, folio* folio)
    {
        ksm_stable_node* stable_node;

        VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
        VM_BUG_ON_FOLIO(!folio_test_locked(newfolio), newfolio);
        VM_BUG_ON_FOLIO(newfolio->mapping != folio->mapping, newfolio);

        stable_node = folio_stable_node(folio);
        if (stable_node != null)
        {
            VM_BUG_ON_FOLIO(stable_node->kpfn != folio_pfn(folio), folio);
            stable_node->kpfn = folio_pfn(newfolio);
            // ksm_get_folio rereads kpfn after seeing a stale mapping: publish kpfn first.
            smp_wmb();
            folio_set_stable_node(folio, null);
        }
    }

    [Upstream("mm/ksm.c", "stable_node_dup_remove_range", "6c18cd65c30e02b9")]
    private bool stable_node_dup_remove_range(ksm_stable_node* stable_node, ulong start_pfn, ulong end_pfn)
    {
        if (stable_node->kpfn >= start_pfn && stable_node->kpfn < end_pfn)
        {
            // The pages are gone with the memory: drop the node without touching them.
            remove_node_from_stable_tree(stable_node);
            return true;
        }
        return false;
    }

    [Upstream("mm/ksm.c", "stable_node_chain_remove_range", "1d6f26c6f8027b0e")]
    private bool stable_node_chain_remove_range(ksm_stable_node* stable_node, ulong start_pfn, ulong end_pfn, rb_root* root)
    {
        if (!is_stable_node_chain(stable_node))
        {
            VM_BUG_ON(is_stable_node_dup(stable_node));
            return stable_node_dup_remove_range(stable_node, start_pfn, end_pfn);
        }

        foreach (ksm_stable_node* dup in hlist_for_each_entry_safe<ksm_stable_node>(&stable_node->hlist, offsetof.ksm_stable_node.hlist_dup))
        {
            VM_BUG_ON(!is_stable_node_dup(dup));
            stable_node_dup_remove_range(dup, start_pfn, end_pfn);
        }
        if (hlist_empty(&stable_node->hlist))
        {
            free_stable_node_chain(stable_node, root);
            return true; // the tree was rebalanced
        }
        else
            return false;
    }

    [Upstream("mm/ksm.c", "ksm_check_stable_tree", "07530e8d53d00b2c")]
    private void ksm_check_stable_tree(ulong start_pfn, ulong end_pfn)
    {
        rb_node* node;
        int nid;

        for (nid = 0; nid < ksm_nr_node_ids; nid++)
        {
            node = rb_first(root_stable_tree + nid);
            while (node != null)
            {
                ksm_stable_node* stable_node = rb_entry<ksm_stable_node>(node, offsetof.ksm_stable_node.node);
                if (stable_node_chain_remove_range(stable_node, start_pfn, end_pfn, root_stable_tree + nid))
                    node = rb_first(root_stable_tree + nid);
                else
                    node = rb_next(node);
                cond_resched();
            }
        }
        foreach (ksm_stable_node* stable_node in list_for_each_entry_safe<ksm_stable_node>(migrate_nodes, offsetof.ksm_stable_node.list))
        {
            if (stable_node->kpfn >= start_pfn && stable_node->kpfn < end_pfn)
                remove_node_from_stable_tree(stable_node);
            cond_resched();
        }
    }

    /// <summary>Stub: CONFIG_MEMORY_HOTREMOVE's notifier; Emu never offlines memory.</summary>
    internal int ksm_memory_callback(ulong action, void* arg)
        => throw new NotSupportedException("memory hot-remove: ksm_memory_callback (mm/ksm.c) is not modelled in Emu");
}
