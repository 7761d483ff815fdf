// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/linux/userfaultfd_k.h: the pte-marker test pagemap uses
// (CONFIG_PTE_MARKER_UFFD_WP=y on Debian amd64). Emu has no userfaultfd, so no marker is ever set.
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
}
