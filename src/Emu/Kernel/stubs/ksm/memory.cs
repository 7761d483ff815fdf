// SPDX-License-Identifier: GPL-2.0-only
// Stubs (ksm helper) for the memory area's functions (fault path, page-table locks, rss,
// fork's mm refcounts, the page lock of pagemap.h, THP splits) until it lands on main.
using vm_fault_t = uint;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(memory): no PMD-mapped THP in Emu
    internal page* vm_normal_page_pmd(vm_area_struct* vma, ulong addr, pmd_t pmd) => throw new System.NotImplementedException("stub(memory): vm_normal_page_pmd");
    // stub(memory)
    internal bool mm_tlb_flush_pending(mm_struct* mm) => throw new System.NotImplementedException("stub(memory): mm_tlb_flush_pending");
    // stub(memory): pagemap.h page lock on PG_locked. Kernel code runs one task at a time in
    // Emu, so a lock that is already held can never be released by someone else: BUG.
    internal bool folio_trylock(folio* folio) => !test_and_set_bit(KernelConstants.PG_locked, &folio->flags);
    internal void folio_lock(folio* folio)
    {
        if (!folio_trylock(folio))
            throw new KernelBugException("folio_lock: folio already locked (would sleep forever: Emu runs one task at a time)");
    }
    internal void folio_unlock(folio* folio)
    {
        VM_BUG_ON_FOLIO(!PageFlagAccessors.folio_test_locked(folio), folio);
        clear_bit(KernelConstants.PG_locked, &folio->flags);
    }
    internal bool trylock_page(page* page) => folio_trylock(page_folio(page));
    internal void lock_page(page* page) => folio_lock(page_folio(page));
    internal void unlock_page(page* page) => folio_unlock(page_folio(page));
    // stub(memory): page-writeback.c
    internal bool folio_mark_dirty(folio* folio) => throw new System.NotImplementedException("stub(memory): folio_mark_dirty");
    // stub(memory): THP splits (THP is a stubbed subsystem)
    internal int split_huge_page(page* page) => throw new System.NotSupportedException("THP: split_huge_page");
    internal void split_huge_pmd(vm_area_struct* vma, pmd_t* pmd, ulong address) { }
    internal void split_huge_pud(vm_area_struct* vma, pud_t* pud, ulong address) { }
    internal static bool is_huge_zero_pmd(pmd_t pmd) => false;
    // stub(memory): mempolicy/highmem
    internal folio* vma_alloc_folio(uint gfp, int order, vm_area_struct* vma, ulong addr, bool hugepage) => throw new System.NotImplementedException("stub(memory): vma_alloc_folio");
    internal int copy_mc_user_highpage(page* to, page* from, ulong vaddr, vm_area_struct* vma) => throw new System.NotImplementedException("stub(memory): copy_mc_user_highpage");
}
