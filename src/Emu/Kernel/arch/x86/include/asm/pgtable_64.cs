// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 arch/x86/include/asm/pgtable_64.h: storing entries, and the
// non-present (swap) entry encoding: type in bits 59-63, the offset inverted in bits 9-58 (so the
// pfn bits of a swap entry never name real memory, see pgtable-invert.cs), bits 1-3 free for the
// swp soft-dirty, uffd-wp and exclusive flags.
// READ_ONCE/WRITE_ONCE of an entry are volatile 64-bit accesses (lockless walkers read entries
// that others write); xchg/cmpxchg are Interlocked operations. CONFIG_SMP=y.
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("arch/x86/include/asm/pgtable_64.h", "pte_ERROR", UpstreamAttribute.Macro)]
    internal void pte_ERROR(pte_t e, [CallerFilePath] string file = "",
        [CallerLineNumber] int line = 0)
        => pr_err($"{Path.GetFileName(file)}:{line}: bad pte {pte_val(e):x16}");

    [Upstream("arch/x86/include/asm/pgtable_64.h", "pmd_ERROR", UpstreamAttribute.Macro)]
    internal void pmd_ERROR(pmd_t e, [CallerFilePath] string file = "",
        [CallerLineNumber] int line = 0)
        => pr_err($"{Path.GetFileName(file)}:{line}: bad pmd {pmd_val(e):x16}");

    [Upstream("arch/x86/include/asm/pgtable_64.h", "pud_ERROR", UpstreamAttribute.Macro)]
    internal void pud_ERROR(pud_t e, [CallerFilePath] string file = "",
        [CallerLineNumber] int line = 0)
        => pr_err($"{Path.GetFileName(file)}:{line}: bad pud {pud_val(e):x16}");

    [Upstream("arch/x86/include/asm/pgtable_64.h", "p4d_ERROR", UpstreamAttribute.Macro)]
    internal void p4d_ERROR(p4d_t e, [CallerFilePath] string file = "",
        [CallerLineNumber] int line = 0)
        => pr_err($"{Path.GetFileName(file)}:{line}: bad p4d {p4d_val(e):x16}");

    [Upstream("arch/x86/include/asm/pgtable_64.h", "pgd_ERROR", UpstreamAttribute.Macro)]
    internal void pgd_ERROR(pgd_t e, [CallerFilePath] string file = "",
        [CallerLineNumber] int line = 0)
        => pr_err($"{Path.GetFileName(file)}:{line}: bad pgd {pgd_val(e):x16}");

    [Upstream("arch/x86/include/asm/pgtable_64.h", "mm_p4d_folded", "c45f7e4923ff42f8")]
    internal bool mm_p4d_folded(mm_struct* mm)
    {
        return !pgtable_l5_enabled();
    }

    [Upstream("arch/x86/include/asm/pgtable_64.h", "native_set_pte", "92cee20236fe787b")]
    internal static void native_set_pte(pte_t* ptep, pte_t pte)
    {
        Volatile.Write(ref ptep->pte, pte.pte);
    }

    [Upstream("arch/x86/include/asm/pgtable_64.h", "native_pte_clear", "f0ceab300daa4e8d")]
    internal static void native_pte_clear(mm_struct* mm, ulong addr, pte_t* ptep)
    {
        native_set_pte(ptep, native_make_pte(0));
    }

    [Upstream("arch/x86/include/asm/pgtable_64.h", "native_set_pte_atomic", "d613a63975d3ea15")]
    internal static void native_set_pte_atomic(pte_t* ptep, pte_t pte)
    {
        native_set_pte(ptep, pte);
    }

    [Upstream("arch/x86/include/asm/pgtable_64.h", "native_set_pmd", "950eaed885edfedd")]
    internal static void native_set_pmd(pmd_t* pmdp, pmd_t pmd)
    {
        Volatile.Write(ref pmdp->pmd, pmd.pmd);
    }

    [Upstream("arch/x86/include/asm/pgtable_64.h", "native_pmd_clear", "3661f441d2ec5a2b")]
    internal static void native_pmd_clear(pmd_t* pmd)
    {
        native_set_pmd(pmd, native_make_pmd(0));
    }

    [Upstream("arch/x86/include/asm/pgtable_64.h", "native_ptep_get_and_clear", "1386f6a932d99ea1")]
    internal static pte_t native_ptep_get_and_clear(pte_t* xp)
    {
        return native_make_pte(Interlocked.Exchange(ref xp->pte, 0));
    }

    [Upstream("arch/x86/include/asm/pgtable_64.h", "native_pmdp_get_and_clear", "25c9b181deaf1fc8")]
    internal static pmd_t native_pmdp_get_and_clear(pmd_t* xp)
    {
        return native_make_pmd(Interlocked.Exchange(ref xp->pmd, 0));
    }

    [Upstream("arch/x86/include/asm/pgtable_64.h", "native_set_pud", "4fef39d822df656e")]
    internal static void native_set_pud(pud_t* pudp, pud_t pud)
    {
        Volatile.Write(ref pudp->pud, pud.pud);
    }

    [Upstream("arch/x86/include/asm/pgtable_64.h", "native_pud_clear", "15dc48b29a285acb")]
    internal static void native_pud_clear(pud_t* pud)
    {
        native_set_pud(pud, native_make_pud(0));
    }

    [Upstream("arch/x86/include/asm/pgtable_64.h", "native_pudp_get_and_clear", "93d6fde9353e7650")]
    internal static pud_t native_pudp_get_and_clear(pud_t* xp)
    {
        return native_make_pud(Interlocked.Exchange(ref xp->pud, 0));
    }

    [Upstream("arch/x86/include/asm/pgtable_64.h", "native_set_p4d", "b126f42967f0b5a8")]
    internal void native_set_p4d(p4d_t* p4dp, p4d_t p4d)
    {
        pgd_t pgd;

        // !IS_ENABLED(CONFIG_MITIGATION_PAGE_TABLE_ISOLATION) is false: Debian sets it.
        if (pgtable_l5_enabled())
        {
            Volatile.Write(ref p4dp->p4d, p4d.p4d);
            return;
        }

        pgd = native_make_pgd(native_p4d_val(p4d));
        pgd = pti_set_user_pgtbl((pgd_t*)p4dp, pgd);
        Volatile.Write(ref p4dp->p4d, native_make_p4d(native_pgd_val(pgd)).p4d);
    }

    [Upstream("arch/x86/include/asm/pgtable_64.h", "native_p4d_clear", "fdcddbd60a084264")]
    internal void native_p4d_clear(p4d_t* p4d)
    {
        native_set_p4d(p4d, native_make_p4d(0));
    }

    [Upstream("arch/x86/include/asm/pgtable_64.h", "native_set_pgd", "d9c771fd402108ff")]
    internal void native_set_pgd(pgd_t* pgdp, pgd_t pgd)
    {
        Volatile.Write(ref pgdp->pgd, pti_set_user_pgtbl(pgdp, pgd).pgd);
    }

    [Upstream("arch/x86/include/asm/pgtable_64.h", "native_pgd_clear", "dc0bb666a64d99c7")]
    internal void native_pgd_clear(pgd_t* pgd)
    {
        native_set_pgd(pgd, native_make_pgd(0));
    }

    [Upstream("arch/x86/include/asm/pgtable_64.h", "__swp_type", UpstreamAttribute.Macro)]
    internal static ulong __swp_type(swp_entry_t x) => x.val >> (64 - SWP_TYPE_BITS);

    [Upstream("arch/x86/include/asm/pgtable_64.h", "__swp_offset", UpstreamAttribute.Macro)]
    internal static ulong __swp_offset(swp_entry_t x) => ~x.val << SWP_TYPE_BITS >> SWP_OFFSET_SHIFT;

    // Shifting the inverted offset up by SWP_OFFSET_SHIFT drops its top bits; shifting back down by
    // the type width leaves it at SWP_OFFSET_FIRST_BIT with the type bits clear.
    [Upstream("arch/x86/include/asm/pgtable_64.h", "__swp_entry", UpstreamAttribute.Macro)]
    internal static swp_entry_t __swp_entry(ulong type, ulong offset) => new swp_entry_t
    {
        val = (~offset << SWP_OFFSET_SHIFT >> SWP_TYPE_BITS) | (type << (64 - SWP_TYPE_BITS)),
    };

    [Upstream("arch/x86/include/asm/pgtable_64.h", "__pte_to_swp_entry", UpstreamAttribute.Macro)]
    internal static swp_entry_t __pte_to_swp_entry(pte_t pte) => new swp_entry_t { val = pte_val(pte) };

    [Upstream("arch/x86/include/asm/pgtable_64.h", "__pmd_to_swp_entry", UpstreamAttribute.Macro)]
    internal static swp_entry_t __pmd_to_swp_entry(pmd_t pmd) => new swp_entry_t { val = pmd_val(pmd) };

    [Upstream("arch/x86/include/asm/pgtable_64.h", "__swp_entry_to_pte", UpstreamAttribute.Macro)]
    internal static pte_t __swp_entry_to_pte(swp_entry_t x) => __pte(x.val);

    [Upstream("arch/x86/include/asm/pgtable_64.h", "__swp_entry_to_pmd", UpstreamAttribute.Macro)]
    internal static pmd_t __swp_entry_to_pmd(swp_entry_t x) => __pmd(x.val);
}
