// SPDX-License-Identifier: GPL-2.0-only
// Stubs (ksm helper) for the memory area's functions (fault path, page-table locks, rss,
// fork's mm refcounts, the page lock of pagemap.h, THP splits) until it lands on main.
using vm_fault_t = uint;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // stub(memory): no PMD-mapped THP in Emu
    internal page* vm_normal_page_pmd(vm_area_struct* vma, ulong addr, pmd_t pmd) => throw new System.NotImplementedException("stub(memory): vm_normal_page_pmd");
    internal bool trylock_page(page* page) => folio_trylock(page_folio(page));
    internal void lock_page(page* page) => folio_lock(page_folio(page));
    internal void unlock_page(page* page) => folio_unlock(page_folio(page));
    // stub(memory): THP splits (THP is a stubbed subsystem)
    internal int split_huge_page(page* page) => throw new System.NotSupportedException("THP: split_huge_page");
    internal void split_huge_pud(vm_area_struct* vma, pud_t* pud, ulong address) { }
    internal static bool is_huge_zero_pmd(pmd_t pmd) => false;
}
