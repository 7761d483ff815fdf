// SPDX-License-Identifier: GPL-2.0-only
// include/linux/mm.h (and the one-line helpers of mmzone.h, memremap.h, swap.h it leans on):
// what page pinning needs to decide whether a folio may be pinned, must be copied on fork, or
// what a fault result means to GUP.
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/mm.h", "folio_has_pincount", UpstreamAttribute.Macro)]
    internal static bool folio_has_pincount(folio* folio) => folio_test_large(folio);

    [Upstream("include/linux/mm.h", "folio_needs_cow_for_dma", "36633333b2c5b85a")]
    internal bool folio_needs_cow_for_dma(vm_area_struct* vma, folio* folio)
    {
        // Only fork asks, and fork holds write_protect_seq odd while it copies.
        VM_BUG_ON((raw_read_seqcount(&vma->vm_mm->write_protect_seq) & 1) == 0);

        if (!test_bit(MMF_HAS_PINNED, &vma->vm_mm->flags))
            return false;

        return folio_maybe_dma_pinned(folio);
    }

    [Upstream("include/linux/mm.h", "folio_is_longterm_pinnable", "48bbb771762fef93")]
    internal bool folio_is_longterm_pinnable(folio* folio)
    {
        // CONFIG_CMA is off in the Debian config: no migratetype test.
        if (is_zero_folio(folio))
            return true;

        // Coherent device memory must be migrated out before a longterm pin.
        if (folio_is_device_coherent(folio))
            return false;

        // ZONE_MOVABLE memory must stay migratable, so it cannot be pinned for long.
        return !folio_is_zone_movable(folio);
    }

    [Upstream("include/linux/mm.h", "folio_expected_ref_count", "303199f5ef21c7ae")]
    internal int folio_expected_ref_count(folio* folio)
    {
        int order = (int)folio_order(folio);
        int ref_count = 0;

        if (WARN_ON_ONCE(page_has_type(&folio->page) && !folio_test_hugetlb(folio)))
            return 0;

        // The swap cache holds one reference per page.
        ref_count += (folio_test_swapcache(folio) ? 1 : 0) << order;

        if (!folio_test_anon(folio))
        {
            // The page cache holds one per page, PG_private one more.
            ref_count += (folio->mapping != null ? 1 : 0) << order;
            ref_count += folio_test_private(folio) ? 1 : 0;
        }

        // Each page-table mapping holds one.
        return ref_count + folio_mapcount(folio);
    }

    [Upstream("include/linux/mm.h", "arch_make_folio_accessible", "44a1d2edf9e4dbfb")]
    internal static int arch_make_folio_accessible(folio* folio) => 0;

    [Upstream("include/linux/mm.h", "vm_fault_to_errno", "ea803b1a3b847d66")]
    internal static int vm_fault_to_errno(uint vm_fault, int foll_flags)
    {
        if ((vm_fault & VM_FAULT_OOM) != 0)
            return -ENOMEM;
        if ((vm_fault & (VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE)) != 0)
            return (foll_flags & FOLL_HWPOISON) != 0 ? -EHWPOISON : -EFAULT;
        if ((vm_fault & (VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV)) != 0)
            return -EFAULT;
        return 0;
    }

    [Upstream("include/linux/mm.h", "gup_can_follow_protnone", "9d8e21a5378abf9e")]
    internal static bool gup_can_follow_protnone(vm_area_struct* vma, uint flags)
    {
        // Without FOLL_HONOR_NUMA_FAULT a NUMA-hinting entry is followed like a present one.
        if ((flags & FOLL_HONOR_NUMA_FAULT) == 0)
            return true;

        // A PROT_NONE VMA's entries are real PROT_NONE, not NUMA hints: GUP may follow them.
        return !vma_is_accessible(vma);
    }

    [Upstream("include/linux/mmzone.h", "folio_is_zone_movable", "7bc2d31bbe93300a")]
    internal static bool folio_is_zone_movable(folio* folio) => folio_zonenum(folio) == zone_type.ZONE_MOVABLE;

    [Upstream("include/linux/memremap.h", "folio_is_device_coherent", "37b88d90e1d635f1")]
    internal static bool folio_is_device_coherent(folio* folio) => is_device_coherent_page(&folio->page);

}
