// SPDX-License-Identifier: GPL-2.0-only
// mm/vma.h: the inlines shared by mm/vma.c, mm/mmap.c and their users.
using static Emu.Kernel.KernelConstants;
using gfp_t = uint;
using pgprot_t = Emu.Kernel.pgprot;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/vma.h", "vma_iter_store_gfp", "94c1b6677b418d00")]
    internal int vma_iter_store_gfp(vma_iterator* vmi, vm_area_struct* vma, gfp_t gfp)
    {
        if (vmi->mas.status != maple_status.ma_start &&
            ((vmi->mas.index > vma->vm_start) || (vmi->mas.last < vma->vm_start)))
            vma_iter_invalidate(vmi);

        __mas_set_range(&vmi->mas, vma->vm_start, vma->vm_end - 1);
        mas_store_gfp(&vmi->mas, vma, gfp);
        if (mas_is_err(&vmi->mas))
            return -ENOMEM;

        return 0;
    }

    [Upstream("mm/vma.h", "vma_prev_limit", "539ff8e472cad453")]
    internal vm_area_struct* vma_prev_limit(vma_iterator* vmi, ulong min)
    {
        return (vm_area_struct*)mas_prev(&vmi->mas, min);
    }

    [Upstream("mm/vma.h", "is_exec_mapping", "4223cbb21405d5a6")]
    internal static bool is_exec_mapping(ulong flags)
    {
        return (flags & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC;
    }

    [Upstream("mm/vma.h", "is_stack_mapping", "441d820a2d00136b")]
    internal static bool is_stack_mapping(ulong flags)
    {
        return ((flags & VM_STACK) == VM_STACK) || (flags & VM_SHADOW_STACK) != 0;
    }

    [Upstream("mm/vma.h", "is_data_mapping", "bc6ccd85d74a9965")]
    internal static bool is_data_mapping(ulong flags)
    {
        return (flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE;
    }

    [Upstream("mm/vma.h", "vma_iter_config", "004426b9a97bec50")]
    internal void vma_iter_config(vma_iterator* vmi, ulong index, ulong last)
    {
        __mas_set_range(&vmi->mas, index, last - 1);
    }

    [Upstream("mm/vma.h", "vma_iter_reset", "36ee3e60af880f4f")]
    internal static void vma_iter_reset(vma_iterator* vmi)
    {
        mas_reset(&vmi->mas);
    }

    [Upstream("mm/vma.h", "vma_iter_prev_range_limit", "6137cacd421c435b")]
    internal vm_area_struct* vma_iter_prev_range_limit(vma_iterator* vmi, ulong min)
    {
        return (vm_area_struct*)mas_prev_range(&vmi->mas, min);
    }

    [Upstream("mm/vma.h", "vma_iter_next_range_limit", "836afacbca4c2ce1")]
    internal vm_area_struct* vma_iter_next_range_limit(vma_iterator* vmi, ulong max)
    {
        return (vm_area_struct*)mas_next_range(&vmi->mas, max);
    }

    [Upstream("mm/vma.h", "vma_iter_area_lowest", "9c21b06759f9069d")]
    internal int vma_iter_area_lowest(vma_iterator* vmi, ulong min, ulong max, ulong size)
    {
        return mas_empty_area(&vmi->mas, min, max - 1, size);
    }

    [Upstream("mm/vma.h", "vma_iter_area_highest", "2cabcf410340106d")]
    internal int vma_iter_area_highest(vma_iterator* vmi, ulong min, ulong max, ulong size)
    {
        return mas_empty_area_rev(&vmi->mas, min, max - 1, size);
    }

    [Upstream("mm/vma.h", "vma_iter_prealloc", "ae30d92b23a8a818")]
    internal int vma_iter_prealloc(vma_iterator* vmi, vm_area_struct* vma)
    {
        return mas_preallocate(&vmi->mas, vma, GFP_KERNEL);
    }

    [Upstream("mm/vma.h", "vma_iter_clear", "f112a79a13265a25")]
    internal void vma_iter_clear(vma_iterator* vmi)
    {
        mas_store_prealloc(&vmi->mas, null);
    }

    [Upstream("mm/vma.h", "vma_iter_load", "08823cac1fe58790")]
    internal vm_area_struct* vma_iter_load(vma_iterator* vmi)
    {
        return (vm_area_struct*)mas_walk(&vmi->mas);
    }

    /// <summary>CONFIG_DEBUG_VM_MAPLE_TREE is off in Debian's config: no range warnings.</summary>
    [Upstream("mm/vma.h", "vma_iter_store", "2cefa6773a698a85")]
    internal void vma_iter_store(vma_iterator* vmi, vm_area_struct* vma)
    {
        if (vmi->mas.status != maple_status.ma_start &&
            ((vmi->mas.index > vma->vm_start) || (vmi->mas.last < vma->vm_start)))
            vma_iter_invalidate(vmi);

        __mas_set_range(&vmi->mas, vma->vm_start, vma->vm_end - 1);
        mas_store_prealloc(&vmi->mas, vma);
    }

    [Upstream("mm/vma.h", "vma_iter_addr", "c259b423e43156d6")]
    internal static ulong vma_iter_addr(vma_iterator* vmi)
    {
        return vmi->mas.index;
    }

    [Upstream("mm/vma.h", "vma_iter_end", "7be9d86fa1373256")]
    internal static ulong vma_iter_end(vma_iterator* vmi)
    {
        return vmi->mas.last + 1;
    }

    [Upstream("mm/vma.h", "vma_iter_bulk_alloc", "0a2fde372bf3edf5")]
    internal int vma_iter_bulk_alloc(vma_iterator* vmi, ulong count)
    {
        return mas_expected_entries(&vmi->mas, count);
    }

    [Upstream("mm/vma.h", "vma_iter_prev_range", "c7a4fefe0906b5a8")]
    internal vm_area_struct* vma_iter_prev_range(vma_iterator* vmi)
    {
        return (vm_area_struct*)mas_prev_range(&vmi->mas, 0);
    }

    [Upstream("mm/vma.h", "vma_iter_next_rewind", "09b9a03e186990b1")]
    internal vm_area_struct* vma_iter_next_rewind(vma_iterator* vmi, vm_area_struct** pprev)
    {
        vm_area_struct* next = vma_next(vmi);
        vm_area_struct* prev = vma_prev(vmi);

        // Without a previous VMA the iterator already sits at the start of the gap.
        if (prev != null)
            vma_iter_next_range(vmi);

        if (pprev != null)
            *pprev = prev;

        return next;
    }

    [Upstream("mm/vma.h", "vmg_nomem", "0cbec8f294b1db5b")]
    internal static bool vmg_nomem(vma_merge_struct* vmg)
    {
        return vmg->state == vma_merge_state.VMA_MERGE_ERROR_NOMEM;
    }

    [Upstream("mm/vma.h", "vma_pgoff_offset", "3ba87e8c48314ab1")]
    internal static ulong vma_pgoff_offset(vm_area_struct* vma, ulong addr)
    {
        return vma->vm_pgoff + PHYS_PFN(addr - vma->vm_start);
    }

    /// <summary>VMG_STATE(name, mm, vmi, start, end, flags, pgoff).</summary>
    [Upstream("mm/vma.h", "VMG_STATE", UpstreamAttribute.Macro)]
    internal static vma_merge_struct VMG_STATE(mm_struct* mm_, vma_iterator* vmi_, ulong start_, ulong end_, ulong flags_, ulong pgoff_)
    {
        vma_merge_struct name = default;
        name.mm = mm_;
        name.vmi = vmi_;
        name.start = start_;
        name.end = end_;
        name.flags = flags_;
        name.pgoff = pgoff_;
        name.state = vma_merge_state.VMA_MERGE_START;
        name.merge_flags = vma_merge_flags.VMG_FLAG_DEFAULT;
        return name;
    }

    /// <summary>VMG_VMA_STATE(name, vmi, prev, vma, start, end).</summary>
    [Upstream("mm/vma.h", "VMG_VMA_STATE", UpstreamAttribute.Macro)]
    internal static vma_merge_struct VMG_VMA_STATE(vma_iterator* vmi_, vm_area_struct* prev_, vm_area_struct* vma_, ulong start_, ulong end_)
    {
        vma_merge_struct name = default;
        name.mm = vma_->vm_mm;
        name.vmi = vmi_;
        name.prev = prev_;
        name.next = null;
        name.vma = vma_;
        name.start = start_;
        name.end = end_;
        name.flags = vma_->vm_flags;
        name.pgoff = vma_pgoff_offset(vma_, start_);
        name.file = vma_->vm_file;
        name.anon_vma = vma_->anon_vma;
        name.policy = vma_policy(vma_);
        name.uffd_ctx = vma_->vm_userfaultfd_ctx;
        name.anon_name = (global::Emu.Kernel.anon_vma_name*)anon_vma_name(vma_);
        name.state = vma_merge_state.VMA_MERGE_START;
        name.merge_flags = vma_merge_flags.VMG_FLAG_DEFAULT;
        return name;
    }

    [Upstream("mm/vma.h", "init_vma_munmap", "127dd9d75b713f0a")]
    internal static void init_vma_munmap(vma_munmap_struct* vms, vma_iterator* vmi, vm_area_struct* vma,
        ulong start, ulong end, list_head* uf, bool unlock)
    {
        vms->vmi = vmi;
        vms->vma = vma;
        if (vma != null)
        {
            vms->start = start;
            vms->end = end;
        }
        else
        {
            vms->start = vms->end = 0;
        }
        vms->unlock = unlock;
        vms->uf = uf;
        vms->vma_count = 0;
        vms->nr_pages = vms->locked_vm = vms->nr_accounted = 0;
        vms->exec_vm = vms->stack_vm = vms->data_vm = 0;
        vms->unmap_start = FIRST_USER_ADDRESS;
        vms->unmap_end = USER_PGTABLES_CEILING;
        vms->clear_ptes = false;
    }

    [Upstream("mm/vma.h", "reattach_vmas", "f8689b9cbd79c0f4")]
    internal void reattach_vmas(ma_state* mas_detach)
    {
        vm_area_struct* vma;

        mas_set(mas_detach, 0);
        while ((vma = (vm_area_struct*)mas_find(mas_detach, ulong.MaxValue)) != null)
            vma_mark_detached(vma, false);

        __mt_destroy(mas_detach->tree);
    }

    [Upstream("mm/vma.h", "vms_abort_munmap_vmas", "ca4bb05a51fccbed")]
    internal void vms_abort_munmap_vmas(vma_munmap_struct* vms, ma_state* mas_detach)
    {
        ma_state* mas = &vms->vmi->mas;
        if (vms->nr_pages == 0)
            return;

        if (vms->clear_ptes)
        {
            reattach_vmas(mas_detach);
            return;
        }

        // The PTEs are gone: leave a hole rather than VMAs over cleared ranges.
        mas_set_range(mas, vms->start, vms->end - 1);
        mas_store_gfp(mas, null, GFP_KERNEL | __GFP_NOFAIL);
        vms_complete_munmap_vmas(vms, mas_detach);
    }

    [Upstream("mm/vma.h", "vma_wants_manual_pte_write_upgrade", "f17c619bccbbf37c")]
    internal bool vma_wants_manual_pte_write_upgrade(vm_area_struct* vma)
    {
        // Private writable mappings upgrade PTEs by hand (COW aside); shared ones if no write notify.
        if ((vma->vm_flags & VM_SHARED) != 0)
            return vma_wants_writenotify(vma, vma->vm_page_prot);
        return (vma->vm_flags & VM_WRITE) != 0;
    }

    [Upstream("mm/vma.h", "vm_pgprot_modify", "4c18f7b4fbed2fba")]
    internal pgprot_t vm_pgprot_modify(pgprot_t oldprot, ulong vm_flags)
    {
        return pgprot_modify(oldprot, vm_get_page_prot(vm_flags));
    }

    [Upstream("mm/vma.h", "vma_is_sealed", "5f59ca1654090c8f")]
    internal static bool vma_is_sealed(vm_area_struct* vma)
    {
        return (vma->vm_flags & VM_SEALED) != 0;
    }

    [Upstream("mm/vma.h", "can_modify_vma", "bb06d10502a2dbf1")]
    internal static bool can_modify_vma(vm_area_struct* vma)
    {
        if (vma_is_sealed(vma))
            return false;

        return true;
    }
}
