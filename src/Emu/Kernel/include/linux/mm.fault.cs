// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117: the small header helpers the fault, fork and zap paths of
// mm/memory.c use: include/linux/mm.h (vma predicates, maybe_mkwrite), include/linux/pgtable.h
// (the zero pfn, no-op mmu hooks x86 does not override), include/linux/pagemap.h
// (linear_page_index), include/linux/oom.h, include/linux/mm_inline.h, mm/internal.h
// (vmf_anon_prepare), mm/mmzone.c (folio_xchg_last_cpupid: NUMA_BALANCING with the cpupid in
// page->flags), arch/x86/include/asm/mmu_context.h and asm/page.h.
using System.Threading;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/mm.h", "vma_is_anonymous", "0eb8a1b372977d90")]
    internal static bool vma_is_anonymous(vm_area_struct* vma)
    {
        return vma->vm_ops == null;
    }

    [Upstream("include/linux/mm.h", "vma_is_accessible", "45633481bb929394")]
    internal static bool vma_is_accessible(vm_area_struct* vma)
    {
        return (vma->vm_flags & VM_ACCESS_FLAGS) != 0;
    }

    [Upstream("include/linux/mm.h", "is_cow_mapping", "fcc2da1b0a1cde2d")]
    internal static bool is_cow_mapping(ulong flags)
    {
        return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
    }

    [Upstream("include/linux/mm.h", "maybe_mkwrite", "e938a74b95965cd6")]
    internal static pte_t maybe_mkwrite(pte_t pte, vm_area_struct* vma)
    {
        if ((vma->vm_flags & VM_WRITE) != 0)
            pte = pte_mkwrite(pte, vma);
        return pte;
    }

    [Upstream("include/linux/mm.h", "mm_forbids_zeropage", UpstreamAttribute.Macro)]
    internal static bool mm_forbids_zeropage(mm_struct* X) => false;

    // x86 has no coloured zero pages: the second definitions.
    [Upstream("include/linux/pgtable.h", "is_zero_pfn", "3e46d6920bdca6f9", Definition = 2)]
    internal bool is_zero_pfn(ulong pfn)
    {
        return pfn == zero_pfn;
    }

    [Upstream("include/linux/pgtable.h", "my_zero_pfn", "44a1d2edf9e4dbfb", Definition = 2)]
    internal ulong my_zero_pfn(ulong addr)
    {
        return zero_pfn;
    }

    [Upstream("include/linux/pgtable.h", "pte_sw_mkyoung", "f7014d9acceeb5e7")]
    internal static pte_t pte_sw_mkyoung(pte_t pte)
    {
        return pte;
    }

    [Upstream("include/linux/pgtable.h", "update_mmu_tlb_range", "257c1be96ae69f4b")]
    internal static void update_mmu_tlb_range(vm_area_struct* vma,
                                              ulong address, pte_t* ptep, uint nr)
    {
    }

    [Upstream("include/linux/pgtable.h", "update_mmu_tlb", "7f5313901c329d04")]
    internal static void update_mmu_tlb(vm_area_struct* vma,
                                        ulong address, pte_t* ptep)
    {
        update_mmu_tlb_range(vma, address, ptep, 1);
    }

    [Upstream("arch/x86/include/asm/pgtable.h", "update_mmu_cache_range", "257c1be96ae69f4b")]
    internal static void update_mmu_cache_range(vm_fault* vmf,
                                                vm_area_struct* vma, ulong addr,
                                                pte_t* ptep, uint nr)
    {
    }

    [Upstream("include/linux/oom.h", "check_stable_address_space", "347c3c21cf54ba05")]
    internal static uint check_stable_address_space(mm_struct* mm)
    {
        if (test_bit(MMF_UNSTABLE, &mm->flags))
            return VM_FAULT_SIGBUS;
        return 0;
    }

    [Upstream("include/linux/mm_inline.h", "mm_tlb_flush_pending", "864783a82dfc1a6b")]
    internal static bool mm_tlb_flush_pending(mm_struct* mm)
    {
        return atomic_read(&mm->tlb_flush_pending) != 0;
    }

    [Upstream("mm/internal.h", "vmf_anon_prepare", "ca3e6ed98178ed46")]
    internal uint vmf_anon_prepare(vm_fault* vmf)
    {
        uint ret = __vmf_anon_prepare(vmf);

        if ((ret & VM_FAULT_RETRY) != 0)
            vma_end_read(vmf->vma);
        return ret;
    }

    [Upstream("mm/mmzone.c", "folio_xchg_last_cpupid", "2f312c39d012321c")]
    internal static int folio_xchg_last_cpupid(folio* folio, int cpupid)
    {
        ulong old_flags, flags;
        int last_cpupid;

        old_flags = Volatile.Read(ref folio->flags);
        do
        {
            flags = old_flags;
            last_cpupid = (int)((flags >> (int)LAST_CPUPID_PGSHIFT) & LAST_CPUPID_MASK);

            flags &= ~(LAST_CPUPID_MASK << (int)LAST_CPUPID_PGSHIFT);
            flags |= ((ulong)cpupid & LAST_CPUPID_MASK) << (int)LAST_CPUPID_PGSHIFT;
        } while (!try_cmpxchg(&folio->flags, &old_flags, flags));

        return last_cpupid;
    }

    // The emulated CPU has no OSPKE, so PKRU allows every key: only the pkey check would refuse.
    internal static bool arch_vma_access_permitted(vm_area_struct* vma,
                                                   bool write, bool execute, bool foreign)
    {
        return true;
    }

    [Upstream("arch/x86/include/asm/page.h", "vma_alloc_zeroed_movable_folio", UpstreamAttribute.Macro)]
    internal folio* vma_alloc_zeroed_movable_folio(vm_area_struct* vma, ulong vaddr) =>
        vma_alloc_folio(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0, vma, vaddr, false);

    // vma_alloc_folio (mm/mempolicy.c): one node and no policies, so the policy walk ends in a
    // plain folio_alloc on node 0; hugepage only matters for THP orders, which Emu never asks for.
    internal folio* vma_alloc_folio(uint gfp, int order, vm_area_struct* vma, ulong addr, bool hugepage)
    {
        return folio_alloc(gfp, (uint)order);
    }

    // copy_mc_user_highpage (include/linux/highmem.h, ARCH_HAS_COPY_MC): a machine-check-safe
    // copy through the direct map; Emu has no poisoned memory, so it always succeeds (returns 0).
    internal int copy_mc_user_highpage(page* to, page* from, ulong vaddr, vm_area_struct* vma)
    {
        // copy_user_highpage on an aliasing cache copies what the user sees at vaddr (the model's rule 7).
        arch_dcache?.FlushAlias(page_to_pfn(from), vaddr);
        System.Buffer.MemoryCopy(page_address(from), page_address(to), PAGE_SIZE, PAGE_SIZE);
        return 0;
    }

    // x86_64 has CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: a none, huge or bad pud is unstable.
    [Upstream("include/linux/pgtable.h", "pud_trans_unstable", "3f6da680542e0ff1")]
    internal bool pud_trans_unstable(pud_t* pud)
    {
        pud_t pudval = pudp_get(pud);

        if (pud_none(pudval) || pud_trans_huge(pudval) || pud_devmap(pudval))
            return true;
        if (pud_bad(pudval))
        {
            pud_clear_bad(pud);
            return true;
        }
        return false;
    }
}
