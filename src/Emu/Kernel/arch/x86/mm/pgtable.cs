// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 arch/x86/mm/pgtable.c: the x86 versions of the access-flag,
// young and mkwrite helpers. Page-table page allocation (pgd_alloc, pte_alloc_one ...) lives here
// upstream too and comes with the page allocator.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // The hardware sets Accessed and Dirty itself; only a change the fault handler makes by hand
    // (dirty != 0, e.g. making the pte writable) is written back.
    [Upstream("arch/x86/mm/pgtable.c", "ptep_set_access_flags", "47bfec1bf1c37235")]
    internal static int ptep_set_access_flags(vm_area_struct* vma,
                                              ulong address, pte_t* ptep,
                                              pte_t entry, int dirty)
    {
        int changed = pte_same(*ptep, entry) ? 0 : 1;

        if (changed != 0 && dirty != 0)
            set_pte(ptep, entry);

        return changed;
    }

    [Upstream("arch/x86/mm/pgtable.c", "ptep_test_and_clear_young", "c7a1b9fe45212e20")]
    internal static int ptep_test_and_clear_young(vm_area_struct* vma,
                                                  ulong addr, pte_t* ptep)
    {
        int ret = 0;

        if (pte_young(*ptep))
            ret = test_and_clear_bit(_PAGE_BIT_ACCESSED,
                                     &ptep->pte) ? 1 : 0;

        return ret;
    }

    [Upstream("arch/x86/mm/pgtable.c", "pmdp_test_and_clear_young", "ac402ded546909fe")]
    internal static int pmdp_test_and_clear_young(vm_area_struct* vma,
                                                  ulong addr, pmd_t* pmdp)
    {
        int ret = 0;

        if (pmd_young(*pmdp))
            ret = test_and_clear_bit(_PAGE_BIT_ACCESSED,
                                     (ulong*)pmdp) ? 1 : 0;

        return ret;
    }

    // A stale Accessed bit in the TLB only skews aging, so x86 does not flush here.
    [Upstream("arch/x86/mm/pgtable.c", "ptep_clear_flush_young", "507f3e4b7caa6a4b")]
    internal static int ptep_clear_flush_young(vm_area_struct* vma,
                                               ulong address, pte_t* ptep)
    {
        return ptep_test_and_clear_young(vma, address, ptep);
    }

    // Making an entry writable restores Dirty from SavedDirty.
    [Upstream("arch/x86/mm/pgtable.c", "pte_mkwrite", "5513fc68334ec268")]
    internal static pte_t pte_mkwrite(pte_t pte, vm_area_struct* vma)
    {
        if ((vma->vm_flags & VM_SHADOW_STACK) != 0)
            return pte_mkwrite_shstk(pte);

        pte = pte_mkwrite_novma(pte);

        return pte_clear_saveddirty(pte);
    }

    [Upstream("arch/x86/mm/pgtable.c", "pmd_mkwrite", "2c13d802bada9280")]
    internal static pmd_t pmd_mkwrite(pmd_t pmd, vm_area_struct* vma)
    {
        if ((vma->vm_flags & VM_SHADOW_STACK) != 0)
            return pmd_mkwrite_shstk(pmd);

        pmd = pmd_mkwrite_novma(pmd);

        return pmd_clear_saveddirty(pmd);
    }

}
