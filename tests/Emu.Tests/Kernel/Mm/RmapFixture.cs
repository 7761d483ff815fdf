using System;
using Emu.Kernel;
using static Emu.Kernel.Kernel;
using static Emu.Kernel.KernelConstants;
using KernelState = Emu.Kernel.Kernel;

namespace Emu.Tests.Kernel.Mm;

/// <summary>
/// A machine with the rmap and LRU boot steps done; mm_structs from mm_alloc() and vmas from
/// vm_area_alloc() linked into their mm's VMA store with vma_link() (mm/vma.c), as mmap and fork
/// leave them, so paths such as find_mergeable_anon_vma find them there. Page tables are built by
/// hand: real x86_64 tables in arena frames, linked with _PAGE_TABLE entries as pgd/pud/pmd_populate do.
/// </summary>
internal sealed unsafe class RmapFixture : IDisposable
{
    public readonly Machine Machine;
    public readonly KernelState K;

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

    /// <summary>An empty mm as mm_alloc() makes it (mm_init: maple tree, locks, counters, pgd_alloc).</summary>
    public mm_struct* NewMm()
    {
        var mm = K.mm_alloc();
        if (mm == null)
            throw new InvalidOperationException("mm_alloc failed");
        return mm;
    }

    /// <summary>An anonymous private rw vma [start, end) of <paramref name="mm"/>, pgoff = start >> PAGE_SHIFT as mmap gives.</summary>
    public vm_area_struct* NewVma(mm_struct* mm, ulong start, ulong end)
    {
        var vma = K.vm_area_alloc(mm);
        const ulong flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
        vma->vm_start = start;
        vma->vm_end = end;
        vma->vm_pgoff = start >> PAGE_SHIFT;
        vma->__vm_flags = flags;
        vma->vm_page_prot = K.vm_get_page_prot(flags);
        // __mmap_region for MAP_ANONYMOUS: vma_init's dummy vm_ops go, the vma is anonymous.
        vma_set_anonymous(vma);
        Link(vma);
        return vma;
    }

    /// <summary>dup_mmap()'s child vma: vm_area_dup()'s copy (range, flags, anon_vma pointer; empty chain) in the child mm, stored there.</summary>
    public vm_area_struct* DupVma(mm_struct* childMm, vm_area_struct* parent)
    {
        var vma = K.vm_area_dup(parent);
        vma->vm_mm = childMm;
        Link(vma);
        return vma;
    }

    /// <summary>vma_link() under the mmap write lock: the vma enters its mm's VMA store and map_count.</summary>
    private void Link(vm_area_struct* vma)
    {
        mm_struct* mm = vma->vm_mm;
        K.mmap_write_lock(mm);
        try
        {
            if (K.vma_link(mm, vma) != 0)
                throw new InvalidOperationException("vma_link failed");
        }
        finally
        {
            K.mmap_write_unlock(mm);
        }
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
