using System;
using Emu.Kernel;
using static Emu.Kernel.Kernel;
using static Emu.Kernel.KernelConstants;
using KernelState = Emu.Kernel.Kernel;

namespace Emu.Tests.Kernel.Mm;

/// <summary>
/// A machine with the rmap and LRU boot steps done, and mm_structs/vmas/page tables built by hand
/// (the VMA store and the page-table allocators belong to other areas). Page tables are real
/// x86_64 tables in arena frames, linked with _PAGE_TABLE entries as pgd/pud/pmd_populate do.
/// </summary>
internal sealed unsafe class RmapFixture : IDisposable
{
    public readonly Machine Machine;
    public readonly KernelState K;
    private int _names;

    public RmapFixture(ulong memoryBytes = 64UL << 20)
    {
        Machine = new Machine(new MachineOptions { MemoryBytes = memoryBytes });
        K = Machine.Kernel;
        // start_kernel's anon_vma_init() and free_area_init's lruvec_init(): Machine may already do them.
        if (K.anon_vma_cachep == null)
            K.anon_vma_init();
        if (K.node_data0 == null)
            K.pgdat_init_lru();
    }

    public void Dispose() => Machine.Dispose();

    public mm_struct* NewMm()
    {
        var mm = K.AllocateGlobal<mm_struct>($"test mm {_names++}");
        K.spin_lock_init(&mm->page_table_lock);
        K.mmap_init_lock(mm);
        atomic_set(&mm->mm_users, 1);
        mm->pgd = (pgd_t*)K.page_address(K.alloc_pages(GFP_KERNEL | __GFP_ZERO, 0));
        return mm;
    }

    /// <summary>An anonymous private rw vma [start, end) of <paramref name="mm"/>, pgoff = start >> PAGE_SHIFT as mmap gives.</summary>
    public vm_area_struct* NewVma(mm_struct* mm, ulong start, ulong end)
    {
        var vma = K.AllocateGlobal<vm_area_struct>($"test vma {_names++}");
        vma->vm_mm = mm;
        vma->vm_start = start;
        vma->vm_end = end;
        vma->vm_pgoff = start >> PAGE_SHIFT;
        vma->__vm_flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
        INIT_LIST_HEAD(&vma->anon_vma_chain);
        return vma;
    }

    /// <summary>vm_area_dup()'s copy for fork: same range and flags in the child mm, anon_vma pointer copied, empty chain.</summary>
    public vm_area_struct* DupVma(mm_struct* childMm, vm_area_struct* parent)
    {
        var vma = NewVma(childMm, parent->vm_start, parent->vm_end);
        vma->vm_pgoff = parent->vm_pgoff;
        vma->__vm_flags = parent->__vm_flags;
        vma->anon_vma = parent->anon_vma;
        return vma;
    }

    /// <summary>anon_vma_prepare() under the mmap read lock, as the fault path calls it.</summary>
    public int Prepare(vm_area_struct* vma)
    {
        K.mmap_read_lock(vma->vm_mm);
        try { return K.anon_vma_prepare(vma); }
        finally { K.mmap_read_unlock(vma->vm_mm); }
    }

    /// <summary>The pte slot for <paramref name="addr"/>, allocating missing tables; pte tables get their split lock initialized.</summary>
    public pte_t* PteSlot(mm_struct* mm, ulong addr)
    {
        pgd_t* pgd = K.pgd_offset(mm, addr);
        if (pgd->pgd == 0)
            K.set_pgd(pgd, __pgd(TablePa() | _PAGE_TABLE));
        p4d_t* p4d = K.p4d_offset(pgd, addr);
        pud_t* pud = K.pud_offset(p4d, addr);
        if (pud->pud == 0)
            set_pud(pud, __pud(TablePa() | _PAGE_TABLE));
        pmd_t* pmd = K.pmd_offset(pud, addr);
        if (pmd->pmd == 0)
        {
            page* pt = K.alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
            K.spin_lock_init(&((ptdesc*)pt)->ptl);
            set_pmd(pmd, __pmd((K.page_to_pfn(pt) << PAGE_SHIFT) | _PAGE_TABLE));
        }
        return K.pte_offset_kernel(pmd, addr);
    }

    private ulong TablePa() => K.page_to_pfn(K.alloc_pages(GFP_KERNEL | __GFP_ZERO, 0)) << PAGE_SHIFT;

    /// <summary>A present user PTE for <paramref name="page"/> (accessed when <paramref name="young"/>).</summary>
    public pte_t* MapPage(mm_struct* mm, ulong addr, page* page, bool young = false)
    {
        pte_t* ptep = PteSlot(mm, addr);
        ulong bits = _PAGE_PRESENT | _PAGE_USER | (young ? _PAGE_ACCESSED : 0UL);
        set_pte_at(mm, addr, ptep, __pte((K.page_to_pfn(page) << PAGE_SHIFT) | bits));
        return ptep;
    }
}
