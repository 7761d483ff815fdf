// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/linux/swapops.h: the arch-independent swp_entry_t
// (type in the bits above SWP_TYPE_SHIFT, offset below) and its conversion to and from the x86
// non-present pte (arch/x86/include/asm/pgtable_64.cs), migration, hwpoison and pte-marker entries.
// Debian config: CONFIG_MIGRATION=y, CONFIG_MEMORY_FAILURE=y, CONFIG_ARCH_ENABLE_THP_MIGRATION=y,
// no CONFIG_DEVICE_PRIVATE (so no device entries, and MAX_SWAPFILES is 27).
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // Strip the swp flag bits, leaving only type and offset.
    [Upstream("include/linux/swapops.h", "pte_swp_clear_flags", "c43aba6611dead43")]
    internal static pte_t pte_swp_clear_flags(pte_t pte)
    {
        if (pte_swp_exclusive(pte))
            pte = pte_swp_clear_exclusive(pte);
        if (pte_swp_soft_dirty(pte))
            pte = pte_swp_clear_soft_dirty(pte);
        if (pte_swp_uffd_wp(pte))
            pte = pte_swp_clear_uffd_wp(pte);
        return pte;
    }

    [Upstream("include/linux/swapops.h", "swp_entry", "436a3a792ad39ee6")]
    internal static swp_entry_t swp_entry(ulong type, ulong offset)
    {
        swp_entry_t ret;

        ret.val = (type << SWP_TYPE_SHIFT) | (offset & SWP_OFFSET_MASK);
        return ret;
    }

    [Upstream("include/linux/swapops.h", "swp_type", "01054ab51e58912f")]
    internal static uint swp_type(swp_entry_t entry)
    {
        return (uint)(entry.val >> SWP_TYPE_SHIFT);
    }

    [Upstream("include/linux/swapops.h", "swp_offset", "a1ce48958ec06859")]
    internal static ulong swp_offset(swp_entry_t entry)
    {
        return entry.val & SWP_OFFSET_MASK;
    }

    [Upstream("include/linux/swapops.h", "is_swap_pte", "cd1e4947b3dbdc27")]
    internal static bool is_swap_pte(pte_t pte)
    {
        return !pte_none(pte) && !pte_present(pte);
    }

    [Upstream("include/linux/swapops.h", "pte_to_swp_entry", "d058669afa6128b6")]
    internal static swp_entry_t pte_to_swp_entry(pte_t pte)
    {
        swp_entry_t arch_entry;

        pte = pte_swp_clear_flags(pte);
        arch_entry = __pte_to_swp_entry(pte);
        return swp_entry(__swp_type(arch_entry), __swp_offset(arch_entry));
    }

    [Upstream("include/linux/swapops.h", "swp_entry_to_pte", "95af7412304dd606")]
    internal static pte_t swp_entry_to_pte(swp_entry_t entry)
    {
        swp_entry_t arch_entry;

        arch_entry = __swp_entry(swp_type(entry), swp_offset(entry));
        return __swp_entry_to_pte(arch_entry);
    }

    // ---- CONFIG_MIGRATION ----

    [Upstream("include/linux/swapops.h", "is_migration_entry", "9af73e2ead981051")]
    internal static bool is_migration_entry(swp_entry_t entry)
    {
        return swp_type(entry) == SWP_MIGRATION_READ ||
               swp_type(entry) == SWP_MIGRATION_READ_EXCLUSIVE ||
               swp_type(entry) == SWP_MIGRATION_WRITE;
    }

    [Upstream("include/linux/swapops.h", "is_writable_migration_entry", "f0933a38306309cb")]
    internal static bool is_writable_migration_entry(swp_entry_t entry)
    {
        return swp_type(entry) == SWP_MIGRATION_WRITE;
    }

    [Upstream("include/linux/swapops.h", "is_readable_migration_entry", "6d9d3476f533849b")]
    internal static bool is_readable_migration_entry(swp_entry_t entry)
    {
        return swp_type(entry) == SWP_MIGRATION_READ;
    }

    [Upstream("include/linux/swapops.h", "is_readable_exclusive_migration_entry", "f3aa80ae83269992")]
    internal static bool is_readable_exclusive_migration_entry(swp_entry_t entry)
    {
        return swp_type(entry) == SWP_MIGRATION_READ_EXCLUSIVE;
    }

    [Upstream("include/linux/swapops.h", "make_readable_migration_entry", "a2c9a315570fb4cb")]
    internal static swp_entry_t make_readable_migration_entry(ulong offset)
    {
        return swp_entry(SWP_MIGRATION_READ, offset);
    }

    [Upstream("include/linux/swapops.h", "make_readable_exclusive_migration_entry", "e0f20047647d8c79")]
    internal static swp_entry_t make_readable_exclusive_migration_entry(ulong offset)
    {
        return swp_entry(SWP_MIGRATION_READ_EXCLUSIVE, offset);
    }

    [Upstream("include/linux/swapops.h", "make_writable_migration_entry", "5de90fea85a51099")]
    internal static swp_entry_t make_writable_migration_entry(ulong offset)
    {
        return swp_entry(SWP_MIGRATION_WRITE, offset);
    }

    // ---- CONFIG_MEMORY_FAILURE ----

    [Upstream("include/linux/swapops.h", "is_hwpoison_entry", "397e838e0af06d8a")]
    internal static bool is_hwpoison_entry(swp_entry_t entry)
    {
        return swp_type(entry) == SWP_HWPOISON;
    }

    // ---- CONFIG_DEVICE_PRIVATE is off on Debian amd64: the stubs ----

    [Upstream("include/linux/swapops.h", "is_device_private_entry", "6515cbe019508072", Definition = 2)]
    internal static bool is_device_private_entry(swp_entry_t entry) => false;

    [Upstream("include/linux/swapops.h", "make_readable_device_private_entry", "69e700f4cd8477d1", Definition = 2)]
    internal static swp_entry_t make_readable_device_private_entry(ulong offset) => swp_entry(0, 0);

    [Upstream("include/linux/swapops.h", "is_writable_device_private_entry", "6515cbe019508072", Definition = 2)]
    internal static bool is_writable_device_private_entry(swp_entry_t entry) => false;

    [Upstream("include/linux/swapops.h", "make_readable_device_exclusive_entry", "69e700f4cd8477d1", Definition = 2)]
    internal static swp_entry_t make_readable_device_exclusive_entry(ulong offset) => swp_entry(0, 0);

    [Upstream("include/linux/swapops.h", "is_device_exclusive_entry", "6515cbe019508072", Definition = 2)]
    internal static bool is_device_exclusive_entry(swp_entry_t entry) => false;

    [Upstream("include/linux/swapops.h", "is_writable_device_exclusive_entry", "6515cbe019508072", Definition = 2)]
    internal static bool is_writable_device_exclusive_entry(swp_entry_t entry) => false;

    // ---- pfn swap entries (migration, device, hwpoison) ----

    /// <summary>SWP_PFN_BITS with MAX_PHYSMEM_BITS 46 (4-level paging; pgtable_l5_enabled() is false).</summary>
    [Upstream("include/linux/swapops.h", "SWP_PFN_MASK", UpstreamAttribute.Macro)]
    internal ulong SWP_PFN_MASK => (1UL << ((pgtable_l5_enabled() ? 52 : 46) - PAGE_SHIFT)) - 1;

    [Upstream("include/linux/swapops.h", "swp_offset_pfn", "48e036a05e6aaf3d")]
    internal ulong swp_offset_pfn(swp_entry_t entry)
    {
        VM_BUG_ON(!is_pfn_swap_entry(entry));
        return swp_offset(entry) & SWP_PFN_MASK;
    }

    [Upstream("include/linux/swapops.h", "swap_entry_migration_sync", "3c85295aba1a0564")]
    internal void swap_entry_migration_sync(swp_entry_t entry, folio* folio)
    {
        BUG_ON(!PageFlagAccessors.folio_test_locked(folio));
    }

    [Upstream("include/linux/swapops.h", "pfn_swap_entry_to_page", "e667ca449a3aa10b")]
    internal page* pfn_swap_entry_to_page(swp_entry_t entry)
    {
        page* p = pfn_to_page(swp_offset_pfn(entry));

        if (is_migration_entry(entry))
            swap_entry_migration_sync(entry, page_folio(p));

        return p;
    }

    [Upstream("include/linux/swapops.h", "pfn_swap_entry_folio", "d5b2bbac305752fd")]
    internal folio* pfn_swap_entry_folio(swp_entry_t entry)
    {
        folio* folio = pfn_folio(swp_offset_pfn(entry));

        if (is_migration_entry(entry))
            swap_entry_migration_sync(entry, folio);

        return folio;
    }

    [Upstream("include/linux/swapops.h", "is_pfn_swap_entry", "0fb8e4acc452806c")]
    internal static bool is_pfn_swap_entry(swp_entry_t entry)
    {
        return is_migration_entry(entry) || is_device_private_entry(entry) ||
               is_device_exclusive_entry(entry) || is_hwpoison_entry(entry);
    }

    // ---- pte markers: a swap-type entry carrying only flags (uffd-wp, poisoned) ----

    [Upstream("include/linux/swapops.h", "make_pte_marker_entry", "fbe50c6eb65511fc")]
    internal static swp_entry_t make_pte_marker_entry(ulong marker)
    {
        return swp_entry(SWP_PTE_MARKER, marker);
    }

    [Upstream("include/linux/swapops.h", "is_pte_marker_entry", "04be3b9903cec4ed")]
    internal static bool is_pte_marker_entry(swp_entry_t entry)
    {
        return swp_type(entry) == SWP_PTE_MARKER;
    }

    [Upstream("include/linux/swapops.h", "pte_marker_get", "903457397f447d85")]
    internal static ulong pte_marker_get(swp_entry_t entry)
    {
        return swp_offset(entry) & PTE_MARKER_MASK;
    }

    [Upstream("include/linux/swapops.h", "is_pte_marker", "e3058b6c0bd55fdb")]
    internal static bool is_pte_marker(pte_t pte)
    {
        return is_swap_pte(pte) && is_pte_marker_entry(pte_to_swp_entry(pte));
    }

    [Upstream("include/linux/swapops.h", "make_pte_marker", "2ffc08b69a0fb727")]
    internal static pte_t make_pte_marker(ulong marker)
    {
        return swp_entry_to_pte(make_pte_marker_entry(marker));
    }

    [Upstream("include/linux/swapops.h", "make_poisoned_swp_entry", "d950b0514ecf9fc3")]
    internal static swp_entry_t make_poisoned_swp_entry()
    {
        return make_pte_marker_entry(PTE_MARKER_POISONED);
    }

    [Upstream("include/linux/swapops.h", "is_poisoned_swp_entry", "b49e870449517c4e")]
    internal static bool is_poisoned_swp_entry(swp_entry_t entry)
    {
        return is_pte_marker_entry(entry) &&
            (pte_marker_get(entry) & PTE_MARKER_POISONED) != 0;
    }

    // pte_none() for tables that may hold markers (shmem, hugetlb).
    [Upstream("include/linux/swapops.h", "pte_none_mostly", "5171d7d1a1f7dbaf")]
    internal static bool pte_none_mostly(pte_t pte)
    {
        return pte_none(pte) || is_pte_marker(pte);
    }

    // ---- CONFIG_ARCH_ENABLE_THP_MIGRATION ----

    [Upstream("include/linux/swapops.h", "pmd_to_swp_entry", "1134704cdd12e96d")]
    internal static swp_entry_t pmd_to_swp_entry(pmd_t pmd)
    {
        swp_entry_t arch_entry;

        if (pmd_swp_soft_dirty(pmd))
            pmd = pmd_swp_clear_soft_dirty(pmd);
        if (pmd_swp_uffd_wp(pmd))
            pmd = pmd_swp_clear_uffd_wp(pmd);
        arch_entry = __pmd_to_swp_entry(pmd);
        return swp_entry(__swp_type(arch_entry), __swp_offset(arch_entry));
    }

    [Upstream("include/linux/swapops.h", "swp_entry_to_pmd", "50c38907207ffc32")]
    internal static pmd_t swp_entry_to_pmd(swp_entry_t entry)
    {
        swp_entry_t arch_entry;

        arch_entry = __swp_entry(swp_type(entry), swp_offset(entry));
        return __swp_entry_to_pmd(arch_entry);
    }

    [Upstream("include/linux/swapops.h", "is_pmd_migration_entry", "3dac56c98ce05734")]
    internal static bool is_pmd_migration_entry(pmd_t pmd)
    {
        swp_entry_t entry;

        if (pmd_present(pmd))
            return false;

        entry = pmd_to_swp_entry(pmd);
        return is_migration_entry(entry);
    }

    // Types from MAX_SWAPFILES up are not swap devices: migration, hwpoison, markers.
    [Upstream("include/linux/swapops.h", "non_swap_entry", "bb7e0391ffcd9a47")]
    internal static bool non_swap_entry(swp_entry_t entry)
    {
        return swp_type(entry) >= MAX_SWAPFILES;
    }
}
