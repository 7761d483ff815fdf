// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 arch/x86/include/asm/pgtable.h: entry tests and modifiers for
// every level, pfn <-> entry, the SavedDirty shuffle that keeps Write=0,Dirty=1 (a shadow-stack
// encoding) from ever being created by accident, and the get-and-clear / write-protect primitives.
//
// Configuration as Debian amd64, on the emulated CPU of cpufeature.cs:
//  - CONFIG_PARAVIRT_XXL=y, but on bare metal every pv_ops.mmu hook is the native_* function, which
//    is exactly the !PARAVIRT_XXL mapping below (set_pte -> native_set_pte, pte_val -> native_pte_val).
//  - CONFIG_MITIGATION_PAGE_TABLE_ISOLATION=y, but X86_FEATURE_PTI is clear: Emu models no
//    kernel/user page-table split, so pti_set_user_pgtbl() returns its argument.
//  - CONFIG_PAGE_TABLE_CHECK is off: its page_table_check_*() hooks are empty and left out.
//  - C functions returning int as a truth value (pte_young, pte_present ...) return bool here: they
//    test bits below 32 or use !! / ==, so C's conversion to int never drops a set bit.
using System.Threading;
using static Emu.Kernel.KernelConstants;
using pgprot_t = Emu.Kernel.pgprot;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // ---- the native (bare-metal paravirt) accessors ----

    [Upstream("arch/x86/include/asm/pgtable.h", "set_pte", UpstreamAttribute.Macro)]
    internal static void set_pte(pte_t* ptep, pte_t pte) => native_set_pte(ptep, pte);

    [Upstream("arch/x86/include/asm/pgtable.h", "set_pte_atomic", UpstreamAttribute.Macro)]
    internal static void set_pte_atomic(pte_t* ptep, pte_t pte) => native_set_pte_atomic(ptep, pte);

    [Upstream("arch/x86/include/asm/pgtable.h", "set_pmd", UpstreamAttribute.Macro)]
    internal static void set_pmd(pmd_t* pmdp, pmd_t pmd) => native_set_pmd(pmdp, pmd);

    [Upstream("arch/x86/include/asm/pgtable.h", "set_pgd", UpstreamAttribute.Macro)]
    internal void set_pgd(pgd_t* pgdp, pgd_t pgd) => native_set_pgd(pgdp, pgd);

    [Upstream("arch/x86/include/asm/pgtable.h", "pgd_clear", UpstreamAttribute.Macro)]
    internal void pgd_clear(pgd_t* pgd)
    {
        if (pgtable_l5_enabled())
            native_pgd_clear(pgd);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "set_p4d", UpstreamAttribute.Macro)]
    internal void set_p4d(p4d_t* p4dp, p4d_t p4d) => native_set_p4d(p4dp, p4d);

    [Upstream("arch/x86/include/asm/pgtable.h", "p4d_clear", UpstreamAttribute.Macro)]
    internal void p4d_clear(p4d_t* p4d) => native_p4d_clear(p4d);

    [Upstream("arch/x86/include/asm/pgtable.h", "set_pud", UpstreamAttribute.Macro)]
    internal static void set_pud(pud_t* pudp, pud_t pud) => native_set_pud(pudp, pud);

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_clear", UpstreamAttribute.Macro)]
    internal static void pud_clear(pud_t* pud) => native_pud_clear(pud);

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_clear", UpstreamAttribute.Macro)]
    internal static void pte_clear(mm_struct* mm, ulong addr, pte_t* ptep) => native_pte_clear(mm, addr, ptep);

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_clear", UpstreamAttribute.Macro)]
    internal static void pmd_clear(pmd_t* pmd) => native_pmd_clear(pmd);

    [Upstream("arch/x86/include/asm/pgtable.h", "pgd_val", UpstreamAttribute.Macro)]
    internal static ulong pgd_val(pgd_t x) => native_pgd_val(x);

    [Upstream("arch/x86/include/asm/pgtable.h", "__pgd", UpstreamAttribute.Macro)]
    internal static pgd_t __pgd(ulong x) => native_make_pgd(x);

    [Upstream("arch/x86/include/asm/pgtable.h", "p4d_val", UpstreamAttribute.Macro)]
    internal static ulong p4d_val(p4d_t x) => native_p4d_val(x);

    [Upstream("arch/x86/include/asm/pgtable.h", "__p4d", UpstreamAttribute.Macro)]
    internal static p4d_t __p4d(ulong x) => native_make_p4d(x);

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_val", UpstreamAttribute.Macro)]
    internal static ulong pud_val(pud_t x) => native_pud_val(x);

    [Upstream("arch/x86/include/asm/pgtable.h", "__pud", UpstreamAttribute.Macro)]
    internal static pud_t __pud(ulong x) => native_make_pud(x);

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_val", UpstreamAttribute.Macro)]
    internal static ulong pmd_val(pmd_t x) => native_pmd_val(x);

    [Upstream("arch/x86/include/asm/pgtable.h", "__pmd", UpstreamAttribute.Macro)]
    internal static pmd_t __pmd(ulong x) => native_make_pmd(x);

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_val", UpstreamAttribute.Macro)]
    internal static ulong pte_val(pte_t x) => native_pte_val(x);

    [Upstream("arch/x86/include/asm/pgtable.h", "__pte", UpstreamAttribute.Macro)]
    internal static pte_t __pte(ulong x) => native_make_pte(x);

    // ---- flag tests (meaningful for present entries) ----

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_set_flags", "bfe04b9004f4c0cb")]
    internal static pmd_t pmd_set_flags(pmd_t pmd, ulong set)
    {
        ulong v = native_pmd_val(pmd);

        return native_make_pmd(v | set);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_clear_flags", "65ec16d28acfebec")]
    internal static pmd_t pmd_clear_flags(pmd_t pmd, ulong clear)
    {
        ulong v = native_pmd_val(pmd);

        return native_make_pmd(v & ~clear);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_set_flags", "77aea736900abfeb")]
    internal static pud_t pud_set_flags(pud_t pud, ulong set)
    {
        ulong v = native_pud_val(pud);

        return native_make_pud(v | set);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_clear_flags", "8b07b34cef2e96e3")]
    internal static pud_t pud_clear_flags(pud_t pud, ulong clear)
    {
        ulong v = native_pud_val(pud);

        return native_make_pud(v & ~clear);
    }

    // Dirty or SavedDirty: a write-protected dirty entry keeps its dirtiness in bit 58.
    [Upstream("arch/x86/include/asm/pgtable.h", "pte_dirty", "16fced0af1900cce")]
    internal static bool pte_dirty(pte_t pte)
    {
        return (pte_flags(pte) & _PAGE_DIRTY_BITS) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_shstk", "2e2cd46bd063e0a3")]
    internal bool pte_shstk(pte_t pte)
    {
        return cpu_feature_enabled(X86_FEATURE_SHSTK) &&
               (pte_flags(pte) & (_PAGE_RW | _PAGE_DIRTY)) == _PAGE_DIRTY;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_young", "ca94bcc3c2fc94c4")]
    internal static bool pte_young(pte_t pte)
    {
        return (pte_flags(pte) & _PAGE_ACCESSED) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_dirty", "60699a04338b9ade")]
    internal static bool pmd_dirty(pmd_t pmd)
    {
        return (pmd_flags(pmd) & _PAGE_DIRTY_BITS) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_shstk", "6ac92c6c2c23fee7")]
    internal bool pmd_shstk(pmd_t pmd)
    {
        return cpu_feature_enabled(X86_FEATURE_SHSTK) &&
               (pmd_flags(pmd) & (_PAGE_RW | _PAGE_DIRTY | _PAGE_PSE)) ==
               (_PAGE_DIRTY | _PAGE_PSE);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_young", "8dc07f2abb7a7e24")]
    internal static bool pmd_young(pmd_t pmd)
    {
        return (pmd_flags(pmd) & _PAGE_ACCESSED) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_dirty", "74d7d0eeab616955")]
    internal static bool pud_dirty(pud_t pud)
    {
        return (pud_flags(pud) & _PAGE_DIRTY_BITS) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_young", "a3891012829a3d77")]
    internal static bool pud_young(pud_t pud)
    {
        return (pud_flags(pud) & _PAGE_ACCESSED) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_shstk", "193057e7d1001a7b")]
    internal bool pud_shstk(pud_t pud)
    {
        return cpu_feature_enabled(X86_FEATURE_SHSTK) &&
               (pud_flags(pud) & (_PAGE_RW | _PAGE_DIRTY | _PAGE_PSE)) ==
               (_PAGE_DIRTY | _PAGE_PSE);
    }

    // Shadow-stack entries are writable without _PAGE_RW.
    [Upstream("arch/x86/include/asm/pgtable.h", "pte_write", "a306195e73f975c7")]
    internal bool pte_write(pte_t pte)
    {
        return (pte_flags(pte) & _PAGE_RW) != 0 || pte_shstk(pte);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_write", "278205d303d83d70")]
    internal bool pmd_write(pmd_t pmd)
    {
        return (pmd_flags(pmd) & _PAGE_RW) != 0 || pmd_shstk(pmd);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_write", "bdcc7c6c81c8774b")]
    internal static bool pud_write(pud_t pud)
    {
        return (pud_flags(pud) & _PAGE_RW) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_huge", "fb3eaa91de97c945")]
    internal static bool pte_huge(pte_t pte)
    {
        return (pte_flags(pte) & _PAGE_PSE) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_global", "9a2da0ac052681cc")]
    internal static bool pte_global(pte_t pte)
    {
        return (pte_flags(pte) & _PAGE_GLOBAL) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_exec", "2abb091f1cade51e")]
    internal static bool pte_exec(pte_t pte)
    {
        return (pte_flags(pte) & _PAGE_NX) == 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_special", "fca34f79ee4e13ba")]
    internal static bool pte_special(pte_t pte)
    {
        return (pte_flags(pte) & _PAGE_SPECIAL) != 0;
    }

    // ---- pfns: the inversion of non-present entries is undone here ----

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_pfn", "1a282c8a65ccdba7")]
    internal static ulong pte_pfn(pte_t pte)
    {
        ulong pfn = pte_val(pte);
        pfn ^= protnone_mask(pfn);
        return (pfn & PTE_PFN_MASK) >> PAGE_SHIFT;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_pfn", "d3e1a119da5f992a")]
    internal static ulong pmd_pfn(pmd_t pmd)
    {
        ulong pfn = pmd_val(pmd);
        pfn ^= protnone_mask(pfn);
        return (pfn & pmd_pfn_mask(pmd)) >> PAGE_SHIFT;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_pfn", "32745d3f5f893a6e")]
    internal static ulong pud_pfn(pud_t pud)
    {
        ulong pfn = pud_val(pud);
        pfn ^= protnone_mask(pfn);
        return (pfn & pud_pfn_mask(pud)) >> PAGE_SHIFT;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "p4d_pfn", "426e36f5a13fa925")]
    internal static ulong p4d_pfn(p4d_t p4d)
    {
        return (p4d_val(p4d) & p4d_pfn_mask(p4d)) >> PAGE_SHIFT;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pgd_pfn", "da2552f226da9f6b")]
    internal static ulong pgd_pfn(pgd_t pgd)
    {
        return (pgd_val(pgd) & PTE_PFN_MASK) >> PAGE_SHIFT;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "p4d_leaf", "44a1d2edf9e4dbfb")]
    internal static bool p4d_leaf(p4d_t p4d)
    {
        // No 512 GiB leaves.
        return false;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_page", UpstreamAttribute.Macro)]
    internal page* pte_page(pte_t pte) => pfn_to_page(pte_pfn(pte));

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_leaf", "94232f1c10ba9635")]
    internal static bool pmd_leaf(pmd_t pte)
    {
        return (pmd_flags(pte) & _PAGE_PSE) != 0;
    }

    // ---- CONFIG_TRANSPARENT_HUGEPAGE ----

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_trans_huge", "6ac4e9f17de8185b")]
    internal static bool pmd_trans_huge(pmd_t pmd)
    {
        return (pmd_val(pmd) & (_PAGE_PSE | _PAGE_DEVMAP)) == _PAGE_PSE;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_trans_huge", "8177fce0e8e35c1a")]
    internal static bool pud_trans_huge(pud_t pud)
    {
        return (pud_val(pud) & (_PAGE_PSE | _PAGE_DEVMAP)) == _PAGE_PSE;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "has_transparent_hugepage", "6bcc95e982e42e70")]
    internal bool has_transparent_hugepage()
    {
        return boot_cpu_has(X86_FEATURE_PSE);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_devmap", "64f5388cb639c83a")]
    internal static bool pmd_devmap(pmd_t pmd)
    {
        return (pmd_val(pmd) & _PAGE_DEVMAP) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_devmap", "cfefa8b1aebabbce")]
    internal static bool pud_devmap(pud_t pud)
    {
        return (pud_val(pud) & _PAGE_DEVMAP) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_special", "8dce3cec0a4d2b3d")]
    internal static bool pmd_special(pmd_t pmd)
    {
        return (pmd_flags(pmd) & _PAGE_SPECIAL) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_mkspecial", "be1f493aa241775a")]
    internal static pmd_t pmd_mkspecial(pmd_t pmd)
    {
        return pmd_set_flags(pmd, _PAGE_SPECIAL);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_special", "e9972e3b6120a066")]
    internal static bool pud_special(pud_t pud)
    {
        return (pud_flags(pud) & _PAGE_SPECIAL) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_mkspecial", "ba2f6626020dab31")]
    internal static pud_t pud_mkspecial(pud_t pud)
    {
        return pud_set_flags(pud, _PAGE_SPECIAL);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pgd_devmap", "44a1d2edf9e4dbfb")]
    internal static bool pgd_devmap(pgd_t pgd)
    {
        return false;
    }

    // ---- pte modifiers ----

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_set_flags", "7d5787e0ca676867")]
    internal static pte_t pte_set_flags(pte_t pte, ulong set)
    {
        ulong v = native_pte_val(pte);

        return native_make_pte(v | set);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_clear_flags", "e7135ef0b1a672de")]
    internal static pte_t pte_clear_flags(pte_t pte, ulong clear)
    {
        ulong v = native_pte_val(pte);

        return native_make_pte(v & ~clear);
    }

    // Write=0: move Dirty to SavedDirty (branch-free on the RW bit).
    [Upstream("arch/x86/include/asm/pgtable.h", "mksaveddirty_shift", "7d6394b2b8c5396a")]
    internal static ulong mksaveddirty_shift(ulong v)
    {
        ulong cond = (~v >> _PAGE_BIT_RW) & 1;

        v |= ((v >> _PAGE_BIT_DIRTY) & cond) << _PAGE_BIT_SAVED_DIRTY;
        v &= ~(cond << _PAGE_BIT_DIRTY);

        return v;
    }

    // Write=1: move SavedDirty back to Dirty.
    [Upstream("arch/x86/include/asm/pgtable.h", "clear_saveddirty_shift", "749028b3224f9364")]
    internal static ulong clear_saveddirty_shift(ulong v)
    {
        ulong cond = (v >> _PAGE_BIT_RW) & 1;

        v |= ((v >> _PAGE_BIT_SAVED_DIRTY) & cond) << _PAGE_BIT_DIRTY;
        v &= ~(cond << _PAGE_BIT_SAVED_DIRTY);

        return v;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_mksaveddirty", "ade17a37c996c27a")]
    internal static pte_t pte_mksaveddirty(pte_t pte)
    {
        ulong v = native_pte_val(pte);

        v = mksaveddirty_shift(v);
        return native_make_pte(v);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_clear_saveddirty", "354b6783c61c7217")]
    internal static pte_t pte_clear_saveddirty(pte_t pte)
    {
        ulong v = native_pte_val(pte);

        v = clear_saveddirty_shift(v);
        return native_make_pte(v);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_wrprotect", "a3ad2ec6356d57c3")]
    internal static pte_t pte_wrprotect(pte_t pte)
    {
        pte = pte_clear_flags(pte, _PAGE_RW);

        // Never leave Write=0,Dirty=1 behind.
        return pte_mksaveddirty(pte);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_uffd_wp", "3f63a15789ce84f5")]
    internal static bool pte_uffd_wp(pte_t pte)
    {
        return (pte_flags(pte) & _PAGE_UFFD_WP) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_mkuffd_wp", "30df26e6d1699f96")]
    internal static pte_t pte_mkuffd_wp(pte_t pte)
    {
        return pte_wrprotect(pte_set_flags(pte, _PAGE_UFFD_WP));
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_clear_uffd_wp", "41f5764d293c0c67")]
    internal static pte_t pte_clear_uffd_wp(pte_t pte)
    {
        return pte_clear_flags(pte, _PAGE_UFFD_WP);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_mkclean", "0b1e443de60b23e8")]
    internal static pte_t pte_mkclean(pte_t pte)
    {
        return pte_clear_flags(pte, _PAGE_DIRTY_BITS);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_mkold", "15395a823b1e227d")]
    internal static pte_t pte_mkold(pte_t pte)
    {
        return pte_clear_flags(pte, _PAGE_ACCESSED);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_mkexec", "1943ec830d338f58")]
    internal static pte_t pte_mkexec(pte_t pte)
    {
        return pte_clear_flags(pte, _PAGE_NX);
    }

    // On a read-only entry the dirtiness lands in SavedDirty.
    [Upstream("arch/x86/include/asm/pgtable.h", "pte_mkdirty", "8e4f53c4b22e4021")]
    internal static pte_t pte_mkdirty(pte_t pte)
    {
        pte = pte_set_flags(pte, _PAGE_DIRTY | _PAGE_SOFT_DIRTY);

        return pte_mksaveddirty(pte);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_mkwrite_shstk", "a260906d4e3f0dbd")]
    internal static pte_t pte_mkwrite_shstk(pte_t pte)
    {
        pte = pte_clear_flags(pte, _PAGE_RW);

        return pte_set_flags(pte, _PAGE_DIRTY);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_mkyoung", "9642b531ae04782c")]
    internal static pte_t pte_mkyoung(pte_t pte)
    {
        return pte_set_flags(pte, _PAGE_ACCESSED);
    }

    // Only sets RW; pte_mkwrite() (arch/x86/mm/pgtable.c) also restores SavedDirty.
    [Upstream("arch/x86/include/asm/pgtable.h", "pte_mkwrite_novma", "218d64d685ed9005")]
    internal static pte_t pte_mkwrite_novma(pte_t pte)
    {
        return pte_set_flags(pte, _PAGE_RW);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_mkhuge", "3b2f43a71c6a7d2f")]
    internal static pte_t pte_mkhuge(pte_t pte)
    {
        return pte_set_flags(pte, _PAGE_PSE);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_clrhuge", "b86a53139de3cb09")]
    internal static pte_t pte_clrhuge(pte_t pte)
    {
        return pte_clear_flags(pte, _PAGE_PSE);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_mkglobal", "ec3e6900b4e0b252")]
    internal static pte_t pte_mkglobal(pte_t pte)
    {
        return pte_set_flags(pte, _PAGE_GLOBAL);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_clrglobal", "39e204382e97de09")]
    internal static pte_t pte_clrglobal(pte_t pte)
    {
        return pte_clear_flags(pte, _PAGE_GLOBAL);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_mkspecial", "857623c57170cddb")]
    internal static pte_t pte_mkspecial(pte_t pte)
    {
        return pte_set_flags(pte, _PAGE_SPECIAL);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_mkdevmap", "20a3192cf7df62de")]
    internal static pte_t pte_mkdevmap(pte_t pte)
    {
        return pte_set_flags(pte, _PAGE_SPECIAL | _PAGE_DEVMAP);
    }

    // ---- pmd modifiers ----

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_mksaveddirty", "10013de0b9285e81")]
    internal static pmd_t pmd_mksaveddirty(pmd_t pmd)
    {
        ulong v = native_pmd_val(pmd);

        v = mksaveddirty_shift(v);
        return native_make_pmd(v);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_clear_saveddirty", "0885be8f8daa1fcf")]
    internal static pmd_t pmd_clear_saveddirty(pmd_t pmd)
    {
        ulong v = native_pmd_val(pmd);

        v = clear_saveddirty_shift(v);
        return native_make_pmd(v);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_wrprotect", "e072514d49ca232f")]
    internal static pmd_t pmd_wrprotect(pmd_t pmd)
    {
        pmd = pmd_clear_flags(pmd, _PAGE_RW);

        return pmd_mksaveddirty(pmd);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_uffd_wp", "b4455bb97d9dac9b")]
    internal static bool pmd_uffd_wp(pmd_t pmd)
    {
        return (pmd_flags(pmd) & _PAGE_UFFD_WP) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_mkuffd_wp", "e2aa450066278f56")]
    internal static pmd_t pmd_mkuffd_wp(pmd_t pmd)
    {
        return pmd_wrprotect(pmd_set_flags(pmd, _PAGE_UFFD_WP));
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_clear_uffd_wp", "323e7945c809d301")]
    internal static pmd_t pmd_clear_uffd_wp(pmd_t pmd)
    {
        return pmd_clear_flags(pmd, _PAGE_UFFD_WP);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_mkold", "05671b0ec7ce7a5a")]
    internal static pmd_t pmd_mkold(pmd_t pmd)
    {
        return pmd_clear_flags(pmd, _PAGE_ACCESSED);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_mkclean", "1a8ca78f7b8302c9")]
    internal static pmd_t pmd_mkclean(pmd_t pmd)
    {
        return pmd_clear_flags(pmd, _PAGE_DIRTY_BITS);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_mkdirty", "8cd6130bbe44c76d")]
    internal static pmd_t pmd_mkdirty(pmd_t pmd)
    {
        pmd = pmd_set_flags(pmd, _PAGE_DIRTY | _PAGE_SOFT_DIRTY);

        return pmd_mksaveddirty(pmd);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_mkwrite_shstk", "456d433240caed22")]
    internal static pmd_t pmd_mkwrite_shstk(pmd_t pmd)
    {
        pmd = pmd_clear_flags(pmd, _PAGE_RW);

        return pmd_set_flags(pmd, _PAGE_DIRTY);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_mkdevmap", "379bb18aad25db15")]
    internal static pmd_t pmd_mkdevmap(pmd_t pmd)
    {
        return pmd_set_flags(pmd, _PAGE_DEVMAP);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_mkhuge", "94b9626692afb1ec")]
    internal static pmd_t pmd_mkhuge(pmd_t pmd)
    {
        return pmd_set_flags(pmd, _PAGE_PSE);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_mkyoung", "c8a7ae3822e48e6c")]
    internal static pmd_t pmd_mkyoung(pmd_t pmd)
    {
        return pmd_set_flags(pmd, _PAGE_ACCESSED);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_mkwrite_novma", "43ce504e55896984")]
    internal static pmd_t pmd_mkwrite_novma(pmd_t pmd)
    {
        return pmd_set_flags(pmd, _PAGE_RW);
    }

    // ---- pud modifiers ----

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_mksaveddirty", "1baf96ab9b09d38c")]
    internal static pud_t pud_mksaveddirty(pud_t pud)
    {
        ulong v = native_pud_val(pud);

        v = mksaveddirty_shift(v);
        return native_make_pud(v);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_clear_saveddirty", "95d8f5da6975d957")]
    internal static pud_t pud_clear_saveddirty(pud_t pud)
    {
        ulong v = native_pud_val(pud);

        v = clear_saveddirty_shift(v);
        return native_make_pud(v);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_mkold", "ae08e23bc9823c65")]
    internal static pud_t pud_mkold(pud_t pud)
    {
        return pud_clear_flags(pud, _PAGE_ACCESSED);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_mkclean", "767732209eff5919")]
    internal static pud_t pud_mkclean(pud_t pud)
    {
        return pud_clear_flags(pud, _PAGE_DIRTY_BITS);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_wrprotect", "24a03034488a13d9")]
    internal static pud_t pud_wrprotect(pud_t pud)
    {
        pud = pud_clear_flags(pud, _PAGE_RW);

        return pud_mksaveddirty(pud);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_mkdirty", "3045532a2cb8b7a4")]
    internal static pud_t pud_mkdirty(pud_t pud)
    {
        pud = pud_set_flags(pud, _PAGE_DIRTY | _PAGE_SOFT_DIRTY);

        return pud_mksaveddirty(pud);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_mkdevmap", "c6e453b85d9714ed")]
    internal static pud_t pud_mkdevmap(pud_t pud)
    {
        return pud_set_flags(pud, _PAGE_DEVMAP);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_mkhuge", "9067e65b88c56abb")]
    internal static pud_t pud_mkhuge(pud_t pud)
    {
        return pud_set_flags(pud, _PAGE_PSE);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_mkyoung", "415d04d736d3bee5")]
    internal static pud_t pud_mkyoung(pud_t pud)
    {
        return pud_set_flags(pud, _PAGE_ACCESSED);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_mkwrite", "a2699e34d0356c88")]
    internal static pud_t pud_mkwrite(pud_t pud)
    {
        pud = pud_set_flags(pud, _PAGE_RW);

        return pud_clear_saveddirty(pud);
    }

    // ---- CONFIG_HAVE_ARCH_SOFT_DIRTY ----

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_soft_dirty", "1689bae38728c753")]
    internal static bool pte_soft_dirty(pte_t pte)
    {
        return (pte_flags(pte) & _PAGE_SOFT_DIRTY) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_soft_dirty", "b5f4588df4ab97f1")]
    internal static bool pmd_soft_dirty(pmd_t pmd)
    {
        return (pmd_flags(pmd) & _PAGE_SOFT_DIRTY) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_soft_dirty", "096821195b26cba7")]
    internal static bool pud_soft_dirty(pud_t pud)
    {
        return (pud_flags(pud) & _PAGE_SOFT_DIRTY) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_mksoft_dirty", "526ab8eb3e8d2852")]
    internal static pte_t pte_mksoft_dirty(pte_t pte)
    {
        return pte_set_flags(pte, _PAGE_SOFT_DIRTY);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_mksoft_dirty", "356a0671c2071643")]
    internal static pmd_t pmd_mksoft_dirty(pmd_t pmd)
    {
        return pmd_set_flags(pmd, _PAGE_SOFT_DIRTY);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_mksoft_dirty", "8c4d160089edbd70")]
    internal static pud_t pud_mksoft_dirty(pud_t pud)
    {
        return pud_set_flags(pud, _PAGE_SOFT_DIRTY);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_clear_soft_dirty", "e711b6566017f1d9")]
    internal static pte_t pte_clear_soft_dirty(pte_t pte)
    {
        return pte_clear_flags(pte, _PAGE_SOFT_DIRTY);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_clear_soft_dirty", "5dbc57de4733cea2")]
    internal static pmd_t pmd_clear_soft_dirty(pmd_t pmd)
    {
        return pmd_clear_flags(pmd, _PAGE_SOFT_DIRTY);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_clear_soft_dirty", "5e0f55fc67a04623")]
    internal static pud_t pud_clear_soft_dirty(pud_t pud)
    {
        return pud_clear_flags(pud, _PAGE_SOFT_DIRTY);
    }

    // ---- protections ----

    // Bits the CPU lacks are dropped from present protections only.
    [Upstream("arch/x86/include/asm/pgtable.h", "massage_pgprot", "2fe59878b867c9a1")]
    internal ulong massage_pgprot(pgprot_t pgprot)
    {
        ulong protval = pgprot_val(pgprot);

        if ((protval & _PAGE_PRESENT) != 0)
            protval &= __supported_pte_mask;

        return protval;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "check_pgprot", "be39ace79e7c87f3")]
    internal ulong check_pgprot(pgprot_t pgprot)
    {
        ulong massaged_val = massage_pgprot(pgprot);

        // CONFIG_DEBUG_VM (on in Emu).
        WARN_ONCE(pgprot_val(pgprot) != massaged_val,
                  $"attempted to set unsupported pgprot: {pgprot_val(pgprot):x16} " +
                  $"bits: {pgprot_val(pgprot) ^ massaged_val:x16} supported: {__supported_pte_mask:x16}\n");

        return massaged_val;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pfn_pte", "fff3caa03052ecca")]
    internal pte_t pfn_pte(ulong page_nr, pgprot_t pgprot)
    {
        ulong pfn = page_nr << PAGE_SHIFT;
        pfn ^= protnone_mask(pgprot_val(pgprot));
        pfn &= PTE_PFN_MASK;
        return __pte(pfn | check_pgprot(pgprot));
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pfn_pmd", "488138e7055c771d")]
    internal pmd_t pfn_pmd(ulong page_nr, pgprot_t pgprot)
    {
        ulong pfn = page_nr << PAGE_SHIFT;
        pfn ^= protnone_mask(pgprot_val(pgprot));
        pfn &= PHYSICAL_PMD_PAGE_MASK;
        return __pmd(pfn | check_pgprot(pgprot));
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pfn_pud", "96d09e6f8b9fc827")]
    internal pud_t pfn_pud(ulong page_nr, pgprot_t pgprot)
    {
        ulong pfn = page_nr << PAGE_SHIFT;
        pfn ^= protnone_mask(pgprot_val(pgprot));
        pfn &= PHYSICAL_PUD_PAGE_MASK;
        return __pud(pfn | check_pgprot(pgprot));
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_mkinvalid", "86ba7afbbf35fc41")]
    internal pmd_t pmd_mkinvalid(pmd_t pmd)
    {
        return pfn_pmd(pmd_pfn(pmd),
                      __pgprot(pmd_flags(pmd) & ~(_PAGE_PRESENT | _PAGE_PROTNONE)));
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_mkinvalid", "be3ad72129768e91")]
    internal pud_t pud_mkinvalid(pud_t pud)
    {
        return pfn_pud(pud_pfn(pud),
                       __pgprot(pud_flags(pud) & ~(_PAGE_PRESENT | _PAGE_PROTNONE)));
    }

    // Keeps the pfn, special/accessed/dirty/soft-dirty/uffd-wp and cache bits; takes the rest from
    // newprot; re-inverts the pfn when the entry crosses between present and PROT_NONE.
    [Upstream("arch/x86/include/asm/pgtable.h", "pte_modify", "df70ceef15d29284")]
    internal pte_t pte_modify(pte_t pte, pgprot_t newprot)
    {
        ulong val = pte_val(pte), oldval = val;
        pte_t pte_result;

        val &= _PAGE_CHG_MASK;
        val |= check_pgprot(newprot) & ~_PAGE_CHG_MASK;
        val = flip_protnone_guard(oldval, val, PTE_PFN_MASK);

        pte_result = __pte(val);

        // Dirty=1 must not survive on an entry that lost Write (shadow-stack encoding);
        // entries that were Write=0 (shadow stack itself) are left alone.
        if ((oldval & _PAGE_RW) != 0)
            pte_result = pte_mksaveddirty(pte_result);
        else
            pte_result = pte_clear_saveddirty(pte_result);

        return pte_result;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_modify", "641bbcda6800619a")]
    internal pmd_t pmd_modify(pmd_t pmd, pgprot_t newprot)
    {
        ulong val = pmd_val(pmd), oldval = val;
        pmd_t pmd_result;

        val &= _HPAGE_CHG_MASK;
        val |= check_pgprot(newprot) & ~_HPAGE_CHG_MASK;
        val = flip_protnone_guard(oldval, val, PHYSICAL_PMD_PAGE_MASK);

        pmd_result = __pmd(val);

        if ((oldval & _PAGE_RW) != 0)
            pmd_result = pmd_mksaveddirty(pmd_result);
        else
            pmd_result = pmd_clear_saveddirty(pmd_result);

        return pmd_result;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_modify", "410de20585458b96")]
    internal pud_t pud_modify(pud_t pud, pgprot_t newprot)
    {
        ulong val = pud_val(pud), oldval = val;
        pud_t pud_result;

        val &= _HPAGE_CHG_MASK;
        val |= check_pgprot(newprot) & ~_HPAGE_CHG_MASK;
        val = flip_protnone_guard(oldval, val, PHYSICAL_PUD_PAGE_MASK);

        pud_result = __pud(val);

        if ((oldval & _PAGE_RW) != 0)
            pud_result = pud_mksaveddirty(pud_result);
        else
            pud_result = pud_clear_saveddirty(pud_result);

        return pud_result;
    }

    // mprotect keeps the PAT and encryption bits of the old protection.
    [Upstream("arch/x86/include/asm/pgtable.h", "pgprot_modify", "c45fc2e747bffa2b")]
    internal static pgprot_t pgprot_modify(pgprot_t oldprot, pgprot_t newprot)
    {
        ulong preservebits = pgprot_val(oldprot) & _PAGE_CHG_MASK;
        ulong addbits = pgprot_val(newprot) & ~_PAGE_CHG_MASK;
        return __pgprot(preservebits | addbits);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_pgprot", UpstreamAttribute.Macro)]
    internal static pgprot_t pte_pgprot(pte_t x) => __pgprot(pte_flags(x));

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_pgprot", UpstreamAttribute.Macro)]
    internal static pgprot_t pmd_pgprot(pmd_t x) => __pgprot(pmd_flags(x));

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_pgprot", UpstreamAttribute.Macro)]
    internal static pgprot_t pud_pgprot(pud_t x) => __pgprot(pud_flags(x));

    [Upstream("arch/x86/include/asm/pgtable.h", "p4d_pgprot", UpstreamAttribute.Macro)]
    internal static pgprot_t p4d_pgprot(p4d_t x) => __pgprot(p4d_flags(x));

    [Upstream("arch/x86/include/asm/pgtable.h", "canon_pgprot", UpstreamAttribute.Macro)]
    internal pgprot_t canon_pgprot(pgprot_t p) => __pgprot(massage_pgprot(p));

    // CONFIG_MITIGATION_PAGE_TABLE_ISOLATION=y; the emulated CPU does not set X86_FEATURE_PTI.
    [Upstream("arch/x86/include/asm/pgtable.h", "pti_set_user_pgtbl", "4c2b20a0f9b2b157")]
    internal pgd_t pti_set_user_pgtbl(pgd_t* pgdp, pgd_t pgd)
    {
        if (!static_cpu_has(X86_FEATURE_PTI))
            return pgd;
        return __pti_set_user_pgtbl(pgdp, pgd);
    }

    // arch/x86/mm/pti.c: the user half of a PTI pgd is not modeled.
    private pgd_t __pti_set_user_pgtbl(pgd_t* pgdp, pgd_t pgd)
    {
        BUG();
        return pgd;
    }

    // ---- entry state ----

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_none", "0bcf16afe89f544e")]
    internal static bool pte_none(pte_t pte)
    {
        return (pte.pte & ~(_PAGE_KNL_ERRATUM_MASK)) == 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_same", "30cac491d2dc8f90")]
    internal static bool pte_same(pte_t a, pte_t b)
    {
        return a.pte == b.pte;
    }

    // An inverted pfn counts down.
    [Upstream("arch/x86/include/asm/pgtable.h", "pte_advance_pfn", "452ca2397c79629b")]
    internal static pte_t pte_advance_pfn(pte_t pte, ulong nr)
    {
        if (__pte_needs_invert(pte_val(pte)))
            return __pte(pte_val(pte) - (nr << PFN_PTE_SHIFT));
        return __pte(pte_val(pte) + (nr << PFN_PTE_SHIFT));
    }

    // PROT_NONE entries are present to the kernel, not to the MMU.
    [Upstream("arch/x86/include/asm/pgtable.h", "pte_present", "6dac27c69d60e825")]
    internal static bool pte_present(pte_t a)
    {
        return (pte_flags(a) & (_PAGE_PRESENT | _PAGE_PROTNONE)) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_devmap", "48c5402302f066d3")]
    internal static bool pte_devmap(pte_t a)
    {
        return (pte_flags(a) & _PAGE_DEVMAP) == _PAGE_DEVMAP;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_accessible", "6b5c3383ec2e2b2c")]
    internal static bool pte_accessible(mm_struct* mm, pte_t a)
    {
        if ((pte_flags(a) & _PAGE_PRESENT) != 0)
            return true;

        if ((pte_flags(a) & _PAGE_PROTNONE) != 0 &&
                atomic_read(&mm->tlb_flush_pending) != 0)
            return true;

        return false;
    }

    // _PAGE_PSE stays set while split_huge_page has the present bit clear.
    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_present", "2ff925bc044e245d")]
    internal static bool pmd_present(pmd_t pmd)
    {
        return (pmd_flags(pmd) & (_PAGE_PRESENT | _PAGE_PROTNONE | _PAGE_PSE)) != 0;
    }

    // ---- CONFIG_NUMA_BALANCING ----

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_protnone", "18dee543b3b96ead")]
    internal static bool pte_protnone(pte_t pte)
    {
        return (pte_flags(pte) & (_PAGE_PROTNONE | _PAGE_PRESENT))
            == _PAGE_PROTNONE;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_protnone", "c02956693e376294")]
    internal static bool pmd_protnone(pmd_t pmd)
    {
        return (pmd_flags(pmd) & (_PAGE_PROTNONE | _PAGE_PRESENT))
            == _PAGE_PROTNONE;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_none", "9bb5d8074bee9ee1")]
    internal static bool pmd_none(pmd_t pmd)
    {
        ulong val = native_pmd_val(pmd);
        return (val & ~_PAGE_KNL_ERRATUM_MASK) == 0;
    }

    // The direct-map address of the table (or huge page) a pmd points to.
    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_page_vaddr", "5081bd4f4da88b18")]
    internal ulong pmd_page_vaddr(pmd_t pmd)
    {
        return (ulong)__va(pmd_val(pmd) & pmd_pfn_mask(pmd));
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_page", UpstreamAttribute.Macro)]
    internal page* pmd_page(pmd_t pmd) => pfn_to_page(pmd_pfn(pmd));

    // A writable-less dirty protection would be a shadow-stack entry.
    [Upstream("arch/x86/include/asm/pgtable.h", "mk_pte", UpstreamAttribute.Macro)]
    internal pte_t mk_pte(page* page, pgprot_t pgprot)
    {
        pgprot_t __pgprot = pgprot;

        WARN_ON_ONCE((pgprot_val(__pgprot) & (_PAGE_DIRTY | _PAGE_RW)) ==
                    _PAGE_DIRTY);
        return pfn_pte(page_to_pfn(page), __pgprot);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_bad", "ccb2c688a621ba3e")]
    internal static bool pmd_bad(pmd_t pmd)
    {
        return (pmd_flags(pmd) & ~(_PAGE_USER | _PAGE_ACCESSED)) !=
               (_KERNPG_TABLE & ~_PAGE_ACCESSED);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_none", "cca495852060c096")]
    internal static bool pud_none(pud_t pud)
    {
        return (native_pud_val(pud) & ~(_PAGE_KNL_ERRATUM_MASK)) == 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_present", "3756b84ddf7ec3ee")]
    internal static bool pud_present(pud_t pud)
    {
        return (pud_flags(pud) & _PAGE_PRESENT) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_pgtable", "c29f208e9542db0c")]
    internal pmd_t* pud_pgtable(pud_t pud)
    {
        return (pmd_t*)__va(pud_val(pud) & pud_pfn_mask(pud));
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_page", UpstreamAttribute.Macro)]
    internal page* pud_page(pud_t pud) => pfn_to_page(pud_pfn(pud));

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_leaf", "ada446a7ccf642bc")]
    internal static bool pud_leaf(pud_t pud)
    {
        return (pud_val(pud) & _PAGE_PSE) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_bad", "fad218187c5ea46b")]
    internal static bool pud_bad(pud_t pud)
    {
        return (pud_flags(pud) & ~(_KERNPG_TABLE | _PAGE_USER)) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "p4d_none", "857ff2ecccff430b")]
    internal static bool p4d_none(p4d_t p4d)
    {
        return (native_p4d_val(p4d) & ~(_PAGE_KNL_ERRATUM_MASK)) == 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "p4d_present", "90ef623154613da7")]
    internal static bool p4d_present(p4d_t p4d)
    {
        return (p4d_flags(p4d) & _PAGE_PRESENT) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "p4d_pgtable", "47da08a74533dd0b")]
    internal pud_t* p4d_pgtable(p4d_t p4d)
    {
        return (pud_t*)__va(p4d_val(p4d) & p4d_pfn_mask(p4d));
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "p4d_page", UpstreamAttribute.Macro)]
    internal page* p4d_page(p4d_t p4d) => pfn_to_page(p4d_pfn(p4d));

    [Upstream("arch/x86/include/asm/pgtable.h", "p4d_bad", "f0cd656baa6d68ac")]
    internal static bool p4d_bad(p4d_t p4d)
    {
        ulong ignore_flags = _KERNPG_TABLE | _PAGE_USER;

        // IS_ENABLED(CONFIG_MITIGATION_PAGE_TABLE_ISOLATION): =y in Debian.
        ignore_flags |= _PAGE_NX;

        return (p4d_flags(p4d) & ~ignore_flags) != 0;
    }

    // PTRS_PER_P4D is 1 without LA57: always index 0.
    [Upstream("arch/x86/include/asm/pgtable.h", "p4d_index", "0c3622922f958722")]
    internal ulong p4d_index(ulong address)
    {
        return (address >> P4D_SHIFT) & (PTRS_PER_P4D - 1);
    }

    // A folded top level is always present, never none, never bad.
    [Upstream("arch/x86/include/asm/pgtable.h", "pgd_present", "a2844c9278d2d96a")]
    internal bool pgd_present(pgd_t pgd)
    {
        if (!pgtable_l5_enabled())
            return true;
        return (pgd_flags(pgd) & _PAGE_PRESENT) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pgd_page_vaddr", "d3d763be82745e86")]
    internal ulong pgd_page_vaddr(pgd_t pgd)
    {
        return (ulong)__va(pgd_val(pgd) & PTE_PFN_MASK);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pgd_page", UpstreamAttribute.Macro)]
    internal page* pgd_page(pgd_t pgd) => pfn_to_page(pgd_pfn(pgd));

    // Without LA57 the p4d entry is the pgd entry itself.
    [Upstream("arch/x86/include/asm/pgtable.h", "p4d_offset", "c8e86bbfd767b951")]
    internal p4d_t* p4d_offset(pgd_t* pgd, ulong address)
    {
        if (!pgtable_l5_enabled())
            return (p4d_t*)pgd;
        return (p4d_t*)pgd_page_vaddr(*pgd) + p4d_index(address);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pgd_bad", "c190ca1f24f6c7e1")]
    internal bool pgd_bad(pgd_t pgd)
    {
        ulong ignore_flags = _PAGE_USER;

        if (!pgtable_l5_enabled())
            return false;

        // IS_ENABLED(CONFIG_MITIGATION_PAGE_TABLE_ISOLATION): =y in Debian.
        ignore_flags |= _PAGE_NX;

        return (pgd_flags(pgd) & ~ignore_flags) != _KERNPG_TABLE;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pgd_none", "bc0a75f14e701cc4")]
    internal bool pgd_none(pgd_t pgd)
    {
        if (!pgtable_l5_enabled())
            return false;
        return native_pgd_val(pgd) == 0;
    }

    // ---- get-and-clear, write-protect ----

    [Upstream("arch/x86/include/asm/pgtable.h", "native_local_ptep_get_and_clear", "66023ade26ff748c")]
    internal static pte_t native_local_ptep_get_and_clear(pte_t* ptep)
    {
        pte_t res = *ptep;

        native_pte_clear(null, 0, ptep);
        return res;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "native_local_pmdp_get_and_clear", "2fb0a0cea4e2e992")]
    internal static pmd_t native_local_pmdp_get_and_clear(pmd_t* pmdp)
    {
        pmd_t res = *pmdp;

        native_pmd_clear(pmdp);
        return res;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "native_local_pudp_get_and_clear", "3ac449e98c1696d2")]
    internal static pud_t native_local_pudp_get_and_clear(pud_t* pudp)
    {
        pud_t res = *pudp;

        native_pud_clear(pudp);
        return res;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "set_pmd_at", "6c1c7219ddb10032")]
    internal static void set_pmd_at(mm_struct* mm, ulong addr,
                                    pmd_t* pmdp, pmd_t pmd)
    {
        set_pmd(pmdp, pmd);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "set_pud_at", "dafc047dcba40cd0")]
    internal static void set_pud_at(mm_struct* mm, ulong addr,
                                    pud_t* pudp, pud_t pud)
    {
        native_set_pud(pudp, pud);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "ptep_get_and_clear", "02ca0e1b544812e0")]
    internal static pte_t ptep_get_and_clear(mm_struct* mm, ulong addr,
                                             pte_t* ptep)
    {
        pte_t pte = native_ptep_get_and_clear(ptep);
        return pte;
    }

    // Tearing down a whole mm needs no atomic exchange.
    [Upstream("arch/x86/include/asm/pgtable.h", "ptep_get_and_clear_full", "a0ae741fb659b2e2")]
    internal static pte_t ptep_get_and_clear_full(mm_struct* mm,
                                                  ulong addr, pte_t* ptep,
                                                  int full)
    {
        pte_t pte;
        if (full != 0)
        {
            pte = native_local_ptep_get_and_clear(ptep);
        }
        else
        {
            pte = ptep_get_and_clear(mm, addr, ptep);
        }
        return pte;
    }

    // cmpxchg loop: the hardware may set Dirty between the read and the write.
    [Upstream("arch/x86/include/asm/pgtable.h", "ptep_set_wrprotect", "bed3e1eac277cf14")]
    internal static void ptep_set_wrprotect(mm_struct* mm,
                                            ulong addr, pte_t* ptep)
    {
        pte_t old_pte, new_pte;

        old_pte = __pte(Volatile.Read(ref ptep->pte));
        do
        {
            new_pte = pte_wrprotect(old_pte);
        } while (!try_cmpxchg(&ptep->pte, &old_pte.pte, new_pte.pte));
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "flush_tlb_fix_spurious_fault", UpstreamAttribute.Macro)]
    internal static void flush_tlb_fix_spurious_fault(vm_area_struct* vma, ulong address, pte_t* ptep)
    {
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "mk_pmd", UpstreamAttribute.Macro)]
    internal pmd_t mk_pmd(page* page, pgprot_t pgprot) => pfn_pmd(page_to_pfn(page), pgprot);

    [Upstream("arch/x86/include/asm/pgtable.h", "pmdp_huge_get_and_clear", "85381c582fcce99f")]
    internal static pmd_t pmdp_huge_get_and_clear(mm_struct* mm, ulong addr,
                                                  pmd_t* pmdp)
    {
        pmd_t pmd = native_pmdp_get_and_clear(pmdp);

        return pmd;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pudp_huge_get_and_clear", "3ca98f697f0be409")]
    internal static pud_t pudp_huge_get_and_clear(mm_struct* mm,
                                                  ulong addr, pud_t* pudp)
    {
        pud_t pud = native_pudp_get_and_clear(pudp);

        return pud;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmdp_set_wrprotect", "300eaf100fb4efd6")]
    internal static void pmdp_set_wrprotect(mm_struct* mm,
                                            ulong addr, pmd_t* pmdp)
    {
        pmd_t old_pmd, new_pmd;

        old_pmd = __pmd(Volatile.Read(ref pmdp->pmd));
        do
        {
            new_pmd = pmd_wrprotect(old_pmd);
        } while (!try_cmpxchg(&pmdp->pmd, &old_pmd.pmd, new_pmd.pmd));
    }

    // CONFIG_SMP: an atomic exchange.
    [Upstream("arch/x86/include/asm/pgtable.h", "pmdp_establish", "20b2bb9a6a9c2d3a")]
    internal static pmd_t pmdp_establish(vm_area_struct* vma,
                                         ulong address, pmd_t* pmdp, pmd_t pmd)
    {
        return __pmd(Interlocked.Exchange(ref pmdp->pmd, pmd.pmd));
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pudp_establish", "bcb0365831b80b31")]
    internal static pud_t pudp_establish(vm_area_struct* vma,
                                         ulong address, pud_t* pudp, pud_t pud)
    {
        return __pud(Interlocked.Exchange(ref pudp->pud, pud.pud));
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pgd_leaf", "6515cbe019508072")]
    internal static bool pgd_leaf(pgd_t pgd) { return false; }

    // The MMU keeps no state outside the page tables.
    [Upstream("arch/x86/include/asm/pgtable.h", "update_mmu_cache", "257c1be96ae69f4b")]
    internal static void update_mmu_cache(vm_area_struct* vma,
                                          ulong addr, pte_t* ptep)
    {
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "update_mmu_cache_pmd", "257c1be96ae69f4b")]
    internal static void update_mmu_cache_pmd(vm_area_struct* vma,
                                              ulong addr, pmd_t* pmd)
    {
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "update_mmu_cache_pud", "257c1be96ae69f4b")]
    internal static void update_mmu_cache_pud(vm_area_struct* vma,
                                              ulong addr, pud_t* pud)
    {
    }

    // ---- flags of non-present (swap) entries ----

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_swp_mkexclusive", "56d6932280d4b610")]
    internal static pte_t pte_swp_mkexclusive(pte_t pte)
    {
        return pte_set_flags(pte, _PAGE_SWP_EXCLUSIVE);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_swp_exclusive", "f949ac864adb94fe")]
    internal static bool pte_swp_exclusive(pte_t pte)
    {
        return (pte_flags(pte) & _PAGE_SWP_EXCLUSIVE) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_swp_clear_exclusive", "88c7c9ace6462363")]
    internal static pte_t pte_swp_clear_exclusive(pte_t pte)
    {
        return pte_clear_flags(pte, _PAGE_SWP_EXCLUSIVE);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_swp_mksoft_dirty", "86bda35750ef6787")]
    internal static pte_t pte_swp_mksoft_dirty(pte_t pte)
    {
        return pte_set_flags(pte, _PAGE_SWP_SOFT_DIRTY);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_swp_soft_dirty", "9ca74faaa1c07bc8")]
    internal static bool pte_swp_soft_dirty(pte_t pte)
    {
        return (pte_flags(pte) & _PAGE_SWP_SOFT_DIRTY) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_swp_clear_soft_dirty", "f3334752ad0b5ee1")]
    internal static pte_t pte_swp_clear_soft_dirty(pte_t pte)
    {
        return pte_clear_flags(pte, _PAGE_SWP_SOFT_DIRTY);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_swp_mksoft_dirty", "0ffc1fa68f6ca113")]
    internal static pmd_t pmd_swp_mksoft_dirty(pmd_t pmd)
    {
        return pmd_set_flags(pmd, _PAGE_SWP_SOFT_DIRTY);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_swp_soft_dirty", "e11ba1f8119ebb3b")]
    internal static bool pmd_swp_soft_dirty(pmd_t pmd)
    {
        return (pmd_flags(pmd) & _PAGE_SWP_SOFT_DIRTY) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_swp_clear_soft_dirty", "0403b55d71f75dff")]
    internal static pmd_t pmd_swp_clear_soft_dirty(pmd_t pmd)
    {
        return pmd_clear_flags(pmd, _PAGE_SWP_SOFT_DIRTY);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_swp_mkuffd_wp", "e7f31795e1159d7d")]
    internal static pte_t pte_swp_mkuffd_wp(pte_t pte)
    {
        return pte_set_flags(pte, _PAGE_SWP_UFFD_WP);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_swp_uffd_wp", "18b519359756ea2c")]
    internal static bool pte_swp_uffd_wp(pte_t pte)
    {
        return (pte_flags(pte) & _PAGE_SWP_UFFD_WP) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_swp_clear_uffd_wp", "8014e8c2d6ce10ec")]
    internal static pte_t pte_swp_clear_uffd_wp(pte_t pte)
    {
        return pte_clear_flags(pte, _PAGE_SWP_UFFD_WP);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_swp_mkuffd_wp", "ee8c81c07c20e8ff")]
    internal static pmd_t pmd_swp_mkuffd_wp(pmd_t pmd)
    {
        return pmd_set_flags(pmd, _PAGE_SWP_UFFD_WP);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_swp_uffd_wp", "8740375b33b8dba7")]
    internal static bool pmd_swp_uffd_wp(pmd_t pmd)
    {
        return (pmd_flags(pmd) & _PAGE_SWP_UFFD_WP) != 0;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_swp_clear_uffd_wp", "c399cd19e1f538c2")]
    internal static pmd_t pmd_swp_clear_uffd_wp(pmd_t pmd)
    {
        return pmd_clear_flags(pmd, _PAGE_SWP_UFFD_WP);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_flags_pkey", "157a5f61ba1ab082")]
    internal static ushort pte_flags_pkey(ulong pte_flags)
    {
        // CONFIG_X86_INTEL_MEMORY_PROTECTION_KEYS=y.
        return (ushort)((pte_flags & _PAGE_PKEY_MASK) >> _PAGE_BIT_PKEY_BIT0);
    }
}
