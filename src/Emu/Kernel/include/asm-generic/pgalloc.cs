// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/asm-generic/pgalloc.h: user page-table pages for the
// pte, pmd and pud levels (x86 has its own pte_alloc_one and pgd_free: arch/x86/mm/pgtable.cs).
// Emu has no init_mm (no kernel page tables are built), so the init_mm branches never apply.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/asm-generic/pgalloc.h", "GFP_PGTABLE_KERNEL", UpstreamAttribute.Macro)]
    internal const uint GFP_PGTABLE_KERNEL = GFP_KERNEL | __GFP_ZERO;

    [Upstream("include/asm-generic/pgalloc.h", "GFP_PGTABLE_USER", UpstreamAttribute.Macro)]
    internal const uint GFP_PGTABLE_USER = GFP_PGTABLE_KERNEL | __GFP_ACCOUNT;

    /// <summary>The kernel's own mm: not modelled, so no user mm ever equals it.</summary>
    internal mm_struct* init_mm_ptr => null;

    [Upstream("include/asm-generic/pgalloc.h", "__pte_alloc_one_noprof", "03b667617f963622")]
    internal page* __pte_alloc_one(mm_struct* mm, uint gfp)
    {
        ptdesc* ptdesc;

        ptdesc = pagetable_alloc(gfp, 0);
        if (ptdesc == null)
            return null;
        if (!pagetable_pte_ctor(ptdesc))
        {
            pagetable_free(ptdesc);
            return null;
        }

        return ptdesc_page(ptdesc);
    }

    [Upstream("include/asm-generic/pgalloc.h", "pte_free", "4163a11fc1821492")]
    internal void pte_free(mm_struct* mm, page* pte_page)
    {
        ptdesc* ptdesc = page_ptdesc(pte_page);

        pagetable_pte_dtor(ptdesc);
        pagetable_free(ptdesc);
    }

    [Upstream("include/asm-generic/pgalloc.h", "pmd_alloc_one_noprof", "9cf7c99cd0d0bb7e")]
    internal pmd_t* pmd_alloc_one(mm_struct* mm, ulong addr)
    {
        ptdesc* ptdesc;
        uint gfp = GFP_PGTABLE_USER;

        if (mm == init_mm_ptr)
            gfp = GFP_PGTABLE_KERNEL;
        ptdesc = pagetable_alloc(gfp, 0);
        if (ptdesc == null)
            return null;
        if (!pagetable_pmd_ctor(ptdesc))
        {
            pagetable_free(ptdesc);
            return null;
        }
        return (pmd_t*)ptdesc_address(ptdesc);
    }

    [Upstream("include/asm-generic/pgalloc.h", "pmd_free", "4ccce0badc51f2a6")]
    internal void pmd_free(mm_struct* mm, pmd_t* pmd)
    {
        ptdesc* ptdesc = virt_to_ptdesc(pmd);

        BUG_ON(((ulong)pmd & (PAGE_SIZE - 1)) != 0);
        pagetable_pmd_dtor(ptdesc);
        pagetable_free(ptdesc);
    }

    [Upstream("include/asm-generic/pgalloc.h", "__pud_alloc_one_noprof", "52569c3586c39178")]
    internal pud_t* __pud_alloc_one(mm_struct* mm, ulong addr)
    {
        uint gfp = GFP_PGTABLE_USER;
        ptdesc* ptdesc;

        if (mm == init_mm_ptr)
            gfp = GFP_PGTABLE_KERNEL;
        gfp &= ~__GFP_HIGHMEM;

        ptdesc = pagetable_alloc(gfp, 0);
        if (ptdesc == null)
            return null;

        pagetable_pud_ctor(ptdesc);
        return (pud_t*)ptdesc_address(ptdesc);
    }

    [Upstream("include/asm-generic/pgalloc.h", "pud_alloc_one_noprof", "f566d2fe52c17c29")]
    internal pud_t* pud_alloc_one(mm_struct* mm, ulong addr)
    {
        return __pud_alloc_one(mm, addr);
    }

    [Upstream("include/asm-generic/pgalloc.h", "__pud_free", "5b2c97fce216da99")]
    internal void __pud_free(mm_struct* mm, pud_t* pud)
    {
        ptdesc* ptdesc = virt_to_ptdesc(pud);

        BUG_ON(((ulong)pud & (PAGE_SIZE - 1)) != 0);
        pagetable_pud_dtor(ptdesc);
        pagetable_free(ptdesc);
    }

    [Upstream("include/asm-generic/pgalloc.h", "pud_free", "ab57d0888e714701")]
    internal void pud_free(mm_struct* mm, pud_t* pud)
    {
        __pud_free(mm, pud);
    }
}
