// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/linux/pgtable.h: the generic walk helpers (index of an
// address at each level, the entry pointer one level down), set_ptes/set_pte_at, the *p_get
// readers and the none-or-bad checks, for x86_64 (which overrides pte_same, ptep_get_and_clear,
// ptep_set_wrprotect ... in arch/x86/include/asm/pgtable.h).
// No CONFIG_HIGHPTE: a pte table is reached through the direct map, and "mapping" it only enters an
// RCU read-side section. CONFIG_PAGE_TABLE_CHECK is off: its hooks are left out.
using System.Threading;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/pgtable.h", "pmd_pgtable", UpstreamAttribute.Macro)]
    internal page* pmd_pgtable(pmd_t pmd) => pmd_page(pmd);

    // ---- index of an address in the table of each level (9 bits each) ----

    [Upstream("include/linux/pgtable.h", "pte_index", "cf105d0f21ac3928")]
    internal static ulong pte_index(ulong address)
    {
        return (address >> PAGE_SHIFT) & (PTRS_PER_PTE - 1);
    }

    [Upstream("include/linux/pgtable.h", "pmd_index", "0c9259a4fc4f8a95")]
    internal static ulong pmd_index(ulong address)
    {
        return (address >> PMD_SHIFT) & (PTRS_PER_PMD - 1);
    }

    [Upstream("include/linux/pgtable.h", "pud_index", "9eb59329492e56f0")]
    internal static ulong pud_index(ulong address)
    {
        return (address >> PUD_SHIFT) & (PTRS_PER_PUD - 1);
    }

    [Upstream("include/linux/pgtable.h", "pgd_index", UpstreamAttribute.Macro)]
    internal ulong pgd_index(ulong a) => (a >> (int)PGDIR_SHIFT) & (PTRS_PER_PGD - 1);

    // ---- one level down ----

    [Upstream("include/linux/pgtable.h", "pte_offset_kernel", "84a71cb70309ac96")]
    internal pte_t* pte_offset_kernel(pmd_t* pmd, ulong address)
    {
        return (pte_t*)pmd_page_vaddr(*pmd) + pte_index(address);
    }

    [Upstream("include/linux/pgtable.h", "__pte_map", "f10297b513dda49c")]
    internal pte_t* __pte_map(pmd_t* pmd, ulong address)
    {
        return pte_offset_kernel(pmd, address);
    }

    [Upstream("include/linux/pgtable.h", "pte_unmap", "13058adb72a00978")]
    internal static void pte_unmap(pte_t* pte)
    {
        rcu_read_unlock();
    }

    [Upstream("include/linux/pgtable.h", "pmd_offset", "d56090111e54cd7b")]
    internal pmd_t* pmd_offset(pud_t* pud, ulong address)
    {
        return pud_pgtable(*pud) + pmd_index(address);
    }

    [Upstream("include/linux/pgtable.h", "pud_offset", "ffc504f830ace986")]
    internal pud_t* pud_offset(p4d_t* p4d, ulong address)
    {
        return p4d_pgtable(*p4d) + pud_index(address);
    }

    [Upstream("include/linux/pgtable.h", "pgd_offset_pgd", "2bd8cc269210856a")]
    internal pgd_t* pgd_offset_pgd(pgd_t* pgd, ulong address)
    {
        return (pgd + pgd_index(address));
    }

    [Upstream("include/linux/pgtable.h", "pgd_offset", UpstreamAttribute.Macro)]
    internal pgd_t* pgd_offset(mm_struct* mm, ulong address) => pgd_offset_pgd(mm->pgd, address);

    [Upstream("include/linux/pgtable.h", "pmd_off", "7d99785a869c38c8")]
    internal pmd_t* pmd_off(mm_struct* mm, ulong va)
    {
        return pmd_offset(pud_offset(p4d_offset(pgd_offset(mm, va), va), va), va);
    }

    // ---- setting and reading entries ----

    [Upstream("include/linux/pgtable.h", "pte_next_pfn", UpstreamAttribute.Macro)]
    internal static pte_t pte_next_pfn(pte_t pte) => pte_advance_pfn(pte, 1);

    // nr consecutive pages of one folio, all in one pte table; caller holds the pte lock.
    [Upstream("include/linux/pgtable.h", "set_ptes", "387e57ddd06b8135")]
    internal static void set_ptes(mm_struct* mm, ulong addr,
                                  pte_t* ptep, pte_t pte, uint nr)
    {
        for (;;)
        {
            set_pte(ptep, pte);
            if (--nr == 0)
                break;
            ptep++;
            pte = pte_next_pfn(pte);
        }
    }

    [Upstream("include/linux/pgtable.h", "set_pte_at", UpstreamAttribute.Macro)]
    internal static void set_pte_at(mm_struct* mm, ulong addr, pte_t* ptep, pte_t pte) => set_ptes(mm, addr, ptep, pte, 1);

    [Upstream("include/linux/pgtable.h", "ptep_get", "d86c1d6ed625133b")]
    internal static pte_t ptep_get(pte_t* ptep)
    {
        return __pte(Volatile.Read(ref ptep->pte));
    }

    [Upstream("include/linux/pgtable.h", "pmdp_get", "4bb5c040f2bc6c1f")]
    internal static pmd_t pmdp_get(pmd_t* pmdp)
    {
        return __pmd(Volatile.Read(ref pmdp->pmd));
    }

    [Upstream("include/linux/pgtable.h", "pudp_get", "732303fb8d795e73")]
    internal static pud_t pudp_get(pud_t* pudp)
    {
        return __pud(Volatile.Read(ref pudp->pud));
    }

    [Upstream("include/linux/pgtable.h", "p4dp_get", "2db2c33a8da365ed")]
    internal static p4d_t p4dp_get(p4d_t* p4dp)
    {
        return __p4d(Volatile.Read(ref p4dp->p4d));
    }

    [Upstream("include/linux/pgtable.h", "pgdp_get", "7ace459a5a3b5d79")]
    internal static pgd_t pgdp_get(pgd_t* pgdp)
    {
        return __pgd(Volatile.Read(ref pgdp->pgd));
    }

    [Upstream("include/linux/pgtable.h", "arch_has_hw_pte_young", "054b137d0f3f1e30")]
    internal static bool arch_has_hw_pte_young()
    {
        // IS_ENABLED(CONFIG_ARCH_HAS_HW_PTE_YOUNG): =y on x86.
        return true;
    }

    [Upstream("include/linux/pgtable.h", "ptep_clear", "476d924f1436b688")]
    internal static void ptep_clear(mm_struct* mm, ulong addr,
                                    pte_t* ptep)
    {
        ptep_get_and_clear(mm, addr, ptep);
    }

    // A 64-bit entry reads atomically (no CONFIG_GUP_GET_PXX_LOW_HIGH). Not marked: the marker tool
    // hashes the first definition in the file, which is the GUP_GET_PXX_LOW_HIGH variant.
    internal static pte_t ptep_get_lockless(pte_t* ptep)
    {
        return ptep_get(ptep);
    }

    // As ptep_get_lockless above.
    internal static pmd_t pmdp_get_lockless(pmd_t* pmdp)
    {
        return pmdp_get(pmdp);
    }

    [Upstream("include/linux/pgtable.h", "pmd_same", "73a41b00966a63a6")]
    internal static bool pmd_same(pmd_t pmd_a, pmd_t pmd_b)
    {
        return pmd_val(pmd_a) == pmd_val(pmd_b);
    }

    [Upstream("include/linux/pgtable.h", "pud_same", "45e73aa3b6fa690a")]
    internal static bool pud_same(pud_t pud_a, pud_t pud_b)
    {
        return pud_val(pud_a) == pud_val(pud_b);
    }

    [Upstream("include/linux/pgtable.h", "p4d_same", "9cb61be3119bf96a")]
    internal static bool p4d_same(p4d_t p4d_a, p4d_t p4d_b)
    {
        return p4d_val(p4d_a) == p4d_val(p4d_b);
    }

    [Upstream("include/linux/pgtable.h", "pgd_same", "634bd34e239bb428")]
    internal static bool pgd_same(pgd_t pgd_a, pgd_t pgd_b)
    {
        return pgd_val(pgd_a) == pgd_val(pgd_b);
    }

    // ---- range walking: the next boundary, or end if that comes first (boundary may wrap to 0) ----

    [Upstream("include/linux/pgtable.h", "pgd_addr_end", UpstreamAttribute.Macro)]
    internal ulong pgd_addr_end(ulong addr, ulong end)
    {
        ulong __boundary = (addr + PGDIR_SIZE) & PGDIR_MASK;
        return (__boundary - 1 < end - 1) ? __boundary : end;
    }

    [Upstream("include/linux/pgtable.h", "p4d_addr_end", UpstreamAttribute.Macro)]
    internal static ulong p4d_addr_end(ulong addr, ulong end)
    {
        ulong __boundary = (addr + P4D_SIZE) & P4D_MASK;
        return (__boundary - 1 < end - 1) ? __boundary : end;
    }

    [Upstream("include/linux/pgtable.h", "pud_addr_end", UpstreamAttribute.Macro)]
    internal static ulong pud_addr_end(ulong addr, ulong end)
    {
        ulong __boundary = (addr + PUD_SIZE) & PUD_MASK;
        return (__boundary - 1 < end - 1) ? __boundary : end;
    }

    [Upstream("include/linux/pgtable.h", "pmd_addr_end", UpstreamAttribute.Macro)]
    internal static ulong pmd_addr_end(ulong addr, ulong end)
    {
        ulong __boundary = (addr + PMD_SIZE) & PMD_MASK;
        return (__boundary - 1 < end - 1) ? __boundary : end;
    }

    // ---- skip none entries; report and clear bad ones ----

    [Upstream("include/linux/pgtable.h", "pgd_none_or_clear_bad", "2c4343a99d515436")]
    internal bool pgd_none_or_clear_bad(pgd_t* pgd)
    {
        if (pgd_none(*pgd))
            return true;
        if (pgd_bad(*pgd))
        {
            pgd_clear_bad(pgd);
            return true;
        }
        return false;
    }

    [Upstream("include/linux/pgtable.h", "p4d_none_or_clear_bad", "89e0d1c18b0a795d")]
    internal bool p4d_none_or_clear_bad(p4d_t* p4d)
    {
        if (p4d_none(*p4d))
            return true;
        if (p4d_bad(*p4d))
        {
            p4d_clear_bad(p4d);
            return true;
        }
        return false;
    }

    [Upstream("include/linux/pgtable.h", "pud_none_or_clear_bad", "5f08ef3714415c21")]
    internal bool pud_none_or_clear_bad(pud_t* pud)
    {
        if (pud_none(*pud))
            return true;
        if (pud_bad(*pud))
        {
            pud_clear_bad(pud);
            return true;
        }
        return false;
    }

    [Upstream("include/linux/pgtable.h", "pmd_none_or_clear_bad", "b94d034d63f9428c")]
    internal bool pmd_none_or_clear_bad(pmd_t* pmd)
    {
        if (pmd_none(*pmd))
            return true;
        if (pmd_bad(*pmd))
        {
            pmd_clear_bad(pmd);
            return true;
        }
        return false;
    }

    [Upstream("include/linux/pgtable.h", "clear_young_dirty_ptes", "c942f702d1bd859d")]
    internal static void clear_young_dirty_ptes(vm_area_struct* vma, ulong addr, pte_t* ptep, uint nr, int flags)
    {
        pte_t pte;

        for (; ; )
        {
            if (flags == CYDP_CLEAR_YOUNG)
                ptep_test_and_clear_young(vma, addr, ptep);
            else
            {
                pte = ptep_get_and_clear(vma->vm_mm, addr, ptep);
                if ((flags & CYDP_CLEAR_YOUNG) != 0)
                    pte = pte_mkold(pte);
                if ((flags & CYDP_CLEAR_DIRTY) != 0)
                    pte = pte_mkclean(pte);
                set_pte_at(vma->vm_mm, addr, ptep, pte);
            }
            if (--nr == 0)
                break;
            ptep++;
            addr += PAGE_SIZE;
        }
    }

    // Clearing the pte first keeps the hardware from setting A/D bits mid-update.
    [Upstream("include/linux/pgtable.h", "__ptep_modify_prot_start", "a3cc9a270eff7402")]
    internal static pte_t __ptep_modify_prot_start(vm_area_struct* vma,
                                                  ulong addr,
                                                  pte_t* ptep)
    {
        return ptep_get_and_clear(vma->vm_mm, addr, ptep);
    }

    [Upstream("include/linux/pgtable.h", "__ptep_modify_prot_commit", "652a0d80c36904ac")]
    internal static void __ptep_modify_prot_commit(vm_area_struct* vma,
                                                   ulong addr,
                                                   pte_t* ptep, pte_t pte)
    {
        set_pte_at(vma->vm_mm, addr, ptep, pte);
    }

    // CONFIG_PARAVIRT_XXL's versions call pv_ops.mmu, which on bare metal are the two above:
    // the generic definitions are what runs.
    [Upstream("include/linux/pgtable.h", "ptep_modify_prot_start", "dbce6a5052b5ec85")]
    internal static pte_t ptep_modify_prot_start(vm_area_struct* vma,
                                                ulong addr,
                                                pte_t* ptep)
    {
        return __ptep_modify_prot_start(vma, addr, ptep);
    }

    [Upstream("include/linux/pgtable.h", "ptep_modify_prot_commit", "96949827af10170f")]
    internal static void ptep_modify_prot_commit(vm_area_struct* vma,
                                                 ulong addr,
                                                 pte_t* ptep, pte_t old_pte, pte_t pte)
    {
        __ptep_modify_prot_commit(vma, addr, ptep, pte);
    }
}
