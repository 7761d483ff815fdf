// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/ksm.c, second part (upstream order): calc_checksum,
// write_protect_page, replace_page, the try_to_merge_* family, the stable tree with its
// chains and dups (stable_node_dup, __stable_node_chain, stable_tree_search/insert), the
// unstable tree, stable_tree_append and cmp_and_merge_page.
// ERR_PTR(-EBUSY) from ksm_get_folio/stable_tree_search is kept as a pointer value.
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/ksm.c", "calc_checksum", "ca4ce743d26fa14a")]
    internal uint calc_checksum(page* page)
    {
        uint checksum;
        count_checksum(page); // Emu: review counters
        void* addr = kmap_local_page(page);
        checksum = (uint)xxhash(addr, (nuint)PAGE_SIZE, 0);
        kunmap_local(addr);
        return checksum;
    }

    [Upstream("mm/ksm.c", "write_protect_page", "542951517cbdf3d7")]
    internal int write_protect_page(vm_area_struct* vma, folio* folio, pte_t* orig_pte)
    {
        mm_struct* mm = vma->vm_mm;
        page_vma_mapped_walk pvmw = DEFINE_FOLIO_VMA_WALK(folio, vma, 0, 0);
        bool swapped;
        int err = -EFAULT;
        mmu_notifier_range range;
        bool anon_exclusive;
        pte_t entry;

        if (WARN_ON_ONCE(folio_test_large(folio)))
            return err;

        pvmw.address = page_address_in_vma(&folio->page, vma);
        if (pvmw.address == unchecked((ulong)-EFAULT))
            goto @out;

        mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, pvmw.address, pvmw.address + PAGE_SIZE);
        mmu_notifier_invalidate_range_start(&range);

        if (!page_vma_mapped_walk(&pvmw))
            goto out_mn;
        if (WARN_ONCE(pvmw.pte == null, "Unexpected PMD mapping?"))
            goto out_unlock;

        anon_exclusive = PageAnonExclusive(&folio->page);
        entry = ptep_get(pvmw.pte);
        if (pte_write(entry) || pte_dirty(entry) ||
            anon_exclusive || mm_tlb_flush_pending(mm))
        {
            swapped = folio_test_swapcache(folio);
            flush_cache_page(vma, pvmw.address, folio_pfn(folio));
            // Clear and flush first so no CPU can still write through a stale TLB entry
            // while the reference count is checked (O_DIRECT-style pins race here).
            entry = ptep_clear_flush(vma, pvmw.address, pvmw.pte);
            // Any extra reference (a GUP pin) means someone may write: do not merge.
            if (folio_mapcount(folio) + 1 + (swapped ? 1 : 0) != folio_ref_count(folio))
            {
                set_pte_at(mm, pvmw.address, pvmw.pte, entry);
                goto out_unlock;
            }

            // An exclusive anon page becomes shared; a pinned one refuses.
            if (anon_exclusive && folio_try_share_anon_rmap_pte(folio, &folio->page) != 0)
            {
                set_pte_at(mm, pvmw.address, pvmw.pte, entry);
                goto out_unlock;
            }

            if (pte_dirty(entry))
                folio_mark_dirty(folio);
            entry = pte_mkclean(entry);

            if (pte_write(entry))
                entry = pte_wrprotect(entry);

            set_pte_at(mm, pvmw.address, pvmw.pte, entry);
        }
        *orig_pte = entry;
        err = 0;

    out_unlock:
        page_vma_mapped_walk_done(&pvmw);
    out_mn:
        mmu_notifier_invalidate_range_end(&range);
    @out:
        return err;
    }

    [Upstream("mm/ksm.c", "replace_page", "b52f0577e356f4df")]
    internal int replace_page(vm_area_struct* vma, page* page, page* kpage, pte_t orig_pte)
    {
        folio* kfolio = page_folio(kpage);
        mm_struct* mm = vma->vm_mm;
        folio* folio;
        pmd_t* pmd;
        pmd_t pmde;
        pte_t* ptep;
        pte_t newpte;
        spinlock* ptl;
        ulong addr;
        int err = -EFAULT;
        mmu_notifier_range range;

        addr = page_address_in_vma(page, vma);
        if (addr == unchecked((ulong)-EFAULT))
            goto @out;

        pmd = mm_find_pmd(mm, addr);
        if (pmd == null)
            goto @out;
        // A THP may have been collapsed here meanwhile: only a present page table will do.
        pmde = pmdp_get_lockless(pmd);
        if (!pmd_present(pmde) || pmd_trans_huge(pmde))
            goto @out;

        mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, addr, addr + PAGE_SIZE);
        mmu_notifier_invalidate_range_start(&range);

        ptep = pte_offset_map_lock(mm, pmd, addr, &ptl);
        if (ptep == null)
            goto out_mn;
        if (!pte_same(ptep_get(ptep), orig_pte))
        {
            pte_unmap_unlock(ptep, ptl);
            goto out_mn;
        }
        VM_BUG_ON_PAGE(PageAnonExclusive(page), page);
        VM_BUG_ON_FOLIO(folio_test_anon(kfolio) && PageAnonExclusive(kpage), kfolio);

        // The zero page is not refcounted nor rmapped: it gets a special dirty PTE instead.
        if (!is_zero_pfn(page_to_pfn(kpage)))
        {
            folio_get(kfolio);
            folio_add_anon_rmap_pte(kfolio, kpage, vma, addr, RMAP_NONE);
            newpte = mk_pte(kpage, vma->vm_page_prot);
        }
        else
        {
            // The dirty bit marks a zero page mapped by KSM (is_ksm_zero_pte).
            newpte = pte_mkdirty(pte_mkspecial(pfn_pte(page_to_pfn(kpage), vma->vm_page_prot)));
            ksm_map_zero_page(mm);
            // The old anon page leaves the rss; the zero page does not count.
            dec_mm_counter(mm, MM_ANONPAGES);
        }

        flush_cache_page(vma, addr, pte_pfn(ptep_get(ptep)));
        // Clear and flush before installing the new entry, as the PTE changes pfn.
        ptep_clear_flush(vma, addr, ptep);
        set_pte_at(mm, addr, ptep, newpte);

        folio = page_folio(page);
        folio_remove_rmap_pte(folio, page, vma);
        if (!folio_mapped(folio))
            folio_free_swap(folio);
        folio_put(folio);

        pte_unmap_unlock(ptep, ptl);
        err = 0;
        ksm_counters.Merges++; // Emu: review counters
    out_mn:
        mmu_notifier_invalidate_range_end(&range);
    @out:
        return err;
    }

    [Upstream("mm/ksm.c", "try_to_merge_one_page", "2866e2d27083977a")]
    private int try_to_merge_one_page(vm_area_struct* vma, page* page, page* kpage)
    {
        pte_t orig_pte = __pte(0);
        int err = -EFAULT;

        if (page == kpage)
            return 0;

        if (!PageAnon(page))
            goto @out;

        // The page lock keeps reclaim and migration away while the PTE changes.
        if (!trylock_page(page))
            goto @out;

        if (PageTransCompound(page))
        {
            if (split_huge_page(page) != 0)
                goto out_unlock;
        }

        // Once write-protected, the content can only change through a fault that this
        // merge will serialize against the page lock.
        if (write_protect_page(vma, page_folio(page), &orig_pte) == 0)
        {
            if (kpage == null)
            {
                // First of a pair: the page itself becomes the KSM page.
                folio_set_stable_node(page_folio(page), null);
                mark_page_accessed(page);
                // Keep it dirty so reclaim writes it to swap before dropping it.
                if (!PageDirty(page))
                    SetPageDirty(page);
                err = 0;
            }
            else if (pages_identical(page, kpage))
                err = replace_page(vma, page, kpage, orig_pte);
        }

    out_unlock:
        unlock_page(page);
    @out:
        return err;
    }

    [Upstream("mm/ksm.c", "try_to_merge_with_zero_page", "d0ad921d24f85687")]
    internal virtual int try_to_merge_with_zero_page(ksm_rmap_item* rmap_item, page* page)
    {
        mm_struct* mm = rmap_item->mm;
        int err = -EFAULT;

        // Only with use_zero_pages, and only for a page whose checksum matched zero's.
        if (ksm_use_zero_pages && (rmap_item->oldchecksum == zero_checksum))
        {
            vm_area_struct* vma;

            mmap_read_lock(mm);
            vma = find_mergeable_vma(mm, rmap_item->address);
            if (vma != null)
            {
                err = try_to_merge_one_page(vma, page, ZERO_PAGE(rmap_item->address));
            }
            else
            {
                // The vma went away: nothing left to merge, and not worth a tree search.
                err = 0;
            }
            mmap_read_unlock(mm);
        }

        return err;
    }

    [Upstream("mm/ksm.c", "try_to_merge_with_ksm_page", "7afc7c047a0e4132")]
    internal virtual int try_to_merge_with_ksm_page(ksm_rmap_item* rmap_item, page* page, page* kpage)
    {
        mm_struct* mm = rmap_item->mm;
        vm_area_struct* vma;
        int err = -EFAULT;

        mmap_read_lock(mm);
        vma = find_mergeable_vma(mm, rmap_item->address);
        if (vma == null)
            goto @out;

        err = try_to_merge_one_page(vma, page, kpage);
        if (err != 0)
            goto @out;

        // Leaving the unstable tree; the stable tree will need the anon_vma for rmap.
        remove_rmap_item_from_tree(rmap_item);

        rmap_item->anon_vma = vma->anon_vma;
        get_anon_vma(vma->anon_vma);
    @out:
        mmap_read_unlock(mm);
        return err;
    }

    [Upstream("mm/ksm.c", "try_to_merge_two_pages", "f72dc588a5b220ae")]
    private page* try_to_merge_two_pages(ksm_rmap_item* rmap_item, page* page,
        ksm_rmap_item* tree_rmap_item, page* tree_page)
    {
        int err;

        err = try_to_merge_with_ksm_page(rmap_item, page, null);
        if (err == 0)
        {
            err = try_to_merge_with_ksm_page(tree_rmap_item, tree_page, page);
            // A KSM page with a single mapper is pointless: give it back.
            if (err != 0)
                break_cow(rmap_item);
        }
        return err != 0 ? null : page;
    }

    [Upstream("mm/ksm.c", "__is_page_sharing_candidate", "077c1b4dc09e79bf")]
    private bool __is_page_sharing_candidate(ksm_stable_node* stable_node, int offset)
    {
        VM_BUG_ON(stable_node->rmap_hlist_len < 0);
        // rmap_hlist_len 0 means a dup being migrated; it cannot take more sharers yet.
        return stable_node->rmap_hlist_len != 0 &&
            stable_node->rmap_hlist_len + offset < ksm_max_page_sharing;
    }

    [Upstream("mm/ksm.c", "is_page_sharing_candidate", "0174c881069e392d")]
    private bool is_page_sharing_candidate(ksm_stable_node* stable_node)
    {
        return __is_page_sharing_candidate(stable_node, 0);
    }

    [Upstream("mm/ksm.c", "stable_node_dup", "451a5caaf119a634")]
    private folio* stable_node_dup(ksm_stable_node** _stable_node_dup, ksm_stable_node** _stable_node,
        rb_root* root, bool prune_stale_stable_nodes)
    {
        ksm_stable_node* found = null, stable_node = *_stable_node;
        folio* folio, tree_folio = null;
        int found_rmap_hlist_len = 0;

        if (!prune_stale_stable_nodes ||
            time_before(jiffies, stable_node->chain_prune_time +
                msecs_to_jiffies(ksm_stable_node_chains_prune_millisecs)))
            prune_stale_stable_nodes = false;
        else
            stable_node->chain_prune_time = jiffies;

        foreach (ksm_stable_node* dup in hlist_for_each_entry_safe<ksm_stable_node>(&stable_node->hlist, offsetof.ksm_stable_node.hlist_dup))
        {
            cond_resched();
            // ksm_get_folio prunes a stale dup as a side effect.
            folio = ksm_get_folio(dup, ksm_get_folio_flags.KSM_GET_FOLIO_NOLOCK);
            if (folio == null)
                continue;
            // Prefer the fullest dup that can still take a sharer.
            if (found == null || (is_page_sharing_candidate(dup) &&
                (!is_page_sharing_candidate(found) ||
                 dup->rmap_hlist_len > found_rmap_hlist_len)))
            {
                if (found != null)
                    folio_put(tree_folio);
                found = dup;
                found_rmap_hlist_len = found->rmap_hlist_len;
                tree_folio = folio;
                // Without pruning, the first candidate is good enough.
                if (!prune_stale_stable_nodes && is_page_sharing_candidate(found))
                    break;
                continue;
            }
            folio_put(folio);
        }

        if (found != null)
        {
            if (hlist_is_singular_node(&found->hlist_dup, &stable_node->hlist))
            {
                // One dup left: collapse the chain back into a plain stable node.
                BUG_ON(stable_node->hlist.first->next != null);

                rb_replace_node(&stable_node->node, &found->node, root);
                free_stable_node(stable_node);
                ksm_stable_node_chains--;
                ksm_stable_node_dups--;
                // The caller sees the dup in place of the chain.
                *_stable_node = found;
                stable_node = null;
            }
            else if (stable_node->hlist.first != &found->hlist_dup &&
                     __is_page_sharing_candidate(found, 1))
            {
                // Move a dup with room to the head so the next search finds it first.
                hlist_del(&found->hlist_dup);
                hlist_add_head(&found->hlist_dup, &stable_node->hlist);
            }
        }
        else
        {
            free_stable_node_chain(stable_node, root);
        }

        *_stable_node_dup = found;
        return tree_folio;
    }

    [Upstream("mm/ksm.c", "__stable_node_chain", "3c60358ca11520d2")]
    private folio* __stable_node_chain(ksm_stable_node** _stable_node_dup, ksm_stable_node** _stable_node,
        rb_root* root, bool prune_stale_stable_nodes)
    {
        ksm_stable_node* stable_node = *_stable_node;

        if (!is_stable_node_chain(stable_node))
        {
            *_stable_node_dup = stable_node;
            return ksm_get_folio(stable_node, ksm_get_folio_flags.KSM_GET_FOLIO_NOLOCK);
        }
        return stable_node_dup(_stable_node_dup, _stable_node, root, prune_stale_stable_nodes);
    }

    [Upstream("mm/ksm.c", "chain_prune", "840ce646db89f16f")]
    private folio* chain_prune(ksm_stable_node** s_n_d, ksm_stable_node** s_n, rb_root* root)
    {
        return __stable_node_chain(s_n_d, s_n, root, true);
    }

    [Upstream("mm/ksm.c", "chain", "f74b2a4862f33925")]
    private folio* chain(ksm_stable_node** s_n_d, ksm_stable_node** s_n, rb_root* root)
    {
        return __stable_node_chain(s_n_d, s_n, root, false);
    }

    [Upstream("mm/ksm.c", "stable_tree_search", "45a04ece7c89e5a5")]
    private page* stable_tree_search(page* page)
    {
        int nid;
        rb_root* root;
        rb_node** @new;
        rb_node* parent;
        ksm_stable_node* stable_node, stable_node_dup;
        ksm_stable_node* page_node;
        folio* folio;

        folio = page_folio(page);
        page_node = folio_stable_node(folio);
        if (page_node != null && page_node->head != migrate_nodes)
        {
            // Already a KSM page in the tree: it is its own answer.
            folio_get(folio);
            return &folio->page;
        }

        nid = get_kpfn_nid(folio_pfn(folio));
        root = root_stable_tree + nid;
    again:
        @new = &root->rb_node;
        parent = null;

        while (*@new != null)
        {
            folio* tree_folio;
            int ret;

            cond_resched();
            stable_node = rb_entry<ksm_stable_node>(*@new, offsetof.ksm_stable_node.node);
            tree_folio = chain_prune(&stable_node_dup, &stable_node, root);
            if (tree_folio == null)
            {
                // The node was stale and removed: the tree changed under us, restart.
                goto again;
            }

            ret = memcmp_pages(page, &tree_folio->page);
            folio_put(tree_folio);

            parent = *@new;
            if (ret < 0)
                @new = &parent->rb_left;
            else if (ret > 0)
                @new = &parent->rb_right;
            else
            {
                if (page_node != null)
                {
                    VM_BUG_ON(page_node->head != migrate_nodes);
                    // A migrated KSM page still mapped more than once joins the chain as a dup.
                    if (folio_mapcount(folio) > 1)
                        goto chain_append;
                }

                if (!is_page_sharing_candidate(stable_node_dup))
                {
                    // Every dup is full: the caller will start a new one via the unstable tree.
                    return null;
                }

                // Trylock: blocking on the page lock here could deadlock with the caller's.
                tree_folio = ksm_get_folio(stable_node_dup, ksm_get_folio_flags.KSM_GET_FOLIO_TRYLOCK);

                if (PTR_ERR(tree_folio) == -EBUSY)
                    return (page*)ERR_PTR(-EBUSY);

                if (tree_folio == null)
                    // The dup went stale between chain_prune and here.
                    goto again;
                folio_unlock(tree_folio);

                if (get_kpfn_nid(stable_node_dup->kpfn) != NUMA(stable_node_dup->nid))
                {
                    folio_put(tree_folio);
                    goto replace;
                }
                return &tree_folio->page;
            }
        }

        if (page_node == null)
            return null;

        list_del(&page_node->list);
        page_node->nid = nid;
        rb_link_node(&page_node->node, parent, @new);
        rb_insert_color(&page_node->node, root);
    @out:
        if (is_page_sharing_candidate(page_node))
        {
            folio_get(folio);
            return &folio->page;
        }
        else
            return null;

    replace:
        // The tree node's page sits on the wrong node: swap it out for page_node (or drop it).
        if (stable_node_dup == stable_node)
        {
            VM_BUG_ON(is_stable_node_chain(stable_node_dup));
            VM_BUG_ON(is_stable_node_dup(stable_node_dup));
            if (page_node != null)
            {
                VM_BUG_ON(page_node->head != migrate_nodes);
                list_del(&page_node->list);
                page_node->nid = nid;
                rb_replace_node(&stable_node_dup->node, &page_node->node, root);
                if (is_page_sharing_candidate(page_node))
                    folio_get(folio);
                else
                    folio = null;
            }
            else
            {
                rb_erase(&stable_node_dup->node, root);
                folio = null;
            }
        }
        else
        {
            VM_BUG_ON(!is_stable_node_chain(stable_node));
            __stable_node_dup_del(stable_node_dup);
            if (page_node != null)
            {
                VM_BUG_ON(page_node->head != migrate_nodes);
                list_del(&page_node->list);
                page_node->nid = nid;
                stable_node_chain_add_dup(page_node, stable_node);
                if (is_page_sharing_candidate(page_node))
                    folio_get(folio);
                else
                    folio = null;
            }
            else
            {
                folio = null;
            }
        }
        stable_node_dup->head = migrate_nodes;
        list_add(&stable_node_dup->list, stable_node_dup->head);
        return &folio->page;

    chain_append:
        // A plain stable node becomes a chain first, then page_node joins it as a dup.
        if (stable_node_dup == stable_node)
        {
            VM_BUG_ON(is_stable_node_dup(stable_node_dup));
            stable_node = alloc_stable_node_chain(stable_node_dup, root);
            if (stable_node == null)
                return null;
        }
        VM_BUG_ON(!is_stable_node_dup(stable_node_dup));
        VM_BUG_ON(page_node->head != migrate_nodes);
        list_del(&page_node->list);
        page_node->nid = nid;
        stable_node_chain_add_dup(page_node, stable_node);
        goto @out;
    }

    [Upstream("mm/ksm.c", "stable_tree_insert", "19bea14bd3f49da2")]
    internal ksm_stable_node* stable_tree_insert(folio* kfolio)
    {
        int nid;
        ulong kpfn;
        rb_root* root;
        rb_node** @new;
        rb_node* parent;
        ksm_stable_node* stable_node = null, stable_node_dup;
        bool need_chain = false;

        kpfn = folio_pfn(kfolio);
        nid = get_kpfn_nid(kpfn);
        root = root_stable_tree + nid;
    again:
        parent = null;
        @new = &root->rb_node;

        while (*@new != null)
        {
            folio* tree_folio;
            int ret;

            cond_resched();
            stable_node = rb_entry<ksm_stable_node>(*@new, offsetof.ksm_stable_node.node);
            tree_folio = chain(&stable_node_dup, &stable_node, root);
            if (tree_folio == null)
            {
                // A stale node was removed: restart the descent.
                goto again;
            }

            ret = memcmp_pages(&kfolio->page, &tree_folio->page);
            folio_put(tree_folio);

            parent = *@new;
            if (ret < 0)
                @new = &parent->rb_left;
            else if (ret > 0)
                @new = &parent->rb_right;
            else
            {
                need_chain = true;
                break;
            }
        }

        stable_node_dup = alloc_stable_node();
        if (stable_node_dup == null)
            return null;

        INIT_HLIST_HEAD(&stable_node_dup->hlist);
        stable_node_dup->kpfn = kpfn;
        stable_node_dup->rmap_hlist_len = 0;
        stable_node_dup->nid = nid;
        if (!need_chain)
        {
            rb_link_node(&stable_node_dup->node, parent, @new);
            rb_insert_color(&stable_node_dup->node, root);
        }
        else
        {
            if (!is_stable_node_chain(stable_node))
            {
                ksm_stable_node* orig = stable_node;
                // Turn the existing node into a chain whose first dup is orig.
                stable_node = alloc_stable_node_chain(orig, root);
                if (stable_node == null)
                {
                    free_stable_node(stable_node_dup);
                    return null;
                }
            }
            stable_node_chain_add_dup(stable_node_dup, stable_node);
        }

        folio_set_stable_node(kfolio, stable_node_dup);

        return stable_node_dup;
    }

    [Upstream("mm/ksm.c", "unstable_tree_search_insert", "3164024207a9c015")]
    private ksm_rmap_item* unstable_tree_search_insert(ksm_rmap_item* rmap_item, page* page, page** tree_pagep)
    {
        rb_node** @new;
        rb_root* root;
        rb_node* parent = null;
        int nid;

        nid = get_kpfn_nid(page_to_pfn(page));
        root = root_unstable_tree + nid;
        @new = &root->rb_node;

        while (*@new != null)
        {
            ksm_rmap_item* tree_rmap_item;
            page* tree_page;
            int ret;

            cond_resched();
            tree_rmap_item = rb_entry<ksm_rmap_item>(*@new, offsetof.ksm_rmap_item.node);
            tree_page = get_mergeable_page(tree_rmap_item);
            if (tree_page == null)
                return null;

            // Our own page in the tree (a forked KSM candidate): nothing to merge with.
            if (page == tree_page)
            {
                put_page(tree_page);
                return null;
            }

            ret = memcmp_pages(page, tree_page);

            parent = *@new;
            if (ret < 0)
            {
                put_page(tree_page);
                @new = &parent->rb_left;
            }
            else if (ret > 0)
            {
                put_page(tree_page);
                @new = &parent->rb_right;
            }
            else if (ksm_merge_across_nodes == 0 && page_to_nid(tree_page) != nid)
            {
                // Never merge across nodes when told not to.
                put_page(tree_page);
                return null;
            }
            else
            {
                *tree_pagep = tree_page;
                return tree_rmap_item;
            }
        }

        rmap_item->address |= UNSTABLE_FLAG;
        rmap_item->address |= (ksm_scan->seqnr & SEQNR_MASK);
        rmap_item->nid = nid;
        rb_link_node(&rmap_item->node, parent, @new);
        rb_insert_color(&rmap_item->node, root);

        ksm_pages_unshared++;
        return null;
    }

    [Upstream("mm/ksm.c", "stable_tree_append", "8b605f82270fc293")]
    private void stable_tree_append(ksm_rmap_item* rmap_item, ksm_stable_node* stable_node, bool max_page_sharing_bypass)
    {
        // A chain head never gets rmap items; only dups and plain nodes do.
        BUG_ON(stable_node->rmap_hlist_len < 0);

        stable_node->rmap_hlist_len++;
        if (!max_page_sharing_bypass)
            WARN_ON_ONCE(stable_node->rmap_hlist_len > ksm_max_page_sharing);

        rmap_item->head = stable_node;
        rmap_item->address |= STABLE_FLAG;
        hlist_add_head(&rmap_item->hlist, &stable_node->hlist);

        // The first item of a node counts as shared, every further one as sharing.
        if (rmap_item->hlist.next != null)
            ksm_pages_sharing++;
        else
            ksm_pages_shared++;

        rmap_item->mm->ksm_merging_pages++;
    }

    [Upstream("mm/ksm.c", "cmp_and_merge_page", "aa7593bb38799499")]
    private void cmp_and_merge_page(page* page, ksm_rmap_item* rmap_item)
    {
        ksm_rmap_item* tree_rmap_item;
        page* tree_page = null;
        ksm_stable_node* stable_node;
        page* kpage;
        uint checksum;
        int err;
        bool max_page_sharing_bypass = false;

        stable_node = page_stable_node(page);
        if (stable_node != null)
        {
            if (stable_node->head != migrate_nodes &&
                get_kpfn_nid(READ_ONCE(ref stable_node->kpfn)) != NUMA(stable_node->nid))
            {
                stable_node_dup_del(stable_node);
                stable_node->head = migrate_nodes;
                list_add(&stable_node->list, stable_node->head);
            }
            if (stable_node->head != migrate_nodes && rmap_item->head == stable_node)
                return;
            // A forked KSM page may exceed max_page_sharing: let it join without the warning.
            if (!is_page_sharing_candidate(stable_node))
                max_page_sharing_bypass = true;
        }
        else
        {
            remove_rmap_item_from_tree(rmap_item);

            // A page whose content changed since the last scan is volatile: wait a round.
            checksum = calc_checksum(page);
            if (rmap_item->oldchecksum != checksum)
            {
                rmap_item->oldchecksum = checksum;
                return;
            }

            if (try_to_merge_with_zero_page(rmap_item, page) == 0)
                return;
        }

        kpage = stable_tree_search(page);
        if (kpage == page && rmap_item->head == stable_node)
        {
            put_page(kpage);
            return;
        }

        remove_rmap_item_from_tree(rmap_item);

        if (kpage != null)
        {
            if (PTR_ERR(kpage) == -EBUSY)
                return;

            err = try_to_merge_with_ksm_page(rmap_item, page, kpage);
            if (err == 0)
            {
                // The page lock orders this against a racing stable-node removal.
                lock_page(kpage);
                stable_tree_append(rmap_item, page_stable_node(kpage), max_page_sharing_bypass);
                unlock_page(kpage);
            }
            put_page(kpage);
            return;
        }

        tree_rmap_item = unstable_tree_search_insert(rmap_item, page, &tree_page);
        if (tree_rmap_item != null)
        {
            bool split;

            kpage = try_to_merge_two_pages(rmap_item, page, tree_rmap_item, tree_page);
            // Two subpages of one THP: splitting it lets a later scan merge them.
            split = PageTransCompound(page) && compound_head(page) == compound_head(tree_page);
            put_page(tree_page);
            if (kpage != null)
            {
                // The page lock keeps the new KSM page stable while it enters the tree.
                lock_page(kpage);
                stable_node = stable_tree_insert(page_folio(kpage));
                if (stable_node != null)
                {
                    stable_tree_append(tree_rmap_item, stable_node, false);
                    stable_tree_append(rmap_item, stable_node, false);
                }
                unlock_page(kpage);

                // Without a stable node nobody could find these pages: unmerge both.
                if (stable_node == null)
                {
                    break_cow(tree_rmap_item);
                    break_cow(rmap_item);
                }
            }
            else if (split)
            {
                if (!trylock_page(page))
                    return;
                split_huge_page(page);
                unlock_page(page);
            }
        }
    }
}
