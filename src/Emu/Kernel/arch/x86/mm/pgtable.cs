// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 arch/x86/mm/pgtable.c: the x86 versions of the access-flag,
// young and mkwrite helpers, and user page-table page allocation (pte_alloc_one, pgd_alloc/pgd_free;
// x86_64 without PAE preallocates no pmds, so the preallocation helpers are dead code and left out).
// Emu builds no kernel page tables: swapper_pg_dir is an empty table, so a new pgd's kernel half is
// cloned empty. PGD_ALLOCATION_ORDER is 1 (PTI configured), though the emulated CPU has no PTI.
using System;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
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

    // arch/x86/mm/pgtable.c __userpte_alloc_gfp.
    internal uint __userpte_alloc_gfp = GFP_PGTABLE_USER | 0; // | PGTABLE_HIGHMEM (no CONFIG_HIGHPTE)

    [Upstream("arch/x86/mm/pgtable.c", "pte_alloc_one", "2dc1c1f64716f379")]
    internal page* pte_alloc_one(mm_struct* mm)
    {
        return __pte_alloc_one(mm, __userpte_alloc_gfp);
    }

    [Upstream("arch/x86/mm/pgtable.c", "pgd_list_add", "1ec9570234935cee")]
    internal void pgd_list_add(pgd_t* pgd)
    {
        ptdesc* ptdesc = virt_to_ptdesc(pgd);

        list_add(&ptdesc->pt_list, pgd_list);
    }

    [Upstream("arch/x86/mm/pgtable.c", "pgd_list_del", "8a8fb99f76ea0d17")]
    internal void pgd_list_del(pgd_t* pgd)
    {
        ptdesc* ptdesc = virt_to_ptdesc(pgd);

        list_del(&ptdesc->pt_list);
    }

    [Upstream("arch/x86/mm/pgtable.c", "pgd_set_mm", "ef264c9c782ef3ee")]
    internal void pgd_set_mm(pgd_t* pgd, mm_struct* mm)
    {
        virt_to_ptdesc(pgd)->pt_mm = mm;
    }

    [Upstream("arch/x86/mm/pgtable.c", "pgd_page_get_mm", "299751601427c8f7")]
    internal static mm_struct* pgd_page_get_mm(page* page)
    {
        return page_ptdesc(page)->pt_mm;
    }

    // The emulated kernel's direct map starts at x86_64's 4-level __PAGE_OFFSET_BASE_L4.
    [Upstream("arch/x86/include/asm/pgtable.h", "KERNEL_PGD_BOUNDARY", UpstreamAttribute.Macro)]
    internal int KERNEL_PGD_BOUNDARY => (int)pgd_index(0xffff888000000000UL);

    [Upstream("arch/x86/include/asm/pgtable.h", "KERNEL_PGD_PTRS", UpstreamAttribute.Macro)]
    internal int KERNEL_PGD_PTRS => PTRS_PER_PGD - KERNEL_PGD_BOUNDARY;

    private pgd_t* _swapper_pg_dir;

    /// <summary>The kernel's top-level table: empty, since Emu maps no kernel addresses.</summary>
    internal pgd_t* swapper_pg_dir => _swapper_pg_dir != null ? _swapper_pg_dir
        : (_swapper_pg_dir = AllocateGlobal<pgd_t>("swapper_pg_dir", PTRS_PER_PGD));

    [Upstream("arch/x86/include/asm/pgtable.h", "clone_pgd_range", "c7daa848ad10a8ac")]
    internal void clone_pgd_range(pgd_t* dst, pgd_t* src, int count)
    {
        Buffer.MemoryCopy(src, dst, count * sizeof(pgd_t), count * sizeof(pgd_t));
        if (!static_cpu_has(X86_FEATURE_PTI))
            return;
        throw new NotSupportedException("Emu's CPU has no X86_FEATURE_PTI: no user pgd to clone");
    }

    // SHARED_KERNEL_PMD is 0 on x86_64; read through a property so both branches stay compiled.
    private static bool shared_kernel_pmd => SHARED_KERNEL_PMD != 0;

    // Four levels: only the kernel half is copied; !SHARED_KERNEL_PMD puts the pgd on pgd_list.
    [Upstream("arch/x86/mm/pgtable.c", "pgd_ctor", "9dcd5a90c319a714")]
    internal void pgd_ctor(mm_struct* mm, pgd_t* pgd)
    {
        clone_pgd_range(pgd + KERNEL_PGD_BOUNDARY,
                        swapper_pg_dir + KERNEL_PGD_BOUNDARY,
                        KERNEL_PGD_PTRS);

        if (!shared_kernel_pmd)
        {
            pgd_set_mm(pgd, mm);
            pgd_list_add(pgd);
        }
    }

    [Upstream("arch/x86/mm/pgtable.c", "pgd_dtor", "5798488a06d2589f")]
    internal void pgd_dtor(pgd_t* pgd)
    {
        if (shared_kernel_pmd)
            return;

        spin_lock(pgd_lock);
        pgd_list_del(pgd);
        spin_unlock(pgd_lock);
    }

    // PREALLOCATED_PMDS and PREALLOCATED_USER_PMDS are 0 without PAE: only the PTI check is left.
    [Upstream("arch/x86/mm/pgtable.c", "pgd_mop_up_pmds", "5814b7e7611db7bc")]
    internal void pgd_mop_up_pmds(mm_struct* mm, pgd_t* pgdp)
    {
        if (!boot_cpu_has(X86_FEATURE_PTI))
            return;
        throw new NotSupportedException("Emu's CPU has no X86_FEATURE_PTI");
    }

    [Upstream("arch/x86/mm/pgtable.c", "_pgd_alloc", "23bce5ac8f4f7575", Definition = 2)]
    internal pgd_t* _pgd_alloc()
    {
        return (pgd_t*)__get_free_pages(GFP_PGTABLE_USER,
                                        PGD_ALLOCATION_ORDER);
    }

    [Upstream("arch/x86/mm/pgtable.c", "_pgd_free", "0d63b56ee6c8a0d9", Definition = 2)]
    internal void _pgd_free(pgd_t* pgd)
    {
        free_pages((ulong)pgd, PGD_ALLOCATION_ORDER);
    }

    // sizeof(pmds) and sizeof(u_pmds) are 0 without PAE: those branches are compiled out upstream.
    [Upstream("arch/x86/mm/pgtable.c", "pgd_alloc", "5d179dd1a32a2a6f")]
    internal pgd_t* pgd_alloc(mm_struct* mm)
    {
        pgd_t* pgd;

        pgd = _pgd_alloc();

        if (pgd == null)
            goto @out;

        mm->pgd = pgd;

        if (paravirt_pgd_alloc(mm) != 0)
            goto out_free_pgd;

        spin_lock(pgd_lock);

        pgd_ctor(mm, pgd);

        spin_unlock(pgd_lock);

        return pgd;

    out_free_pgd:
        _pgd_free(pgd);
    @out:
        return null;
    }

    [Upstream("arch/x86/mm/pgtable.c", "pgd_free", "eaa70e7fd43703c7")]
    internal void pgd_free(mm_struct* mm, pgd_t* pgd)
    {
        pgd_mop_up_pmds(mm, pgd);
        pgd_dtor(pgd);
        paravirt_pgd_free(mm, pgd);
        _pgd_free(pgd);
    }

    [Upstream("arch/x86/mm/pgtable.c", "___pte_free_tlb", "b02aac4e49f4249b")]
    internal void ___pte_free_tlb(mmu_gather* tlb, page* pte)
    {
        pagetable_pte_dtor(page_ptdesc(pte));
        paravirt_release_pte(page_to_pfn(pte));
        paravirt_tlb_remove_table(tlb, pte);
    }

    [Upstream("arch/x86/mm/pgtable.c", "___pmd_free_tlb", "cc78c5bc76dc1030")]
    internal void ___pmd_free_tlb(mmu_gather* tlb, pmd_t* pmd)
    {
        ptdesc* ptdesc = virt_to_ptdesc(pmd);
        paravirt_release_pmd(__pa(pmd) >> PAGE_SHIFT);
        // No CONFIG_X86_PAE: no need_flush_all.
        pagetable_pmd_dtor(ptdesc);
        paravirt_tlb_remove_table(tlb, ptdesc_page(ptdesc));
    }

    [Upstream("arch/x86/mm/pgtable.c", "___pud_free_tlb", "15b60a8f1831ab52")]
    internal void ___pud_free_tlb(mmu_gather* tlb, pud_t* pud)
    {
        ptdesc* ptdesc = virt_to_ptdesc(pud);

        pagetable_pud_dtor(ptdesc);
        paravirt_release_pud(__pa(pud) >> PAGE_SHIFT);
        paravirt_tlb_remove_table(tlb, virt_to_page(pud));
    }
}
