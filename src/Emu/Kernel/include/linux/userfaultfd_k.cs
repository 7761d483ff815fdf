// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/linux/userfaultfd_k.h: the pte-marker tests
// (CONFIG_PTE_MARKER_UFFD_WP=y on Debian amd64). Emu has no userfaultfd, so no marker is ever set.
// Below them, the stub of the subsystem itself: no vma ever has a userfaultfd context
// (vm_userfaultfd_ctx.ctx stays NULL), so the hooks answer as for such a vma; the uf list of the
// fork hooks is unused (null).
using System;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/userfaultfd_k.h", "pte_marker_entry_uffd_wp", "8fcc830b4c753c7e")]
    internal static bool pte_marker_entry_uffd_wp(swp_entry_t entry)
    {
        return is_pte_marker_entry(entry) &&
            (pte_marker_get(entry) & PTE_MARKER_UFFD_WP) != 0;
    }

    [Upstream("include/linux/userfaultfd_k.h", "pte_marker_uffd_wp", "caa53d2b0893622b")]
    internal static bool pte_marker_uffd_wp(pte_t pte)
    {
        swp_entry_t entry;

        if (!is_swap_pte(pte))
            return false;

        entry = pte_to_swp_entry(pte);

        return pte_marker_entry_uffd_wp(entry);
    }

    // ---- stub of the subsystem ----

    internal static int dup_userfaultfd(vm_area_struct* vma, void* fcs)
    {
        if (vma->vm_userfaultfd_ctx.ctx != null)
            throw new NotSupportedException("Emu has no userfaultfd: dup_userfaultfd with a context");
        return 0;
    }

    internal static void dup_userfaultfd_complete(void* fcs) { }

    internal static void dup_userfaultfd_fail(void* fcs) { }

    internal static bool userfaultfd_missing(vm_area_struct* vma) => false;

    [Upstream("include/linux/userfaultfd_k.h", "userfaultfd_wp", "8738b4ef3a130f8f")]
    internal static bool userfaultfd_wp(vm_area_struct* vma)
    {
        return (vma->vm_flags & VM_UFFD_WP) != 0;
    }

    internal static bool userfaultfd_pte_wp(vm_area_struct* vma, pte_t pte) => false;

    /// <summary>fs/userfaultfd.c: only a context registered with UFFD_FEATURE_WP_UNPOPULATED says yes.</summary>
    internal static bool userfaultfd_wp_unpopulated(vm_area_struct* vma)
    {
        if (vma->vm_userfaultfd_ctx.ctx == null)
            return false;
        throw new NotSupportedException("userfaultfd_wp_unpopulated: Emu has no userfaultfd");
    }

    // Markers are needed for file memory, and for anonymous memory only with WP_UNPOPULATED.
    [Upstream("include/linux/userfaultfd_k.h", "userfaultfd_wp_use_markers", "21d3286bdb87a443")]
    internal static bool userfaultfd_wp_use_markers(vm_area_struct* vma)
    {
        if (!userfaultfd_wp(vma))
            return false;

        if (!vma_is_anonymous(vma))
            return true;

        return userfaultfd_wp_unpopulated(vma);
    }

    internal static bool userfaultfd_armed(vm_area_struct* vma) => false;

    [Upstream("include/linux/userfaultfd_k.h", "is_mergeable_vm_userfaultfd_ctx", "ffdcf06737d6903b")]
    internal static bool is_mergeable_vm_userfaultfd_ctx(vm_area_struct* vma, vm_userfaultfd_ctx vm_ctx)
    {
        return vma->vm_userfaultfd_ctx.ctx == vm_ctx.ctx;
    }

    /// <summary>fs/userfaultfd.c: a VMA without a userfaultfd context needs no unmap event.</summary>
    internal static int userfaultfd_unmap_prep(vm_area_struct* vma, ulong start, ulong end, list_head* unmaps)
    {
        if (vma->vm_userfaultfd_ctx.ctx == null)
            return 0;
        throw new NotSupportedException("userfaultfd_unmap_prep: Emu has no userfaultfd");
    }

    /// <summary>fs/userfaultfd.c: nothing was queued (no contexts exist).</summary>
    internal static void userfaultfd_unmap_complete(mm_struct* mm, list_head* uf)
    {
        if (!list_empty(uf))
            throw new NotSupportedException("userfaultfd_unmap_complete: Emu has no userfaultfd");
    }

    /// <summary>fs/userfaultfd.c: without a context (none exist in Emu) no remove event is sent and mmap_lock stays held.</summary>
    internal static bool userfaultfd_remove(vm_area_struct* vma, ulong start, ulong end)
    {
        if (vma->vm_userfaultfd_ctx.ctx == null)
            return true;
        throw new NotSupportedException("userfaultfd_remove: Emu has no userfaultfd");
    }
}
