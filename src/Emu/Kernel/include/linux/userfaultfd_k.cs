// SPDX-License-Identifier: GPL-2.0-only
// Stub of userfaultfd (include/linux/userfaultfd_k.h, fs/userfaultfd.c): Emu never registers a
// userfaultfd context, so vma->vm_userfaultfd_ctx.ctx is always NULL and the hooks do what they do
// for such a vma. The uf list argument of the fork hooks is unused (null). The pte-marker test is
// transliterated (CONFIG_PTE_MARKER_UFFD_WP=y); no marker is ever set.
using System;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    internal static int dup_userfaultfd(vm_area_struct* vma, void* fcs)
    {
        if (vma->vm_userfaultfd_ctx.ctx != null)
            throw new NotSupportedException("Emu has no userfaultfd: dup_userfaultfd with a context");
        return 0;
    }

    internal static void dup_userfaultfd_complete(void* fcs) { }

    internal static void dup_userfaultfd_fail(void* fcs) { }

    internal static bool userfaultfd_missing(vm_area_struct* vma) => false;

    internal static bool userfaultfd_wp(vm_area_struct* vma) => false;

    internal static bool userfaultfd_pte_wp(vm_area_struct* vma, pte_t pte) => false;

    internal static bool userfaultfd_armed(vm_area_struct* vma) => false;

    [Upstream("include/linux/userfaultfd_k.h", "pte_marker_entry_uffd_wp", "8fcc830b4c753c7e")]
    internal static bool pte_marker_entry_uffd_wp(swp_entry_t entry)
    {
        return is_pte_marker_entry(entry) &&
            (pte_marker_get(entry) & PTE_MARKER_UFFD_WP) != 0;
    }
}
