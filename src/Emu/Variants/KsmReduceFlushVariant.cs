// SPDX-License-Identifier: GPL-2.0-only
// Variant: "mm/ksm: reduce the flush action for ksm merging page" (Message-ID
// 20240604042454.2012091-2-alexs@kernel.org, June 2024), ported hunk by hunk onto the 6.12.117
// transliteration. The patch moves flush_anon_page()/flush_dcache_page() from get_mergeable_page() and
// scan_get_next_rmap_item() into try_to_merge_one_page(), which gains the rmap_item whose address the
// flush needs. Against 6.12 the zero-page call site of try_to_merge_one_page lives in
// try_to_merge_with_zero_page (split out of cmp_and_merge_page after the patch was posted).
// The overrides start as copies of the baseline bodies (`emu patch map --scaffold`); each hunk's change
// is marked "patch:".
using Emu.Kernel;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Variants;

[KernelPatch("mm/ksm: reduce the flush action for ksm merging page", "20240604042454.2012091-2-alexs@kernel.org",
    Touches = ["mm/ksm.c:get_mergeable_page", "mm/ksm.c:try_to_merge_one_page", "mm/ksm.c:try_to_merge_with_zero_page", "mm/ksm.c:try_to_merge_with_ksm_page", "mm/ksm.c:scan_get_next_rmap_item"])]
internal sealed unsafe class KsmReduceFlushVariant : Kernel.Kernel
{
    // mm/ksm.c get_mergeable_page: hunk(s) 1; baseline at src/Emu/Kernel/mm/ksm.cs:365
    internal override page* get_mergeable_page(ksm_rmap_item* rmap_item)
    {
        mm_struct* mm = rmap_item->mm;
        ulong addr = rmap_item->address;
        vm_area_struct* vma;
        page* page = null;
        folio_walk fw;
        folio* folio;

        mmap_read_lock(mm);
        vma = find_mergeable_vma(mm, addr);
        if (vma == null)
            goto @out;

        folio = folio_walk_start(&fw, vma, addr, 0);
        if (folio != null)
        {
            if (!folio_is_zone_device(folio) && folio_test_anon(folio))
            {
                folio_get(folio);
                page = fw.page;
            }
            folio_walk_end(&fw, vma);
        }
    @out:
        // patch: no flush here; try_to_merge_one_page does it.
        mmap_read_unlock(mm);
        return page;
    }

    // mm/ksm.c try_to_merge_one_page: hunk(s) 2, 3; baseline at src/Emu/Kernel/mm/ksm.merge.cs:173
    // patch: a new parameter, so a new overload rather than an override; the baseline one is never called here.
    internal int try_to_merge_one_page(vm_area_struct* vma, page* page, ksm_rmap_item* rmap_item, page* kpage)
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

        // patch: the flush, only for pages about to be merged.
        flush_anon_page(vma, page, rmap_item->address);
        flush_dcache_page(page);

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

    // mm/ksm.c try_to_merge_with_zero_page: hunk(s) 4; baseline at src/Emu/Kernel/mm/ksm.merge.cs:219
    internal override int try_to_merge_with_zero_page(ksm_rmap_item* rmap_item, page* page)
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
                err = try_to_merge_one_page(vma, page, rmap_item, ZERO_PAGE(rmap_item->address)); // patch: rmap_item
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

