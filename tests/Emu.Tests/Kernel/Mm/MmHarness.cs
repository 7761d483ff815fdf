using System;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.KernelConstants;
using K = Emu.Kernel.Kernel;

namespace Emu.Tests.Kernel.Mm;

/// <summary>
/// An mm with one private anonymous read-write vma (what mmap(MAP_PRIVATE|MAP_ANONYMOUS,
/// PROT_READ|PROT_WRITE) leaves: VM_READ|VM_WRITE|VM_MAYREAD|VM_MAYWRITE|VM_MAYEXEC, vm_page_prot
/// from vm_get_page_prot), from vm_area_alloc() and linked into the mm's VMA store by vma_link(),
/// for exercising mm/memory.c directly.
/// </summary>
internal sealed unsafe class MmHarness : IDisposable
{
    public const ulong Start = 0x7f00_0000_0000UL;
    public const ulong VmFlags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

    public readonly Machine Machine;
    public readonly K Kernel;
    public readonly mm_struct* Mm;
    public readonly vm_area_struct* Vma;

    public MmHarness(ulong pages = 16)
    {
        Machine = NewMachine();
        Kernel = Machine.Kernel;
        Mm = Kernel.mm_alloc();
        Vma = Kernel.vm_area_alloc(Mm);
        Vma->vm_start = Start;
        Vma->vm_end = Start + pages * PAGE_SIZE;
        Vma->__vm_flags = VmFlags;
        Vma->vm_page_prot = Kernel.vm_get_page_prot(VmFlags);
        Vma->vm_pgoff = Start >> (int)PAGE_SHIFT;
        // __mmap_region for MAP_ANONYMOUS: vma_init's dummy vm_ops go, the vma is anonymous.
        K.vma_set_anonymous(Vma);
        Link(Vma);
    }

    /// <summary>vma_link() under the mmap write lock: the vma enters its mm's VMA store and map_count.</summary>
    private void Link(vm_area_struct* vma)
    {
        Kernel.mmap_write_lock(vma->vm_mm);
        try
        {
            Assert.That(Kernel.vma_link(vma->vm_mm, vma), Is.Zero, "vma_link");
        }
        finally
        {
            Kernel.mmap_write_unlock(vma->vm_mm);
        }
    }

    /// <summary>A machine with the boot-time setup the mm paths need (anon_vma_init, the node's LRU and stats).</summary>
    public static Machine NewMachine()
    {
        var machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20 });
        var k = machine.Kernel;
        if (k.anon_vma_cachep == null)
            k.anon_vma_init();
        if (k.node_data0 == null)
            k.pgdat_init_lru();
        return machine;
    }

    /// <summary>handle_mm_fault under the mmap read lock, as a user fault.</summary>
    public uint Fault(ulong addr, bool write) => Fault(Vma, addr, write);

    public uint Fault(vm_area_struct* vma, ulong addr, bool write)
    {
        mm_struct* mm = vma->vm_mm;
        Kernel.mmap_read_lock(mm);
        try
        {
            uint flags = (uint)(FAULT_FLAG_DEFAULT | FAULT_FLAG_USER | (write ? FAULT_FLAG_WRITE : 0));
            return Kernel.handle_mm_fault(vma, addr, flags, null);
        }
        finally
        {
            Kernel.mmap_read_unlock(mm);
        }
    }

    /// <summary>The pte for addr (no allocation), or default when the walk stops early.</summary>
    public pte_t Pte(ulong addr) => Pte(Mm, addr);

    public pte_t Pte(mm_struct* mm, ulong addr)
    {
        pgd_t* pgd = Kernel.pgd_offset(mm, addr);
        p4d_t* p4d = Kernel.p4d_offset(pgd, addr);
        if (K.p4d_none(*p4d)) return default;
        pud_t* pud = Kernel.pud_offset(p4d, addr);
        if (K.pud_none(*pud)) return default;
        pmd_t* pmd = Kernel.pmd_offset(pud, addr);
        if (K.pmd_none(*pmd)) return default;
        return *Kernel.pte_offset_kernel(pmd, addr);
    }

    /// <summary>The child side of fork for the one vma, in dup_mmap's order: vm_area_dup, anon_vma_fork, store in the child's VMA tree, copy_page_range.</summary>
    public vm_area_struct* ForkVma(out mm_struct* child)
    {
        child = Kernel.mm_alloc();
        // dup_mmap: both mms write-locked, the parent's vma write-locked before its tables are copied.
        Kernel.mmap_write_lock(Mm);
        Kernel.mmap_write_lock_nested(child, K.SINGLE_DEPTH_NESTING);
        try
        {
            Kernel.vma_start_write(Vma);
            var v = Kernel.vm_area_dup(Vma);
            v->vm_mm = child;
            Assert.That(Kernel.anon_vma_fork(v, Vma), Is.Zero);
            Assert.That(Kernel.vma_link(child, v), Is.Zero, "vma_link");
            Assert.That(Kernel.copy_page_range(v, Vma), Is.Zero);
            return v;
        }
        finally
        {
            Kernel.mmap_write_unlock(child);
            Kernel.mmap_write_unlock(Mm);
        }
    }

    /// <summary>Runs a step that needs an area still stubbed on this branch, or ignores the test visibly.</summary>
    public static void NeedsLandedAreas(Action step)
    {
        try
        {
            step();
        }
        catch (NotImplementedException e) when (e.Message.StartsWith("stub(", StringComparison.Ordinal))
        {
            Assert.Ignore($"needs an area that has not landed on this branch: {e.Message}");
        }
    }

    public void Dispose() => Machine.Dispose();
}
