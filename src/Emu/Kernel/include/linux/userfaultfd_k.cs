// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/linux/userfaultfd_k.h: the pte-marker tests
// (CONFIG_PTE_MARKER_UFFD_WP=y on Debian amd64). Emu has no userfaultfd, so no marker is ever set.
// Below them, the stub of the subsystem itself: no vma ever has a userfaultfd context
// (vm_userfaultfd_ctx.ctx stays NULL), so the hooks answer as for such a vma; the uf list of the
// fork hooks is unused (null).
using System;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
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

    internal static bool userfaultfd_wp(vm_area_struct* vma) => false;

    internal static bool userfaultfd_pte_wp(vm_area_struct* vma, pte_t pte) => false;

    internal static bool userfaultfd_armed(vm_area_struct* vma) => false;
}