    // mm/ksm.c try_to_merge_with_ksm_page: hunk(s) 5; baseline at src/Emu/Kernel/mm/ksm.merge.cs:247
    internal override int try_to_merge_with_ksm_page(ksm_rmap_item* rmap_item, page* page, page* kpage)
    {
        mm_struct* mm = rmap_item->mm;
        vm_area_struct* vma;
        int err = -EFAULT;

        mmap_read_lock(mm);
        vma = find_mergeable_vma(mm, rmap_item->address);
        if (vma == null)
            goto @out;

        err = try_to_merge_one_page(vma, page, rmap_item, kpage); // patch: rmap_item
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

    // mm/ksm.c scan_get_next_rmap_item: hunk(s) 6; baseline at src/Emu/Kernel/mm/ksm.scan.cs:189
    internal override ksm_rmap_item* scan_get_next_rmap_item(page** page)
    {
        mm_struct* mm;
        ksm_mm_slot* mm_slot;
        mm_slot* slot;
        vm_area_struct* vma;
        ksm_rmap_item* rmap_item;
        vma_iterator vmi;
        int nid;

        if (list_empty(&ksm_mm_head->slot.mm_node))
            return null;

        mm_slot = ksm_scan->mm_slot;
        if (mm_slot != ksm_mm_head)
            goto have_mm_slot;

        advisor_start_scan();

        // Pages still in per-CPU LRU batches have an elevated refcount that would make
        // write_protect_page refuse them: drain once per full scan.
        lru_add_drain_all();

        // Without merge_across_nodes, migrated KSM pages get a chance to go home.
        if (ksm_merge_across_nodes == 0)
        {
            foreach (ksm_stable_node* stable_node in list_for_each_entry_safe<ksm_stable_node>(migrate_nodes, offsetof.ksm_stable_node.list))
            {
                folio* folio = ksm_get_folio(stable_node, ksm_get_folio_flags.KSM_GET_FOLIO_NOLOCK);
                if (folio != null)
                    folio_put(folio);
                cond_resched();
            }
        }

        for (nid = 0; nid < ksm_nr_node_ids; nid++)
            root_unstable_tree[nid] = RB_ROOT;

        spin_lock(ksm_mmlist_lock);
        slot = list_entry<mm_slot>(mm_slot->slot.mm_node.next, offsetof.mm_slot.mm_node);
        mm_slot = mm_slot_entry<ksm_mm_slot>(slot, offsetof.ksm_mm_slot.slot);
        ksm_scan->mm_slot = mm_slot;
        spin_unlock(ksm_mmlist_lock);
        // Every mm may have exited between the list_empty test and here.
        if (mm_slot == ksm_mm_head)
            return null;
    next_mm:
        ksm_scan->address = 0;
        ksm_scan->rmap_list = &mm_slot->rmap_list;

    have_mm_slot:
        slot = &mm_slot->slot;
        mm = slot->mm;
        vma_iter_init(&vmi, mm, ksm_scan->address);

        mmap_read_lock(mm);
        if (ksm_test_exit(mm))
            goto no_vmas;

        while ((vma = vma_next(&vmi)) != null) // for_each_vma
        {
            if ((vma->vm_flags & VM_MERGEABLE) == 0)
                continue;
            if (ksm_scan->address < vma->vm_start)
                ksm_scan->address = vma->vm_start;
            if (vma->anon_vma == null)
                ksm_scan->address = vma->vm_end;

            while (ksm_scan->address < vma->vm_end)
            {
                ksm_next_page_arg ksm_next_page_arg;
                page* tmp_page = null;
                folio* folio = null;

                if (ksm_test_exit(mm))
                    break;

                int found;

                found = walk_page_range_vma(vma, ksm_scan->address, vma->vm_end, ksm_next_page_ops, &ksm_next_page_arg);

                if (found > 0)
                {
                    folio = ksm_next_page_arg.folio;
                    tmp_page = ksm_next_page_arg.page;
                    ksm_scan->address = ksm_next_page_arg.addr;
                }
                else
                {
                    VM_WARN_ON_ONCE(found < 0);
                    ksm_scan->address = vma->vm_end - PAGE_SIZE;
                }

                if (tmp_page != null)
                {
                    // patch: no flush before the checksum.
                    rmap_item = get_next_rmap_item(mm_slot, ksm_scan->rmap_list, ksm_scan->address);
                    if (rmap_item != null)
                    {
                        ksm_scan->rmap_list = &rmap_item->rmap_list;

                        if (should_skip_rmap_item(tmp_page, rmap_item))
                        {
                            folio_put(folio);
                            goto next_page;
                        }

                        ksm_scan->address += PAGE_SIZE;
                        *page = tmp_page;
                    }
                    else
                    {
                        folio_put(folio);
                    }
                    mmap_read_unlock(mm);
                    return rmap_item;
                }
            next_page:
                ksm_scan->address += PAGE_SIZE;
                cond_resched();
            }
        }

        if (!ksm_test_exit(mm))
            goto remove_trailing;
    no_vmas:
        ksm_scan->address = 0;
        ksm_scan->rmap_list = &mm_slot->rmap_list;
    remove_trailing:
        // Items past the last page still mapped belong to unmapped ranges.
        remove_trailing_rmap_items(ksm_scan->rmap_list);

        spin_lock(ksm_mmlist_lock);
        slot = list_entry<mm_slot>(mm_slot->slot.mm_node.next, offsetof.mm_slot.mm_node);
        ksm_scan->mm_slot = mm_slot_entry<ksm_mm_slot>(slot, offsetof.ksm_mm_slot.slot);
        if (ksm_scan->address == 0)
        {
            // The mm has exited (or has nothing mergeable left): drop its slot; __ksm_exit
            // left that to us because the scan cursor was on it.
            hash_del(&mm_slot->slot.hash);
            list_del(&mm_slot->slot.mm_node);
            spin_unlock(ksm_mmlist_lock);

            mm_slot_free(mm_slot_cache, mm_slot);
            clear_bit(MMF_VM_MERGEABLE, &mm->flags);
            mmap_read_unlock(mm);
            mmdrop(mm);
        }
        else
        {
            mmap_read_unlock(mm);
            // Unlock order does not matter: nothing here waits on the other lock.
            spin_unlock(ksm_mmlist_lock);
        }

        mm_slot = ksm_scan->mm_slot;
        if (mm_slot != ksm_mm_head)
            goto next_mm;

        advisor_stop_scan();

        ksm_scan->seqnr++;
        return null;
    }
}
