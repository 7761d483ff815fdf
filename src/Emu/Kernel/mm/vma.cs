// SPDX-License-Identifier: GPL-2.0-only
// mm/vma.c: VMA merge, split, expand, shrink, and the munmap machinery (vms_*).
// Emu has no files: every `if (vp->file)` branch throws (no_files), and vm_ops callbacks
// (may_split, open, close) cannot exist (vm_ops_has_callbacks). CONFIG_DEBUG_VM_MAPLE_TREE is
// off in Debian's config, so validate_mm() is the empty macro. Not transliterated yet: copy_vma
// (mremap), vma_merge_extend, unlink_file_vma*, mm_take_all_locks/mm_drop_all_locks.
using System;
using static Emu.Kernel.KernelConstants;
using pgoff_t = ulong;
using pgprot_t = Emu.Kernel.pgprot;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>mm/util.c's sysctl_max_map_count: DEFAULT_MAX_MAP_COUNT (USHRT_MAX - 5).</summary>
    internal int sysctl_max_map_count = ushort.MaxValue - 5;

    [Upstream("mm/vma.c", "is_mergeable_vma", "9b1bc801aa5bd80e")]
    private bool is_mergeable_vma(vma_merge_struct* vmg, bool merge_next)
    {
        vm_area_struct* vma = merge_next ? vmg->next : vmg->prev;

        if (!mpol_equal(vmg->policy, vma_policy(vma)))
            return false;
        // Soft-dirty alone does not keep two VMAs apart.
        if (((vma->vm_flags ^ vmg->flags) & ~(ulong)VM_SOFTDIRTY) != 0)
            return false;
        if (vma->vm_file != vmg->file)
            return false;
        if (!is_mergeable_vm_userfaultfd_ctx(vma, vmg->uffd_ctx))
            return false;
        if (!anon_vma_name_eq(anon_vma_name(vma), vmg->anon_name))
            return false;
        return true;
    }

    [Upstream("mm/vma.c", "is_mergeable_anon_vma", "b1e2fb1d900c1a43")]
    private static bool is_mergeable_anon_vma(anon_vma* anon_vma1, anon_vma* anon_vma2, vm_area_struct* vma)
    {
        // A VMA that has only its own anon_vma (or none) can take the other's.
        if ((anon_vma1 == null || anon_vma2 == null) && (vma == null ||
            list_is_singular(&vma->anon_vma_chain)))
            return true;
        return anon_vma1 == anon_vma2;
    }

    [Upstream("mm/vma.c", "are_anon_vmas_compatible", "6aea01cb559fd12c")]
    private static bool are_anon_vmas_compatible(vm_area_struct* vma1, vm_area_struct* vma2)
    {
        return is_mergeable_anon_vma(vma1->anon_vma, vma2->anon_vma, null);
    }

    [Upstream("mm/vma.c", "init_multi_vma_prep", "7f6bed6603a5d489")]
    private static void init_multi_vma_prep(vma_prepare* vp, vm_area_struct* vma, vm_area_struct* next,
        vm_area_struct* remove, vm_area_struct* remove2)
    {
        memset(vp, 0, (nuint)sizeof(vma_prepare));
        vp->vma = vma;
        vp->anon_vma = vma->anon_vma;
        vp->remove = remove;
        vp->remove2 = remove2;
        vp->adj_next = next;
        if (vp->anon_vma == null && next != null)
            vp->anon_vma = next->anon_vma;

        vp->file = vma->vm_file;
        if (vp->file != null)
            throw no_files("init_multi_vma_prep");
    }

    [Upstream("mm/vma.c", "can_vma_merge_before", "a19832e0ff2f905f")]
    private bool can_vma_merge_before(vma_merge_struct* vmg)
    {
        pgoff_t pglen = PHYS_PFN(vmg->end - vmg->start);

        if (is_mergeable_vma(vmg, /* merge_next = */ true) &&
            is_mergeable_anon_vma(vmg->anon_vma, vmg->next->anon_vma, vmg->next))
        {
            if (vmg->next->vm_pgoff == vmg->pgoff + pglen)
                return true;
        }

        return false;
    }

    [Upstream("mm/vma.c", "can_vma_merge_after", "48988bcfb5ee6737")]
    private bool can_vma_merge_after(vma_merge_struct* vmg)
    {
        if (is_mergeable_vma(vmg, /* merge_next = */ false) &&
            is_mergeable_anon_vma(vmg->anon_vma, vmg->prev->anon_vma, vmg->prev))
        {
            if (vmg->prev->vm_pgoff + vma_pages(vmg->prev) == vmg->pgoff)
                return true;
        }
        return false;
    }

    [Upstream("mm/vma.c", "vma_prepare", "6613d1d18a32c5d1")]
    private void vma_prepare(vma_prepare* vp)
    {
        if (vp->file != null)
            throw no_files("vma_prepare");

        if (vp->anon_vma != null)
        {
            anon_vma_lock_write(vp->anon_vma);
            anon_vma_interval_tree_pre_update_vma(vp->vma);
            if (vp->adj_next != null)
                anon_vma_interval_tree_pre_update_vma(vp->adj_next);
        }
    }

    [Upstream("mm/vma.c", "vma_complete", "6c7567c5026c2142")]
    private void vma_complete(vma_prepare* vp, vma_iterator* vmi, mm_struct* mm)
    {
        if (vp->file != null)
            throw no_files("vma_complete");

        if (vp->remove != null && vp->file != null)
        {
            throw no_files("vma_complete");
        }
        else if (vp->insert != null)
        {
            // The split-off part goes into the tree here.
            vma_iter_store(vmi, vp->insert);
            mm->map_count++;
        }

        if (vp->anon_vma != null)
        {
            anon_vma_interval_tree_post_update_vma(vp->vma);
            if (vp->adj_next != null)
                anon_vma_interval_tree_post_update_vma(vp->adj_next);
            anon_vma_unlock_write(vp->anon_vma);
        }

        if (vp->remove != null)
        {
        again:
            vma_mark_detached(vp->remove, true);
            if (vp->remove->anon_vma != null)
                anon_vma_merge(vp->vma, vp->remove);
            mm->map_count--;
            mpol_put(vma_policy(vp->remove));
            if (vp->remove2 == null)
                WARN_ON_ONCE(vp->vma->vm_end < vp->remove->vm_end);
            vm_area_free(vp->remove);

            if (vp->remove2 != null)
            {
                vp->remove = vp->remove2;
                vp->remove2 = null;
                goto again;
            }
        }
    }

    [Upstream("mm/vma.c", "init_vma_prep", "9d2e40bfc7ea6559")]
    private static void init_vma_prep(vma_prepare* vp, vm_area_struct* vma)
    {
        init_multi_vma_prep(vp, vma, null, null, null);
    }

    [Upstream("mm/vma.c", "can_vma_merge_left", "4bbc1f8064532348")]
    private bool can_vma_merge_left(vma_merge_struct* vmg)
    {
        return vmg->prev != null && vmg->prev->vm_end == vmg->start &&
            can_vma_merge_after(vmg);
    }

    [Upstream("mm/vma.c", "can_vma_merge_right", "5d3ce519f0f6bf49")]
    private bool can_vma_merge_right(vma_merge_struct* vmg, bool can_merge_left)
    {
        if (vmg->next == null || vmg->end != vmg->next->vm_start ||
            !can_vma_merge_before(vmg))
            return false;

        if (!can_merge_left)
            return true;

        // Merging both sides joins prev and next: their anon_vmas must agree too.
        return are_anon_vmas_compatible(vmg->prev, vmg->next);
    }

    [Upstream("mm/vma.c", "remove_vma", "79aa29a86baa3f21")]
    internal void remove_vma(vm_area_struct* vma, bool unreachable)
    {
        might_sleep();
        vma_close(vma);
        if (vma->vm_file != null)
            throw no_files("remove_vma");
        mpol_put(vma_policy(vma));
        if (unreachable)
            __vm_area_free(vma);
        else
            vm_area_free(vma);
    }

    [Upstream("mm/vma.c", "unmap_region", "dd37af028aad230a")]
    internal void unmap_region(ma_state* mas, vm_area_struct* vma, vm_area_struct* prev, vm_area_struct* next)
    {
        mm_struct* mm = vma->vm_mm;
        mmu_gather tlb;

        lru_add_drain();
        tlb_gather_mmu(&tlb, mm);
        update_hiwater_rss(mm);
        unmap_vmas(&tlb, mas, vma, vma->vm_start, vma->vm_end, vma->vm_end,
            /* mm_wr_locked = */ true);
        mas_set(mas, vma->vm_end);
        free_pgtables(&tlb, mas, vma, prev != null ? prev->vm_end : FIRST_USER_ADDRESS,
            next != null ? next->vm_start : USER_PGTABLES_CEILING,
            /* mm_wr_locked = */ true);
        tlb_finish_mmu(&tlb);
    }

    [Upstream("mm/vma.c", "__split_vma", "32063fa4222d2d4e")]
    private int __split_vma(vma_iterator* vmi, vm_area_struct* vma, ulong addr, int new_below)
    {
        vma_prepare vp;
        vm_area_struct* @new;
        int err;

        WARN_ON(vma->vm_start >= addr);
        WARN_ON(vma->vm_end <= addr);

        if (vm_ops_has_callbacks(vma))
            throw new NotSupportedException("__split_vma: vm_ops->may_split");

        @new = vm_area_dup(vma);
        if (@new == null)
            return -ENOMEM;

        if (new_below != 0)
        {
            @new->vm_end = addr;
        }
        else
        {
            @new->vm_start = addr;
            @new->vm_pgoff += ((addr - vma->vm_start) >> (int)PAGE_SHIFT);
        }

        err = -ENOMEM;
        vma_iter_config(vmi, @new->vm_start, @new->vm_end);
        if (vma_iter_prealloc(vmi, @new) != 0)
            goto out_free_vma;

        err = vma_dup_policy(vma, @new);
        if (err != 0)
            goto out_free_vmi;

        err = anon_vma_clone(@new, vma);
        if (err != 0)
            goto out_free_mpol;

        if (@new->vm_file != null)
            throw no_files("__split_vma");

        vma_start_write(vma);
        vma_start_write(@new);

        init_vma_prep(&vp, vma);
        vp.insert = @new;
        vma_prepare(&vp);

        vma_adjust_trans_huge(vma, vma->vm_start, addr, 0);
        if (is_vm_hugetlb_page(vma))
            throw new NotSupportedException("__split_vma: hugetlb_split (no hugetlbfs in Emu)");

        if (new_below != 0)
        {
            vma->vm_start = addr;
            vma->vm_pgoff += (addr - @new->vm_start) >> (int)PAGE_SHIFT;
        }
        else
        {
            vma->vm_end = addr;
        }

        // vma_complete stores the new part.
        vma_complete(&vp, vmi, vma->vm_mm);

        // Leave the iterator on the part the caller continues with.
        if (new_below != 0)
            vma_next(vmi);
        else
            vma_prev(vmi);

        return 0;

    out_free_mpol:
        mpol_put(vma_policy(@new));
    out_free_vmi:
        vma_iter_free(vmi);
    out_free_vma:
        vm_area_free(@new);
        return err;
    }

    [Upstream("mm/vma.c", "split_vma", "ad5cb7676b7fa36b")]
    internal int split_vma(vma_iterator* vmi, vm_area_struct* vma, ulong addr, int new_below)
    {
        if (vma->vm_mm->map_count >= sysctl_max_map_count)
            return -ENOMEM;

        return __split_vma(vmi, vma, addr, new_below);
    }

    [Upstream("mm/vma.c", "anon_vma_interval_tree_pre_update_vma", "661eb44d7acb3114")]
    internal void anon_vma_interval_tree_pre_update_vma(vm_area_struct* vma)
    {
        foreach (anon_vma_chain* avc in list_for_each_entry<anon_vma_chain>(&vma->anon_vma_chain, offsetof.anon_vma_chain.same_vma))
            anon_vma_interval_tree_remove(avc, &avc->anon_vma->rb_root);
    }

    [Upstream("mm/vma.c", "anon_vma_interval_tree_post_update_vma", "a8a6638073af3be4")]
    internal void anon_vma_interval_tree_post_update_vma(vm_area_struct* vma)
    {
        foreach (anon_vma_chain* avc in list_for_each_entry<anon_vma_chain>(&vma->anon_vma_chain, offsetof.anon_vma_chain.same_vma))
            anon_vma_interval_tree_insert(avc, &avc->anon_vma->rb_root);
    }

    [Upstream("mm/vma.c", "dup_anon_vma", "474436ef2d5d3956")]
    private int dup_anon_vma(vm_area_struct* dst, vm_area_struct* src, vm_area_struct** dup)
    {
        // dst takes src's anon_vma when it has none: the merged VMA must keep src's pages reachable.
        if (src->anon_vma != null && dst->anon_vma == null)
        {
            int ret;

            vma_assert_write_locked(dst);
            dst->anon_vma = src->anon_vma;
            ret = anon_vma_clone(dst, src);
            if (ret != 0)
                return ret;
        }

        return 0;
    }

    /// <summary>CONFIG_DEBUG_VM_MAPLE_TREE is not set: the empty macro.</summary>
    [Upstream("mm/vma.h", "validate_mm", UpstreamAttribute.Macro, Definition = 2)]
    internal static void validate_mm(mm_struct* mm) { }

    [Upstream("mm/vma.c", "commit_merge", "94d75a8d3268de82")]
    private int commit_merge(vma_merge_struct* vmg, vm_area_struct* adjust, vm_area_struct* remove,
        vm_area_struct* remove2, long adj_start, bool expanded)
    {
        vma_prepare vp;

        init_multi_vma_prep(&vp, vmg->vma, adjust, remove, remove2);
        vp.skip_vma_uprobe = vmg->skip_vma_uprobe;

        VM_WARN_ON(vp.anon_vma != null && adjust != null && adjust->anon_vma != null &&
            vp.anon_vma != adjust->anon_vma);

        if (expanded)
        {
            // The iterator must already point at vmg->start.
            vma_iter_config(vmg->vmi, vmg->start, vmg->end);
        }
        else
        {
            vma_iter_config(vmg->vmi, (ulong)((long)adjust->vm_start + adj_start),
                adjust->vm_end);
        }

        if (vma_iter_prealloc(vmg->vmi, vmg->vma) != 0)
            return -ENOMEM;

        vma_prepare(&vp);
        vma_adjust_trans_huge(vmg->vma, vmg->start, vmg->end, adj_start);
        vma_set_range(vmg->vma, vmg->start, vmg->end, vmg->pgoff);

        if (expanded)
            vma_iter_store(vmg->vmi, vmg->vma);

        if (adj_start != 0)
        {
            adjust->vm_start = (ulong)((long)adjust->vm_start + adj_start);
            adjust->vm_pgoff = (ulong)((long)adjust->vm_pgoff + (adj_start >> (int)PAGE_SHIFT));
            if (adj_start < 0)
            {
                WARN_ON(expanded);
                vma_iter_store(vmg->vmi, adjust);
            }
        }

        vma_complete(&vp, vmg->vmi, vmg->vma->vm_mm);

        return 0;
    }

    [Upstream("mm/vma.c", "can_merge_remove_vma", "0ed81be8b041dda0")]
    private bool can_merge_remove_vma(vm_area_struct* vma)
    {
        return !vm_ops_has_callbacks(vma);
    }

    [Upstream("mm/vma.c", "vma_merge_existing_range", "7fa4b023d1931e3e")]
    private vm_area_struct* vma_merge_existing_range(vma_merge_struct* vmg)
    {
        vm_area_struct* vma = vmg->vma;
        vm_area_struct* prev = vmg->prev;
        vm_area_struct* next, res;
        vm_area_struct* anon_dup = null;
        vm_area_struct* adjust = null;
        ulong start = vmg->start;
        ulong end = vmg->end;
        bool left_side = vma != null && start == vma->vm_start;
        bool right_side = vma != null && end == vma->vm_end;
        int err = 0;
        long adj_start = 0;
        bool merge_will_delete_vma, merge_will_delete_next;
        bool merge_left, merge_right, merge_both;
        bool expanded;

        mmap_assert_write_locked(vmg->mm);
        VM_WARN_ON(vma == null);
        VM_WARN_ON(vmg->next != null);
        VM_WARN_ON(prev != null && start <= prev->vm_start);
        VM_WARN_ON(start >= end);
        VM_WARN_ON(vma != null && ((vma != prev && vmg->start != vma->vm_start) ||
            vmg->end > vma->vm_end));
        // The iterator must be inside vmg->vma.
        VM_WARN_ON(vma != null && !(vma_iter_addr(vmg->vmi) >= vma->vm_start &&
            vma_iter_addr(vmg->vmi) < vma->vm_end));

        vmg->state = vma_merge_state.VMA_MERGE_NOMERGE;

        // Only a range touching one end of vma can merge with a neighbour.
        if ((vmg->flags & VM_SPECIAL) != 0 || (!left_side && !right_side))
            return null;

        if (left_side)
            merge_left = can_vma_merge_left(vmg);
        else
            merge_left = false;

        if (right_side)
        {
            next = vmg->next = vma_iter_next_range(vmg->vmi);
            vma_iter_prev_range(vmg->vmi);

            merge_right = can_vma_merge_right(vmg, merge_left);
        }
        else
        {
            merge_right = false;
            next = null;
        }

        if (merge_left)
            vma_prev(vmg->vmi);
        else if (!merge_right)
            return null;

        merge_both = merge_left && merge_right;
        merge_will_delete_vma = left_side && right_side;

        if (merge_will_delete_vma && !can_merge_remove_vma(vma))
            return null;

        merge_will_delete_next = merge_both;

        if (merge_will_delete_next && !can_merge_remove_vma(next))
        {
            merge_will_delete_next = false;
            merge_right = false;
            merge_both = false;
        }

        vma_start_write(vma);

        if (merge_left)
            vma_start_write(prev);

        if (merge_right)
            vma_start_write(next);

        if (merge_both)
        {
            // prev swallows vma and next.
            vmg->vma = prev;
            vmg->start = prev->vm_start;
            vmg->end = next->vm_end;
            vmg->pgoff = prev->vm_pgoff;

            err = dup_anon_vma(prev, next->anon_vma != null ? next : vma, &anon_dup);
        }
        else if (merge_left)
        {
            // prev grows over [start, end); what is left of vma shrinks from the left.
            vmg->vma = prev;
            vmg->start = prev->vm_start;
            vmg->pgoff = prev->vm_pgoff;

            if (!merge_will_delete_vma)
            {
                adjust = vma;
                adj_start = (long)(vmg->end - vma->vm_start);
            }

            err = dup_anon_vma(prev, vma, &anon_dup);
        }
        else
        {
            pgoff_t pglen = PHYS_PFN(vmg->end - vmg->start);

            VM_WARN_ON(!merge_right);
            VM_WARN_ON(vmg->start > vma->vm_start && prev != null && vma != prev);

            if (merge_will_delete_vma)
            {
                vmg->vma = next;
                vmg->end = next->vm_end;
                vmg->pgoff = next->vm_pgoff - pglen;
            }
            else
            {
                // vma shrinks to [vm_start, start); next grows down to start.
                vmg->start = vma->vm_start;
                vmg->end = start;
                vmg->pgoff = vma->vm_pgoff;

                adjust = next;
                adj_start = -(long)(vma->vm_end - start);
            }

            err = dup_anon_vma(next, vma, &anon_dup);
        }

        expanded = !merge_right || merge_will_delete_vma;

        if (err != 0 || commit_merge(vmg, adjust,
                merge_will_delete_vma ? vma : null,
                merge_will_delete_next ? next : null,
                adj_start, expanded) != 0)
            goto abort;

        res = merge_left ? prev : next;
        khugepaged_enter_vma(res, vmg->flags);

        vmg->state = vma_merge_state.VMA_MERGE_SUCCESS;
        return res;

    abort:
        vma_iter_set(vmg->vmi, start);
        vma_iter_load(vmg->vmi);

        if (anon_dup != null)
            unlink_anon_vmas(anon_dup);

        if (!vmg->give_up_on_oom)
            vmg->state = vma_merge_state.VMA_MERGE_ERROR_NOMEM;
        return null;
    }

    [Upstream("mm/vma.c", "vma_merge_new_range", "3c460f50dfbfe454")]
    internal vm_area_struct* vma_merge_new_range(vma_merge_struct* vmg)
    {
        vm_area_struct* prev = vmg->prev;
        vm_area_struct* next = vmg->next;
        ulong start = vmg->start;
        ulong end = vmg->end;
        pgoff_t pgoff = vmg->pgoff;
        pgoff_t pglen = PHYS_PFN(end - start);
        bool can_merge_left, can_merge_right;
        bool just_expand = (vmg->merge_flags & vma_merge_flags.VMG_FLAG_JUST_EXPAND) != 0;

        mmap_assert_write_locked(vmg->mm);
        VM_WARN_ON(vmg->vma != null);
        // The iterator must be at or before the gap.
        VM_WARN_ON(vma_iter_addr(vmg->vmi) > end);

        vmg->state = vma_merge_state.VMA_MERGE_NOMERGE;

        if ((vmg->flags & VM_SPECIAL) != 0 || (prev == null && next == null))
            return null;

        can_merge_left = can_vma_merge_left(vmg);
        can_merge_right = !just_expand && can_vma_merge_right(vmg, can_merge_left);

        if (can_merge_right)
        {
            vmg->end = next->vm_end;
            vmg->vma = next;
            vmg->pgoff = next->vm_pgoff - pglen;
        }

        if (can_merge_left)
        {
            vmg->start = prev->vm_start;
            vmg->vma = prev;
            vmg->pgoff = prev->vm_pgoff;

            if (can_merge_right && !can_merge_remove_vma(next))
                vmg->end = end;

            if (!just_expand)
            {
                // Step back to prev's range.
                vma_prev(vmg->vmi);
            }
        }

        if (vmg->vma != null && vma_expand(vmg) == 0)
        {
            khugepaged_enter_vma(vmg->vma, vmg->flags);
            vmg->state = vma_merge_state.VMA_MERGE_SUCCESS;
            return vmg->vma;
        }

        // Undo the adjustments so the caller can map a new VMA instead.
        if (!just_expand)
        {
            vmg->vma = null;
            vmg->start = start;
            vmg->end = end;
            vmg->pgoff = pgoff;
            if (vmg->vma == prev)
                vma_iter_set(vmg->vmi, start);
        }

        return null;
    }

    [Upstream("mm/vma.c", "vma_expand", "18b68e6ac1001ea4")]
    internal int vma_expand(vma_merge_struct* vmg)
    {
        vm_area_struct* anon_dup = null;
        bool remove_next = false;
        vm_area_struct* vma = vmg->vma;
        vm_area_struct* next = vmg->next;

        mmap_assert_write_locked(vmg->mm);

        vma_start_write(vma);
        if (next != null && (vma != next) && (vmg->end == next->vm_end))
        {
            int ret;

            remove_next = true;
            VM_WARN_ON(!can_merge_remove_vma(next));
            vma_start_write(next);
            ret = dup_anon_vma(vma, next, &anon_dup);
            if (ret != 0)
                return ret;
        }

        VM_WARN_ON(next != null && !remove_next &&
            next != vma && vmg->end > next->vm_start);
        VM_WARN_ON(vma->vm_start < vmg->start || vma->vm_end > vmg->end);

        if (commit_merge(vmg, null, remove_next ? next : null, null, 0, true) != 0)
            goto nomem;

        return 0;

    nomem:
        if (anon_dup != null)
            unlink_anon_vmas(anon_dup);
        if (!vmg->give_up_on_oom)
            vmg->state = vma_merge_state.VMA_MERGE_ERROR_NOMEM;
        return -ENOMEM;
    }

    [Upstream("mm/vma.c", "vma_shrink", "08d97699bb211b51")]
    internal int vma_shrink(vma_iterator* vmi, vm_area_struct* vma, ulong start, ulong end, pgoff_t pgoff)
    {
        vma_prepare vp;

        WARN_ON((vma->vm_start != start) && (vma->vm_end != end));

        if (vma->vm_start < start)
            vma_iter_config(vmi, vma->vm_start, start);
        else
            vma_iter_config(vmi, end, vma->vm_end);

        if (vma_iter_prealloc(vmi, null) != 0)
            return -ENOMEM;

        vma_start_write(vma);

        init_vma_prep(&vp, vma);
        vma_prepare(&vp);
        vma_adjust_trans_huge(vma, start, end, 0);

        vma_iter_clear(vmi);
        vma_set_range(vma, start, end, pgoff);
        vma_complete(&vp, vmi, vma->vm_mm);
        validate_mm(vma->vm_mm);
        return 0;
    }

    [Upstream("mm/vma.c", "vms_clear_ptes", "476321c591ea618c")]
    private void vms_clear_ptes(vma_munmap_struct* vms, ma_state* mas_detach, bool mm_wr_locked)
    {
        mmu_gather tlb;

        if (!vms->clear_ptes)
            return;

        // The detached tree is indexed 0..vma_count-1; unmap_vmas walks it from the second entry.
        mas_set(mas_detach, 1);
        lru_add_drain();
        tlb_gather_mmu(&tlb, vms->vma->vm_mm);
        update_hiwater_rss(vms->vma->vm_mm);
        unmap_vmas(&tlb, mas_detach, vms->vma, vms->start, vms->end,
            (ulong)vms->vma_count, mm_wr_locked);

        mas_set(mas_detach, 1);
        free_pgtables(&tlb, mas_detach, vms->vma, vms->unmap_start,
            vms->unmap_end, mm_wr_locked);
        tlb_finish_mmu(&tlb);
        vms->clear_ptes = false;
    }

    [Upstream("mm/vma.c", "vms_clean_up_area", "33d94cfc99d477f5")]
    internal void vms_clean_up_area(vma_munmap_struct* vms, ma_state* mas_detach)
    {
        vm_area_struct* vma;

        if (vms->nr_pages == 0)
            return;

        vms_clear_ptes(vms, mas_detach, true);
        mas_set(mas_detach, 0);
        while ((vma = (vm_area_struct*)mas_find(mas_detach, ulong.MaxValue)) != null)
            vma_close(vma);
    }

    [Upstream("mm/vma.c", "vms_complete_munmap_vmas", "3a94fb150aa4951b")]
    internal void vms_complete_munmap_vmas(vma_munmap_struct* vms, ma_state* mas_detach)
    {
        vm_area_struct* vma;
        mm_struct* mm;

        mm = current_mm;
        mm->map_count -= vms->vma_count;
        mm->locked_vm -= vms->locked_vm;
        if (vms->unlock)
            mmap_write_downgrade(mm);

        if (vms->nr_pages == 0)
            return;

        vms_clear_ptes(vms, mas_detach, !vms->unlock);
        update_hiwater_vm(mm);
        System.Threading.Volatile.Write(ref mm->total_vm, System.Threading.Volatile.Read(ref mm->total_vm) - vms->nr_pages);
        VM_WARN_ON(vms->exec_vm > mm->exec_vm);
        VM_WARN_ON(vms->stack_vm > mm->stack_vm);
        VM_WARN_ON(vms->data_vm > mm->data_vm);
        mm->exec_vm -= vms->exec_vm;
        mm->stack_vm -= vms->stack_vm;
        mm->data_vm -= vms->data_vm;

        mas_set(mas_detach, 0);
        while ((vma = (vm_area_struct*)mas_find(mas_detach, ulong.MaxValue)) != null)
            remove_vma(vma, /* unreachable = */ false);

        vm_unacct_memory((long)vms->nr_accounted);
        validate_mm(mm);
        if (vms->unlock)
            mmap_read_unlock(mm);

        __mt_destroy(mas_detach->tree);
    }

    [Upstream("mm/vma.c", "vms_gather_munmap_vmas", "d7f20a8fead6c20e")]
    internal int vms_gather_munmap_vmas(vma_munmap_struct* vms, ma_state* mas_detach)
    {
        vm_area_struct* next = null;
        int error;

        if (vms->start > vms->vma->vm_start)
        {
            // Splitting the middle of a VMA needs one more map slot.
            if (vms->end < vms->vma->vm_end &&
                vms->vma->vm_mm->map_count >= sysctl_max_map_count)
            {
                error = -ENOMEM;
                goto map_count_exceeded;
            }

            if (!can_modify_vma(vms->vma))
            {
                error = -EPERM;
                goto start_split_failed;
            }

            error = __split_vma(vms->vmi, vms->vma, vms->start, 1);
            if (error != 0)
                goto start_split_failed;
        }
        vms->prev = vma_prev(vms->vmi);
        if (vms->prev != null)
            vms->unmap_start = vms->prev->vm_end;

        while ((next = vma_find(vms->vmi, vms->end)) != null)
        {
            long nrpages;

            if (!can_modify_vma(next))
            {
                error = -EPERM;
                goto modify_vma_failed;
            }
            if (next->vm_end > vms->end)
            {
                error = __split_vma(vms->vmi, next, vms->end, 0);
                if (error != 0)
                    goto end_split_failed;
            }
            vma_start_write(next);
            mas_set(mas_detach, (ulong)vms->vma_count++);
            error = mas_store_gfp(mas_detach, next, GFP_KERNEL);
            if (error != 0)
                goto munmap_gather_failed;

            vma_mark_detached(next, true);
            nrpages = (long)vma_pages(next);

            vms->nr_pages += (ulong)nrpages;
            if ((next->vm_flags & VM_LOCKED) != 0)
                vms->locked_vm += (ulong)nrpages;

            if ((next->vm_flags & VM_ACCOUNT) != 0)
                vms->nr_accounted += (ulong)nrpages;

            if (is_exec_mapping(next->vm_flags))
                vms->exec_vm += (ulong)nrpages;
            else if (is_stack_mapping(next->vm_flags))
                vms->stack_vm += (ulong)nrpages;
            else if (is_data_mapping(next->vm_flags))
                vms->data_vm += (ulong)nrpages;

            if (vms->uf != null)
            {
                error = userfaultfd_unmap_prep(next, vms->start,
                    vms->end, vms->uf);
                if (error != 0)
                    goto userfaultfd_error;
            }
        }

        vms->next = vma_next(vms->vmi);
        if (vms->next != null)
            vms->unmap_end = vms->next->vm_start;

        while (vma_iter_addr(vms->vmi) > vms->start)
            vma_iter_prev_range(vms->vmi);

        vms->clear_ptes = true;
        return 0;

    userfaultfd_error:
    munmap_gather_failed:
    end_split_failed:
    modify_vma_failed:
        reattach_vmas(mas_detach);
    start_split_failed:
    map_count_exceeded:
        return error;
    }

    [Upstream("mm/vma.c", "do_vmi_align_munmap", "4abba054f5ca989a")]
    internal int do_vmi_align_munmap(vma_iterator* vmi, vm_area_struct* vma, mm_struct* mm, ulong start, ulong end,
        list_head* uf, bool unlock)
    {
        maple_tree mt_detach;
        ma_state mas_detach = MA_STATE(&mt_detach, 0, 0);
        mt_init_flags(&mt_detach, vmi->mas.tree->ma_flags & (uint)MT_FLAGS_LOCK_MASK);
        mt_on_stack(&mt_detach);
        vma_munmap_struct vms;
        int error;

        init_vma_munmap(&vms, vmi, vma, start, end, uf, unlock);
        error = vms_gather_munmap_vmas(&vms, &mas_detach);
        if (error != 0)
            goto gather_failed;

        error = vma_iter_clear_gfp(vmi, start, end, GFP_KERNEL);
        if (error != 0)
            goto clear_tree_failed;

        // From here on the unmap cannot fail.
        vms_complete_munmap_vmas(&vms, &mas_detach);
        return 0;

    clear_tree_failed:
        reattach_vmas(&mas_detach);
    gather_failed:
        validate_mm(mm);
        return error;
    }

    [Upstream("mm/vma.c", "do_vmi_munmap", "ce41d9938bc575b5")]
    internal int do_vmi_munmap(vma_iterator* vmi, mm_struct* mm, ulong start, ulong len, list_head* uf, bool unlock)
    {
        ulong end;
        vm_area_struct* vma;

        if ((offset_in_page(start)) != 0 || start > TASK_SIZE || len > TASK_SIZE - start)
            return -EINVAL;

        end = start + PAGE_ALIGN(len);
        if (end == start)
            return -EINVAL;

        vma = vma_find(vmi, end);
        if (vma == null)
        {
            if (unlock)
                mmap_write_unlock(mm);
            return 0;
        }

        return do_vmi_align_munmap(vmi, vma, mm, start, end, uf, unlock);
    }

    [Upstream("mm/vma.c", "vma_modify", "365ca959a7342077")]
    private vm_area_struct* vma_modify(vma_merge_struct* vmg)
    {
        vm_area_struct* vma = vmg->vma;
        ulong start = vmg->start;
        ulong end = vmg->end;
        vm_area_struct* merged;

        merged = vma_merge_existing_range(vmg);
        if (merged != null)
            return merged;
        if (vmg_nomem(vmg))
            return (vm_area_struct*)ERR_PTR(-ENOMEM);

        VM_WARN_ON(vmg->give_up_on_oom &&
            (vma->vm_start != start || vma->vm_end != end));

        if (vma->vm_start < start)
        {
            int err = split_vma(vmg->vmi, vma, start, 1);

            if (err != 0)
                return (vm_area_struct*)ERR_PTR(err);
        }

        if (vma->vm_end > end)
        {
            int err = split_vma(vmg->vmi, vma, end, 0);

            if (err != 0)
                return (vm_area_struct*)ERR_PTR(err);
        }

        return vma;
    }

    [Upstream("mm/vma.c", "vma_modify_flags", "63fbc1b2e04373bc")]
    internal vm_area_struct* vma_modify_flags(vma_iterator* vmi, vm_area_struct* prev, vm_area_struct* vma,
        ulong start, ulong end, ulong new_flags)
    {
        vma_merge_struct vmg = VMG_VMA_STATE(vmi, prev, vma, start, end);

        vmg.flags = new_flags;

        return vma_modify(&vmg);
    }

    [Upstream("mm/vma.c", "vma_modify_flags_name", "6d2d5962cbcc94b5")]
    internal vm_area_struct* vma_modify_flags_name(vma_iterator* vmi, vm_area_struct* prev, vm_area_struct* vma,
        ulong start, ulong end, ulong new_flags, void* new_name)
    {
        vma_merge_struct vmg = VMG_VMA_STATE(vmi, prev, vma, start, end);

        vmg.flags = new_flags;
        vmg.anon_name = (global::Emu.Kernel.anon_vma_name*)new_name;

        return vma_modify(&vmg);
    }

    [Upstream("mm/vma.c", "vma_link", "64dc7af4ef30cc6f")]
    internal int vma_link(mm_struct* mm, vm_area_struct* vma)
    {
        vma_iterator vmi = VMA_ITERATOR(mm, 0);

        vma_iter_config(&vmi, vma->vm_start, vma->vm_end);
        if (vma_iter_prealloc(&vmi, vma) != 0)
            return -ENOMEM;

        vma_start_write(vma);
        vma_iter_store(&vmi, vma);
        vma_link_file(vma);
        mm->map_count++;
        validate_mm(mm);
        return 0;
    }

    [Upstream("mm/vma.c", "vma_link_file", "00d0c2ea8fe59791")]
    internal void vma_link_file(vm_area_struct* vma)
    {
        if (vma->vm_file != null)
            throw no_files("vma_link_file");
    }

    [Upstream("mm/vma.c", "anon_vma_compatible", "35009874caef65c2")]
    private static bool anon_vma_compatible(vm_area_struct* a, vm_area_struct* b)
    {
        // Adjacent, same file offset continuity and same flags apart from the ones mprotect toggles.
        return a->vm_end == b->vm_start &&
            mpol_equal(vma_policy(a), vma_policy(b)) &&
            a->vm_file == b->vm_file &&
            ((a->vm_flags ^ b->vm_flags) & ~(ulong)(VM_ACCESS_FLAGS | VM_SOFTDIRTY)) == 0 &&
            b->vm_pgoff == a->vm_pgoff + ((b->vm_start - a->vm_start) >> (int)PAGE_SHIFT);
    }

    [Upstream("mm/vma.c", "reusable_anon_vma", "ee10c664582d06e8")]
    private static anon_vma* reusable_anon_vma(vm_area_struct* old, vm_area_struct* a, vm_area_struct* b)
    {
        if (anon_vma_compatible(a, b))
        {
            anon_vma* anon_vma = (anon_vma*)System.Threading.Volatile.Read(ref *(nint*)&old->anon_vma);

            if (anon_vma != null && list_is_singular(&old->anon_vma_chain))
                return anon_vma;
        }
        return null;
    }

    [Upstream("mm/vma.c", "find_mergeable_anon_vma", "b72e12694db264a4")]
    internal anon_vma* find_mergeable_anon_vma(vm_area_struct* vma)
    {
        anon_vma* anon_vma = null;
        vm_area_struct* prev, next;
        vma_iterator vmi = VMA_ITERATOR(vma->vm_mm, vma->vm_end);

        // Try the VMA after, then the one before.
        next = vma_iter_load(&vmi);
        if (next != null)
        {
            anon_vma = reusable_anon_vma(next, vma, next);
            if (anon_vma != null)
                return anon_vma;
        }

        prev = vma_prev(&vmi);
        VM_BUG_ON_VMA(prev != vma, vma);
        prev = vma_prev(&vmi);
        if (prev != null)
            anon_vma = reusable_anon_vma(prev, prev, vma);

        return anon_vma;
    }

    /// <summary>Takes the VMA rather than vma->vm_ops: the ops table is opaque in Emu (see vm_ops_has_callbacks).</summary>
    [Upstream("mm/vma.c", "vm_ops_needs_writenotify", "ef4531c724b9e533")]
    private bool vm_ops_needs_writenotify(vm_area_struct* vma)
    {
        return vm_ops_has_callbacks(vma);
    }

    [Upstream("mm/vma.c", "vma_is_shared_writable", "0f190949e1add0e7")]
    private static bool vma_is_shared_writable(vm_area_struct* vma)
    {
        return (vma->vm_flags & (VM_WRITE | VM_SHARED)) ==
            (VM_WRITE | VM_SHARED);
    }

    [Upstream("mm/vma.c", "vma_fs_can_writeback", "0e7769e993817b5c")]
    private static bool vma_fs_can_writeback(vm_area_struct* vma)
    {
        // No pages of its own to write back.
        if ((vma->vm_flags & VM_PFNMAP) != 0)
            return false;

        if (vma->vm_file != null)
            throw no_files("vma_fs_can_writeback");
        return false; // vma->vm_file is NULL

    }

    [Upstream("mm/vma.c", "vma_needs_dirty_tracking", "8d90542824153cd4")]
    internal bool vma_needs_dirty_tracking(vm_area_struct* vma)
    {
        if (!vma_is_shared_writable(vma))
            return false;

        if (vm_ops_needs_writenotify(vma))
            return true;

        return vma_fs_can_writeback(vma);
    }

    [Upstream("mm/vma.c", "vma_wants_writenotify", "8c433ee524f1c140")]
    internal bool vma_wants_writenotify(vm_area_struct* vma, pgprot_t vm_page_prot)
    {
        if (!vma_is_shared_writable(vma))
            return false;

        if (vm_ops_needs_writenotify(vma))
            return true;

        // A prot that differs from the flags' default was chosen on purpose: no write notify.
        if (pgprot_val(vm_page_prot) !=
            pgprot_val(vm_pgprot_modify(vm_page_prot, vma->vm_flags)))
            return false;

        if (vma_soft_dirty_enabled(vma) && !is_vm_hugetlb_page(vma))
            return true;

        if (userfaultfd_wp(vma))
            return true;

        return vma_fs_can_writeback(vma);
    }
}
