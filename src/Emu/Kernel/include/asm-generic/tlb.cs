// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/asm-generic/tlb.h (the mmu_gather inlines, x86's
// MMU_GATHER_TABLE_FREE + RCU_TABLE_FREE + MERGE_VMAS, no PAGE_SIZE tracking), arch/x86/include/asm/tlb.h
// (tlb_flush, __tlb_remove_table) and the encoded-page helpers of include/linux/mm_types.h.
// encoded_page is opaque upstream: here a void* whose low bits carry the flags.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/mm_types.h", "encode_page", "de75d09a6c5a0eda")]
    internal static void* encode_page(page* page, ulong flags)
    {
        return (void*)(flags | (ulong)page);
    }

    [Upstream("include/linux/mm_types.h", "encoded_page_flags", "ed3e835485819838")]
    internal static ulong encoded_page_flags(void* page)
    {
        return ENCODED_PAGE_BITS & (ulong)page;
    }

    [Upstream("include/linux/mm_types.h", "encoded_page_ptr", "cbad32b3bcee636b")]
    internal static page* encoded_page_ptr(void* page)
    {
        return (page*)(~ENCODED_PAGE_BITS & (ulong)page);
    }

    [Upstream("include/linux/mm_types.h", "encode_nr_pages", "3584c545bb042665")]
    internal void* encode_nr_pages(ulong nr)
    {
        VM_WARN_ON_ONCE((nr << 2) >> 2 != nr);
        return (void*)(nr << 2);
    }

    [Upstream("include/linux/mm_types.h", "encoded_nr_pages", "6b523e46f7cc828f")]
    internal static ulong encoded_nr_pages(void* page)
    {
        return ((ulong)page) >> 2;
    }

    [Upstream("include/asm-generic/tlb.h", "__tlb_adjust_range", "abac619e9625182d")]
    internal static void __tlb_adjust_range(mmu_gather* tlb,
                                            ulong address,
                                            uint range_size)
    {
        tlb->start = System.Math.Min(tlb->start, address);
        tlb->end = System.Math.Max(tlb->end, address + range_size);
    }

    [Upstream("include/asm-generic/tlb.h", "__tlb_reset_range", "3d5e83af0250b636")]
    internal static void __tlb_reset_range(mmu_gather* tlb)
    {
        if (tlb->fullmm != 0)
        {
            tlb->start = tlb->end = ~0UL;
        }
        else
        {
            tlb->start = TASK_SIZE;
            tlb->end = 0;
        }
        tlb->freed_tables = 0;
        tlb->cleared_ptes = 0;
        tlb->cleared_pmds = 0;
        tlb->cleared_puds = 0;
        tlb->cleared_p4ds = 0;
        tlb->unshared_tables = 0;
    }

    // TLB_FLUSH_ALL is -1UL.
    [Upstream("arch/x86/include/asm/tlb.h", "tlb_flush", "54d7c954807ebd75")]
    internal static void tlb_flush(mmu_gather* tlb)
    {
        ulong start = 0UL, end = ulong.MaxValue;
        uint stride_shift = (uint)tlb_get_unmap_shift(tlb);

        if (tlb->fullmm == 0 && tlb->need_flush_all == 0)
        {
            start = tlb->start;
            end = tlb->end;
        }

        flush_tlb_mm_range(tlb->mm, start, end, stride_shift, tlb->freed_tables != 0);
    }

    [Upstream("include/asm-generic/tlb.h", "tlb_update_vma_flags", "7005a39bbc9e29d8")]
    internal static void tlb_update_vma_flags(mmu_gather* tlb, vm_area_struct* vma)
    {
        tlb->vma_huge = is_vm_hugetlb_page(vma) ? 1u : 0u;
        tlb->vma_exec = (vma->vm_flags & VM_EXEC) != 0 ? 1u : 0u;
        tlb->vma_pfn = (vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP)) != 0 ? 1u : 0u;
    }

    [Upstream("include/asm-generic/tlb.h", "tlb_flush_mmu_tlbonly", "ed95cddce2f96c47")]
    internal static void tlb_flush_mmu_tlbonly(mmu_gather* tlb)
    {
        // Nothing was cleared or freed: no flush needed.
        if (!(tlb->freed_tables != 0 || tlb->cleared_ptes != 0 || tlb->cleared_pmds != 0 ||
              tlb->cleared_puds != 0 || tlb->cleared_p4ds != 0 || tlb->unshared_tables != 0))
            return;

        tlb_flush(tlb);
        __tlb_reset_range(tlb);
    }

    [Upstream("include/asm-generic/tlb.h", "tlb_remove_page_size", "853816ffc3901f54")]
    internal void tlb_remove_page_size(mmu_gather* tlb,
                                       page* page, int page_size)
    {
        if (__tlb_remove_page_size(tlb, page, false, page_size))
            tlb_flush_mmu(tlb);
    }

    [Upstream("include/asm-generic/tlb.h", "tlb_remove_page", "5b4c9038a5a3da66")]
    internal void tlb_remove_page(mmu_gather* tlb, page* page)
    {
        tlb_remove_page_size(tlb, page, (int)PAGE_SIZE);
    }

    [Upstream("include/asm-generic/tlb.h", "tlb_change_page_size", "952a9e6cf479f419")]
    internal static void tlb_change_page_size(mmu_gather* tlb,
                                              uint page_size)
    {
        // No CONFIG_MMU_GATHER_PAGE_SIZE on x86.
    }

    [Upstream("include/asm-generic/tlb.h", "tlb_get_unmap_shift", "bcef43c9f55a84b2")]
    internal static ulong tlb_get_unmap_shift(mmu_gather* tlb)
    {
        if (tlb->cleared_ptes != 0)
            return PAGE_SHIFT;
        if (tlb->cleared_pmds != 0)
            return PMD_SHIFT;
        if (tlb->cleared_puds != 0)
            return PUD_SHIFT;
        if (tlb->cleared_p4ds != 0)
            return P4D_SHIFT;

        return PAGE_SHIFT;
    }

    [Upstream("include/asm-generic/tlb.h", "tlb_start_vma", "b5e14ac7b1b1cf3b")]
    internal void tlb_start_vma(mmu_gather* tlb, vm_area_struct* vma)
    {
        if (tlb->fullmm != 0)
            return;

        tlb_update_vma_flags(tlb, vma);
        // #ifndef CONFIG_MMU_GATHER_MERGE_VMAS: x86 selects it; the aliasing model's arch does not.
        if (arch_dcache != null)
            flush_cache_range(vma, vma->vm_start, vma->vm_end);
    }

    // CONFIG_MMU_GATHER_MERGE_VMAS=y: only pfn vmas flush at their end.
    [Upstream("include/asm-generic/tlb.h", "tlb_end_vma", "7513a0f81e52e134")]
    internal static void tlb_end_vma(mmu_gather* tlb, vm_area_struct* vma)
    {
        if (tlb->fullmm != 0)
            return;

        if (tlb->vma_pfn != 0)
        {
            tlb_flush_mmu_tlbonly(tlb);
        }
    }

    [Upstream("include/asm-generic/tlb.h", "tlb_flush_pte_range", "78c1d2a4a745f60c")]
    internal static void tlb_flush_pte_range(mmu_gather* tlb,
                                             ulong address, ulong size)
    {
        __tlb_adjust_range(tlb, address, (uint)size);
        tlb->cleared_ptes = 1;
    }

    [Upstream("include/asm-generic/tlb.h", "tlb_flush_pmd_range", "6a6eeb2786094a79")]
    internal static void tlb_flush_pmd_range(mmu_gather* tlb,
                                             ulong address, ulong size)
    {
        __tlb_adjust_range(tlb, address, (uint)size);
        tlb->cleared_pmds = 1;
    }

    [Upstream("include/asm-generic/tlb.h", "tlb_flush_pud_range", "4bced9c69e714d10")]
    internal static void tlb_flush_pud_range(mmu_gather* tlb,
                                             ulong address, ulong size)
    {
        __tlb_adjust_range(tlb, address, (uint)size);
        tlb->cleared_puds = 1;
    }

    [Upstream("include/asm-generic/tlb.h", "tlb_flush_p4d_range", "43c8e17097bf57f1")]
    internal static void tlb_flush_p4d_range(mmu_gather* tlb,
                                             ulong address, ulong size)
    {
        __tlb_adjust_range(tlb, address, (uint)size);
        tlb->cleared_p4ds = 1;
    }

    [Upstream("include/asm-generic/tlb.h", "__tlb_remove_tlb_entry", "257c1be96ae69f4b")]
    internal static void __tlb_remove_tlb_entry(mmu_gather* tlb, pte_t* ptep, ulong address)
    {
    }

    [Upstream("include/asm-generic/tlb.h", "tlb_remove_tlb_entries", "191d86f0002afb36")]
    internal static void tlb_remove_tlb_entries(mmu_gather* tlb,
                                                pte_t* ptep, uint nr, ulong address)
    {
        tlb_flush_pte_range(tlb, address, PAGE_SIZE * nr);
        for (;;)
        {
            __tlb_remove_tlb_entry(tlb, ptep, address);
            if (--nr == 0)
                break;
            ptep++;
            address += PAGE_SIZE;
        }
    }

    [Upstream("include/asm-generic/tlb.h", "pte_free_tlb", UpstreamAttribute.Macro)]
    internal void pte_free_tlb(mmu_gather* tlb, page* ptep, ulong address)
    {
        tlb_flush_pmd_range(tlb, address, PAGE_SIZE);
        tlb->freed_tables = 1;
        __pte_free_tlb(tlb, ptep, address);
    }

    [Upstream("include/asm-generic/tlb.h", "pmd_free_tlb", UpstreamAttribute.Macro)]
    internal void pmd_free_tlb(mmu_gather* tlb, pmd_t* pmdp, ulong address)
    {
        tlb_flush_pud_range(tlb, address, PAGE_SIZE);
        tlb->freed_tables = 1;
        __pmd_free_tlb(tlb, pmdp, address);
    }

    [Upstream("include/asm-generic/tlb.h", "pud_free_tlb", UpstreamAttribute.Macro)]
    internal void pud_free_tlb(mmu_gather* tlb, pud_t* pudp, ulong address)
    {
        tlb_flush_p4d_range(tlb, address, PAGE_SIZE);
        tlb->freed_tables = 1;
        __pud_free_tlb(tlb, pudp, address);
    }

    [Upstream("include/asm-generic/tlb.h", "p4d_free_tlb", UpstreamAttribute.Macro)]
    internal void p4d_free_tlb(mmu_gather* tlb, p4d_t* pudp, ulong address)
    {
        __tlb_adjust_range(tlb, address, (uint)PAGE_SIZE);
        tlb->freed_tables = 1;
        __p4d_free_tlb(tlb, pudp, address);
    }

    // x86 asm/pgalloc.h: the __*_free_tlb wrappers.
    [Upstream("arch/x86/include/asm/pgalloc.h", "__pte_free_tlb", "52df17890c116f12")]
    internal void __pte_free_tlb(mmu_gather* tlb, page* pte,
                                 ulong address)
    {
        ___pte_free_tlb(tlb, pte);
    }

    [Upstream("arch/x86/include/asm/pgalloc.h", "__pmd_free_tlb", "0c64221d782963f3")]
    internal void __pmd_free_tlb(mmu_gather* tlb, pmd_t* pmd,
                                 ulong address)
    {
        ___pmd_free_tlb(tlb, pmd);
    }

    [Upstream("arch/x86/include/asm/pgalloc.h", "__pud_free_tlb", "9e4c33e52bc8aa7d")]
    internal void __pud_free_tlb(mmu_gather* tlb, pud_t* pud,
                                 ulong address)
    {
        ___pud_free_tlb(tlb, pud);
    }

    [Upstream("arch/x86/include/asm/pgalloc.h", "__p4d_free_tlb", "6e2d0c448f476554")]
    internal void __p4d_free_tlb(mmu_gather* tlb, p4d_t* p4d,
                                 ulong address)
    {
        if (pgtable_l5_enabled())
            throw new System.NotSupportedException("Emu's CPU has no LA57: ___p4d_free_tlb");
    }

    // CONFIG_PARAVIRT=y on bare metal: pv_ops.mmu.tlb_remove_table is tlb_remove_page, so page-table
    // pages are gathered and freed like any other page.
    internal void paravirt_tlb_remove_table(mmu_gather* tlb, void* table)
    {
        tlb_remove_page(tlb, (page*)table);
    }
}
