// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/ksm.c, third part (upstream order): the scanner
// (get_next_rmap_item, smart scan, the walk_page_range_vma-based ksm_next_page_pmd_entry,
// scan_get_next_rmap_item, ksm_do_scan), ksmd, the VMA/mm enrolment (ksm_add_vma,
// ksm_enable/disable_merge_any, ksm_madvise, __ksm_enter/__ksm_exit), ksm_might_need_to_copy,
// rmap_walk_ksm and ksm_process_profit.
//
// Stubbed visibly (one place, ksm.stubs.cs): collect_procs_ksm (memory failure),
// folio_migrate_ksm (migration), the memory hot-remove callback; wait_while_offlining is the
// config-off version since offlining never happens in Emu.
//
// Idioms: C# cannot jump into a block, so scan_get_next_rmap_item's next_mm and no_vmas labels
// are lifted out of their if-blocks with the same paths through them. for_each_vma(vmi, vma)
// is its expansion, a loop over vma_next(); VMA_ITERATOR is vma_iter_init.
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/ksm.c", "get_next_rmap_item", "fea50e312d9e71df")]
    internal ksm_rmap_item* get_next_rmap_item(ksm_mm_slot* mm_slot, ksm_rmap_item** rmap_list, ulong addr)
    {
        ksm_rmap_item* rmap_item;

        while (*rmap_list != null)
        {
            rmap_item = *rmap_list;
            if ((rmap_item->address & PAGE_MASK) == addr)
                return rmap_item;
            if (rmap_item->address > addr)
                break;
            *rmap_list = rmap_item->rmap_list;
            remove_rmap_item_from_tree(rmap_item);
            free_rmap_item(rmap_item);
        }

        rmap_item = alloc_rmap_item();
        if (rmap_item != null)
        {
            // The list stays sorted by address: insert before the first later item.
            rmap_item->mm = mm_slot->slot.mm;
            rmap_item->mm->ksm_rmap_items++;
            rmap_item->address = addr;
            rmap_item->rmap_list = *rmap_list;
            *rmap_list = rmap_item;
        }
        return rmap_item;
    }

    [Upstream("mm/ksm.c", "skip_age", "0a4a6b5dae90d152")]
    private static uint skip_age(byte age)
    {
        if (age <= 3)
            return 1;
        if (age <= 5)
            return 2;
        if (age <= 8)
            return 4;

        return 8;
    }

    [Upstream("mm/ksm.c", "should_skip_rmap_item", "58fecb3781d8ec62")]
    internal bool should_skip_rmap_item(page* page, ksm_rmap_item* rmap_item)
    {
        byte age;

        if (!ksm_smart_scan)
            return false;

        // KSM pages are checked every time: their rmap item must stay in the stable tree.
        if (PageKsm(page))
            return false;

        age = rmap_item->age;
        if (age != byte.MaxValue)
            rmap_item->age++;

        // Young items (fewer than three unmerged scans) are never skipped.
        if (age < 3)
            return false;

        // Out of skips: look at it this time and grant a number of skips that grows with age.
        if (rmap_item->remaining_skips == 0)
        {
            rmap_item->remaining_skips = (byte)skip_age(age);
            return false;
        }

        ksm_pages_skipped++;
        rmap_item->remaining_skips--;
        remove_rmap_item_from_tree(rmap_item);
        return true;
    }

    [Upstream("mm/ksm.c", "ksm_next_page_pmd_entry", "e3f3af29408e0f75")]
    private int ksm_next_page_pmd_entry(pmd_t* pmdp, ulong addr, ulong end, mm_walk* walk)
    {
        ksm_next_page_arg* @private = (ksm_next_page_arg*)walk->@private;
        vm_area_struct* vma = walk->vma;
        pte_t* start_ptep = null, ptep;
        pte_t pte;
        mm_struct* mm = walk->mm;
        folio* folio = null;
        page* page = null;
        spinlock* ptl = null;
        pmd_t pmd;

        if (ksm_test_exit(mm))
            return 0;

        cond_resched();

        pmd = pmdp_get_lockless(pmdp);
        if (!pmd_present(pmd))
            return 0;

        if (IS_ENABLED_CONFIG_TRANSPARENT_HUGEPAGE && pmd_leaf(pmd))
        {
            ptl = pmd_lock(mm, pmdp);
            pmd = pmdp_get(pmdp);

            if (!pmd_present(pmd))
            {
                goto not_found_unlock;
            }
            else if (pmd_leaf(pmd))
            {
                page = vm_normal_page_pmd(vma, addr, pmd);
                if (page == null)
                    goto not_found_unlock;
                folio = page_folio(page);

                if (folio_is_zone_device(folio) || !folio_test_anon(folio))
                    goto not_found_unlock;

                page += ((addr & (PMD_SIZE - 1)) >> PAGE_SHIFT);
                goto found_unlock;
            }
            spin_unlock(ptl);
        }

        start_ptep = pte_offset_map_lock(mm, pmdp, addr, &ptl);
        if (start_ptep == null)
            return 0;

        for (ptep = start_ptep; addr < end; ptep++, addr += PAGE_SIZE)
        {
            pte = ptep_get(ptep);

            if (!pte_present(pte))
                continue;

            page = vm_normal_page(vma, addr, pte);
            if (page == null)
                continue;
            folio = page_folio(page);

            if (folio_is_zone_device(folio) || !folio_test_anon(folio))
                continue;
            goto found_unlock;
        }

    not_found_unlock:
        spin_unlock(ptl);
        if (start_ptep != null)
            pte_unmap(start_ptep);
        return 0;
    found_unlock:
        folio_get(folio);
        spin_unlock(ptl);
        if (start_ptep != null)
            pte_unmap(start_ptep);
        @private->page = page;
        @private->folio = folio;
        @private->addr = addr;
        return 1;
    }

    // ops->pmd_entry's target (see mm/pagewalk.cs for the function-pointer convention).
    private static int ksm_next_page_pmd_entry_thunk(Kernel k, pmd_t* pmdp, ulong addr, ulong end, mm_walk* walk)
        => k.ksm_next_page_pmd_entry(pmdp, addr, end, walk);

    // static struct mm_walk_ops ksm_next_page_ops: built once by ksm_init.
    internal mm_walk_ops* ksm_next_page_ops;

    [Upstream("mm/ksm.c", "scan_get_next_rmap_item", "c08fe98758c7dce2")]
    internal virtual ksm_rmap_item* scan_get_next_rmap_item(page** page)
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
                    flush_anon_page(vma, tmp_page, ksm_scan->address);
                    flush_dcache_page(tmp_page);
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

    [Upstream("mm/ksm.c", "ksm_do_scan", "7da4611d0adeebb6")]
    internal void ksm_do_scan(uint scan_npages)
    {
        ksm_rmap_item* rmap_item;
        page* page;

        while (scan_npages-- != 0 && !freezing(current))
        {
            cond_resched();
            rmap_item = scan_get_next_rmap_item(&page);
            if (rmap_item == null)
                return;
            cmp_and_merge_page(page, rmap_item);
            put_page(page);
            ksm_pages_scanned++;
        }
    }

    [Upstream("mm/ksm.c", "ksmd_should_run", "d5778f1f5cbac95a")]
    internal int ksmd_should_run()
    {
        return ((ksm_run & KSM_RUN_MERGE) != 0 && !list_empty(&ksm_mm_head->slot.mm_node)) ? 1 : 0;
    }

    /// <summary>
    /// One iteration of ksm_scan_thread's loop, as the machine's ksmd stepper runs it: scan a
    /// batch under ksm_thread_mutex and return how long ksmd would sleep (ms), or -1 when it
    /// would wait for ksmd_should_run (the thread's wait_event_freezable).
    /// </summary>
    [Upstream("mm/ksm.c", "ksm_scan_thread", "c9d6fa2926563004")]
    internal long ksm_scan_thread_iteration()
    {
        uint sleep_ms;

        mutex_lock(ksm_thread_mutex);
        wait_while_offlining();
        if (ksmd_should_run() != 0)
            ksm_do_scan(ksm_thread_pages_to_scan);
        mutex_unlock(ksm_thread_mutex);

        if (ksmd_should_run() != 0)
        {
            sleep_ms = READ_ONCE(ref ksm_thread_sleep_millisecs);
            ksm_iter_wait = false;
            return sleep_ms;
        }
        ksm_thread_wait = false;
        return -1;
    }

    [Upstream("mm/ksm.c", "__ksm_add_vma", "145dcedc126f69b5")]
    private void __ksm_add_vma(vm_area_struct* vma)
    {
        ulong vm_flags = vma->vm_flags;

        if ((vm_flags & VM_MERGEABLE) != 0)
            return;

        if (vma_ksm_compatible(vma))
            vm_flags_set(vma, VM_MERGEABLE);
    }

    [Upstream("mm/ksm.c", "__ksm_del_vma", "61d615e851d7bcf0")]
    private int __ksm_del_vma(vm_area_struct* vma)
    {
        int err;

        if ((vma->vm_flags & VM_MERGEABLE) == 0)
            return 0;

        if (vma->anon_vma != null)
        {
            err = unmerge_ksm_pages(vma, vma->vm_start, vma->vm_end, true);
            if (err != 0)
                return err;
        }

        vm_flags_clear(vma, VM_MERGEABLE);
        return 0;
    }

    [Upstream("mm/ksm.c", "ksm_add_vma", "294130960faae26b")]
    internal void ksm_add_vma(vm_area_struct* vma)
    {
        mm_struct* mm = vma->vm_mm;

        if (test_bit(MMF_VM_MERGE_ANY, &mm->flags))
        {
            __ksm_add_vma(vma);
            // The mm may have been dropped from the scan list by a completed unmerge.
            if (!test_bit(MMF_VM_MERGEABLE, &mm->flags))
                __ksm_enter(mm);
        }
    }

    [Upstream("mm/ksm.c", "ksm_add_vmas", "f8b859837c40d9cd")]
    private void ksm_add_vmas(mm_struct* mm)
    {
        vm_area_struct* vma;

        vma_iterator vmi;
        vma_iter_init(&vmi, mm, 0); // VMA_ITERATOR
        while ((vma = vma_next(&vmi)) != null) // for_each_vma
            __ksm_add_vma(vma);
    }

    [Upstream("mm/ksm.c", "ksm_del_vmas", "15cae4415a38b7aa")]
    private int ksm_del_vmas(mm_struct* mm)
    {
        vm_area_struct* vma;
        int err;

        vma_iterator vmi;
        vma_iter_init(&vmi, mm, 0); // VMA_ITERATOR
        while ((vma = vma_next(&vmi)) != null) // for_each_vma
        {
            err = __ksm_del_vma(vma);
            if (err != 0)
                return err;
        }
        return 0;
    }

    [Upstream("mm/ksm.c", "ksm_enable_merge_any", "a80d5df24384192a")]
    internal int ksm_enable_merge_any(mm_struct* mm)
    {
        int err;

        if (test_bit(MMF_VM_MERGE_ANY, &mm->flags))
            return 0;

        if (!test_bit(MMF_VM_MERGEABLE, &mm->flags))
        {
            err = __ksm_enter(mm);
            if (err != 0)
                return err;
        }

        set_bit(MMF_VM_MERGE_ANY, &mm->flags);
        ksm_add_vmas(mm);

        return 0;
    }

    [Upstream("mm/ksm.c", "ksm_disable_merge_any", "66ba3dba39a3536e")]
    internal int ksm_disable_merge_any(mm_struct* mm)
    {
        int err;

        if (!test_bit(MMF_VM_MERGE_ANY, &mm->flags))
            return 0;

        err = ksm_del_vmas(mm);
        if (err != 0)
        {
            ksm_add_vmas(mm);
            return err;
        }

        clear_bit(MMF_VM_MERGE_ANY, &mm->flags);
        return 0;
    }

    [Upstream("mm/ksm.c", "ksm_disable", "9bd8b4c743bfe43f")]
    internal int ksm_disable(mm_struct* mm)
    {
        mmap_assert_write_locked(mm);

        if (!test_bit(MMF_VM_MERGEABLE, &mm->flags))
            return 0;
        if (test_bit(MMF_VM_MERGE_ANY, &mm->flags))
            return ksm_disable_merge_any(mm);
        return ksm_del_vmas(mm);
    }

    [Upstream("mm/ksm.c", "ksm_madvise", "90107b63759e5884")]
    internal int ksm_madvise(vm_area_struct* vma, ulong start, ulong end, int advice, ulong* vm_flags)
    {
        mm_struct* mm = vma->vm_mm;
        int err;

        switch (advice)
        {
            case MADV_MERGEABLE:
                if ((vma->vm_flags & VM_MERGEABLE) != 0)
                    return 0;
                if (!vma_ksm_compatible(vma))
                    return 0;

                if (!test_bit(MMF_VM_MERGEABLE, &mm->flags))
                {
                    err = __ksm_enter(mm);
                    if (err != 0)
                        return err;
                }

                *vm_flags |= VM_MERGEABLE;
                break;

            case MADV_UNMERGEABLE:
                if ((*vm_flags & VM_MERGEABLE) == 0)
                    return 0;

                if (vma->anon_vma != null)
                {
                    err = unmerge_ksm_pages(vma, start, end, true);
                    if (err != 0)
                        return err;
                }

                *vm_flags &= ~VM_MERGEABLE;
                break;
        }

        return 0;
    }

    [Upstream("mm/ksm.c", "__ksm_enter", "5caff27ee5d3e6c1")]
    internal int __ksm_enter(mm_struct* mm)
    {
        ksm_mm_slot* mm_slot;
        mm_slot* slot;
        bool needs_wakeup;

        mm_slot = (ksm_mm_slot*)mm_slot_alloc(mm_slot_cache);
        if (mm_slot == null)
            return -ENOMEM;

        slot = &mm_slot->slot;

        // Only the first mm wakes ksmd; later ones find it running.
        needs_wakeup = list_empty(&ksm_mm_head->slot.mm_node);

        spin_lock(ksm_mmlist_lock);
        mm_slot_insert(mm_slots_hash, mm, slot);
        // Insert just behind the scan cursor so that a forked child is scanned after its
        // parent's pages, except while unmerging everything, when new mms go to the end.
        if ((ksm_run & KSM_RUN_UNMERGE) != 0)
            list_add_tail(&slot->mm_node, &ksm_mm_head->slot.mm_node);
        else
            list_add_tail(&slot->mm_node, &ksm_scan->mm_slot->slot.mm_node);
        spin_unlock(ksm_mmlist_lock);

        set_bit(MMF_VM_MERGEABLE, &mm->flags);
        mmgrab(mm);

        if (needs_wakeup)
            wake_up_interruptible(ref ksm_thread_wait);

        return 0;
    }

    [Upstream("mm/ksm.c", "__ksm_exit", "a33c542c6c071be6")]
    internal void __ksm_exit(mm_struct* mm)
    {
        ksm_mm_slot* mm_slot;
        mm_slot* slot;
        int easy_to_free = 0;

        // Unless the scanner is on this mm, an mm with no rmap items goes at once; otherwise
        // ksmd drops the slot when it next reaches it and sees mm_users == 0.
        spin_lock(ksm_mmlist_lock);
        slot = mm_slot_lookup(mm_slots_hash, mm);
        mm_slot = mm_slot_entry<ksm_mm_slot>(slot, offsetof.ksm_mm_slot.slot);
        if (mm_slot != null && ksm_scan->mm_slot != mm_slot)
        {
            if (mm_slot->rmap_list == null)
            {
                hash_del(&slot->hash);
                list_del(&slot->mm_node);
                easy_to_free = 1;
            }
            else
            {
                list_move(&slot->mm_node, &ksm_scan->mm_slot->slot.mm_node);
            }
        }
        spin_unlock(ksm_mmlist_lock);

        if (easy_to_free != 0)
        {
            mm_slot_free(mm_slot_cache, mm_slot);
            clear_bit(MMF_VM_MERGE_ANY, &mm->flags);
            clear_bit(MMF_VM_MERGEABLE, &mm->flags);
            mmdrop(mm);
        }
        else if (mm_slot != null)
        {
            // Wait for a ksmd that may still hold mmap_lock on this mm.
            mmap_write_lock(mm);
            mmap_write_unlock(mm);
        }
    }

    [Upstream("mm/ksm.c", "ksm_might_need_to_copy", "dedb8e2691c89f63")]
    internal folio* ksm_might_need_to_copy(folio* folio, vm_area_struct* vma, ulong addr)
    {
        page* page = folio_page(folio, 0);
        anon_vma* anon_vma = folio_anon_vma(folio);
        folio* new_folio;

        if (folio_test_large(folio))
            return folio;

        if (folio_test_ksm(folio))
        {
            if (folio_stable_node(folio) != null && (ksm_run & KSM_RUN_UNMERGE) == 0)
                return folio;
        }
        else if (anon_vma == null)
        {
            return folio;
        }
        else if (folio->index == linear_page_index(vma, addr) &&
                 anon_vma->root == vma->anon_vma->root)
        {
            return folio;
        }
        if (PageHWPoison(page))
            return (folio*)ERR_PTR(-EHWPOISON);
        if (!folio_test_uptodate(folio))
            return folio;

        new_folio = vma_alloc_folio(GFP_HIGHUSER_MOVABLE, 0, vma, addr, false);
        if (new_folio != null && mem_cgroup_charge(new_folio, vma->vm_mm, GFP_KERNEL) != 0)
        {
            folio_put(new_folio);
            new_folio = null;
        }
        if (new_folio != null)
        {
            if (copy_mc_user_highpage(folio_page(new_folio, 0), page, addr, vma) != 0)
            {
                folio_put(new_folio);
                return (folio*)ERR_PTR(-EHWPOISON);
            }
            folio_set_dirty(new_folio);
            __folio_mark_uptodate(new_folio);
            __folio_set_locked(new_folio);
            // CONFIG_SWAP
            count_vm_event("KSM_SWPIN_COPY");
        }

        return new_folio;
    }

    // rwc's callbacks are void* in the generated struct: static delegate*<Kernel, ...>
    // functions, the convention of mm/pagewalk.cs.
    [Upstream("mm/ksm.c", "rmap_walk_ksm", "ed7fc55ffd77fb77")]
    internal void rmap_walk_ksm(folio* folio, rmap_walk_control* rwc)
    {
        ksm_stable_node* stable_node;
        int search_new_forks = 0;

        VM_BUG_ON_FOLIO(!folio_test_ksm(folio), folio);

        // The folio lock keeps the stable node from going away under the walk.
        VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);

        stable_node = folio_stable_node(folio);
        if (stable_node == null)
            return;
    again:
        foreach (ksm_rmap_item* rmap_item in hlist_for_each_entry<ksm_rmap_item>(&stable_node->hlist, offsetof.ksm_rmap_item.hlist))
        {
            anon_vma* anon_vma = rmap_item->anon_vma;
            vm_area_struct* vma;

            cond_resched();
            if (anon_vma_trylock_read(anon_vma) == 0)
            {
                if (rwc->try_lock)
                {
                    rwc->contended = true;
                    return;
                }
                anon_vma_lock_read(anon_vma);
            }
            foreach (anon_vma_chain* vmac in anon_vma_interval_tree_foreach(&anon_vma->rb_root, 0, ulong.MaxValue))
            {
                ulong addr;

                cond_resched();
                vma = vmac->vma;

                addr = rmap_item->address & PAGE_MASK;

                if (addr < vma->vm_start || addr >= vma->vm_end)
                    continue;
                // First pass: the mm the item belongs to; second pass: forked children that
                // share the anon_vma but not the item.
                if ((rmap_item->mm == vma->vm_mm ? 1 : 0) == search_new_forks)
                    continue;

                if (rwc->invalid_vma != null && ((delegate*<Kernel, vm_area_struct*, void*, bool>)rwc->invalid_vma)(this, vma, rwc->arg))
                    continue;

                if (!((delegate*<Kernel, folio*, vm_area_struct*, ulong, void*, bool>)rwc->rmap_one)(this, folio, vma, addr, rwc->arg))
                {
                    anon_vma_unlock_read(anon_vma);
                    return;
                }
                if (rwc->done != null && ((delegate*<Kernel, folio*, int>)rwc->done)(this, folio) != 0)
                {
                    anon_vma_unlock_read(anon_vma);
                    return;
                }
            }
            anon_vma_unlock_read(anon_vma);
        }
        if (search_new_forks++ == 0)
            goto again;
    }

    [Upstream("mm/ksm.c", "wait_while_offlining", "257c1be96ae69f4b", Definition = 2)]
    private static void wait_while_offlining()
    {
        // Emu never offlines memory (MEMORY_HOTREMOVE paths are stubbed in ksm.stubs.cs),
        // so KSM_RUN_OFFLINE is never set: the config-off body.
    }

    [Upstream("mm/ksm.c", "ksm_process_profit", "8e35ec2822accd84")]
    internal long ksm_process_profit(mm_struct* mm)
    {
        return (long)(mm->ksm_merging_pages + (ulong)mm_ksm_zero_pages(mm)) * (long)PAGE_SIZE -
            (long)(mm->ksm_rmap_items * (ulong)sizeof(ksm_rmap_item));
    }
}
