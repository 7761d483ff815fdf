// SPDX-License-Identifier: GPL-2.0-only
// arch/x86/include/asm/pgtable.h: the access checks GUP-fast applies to page-table entries, and
// include/linux/pgtable.h's generic pgd_access_permitted.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("arch/x86/include/asm/pgtable.h", "__pkru_allows_pkey", "f11e71eacbb7b696")]
    internal static bool __pkru_allows_pkey(ushort pkey, bool write)
    {
        uint pkru = read_pkru();

        if (!__pkru_allows_read(pkru, pkey))
            return false;
        if (write && !__pkru_allows_write(pkru, pkey))
            return false;

        return true;
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "__pte_access_permitted", "14770f4495335c02")]
    internal static bool __pte_access_permitted(ulong pteval, bool write)
    {
        ulong need_pte_bits = _PAGE_PRESENT | _PAGE_USER;

        // Write=0,Dirty=1 (shadow stack) entries fail the RW test like any read-only entry.
        if (write)
            need_pte_bits |= _PAGE_RW;

        if ((pteval & need_pte_bits) != need_pte_bits)
            return false;

        return __pkru_allows_pkey(pte_flags_pkey(pteval), write);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "pte_access_permitted", "8cb0c3afeb50923f")]
    internal static bool pte_access_permitted(pte_t pte, bool write) => __pte_access_permitted(pte_val(pte), write);

    [Upstream("arch/x86/include/asm/pgtable.h", "pmd_access_permitted", "758ac8683e66174b")]
    internal static bool pmd_access_permitted(pmd_t pmd, bool write) => __pte_access_permitted(pmd_val(pmd), write);

    [Upstream("arch/x86/include/asm/pgtable.h", "pud_access_permitted", "fe72fbc17dea9940")]
    internal static bool pud_access_permitted(pud_t pud, bool write) => __pte_access_permitted(pud_val(pud), write);

    [Upstream("include/linux/pgtable.h", "pgd_access_permitted", UpstreamAttribute.Macro)]
    internal bool pgd_access_permitted(pgd_t pgd, bool write) => pgd_present(pgd) && (!write || pgd_write(pgd) != 0);

    // The *_offset_lockless macros of include/linux/pgtable.h take the address of the caller's
    // copy of the upper entry, so they are written out at their call sites in mm/gup.fast.cs.
}
