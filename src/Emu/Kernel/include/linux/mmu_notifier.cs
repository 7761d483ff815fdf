// SPDX-License-Identifier: GPL-2.0-only
// Stub of MMU notifiers (include/linux/mmu_notifier.h, mm/mmu_notifier.c): nothing ever subscribes
// (no KVM, no device MMUs), so mm_has_notifiers() is false, every invalidation hook is a no-op and
// the _notify wrappers are their primary operation alone, as upstream with no subscribers.
using System;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // enum mmu_notifier_event: the protection change of a whole range (MMU_NOTIFY_CLEAR is with the
    // range helpers in stubs/ksm/lead.cs).
    internal const int MMU_NOTIFY_PROTECTION_VMA = 2;

    [Upstream("include/linux/mmu_notifier.h", "mmu_notifier_subscriptions_init", "bed03149a449b862")]
    internal static void mmu_notifier_subscriptions_init(mm_struct* mm)
    {
        mm->notifier_subscriptions = null;
    }

    [Upstream("include/linux/mmu_notifier.h", "mm_has_notifiers", "80e0d9191ea5e561")]
    internal static bool mm_has_notifiers(mm_struct* mm)
    {
        return mm->notifier_subscriptions != null;
    }

    [Upstream("include/linux/mmu_notifier.h", "mmu_notifier_subscriptions_destroy", "7220df4634a863f6")]
    internal static void mmu_notifier_subscriptions_destroy(mm_struct* mm)
    {
        if (mm_has_notifiers(mm))
            throw new NotSupportedException("Emu has no MMU notifiers: __mmu_notifier_subscriptions_destroy");
    }

    [Upstream("include/linux/mmu_notifier.h", "ptep_clear_flush_young_notify", UpstreamAttribute.Macro)]
    internal static int ptep_clear_flush_young_notify(vm_area_struct* vma, ulong address, pte_t* ptep) =>
        ptep_clear_flush_young(vma, address, ptep);

    /// <summary>Emu maps no THP with a PMD, so no PMD entry is ever aged.</summary>
    [Upstream("include/linux/mmu_notifier.h", "pmdp_clear_flush_young_notify", UpstreamAttribute.Macro)]
    internal static int pmdp_clear_flush_young_notify(vm_area_struct* vma, ulong address, pmd_t* pmdp) =>
        throw new NotSupportedException("Emu has no PMD-mapped THP: pmdp_clear_flush_young");
}
