// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 arch/x86/include/asm/pgalloc.h (x86_64, no CONFIG_X86_PAE,
// no CONFIG_PARAVIRT_XXL: the paravirt hooks are the empty inlines). Populating an upper-level
// entry points it at the lower table with _PAGE_TABLE. The p4d level exists only with LA57, which
// the emulated CPU does not have: pgd_populate and p4d_free then do nothing, as upstream.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("arch/x86/include/asm/pgalloc.h", "PGD_ALLOCATION_ORDER", UpstreamAttribute.Macro)]
    internal const int PGD_ALLOCATION_ORDER = 1; // CONFIG_MITIGATION_PAGE_TABLE_ISOLATION=y

    [Upstream("arch/x86/include/asm/pgalloc.h", "__paravirt_pgd_alloc", "44a1d2edf9e4dbfb")]
    internal static int __paravirt_pgd_alloc(mm_struct* mm) { return 0; }

    [Upstream("arch/x86/include/asm/pgalloc.h", "paravirt_pgd_alloc", UpstreamAttribute.Macro)]
    internal static int paravirt_pgd_alloc(mm_struct* mm) => __paravirt_pgd_alloc(mm);

    [Upstream("arch/x86/include/asm/pgalloc.h", "paravirt_pgd_free", "44136fa355b3678a")]
    internal static void paravirt_pgd_free(mm_struct* mm, pgd_t* pgd) { }

    [Upstream("arch/x86/include/asm/pgalloc.h", "paravirt_alloc_pte", "44136fa355b3678a")]
    internal static void paravirt_alloc_pte(mm_struct* mm, ulong pfn) { }

    [Upstream("arch/x86/include/asm/pgalloc.h", "paravirt_alloc_pmd", "44136fa355b3678a")]
    internal static void paravirt_alloc_pmd(mm_struct* mm, ulong pfn) { }

    [Upstream("arch/x86/include/asm/pgalloc.h", "paravirt_alloc_pud", "44136fa355b3678a")]
    internal static void paravirt_alloc_pud(mm_struct* mm, ulong pfn) { }

    [Upstream("arch/x86/include/asm/pgalloc.h", "paravirt_alloc_p4d", "44136fa355b3678a")]
    internal static void paravirt_alloc_p4d(mm_struct* mm, ulong pfn) { }

    [Upstream("arch/x86/include/asm/pgalloc.h", "paravirt_release_pte", "44136fa355b3678a")]
    internal static void paravirt_release_pte(ulong pfn) { }

    [Upstream("arch/x86/include/asm/pgalloc.h", "paravirt_release_pmd", "44136fa355b3678a")]
    internal static void paravirt_release_pmd(ulong pfn) { }

    [Upstream("arch/x86/include/asm/pgalloc.h", "paravirt_release_pud", "44136fa355b3678a")]
    internal static void paravirt_release_pud(ulong pfn) { }

    [Upstream("arch/x86/include/asm/pgalloc.h", "paravirt_release_p4d", "44136fa355b3678a")]
    internal static void paravirt_release_p4d(ulong pfn) { }

    [Upstream("arch/x86/include/asm/pgalloc.h", "pmd_populate", "e1cfa0cae02a229f")]
    internal void pmd_populate(mm_struct* mm, pmd_t* pmd,
                               page* pte)
    {
        ulong pfn = page_to_pfn(pte);

        paravirt_alloc_pte(mm, pfn);
        set_pmd(pmd, __pmd((pfn << PAGE_SHIFT) | _PAGE_TABLE));
    }

    [Upstream("arch/x86/include/asm/pgalloc.h", "pud_populate", "483b6877956b5946")]
    internal void pud_populate(mm_struct* mm, pud_t* pud, pmd_t* pmd)
    {
        paravirt_alloc_pmd(mm, __pa(pmd) >> PAGE_SHIFT);
        set_pud(pud, __pud(_PAGE_TABLE | __pa(pmd)));
    }

    [Upstream("arch/x86/include/asm/pgalloc.h", "p4d_populate", "f167e3741f729e15")]
    internal void p4d_populate(mm_struct* mm, p4d_t* p4d, pud_t* pud)
    {
        paravirt_alloc_pud(mm, __pa(pud) >> PAGE_SHIFT);
        set_p4d(p4d, __p4d(_PAGE_TABLE | __pa(pud)));
    }

    [Upstream("arch/x86/include/asm/pgalloc.h", "pgd_populate", "de515a884485f7de")]
    internal void pgd_populate(mm_struct* mm, pgd_t* pgd, p4d_t* p4d)
    {
        if (!pgtable_l5_enabled())
            return;
        paravirt_alloc_p4d(mm, __pa(p4d) >> PAGE_SHIFT);
        set_pgd(pgd, __pgd(_PAGE_TABLE | __pa(p4d)));
    }

    [Upstream("arch/x86/include/asm/pgalloc.h", "p4d_alloc_one", "78b6fa4979693040")]
    internal p4d_t* p4d_alloc_one(mm_struct* mm, ulong addr)
    {
        uint gfp = GFP_KERNEL_ACCOUNT;

        if (mm == init_mm_ptr)
            gfp &= ~__GFP_ACCOUNT;
        return (p4d_t*)get_zeroed_page(gfp);
    }

    [Upstream("arch/x86/include/asm/pgalloc.h", "p4d_free", "21c1f8f5de29465d")]
    internal void p4d_free(mm_struct* mm, p4d_t* p4d)
    {
        if (!pgtable_l5_enabled())
            return;

        BUG_ON(((ulong)p4d & (PAGE_SIZE - 1)) != 0);
        free_page((ulong)p4d);
    }
}
