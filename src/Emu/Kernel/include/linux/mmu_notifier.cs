// SPDX-License-Identifier: GPL-2.0-only
// Stub: include/linux/mmu_notifier.h. Emu registers no MMU notifiers (no KVM, no device MMUs),
// so the _notify wrappers are their primary operation alone.
using System;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    [Upstream("include/linux/mmu_notifier.h", "ptep_clear_flush_young_notify", UpstreamAttribute.Macro)]
    internal static int ptep_clear_flush_young_notify(vm_area_struct* vma, ulong address, pte_t* ptep) =>
        ptep_clear_flush_young(vma, address, ptep);

    /// <summary>Emu maps no THP with a PMD, so no PMD entry is ever aged.</summary>
    [Upstream("include/linux/mmu_notifier.h", "pmdp_clear_flush_young_notify", UpstreamAttribute.Macro)]
    internal static int pmdp_clear_flush_young_notify(vm_area_struct* vma, ulong address, pmd_t* pmdp) =>
        throw new NotSupportedException("Emu has no PMD-mapped THP: pmdp_clear_flush_young");
}
