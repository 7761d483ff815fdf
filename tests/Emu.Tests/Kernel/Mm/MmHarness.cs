using System;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.KernelConstants;
using K = Emu.Kernel.Kernel;

namespace Emu.Tests.Kernel.Mm;

/// <summary>
/// An mm with one private anonymous read-write vma built by hand (what mmap(MAP_PRIVATE|MAP_ANONYMOUS,
/// PROT_READ|PROT_WRITE) leaves: VM_READ|VM_WRITE|VM_MAYREAD|VM_MAYWRITE|VM_MAYEXEC, vm_page_prot
/// from vm_get_page_prot), for exercising mm/memory.c without the vma store.
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
        Machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20 });
        Kernel = Machine.Kernel;
        Mm = Kernel.mm_alloc();
        Vma = (vm_area_struct*)Kernel.kzalloc((nuint)sizeof(vm_area_struct), GFP_KERNEL);
        Vma->vm_mm = Mm;
        Vma->vm_start = Start;
        Vma->vm_end = Start + pages * PAGE_SIZE;
        Vma->__vm_flags = VmFlags;
        Vma->vm_page_prot = Kernel.vm_get_page_prot(VmFlags);
        Vma->vm_pgoff = Start >> (int)PAGE_SHIFT;
        K.INIT_LIST_HEAD(&Vma->anon_vma_chain);
    }

    /// <summary>handle_mm_fault under the mmap read lock, as a user fault.</summary>
    public uint Fault(ulong addr, bool write)
    {
        Kernel.mmap_read_lock(Mm);
        try
        {
            uint flags = (uint)(FAULT_FLAG_DEFAULT | FAULT_FLAG_USER | (write ? FAULT_FLAG_WRITE : 0));
            return Kernel.handle_mm_fault(Vma, addr, flags, null);
        }
        finally
        {
            Kernel.mmap_read_unlock(Mm);
        }
    }

    /// <summary>The pte for addr (no allocation), or default when the walk stops early.</summary>
    public pte_t Pte(ulong addr)
    {
        pgd_t* pgd = Kernel.pgd_offset(Mm, addr);
        p4d_t* p4d = Kernel.p4d_offset(pgd, addr);
        if (K.p4d_none(*p4d)) return default;
        pud_t* pud = Kernel.pud_offset(p4d, addr);
        if (K.pud_none(*pud)) return default;
        pmd_t* pmd = Kernel.pmd_offset(pud, addr);
        if (K.pmd_none(*pmd)) return default;
        return *Kernel.pte_offset_kernel(pmd, addr);
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
