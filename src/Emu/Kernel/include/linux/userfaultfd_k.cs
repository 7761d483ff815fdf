// SPDX-License-Identifier: GPL-2.0-only
// include/linux/userfaultfd_k.h — userfaultfd, stubbed: Emu has no userfaultfd() syscall, so no
// VMA has a context or VM_UFFD_* flags; the inlines read the (always empty) fields as upstream.
using System;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    [Upstream("include/linux/userfaultfd_k.h", "is_mergeable_vm_userfaultfd_ctx", "ffdcf06737d6903b")]
    internal static bool is_mergeable_vm_userfaultfd_ctx(vm_area_struct* vma, vm_userfaultfd_ctx vm_ctx)
    {
        return vma->vm_userfaultfd_ctx.ctx == vm_ctx.ctx;
    }

    [Upstream("include/linux/userfaultfd_k.h", "userfaultfd_wp", "8738b4ef3a130f8f")]
    internal static bool userfaultfd_wp(vm_area_struct* vma)
    {
        return (vma->vm_flags & VM_UFFD_WP) != 0;
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
}
