// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 arch/x86/include/asm/pgtable_types.h: entry values and flags,
// the pfn/flags masks of each level, the user PAGE_* protections.
// x86_64 with CONFIG_PGTABLE_LEVELS=5: p4d_t and pud_t are real types (the p4d level is folded at
// run time, see pgtable_64_types.cs), and PGD_ALLOWED_BITS is ~0 (no PAE).
using static Emu.Kernel.KernelConstants;
using pgprot_t = Emu.Kernel.pgprot;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // Set up in arch/x86/mm/init_64.c and trimmed by probe_page_size_mask()/x86_configure_nx():
    // the emulated CPU has NX and PGE, so every bit stays supported.
    internal ulong __supported_pte_mask = ~0UL;

    [Upstream("arch/x86/include/asm/pgtable_types.h", "pgprot_val", UpstreamAttribute.Macro)]
    internal static ulong pgprot_val(pgprot_t x) => x.pgprot_;

    [Upstream("arch/x86/include/asm/pgtable_types.h", "__pgprot", UpstreamAttribute.Macro)]
    internal static pgprot_t __pgprot(ulong x) => new pgprot_t { pgprot_ = x };

    [Upstream("arch/x86/include/asm/pgtable_types.h", "__pg", UpstreamAttribute.Macro)]
    internal static pgprot_t __pg(ulong x) => __pgprot(x);

    // The protections of user mappings (protection_map in arch/x86/mm/pgprot.c), spelled as upstream.
    [Upstream("arch/x86/include/asm/pgtable_types.h", "PAGE_NONE", UpstreamAttribute.Macro)]
    internal static pgprot_t PAGE_NONE => __pg(0 | 0 | 0 | ___A | 0 | 0 | 0 | ___G);

    [Upstream("arch/x86/include/asm/pgtable_types.h", "PAGE_SHARED", UpstreamAttribute.Macro)]
    internal static pgprot_t PAGE_SHARED => __pg(__PP | __RW | _USR | ___A | __NX | 0 | 0 | 0);

    [Upstream("arch/x86/include/asm/pgtable_types.h", "PAGE_SHARED_EXEC", UpstreamAttribute.Macro)]
    internal static pgprot_t PAGE_SHARED_EXEC => __pg(__PP | __RW | _USR | ___A | 0 | 0 | 0 | 0);

    [Upstream("arch/x86/include/asm/pgtable_types.h", "PAGE_COPY_NOEXEC", UpstreamAttribute.Macro)]
    internal static pgprot_t PAGE_COPY_NOEXEC => __pg(__PP | 0 | _USR | ___A | __NX | 0 | 0 | 0);

    [Upstream("arch/x86/include/asm/pgtable_types.h", "PAGE_COPY_EXEC", UpstreamAttribute.Macro)]
    internal static pgprot_t PAGE_COPY_EXEC => __pg(__PP | 0 | _USR | ___A | 0 | 0 | 0 | 0);

    [Upstream("arch/x86/include/asm/pgtable_types.h", "PAGE_COPY", UpstreamAttribute.Macro)]
    internal static pgprot_t PAGE_COPY => __pg(__PP | 0 | _USR | ___A | __NX | 0 | 0 | 0);

    [Upstream("arch/x86/include/asm/pgtable_types.h", "PAGE_READONLY", UpstreamAttribute.Macro)]
    internal static pgprot_t PAGE_READONLY => __pg(__PP | 0 | _USR | ___A | __NX | 0 | 0 | 0);

    [Upstream("arch/x86/include/asm/pgtable_types.h", "PAGE_READONLY_EXEC", UpstreamAttribute.Macro)]
    internal static pgprot_t PAGE_READONLY_EXEC => __pg(__PP | 0 | _USR | ___A | 0 | 0 | 0 | 0);

    [Upstream("arch/x86/include/asm/pgtable_types.h", "pgprot_nx", "ed3b784cc6f1a417")]
    internal static pgprot_t pgprot_nx(pgprot_t prot)
    {
        return __pgprot(pgprot_val(prot) | _PAGE_NX);
    }

    // No PAE: PGD_ALLOWED_BITS is ~0ULL and masks nothing.
    [Upstream("arch/x86/include/asm/pgtable_types.h", "native_make_pgd", "97cbebaf96540fd6")]
    internal static pgd_t native_make_pgd(ulong val)
    {
        return new pgd_t { pgd = val & PGD_ALLOWED_BITS };
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "native_pgd_val", "fe3cd3393b3f5754")]
    internal static ulong native_pgd_val(pgd_t pgd)
    {
        return pgd.pgd & PGD_ALLOWED_BITS;
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "pgd_flags", "f4bdb884a59a59fc")]
    internal static ulong pgd_flags(pgd_t pgd)
    {
        return native_pgd_val(pgd) & PTE_FLAGS_MASK;
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "native_make_p4d", "4ed189bdfea7eea0")]
    internal static p4d_t native_make_p4d(ulong val)
    {
        return new p4d_t { p4d = val };
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "native_p4d_val", "c383f857079d2e74")]
    internal static ulong native_p4d_val(p4d_t p4d)
    {
        return p4d.p4d;
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "native_make_pud", "9dec45dbde58d9cd")]
    internal static pud_t native_make_pud(ulong val)
    {
        return new pud_t { pud = val };
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "native_pud_val", "b58047e21c90dbe2")]
    internal static ulong native_pud_val(pud_t pud)
    {
        return pud.pud;
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "native_make_pmd", "c432896aadbdf4c1")]
    internal static pmd_t native_make_pmd(ulong val)
    {
        return new pmd_t { pmd = val };
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "native_pmd_val", "af3a1a6cc27a7a01")]
    internal static ulong native_pmd_val(pmd_t pmd)
    {
        return pmd.pmd;
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "p4d_pfn_mask", "ab32290cde4d5ef3")]
    internal static ulong p4d_pfn_mask(p4d_t p4d)
    {
        // No 512 GiB leaves.
        return PTE_PFN_MASK;
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "p4d_flags_mask", "ae0b3d288aa8c831")]
    internal static ulong p4d_flags_mask(p4d_t p4d)
    {
        return ~p4d_pfn_mask(p4d);
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "p4d_flags", "48ebee81650a546f")]
    internal static ulong p4d_flags(p4d_t p4d)
    {
        return native_p4d_val(p4d) & p4d_flags_mask(p4d);
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "pud_pfn_mask", "dc513d6a43225933")]
    internal static ulong pud_pfn_mask(pud_t pud)
    {
        if ((native_pud_val(pud) & _PAGE_PSE) != 0)
            return PHYSICAL_PUD_PAGE_MASK;
        else
            return PTE_PFN_MASK;
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "pud_flags_mask", "516c9ad37bdde494")]
    internal static ulong pud_flags_mask(pud_t pud)
    {
        return ~pud_pfn_mask(pud);
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "pud_flags", "3f56729dc0f37c4b")]
    internal static ulong pud_flags(pud_t pud)
    {
        return native_pud_val(pud) & pud_flags_mask(pud);
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "pmd_pfn_mask", "e64e32cd6dafb943")]
    internal static ulong pmd_pfn_mask(pmd_t pmd)
    {
        if ((native_pmd_val(pmd) & _PAGE_PSE) != 0)
            return PHYSICAL_PMD_PAGE_MASK;
        else
            return PTE_PFN_MASK;
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "pmd_flags_mask", "8d178bdf9d4f951a")]
    internal static ulong pmd_flags_mask(pmd_t pmd)
    {
        return ~pmd_pfn_mask(pmd);
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "pmd_flags", "3d882ddacabaf01b")]
    internal static ulong pmd_flags(pmd_t pmd)
    {
        return native_pmd_val(pmd) & pmd_flags_mask(pmd);
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "native_make_pte", "a83d8c0bf771a07b")]
    internal static pte_t native_make_pte(ulong val)
    {
        return new pte_t { pte = val };
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "native_pte_val", "f285fedbe6dd9b0b")]
    internal static ulong native_pte_val(pte_t pte)
    {
        return pte.pte;
    }

    [Upstream("arch/x86/include/asm/pgtable_types.h", "pte_flags", "4a1aa980932847db")]
    internal static ulong pte_flags(pte_t pte)
    {
        return native_pte_val(pte) & PTE_FLAGS_MASK;
    }
}
