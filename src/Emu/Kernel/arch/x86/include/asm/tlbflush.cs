// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 arch/x86/include/asm/tlbflush.h. Emu models no TLB: a
// page-table update is seen by the next access at once, so the flush itself
// (flush_tlb_mm_range() in arch/x86/mm/tlb.c) is the one visible stub below.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // Stub of arch/x86/mm/tlb.c: nothing is cached, nothing to shoot down.
    internal static void flush_tlb_mm_range(mm_struct* mm, ulong start,
                                            ulong end, uint stride_shift,
                                            bool freed_tables)
    {
    }

    [Upstream("arch/x86/include/asm/tlbflush.h", "flush_tlb_page", "2b8ced2881eedfc2")]
    internal static void flush_tlb_page(vm_area_struct* vma, ulong a)
    {
        flush_tlb_mm_range(vma->vm_mm, a, a + PAGE_SIZE, PAGE_SHIFT, false);
    }

    // A flush is needed when a cached flag bit was cleared or a permission/caching bit changed;
    // software bits never matter, and Accessed only when asked.
    [Upstream("arch/x86/include/asm/tlbflush.h", "pte_flags_need_flush", "afc777a7a6f09156")]
    internal bool pte_flags_need_flush(ulong oldflags,
                                              ulong newflags,
                                              bool ignore_access)
    {
        const ulong flush_on_clear = _PAGE_DIRTY | _PAGE_PRESENT |
                                     _PAGE_ACCESSED;
        const ulong software_flags = _PAGE_SOFTW1 | _PAGE_SOFTW2 |
                                     _PAGE_SOFTW3 | _PAGE_SOFTW4 |
                                     _PAGE_SAVED_DIRTY;
        const ulong flush_on_change = _PAGE_RW | _PAGE_USER | _PAGE_PWT |
                                      _PAGE_PCD | _PAGE_PSE | _PAGE_GLOBAL | _PAGE_PAT |
                                      _PAGE_PAT_LARGE | _PAGE_PKEY_BIT0 | _PAGE_PKEY_BIT1 |
                                      _PAGE_PKEY_BIT2 | _PAGE_PKEY_BIT3 | _PAGE_NX;
        ulong diff = oldflags ^ newflags;

        // The BUILD_BUG_ONs (the three sets are disjoint) hold for these constants.

        diff &= ~software_flags;

        if (ignore_access)
            diff &= ~_PAGE_ACCESSED;

        if ((diff & oldflags & flush_on_clear) != 0)
            return true;

        if ((diff & flush_on_change) != 0)
            return true;

        // CONFIG_DEBUG_VM: a bit in none of the sets is a bug here; flush to be safe.
        if ((diff & ~(flush_on_clear | software_flags | flush_on_change)) != 0)
        {
            VM_WARN_ON_ONCE(true);
            return true;
        }

        return false;
    }

    // Only for user ptes: was a permission taken away (or the pfn changed)?
    [Upstream("arch/x86/include/asm/tlbflush.h", "pte_needs_flush", "c4cd6d6dc14567ac")]
    internal bool pte_needs_flush(pte_t oldpte, pte_t newpte)
    {
        if ((pte_flags(oldpte) & _PAGE_PRESENT) == 0)
            return false;

        if (pte_pfn(oldpte) != pte_pfn(newpte))
            return true;

        // Accessed is ignored, as ptep_clear_flush_young does.
        return pte_flags_need_flush(pte_flags(oldpte), pte_flags(newpte),
                                    true);
    }
}
