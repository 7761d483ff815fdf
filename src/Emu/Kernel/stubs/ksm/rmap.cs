// SPDX-License-Identifier: GPL-2.0-only
// Stubs (ksm helper) for the rmap area's functions (rmap.c, page_vma_mapped.c, rmap.h
// inlines, swap.c LRU, memcontrol) until it lands on main.
namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(rmap)
    internal const uint RMAP_NONE = 0;
    // stub(rmap)
    internal ulong page_address_in_vma(page* page, vm_area_struct* vma) => throw new System.NotImplementedException("stub(rmap): page_address_in_vma");
    // stub(rmap)
    internal pmd_t* mm_find_pmd(mm_struct* mm, ulong address) => throw new System.NotImplementedException("stub(rmap): mm_find_pmd");
    // stub(rmap)
    internal bool page_vma_mapped_walk(page_vma_mapped_walk* pvmw) => throw new System.NotImplementedException("stub(rmap): page_vma_mapped_walk");
    // stub(rmap)
    internal void page_vma_mapped_walk_done(page_vma_mapped_walk* pvmw) => throw new System.NotImplementedException("stub(rmap): page_vma_mapped_walk_done");
    // stub(rmap): DEFINE_FOLIO_VMA_WALK(name, folio, vma, address, flags)
    internal static void DEFINE_FOLIO_VMA_WALK(page_vma_mapped_walk* name, folio* folio, vm_area_struct* vma, ulong address, uint flags) => throw new System.NotImplementedException("stub(rmap): DEFINE_FOLIO_VMA_WALK");
    // stub(rmap)
    internal int folio_try_share_anon_rmap_pte(folio* folio, page* page) => throw new System.NotImplementedException("stub(rmap): folio_try_share_anon_rmap_pte");
    // stub(rmap)
    internal void folio_add_anon_rmap_pte(folio* folio, page* page, vm_area_struct* vma, ulong address, uint flags) => throw new System.NotImplementedException("stub(rmap): folio_add_anon_rmap_pte");
    // stub(rmap)
    internal void folio_remove_rmap_pte(folio* folio, page* page, vm_area_struct* vma) => throw new System.NotImplementedException("stub(rmap): folio_remove_rmap_pte");
    // stub(rmap)
    internal void put_anon_vma(anon_vma* anon_vma) => throw new System.NotImplementedException("stub(rmap): put_anon_vma");
    // stub(rmap)
    internal void get_anon_vma(anon_vma* anon_vma) => throw new System.NotImplementedException("stub(rmap): get_anon_vma");
    // stub(rmap)
    internal bool anon_vma_trylock_read(anon_vma* anon_vma) => throw new System.NotImplementedException("stub(rmap): anon_vma_trylock_read");
    // stub(rmap)
    internal void anon_vma_lock_read(anon_vma* anon_vma) => throw new System.NotImplementedException("stub(rmap): anon_vma_lock_read");
    // stub(rmap)
    internal void anon_vma_unlock_read(anon_vma* anon_vma) => throw new System.NotImplementedException("stub(rmap): anon_vma_unlock_read");
    // stub(rmap)
    internal anon_vma* folio_anon_vma(folio* folio) => throw new System.NotImplementedException("stub(rmap): folio_anon_vma");
    // stub(rmap): mm/internal.h folio_raw_mapping
    internal static void* folio_raw_mapping(folio* folio) => (void*)((ulong)folio->mapping & ~(ulong)KernelConstants.PAGE_MAPPING_FLAGS);
    // stub(rmap): swap.c
    internal void lru_add_drain_all() { }
    // stub(rmap): swap.c
    internal void mark_page_accessed(page* page) { }
    // stub(rmap): swapfile.c (swap is a stubbed subsystem: nothing to free)
    internal static bool folio_free_swap(folio* folio) => false;
    // stub(rmap): memcontrol (memcg is a stubbed subsystem: charging always succeeds)
    internal static int mem_cgroup_charge(folio* folio, mm_struct* mm, uint gfp) => 0;
    // stub(rmap): is_zero_pfn (mm.h / pgtable.h)
    internal bool is_zero_pfn(ulong pfn) => pfn == zero_pfn;
}
