// SPDX-License-Identifier: GPL-2.0-only
// mm/internal.h: the inlines rmap, page_vma_mapped_walk and the LRU use.
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/internal.h", "folio_raw_mapping", "216ce4183707a2ef")]
    internal static void* folio_raw_mapping(folio* folio)
    {
        ulong mapping = (ulong)folio->mapping;

        return (void*)(mapping & ~(ulong)PAGE_MAPPING_FLAGS);
    }

    [Upstream("mm/internal.h", "folio_evictable", "4d007a636f411c76")]
    internal bool folio_evictable(folio* folio)
    {
        bool ret;

        // The RCU read side keeps the mapping's address_space alive.
        rcu_read_lock();
        ret = !mapping_unevictable(folio_mapping(folio)) &&
                !folio_test_mlocked(folio);
        rcu_read_unlock();
        return ret;
    }

    [Upstream("mm/internal.h", "folio_within_range", "9384a1918231aa61")]
    internal bool folio_within_range(folio* folio, vm_area_struct* vma, ulong start, ulong end)
    {
        ulong pgoff, addr;
        ulong vma_pglen = vma_pages(vma);

        VM_WARN_ON_FOLIO(folio_test_ksm(folio), folio);
        if (start > end)
            return false;

        if (start < vma->vm_start)
            start = vma->vm_start;

        if (end > vma->vm_end)
            end = vma->vm_end;

        pgoff = folio_pgoff(folio);

        // in_range(pgoff, vma->vm_pgoff, vma_pglen): the folio's first page lies in the vma.
        if (!(pgoff - vma->vm_pgoff < vma_pglen))
            return false;

        addr = vma->vm_start + ((pgoff - vma->vm_pgoff) << PAGE_SHIFT);

        return !(addr < start || end - addr < folio_size(folio));
    }

    [Upstream("mm/internal.h", "folio_within_vma", "91ee925511c95a4b")]
    internal bool folio_within_vma(folio* folio, vm_area_struct* vma)
    {
        return folio_within_range(folio, vma, vma->vm_start, vma->vm_end);
    }

    [Upstream("mm/internal.h", "mlock_vma_folio", "35348c192b9a8384")]
    internal void mlock_vma_folio(folio* folio, vm_area_struct* vma)
    {
        // VM_SPECIAL vmas are never mlocked, even in the window where VM_LOCKED is still set.
        if ((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED)
            mlock_folio(folio);
    }

    [Upstream("mm/internal.h", "munlock_vma_folio", "f63a55d316adcea4")]
    internal void munlock_vma_folio(folio* folio, vm_area_struct* vma)
    {
        // Always munlock on unmap from a locked vma; reclaim corrects a folio still mapped elsewhere.
        if ((vma->vm_flags & VM_LOCKED) != 0)
            munlock_folio(folio);
    }

    [Upstream("mm/internal.h", "vma_address", "8ce68e0a1f50ed24")]
    internal static ulong vma_address(vm_area_struct* vma, ulong pgoff, ulong nr_pages)
    {
        ulong address;

        if (pgoff >= vma->vm_pgoff)
        {
            address = vma->vm_start +
                ((pgoff - vma->vm_pgoff) << PAGE_SHIFT);
            // Past the vma, or wrapped.
            if (address < vma->vm_start || address >= vma->vm_end)
                address = unchecked((ulong)-EFAULT);
        }
        else if (pgoff + nr_pages - 1 >= vma->vm_pgoff)
        {
            // The range starts before the vma and reaches into it.
            address = vma->vm_start;
        }
        else
        {
            address = unchecked((ulong)-EFAULT);
        }
        return address;
    }

    [Upstream("mm/internal.h", "vma_address_end", "67515f59a401bfc2")]
    internal static ulong vma_address_end(page_vma_mapped_walk* pvmw)
    {
        vm_area_struct* vma = pvmw->vma;
        ulong pgoff;
        ulong address;

        // One page is the common case; KSM's pgoff means nothing here either.
        if (pvmw->nr_pages == 1)
            return pvmw->address + PAGE_SIZE;

        pgoff = pvmw->pgoff + pvmw->nr_pages;
        address = vma->vm_start + ((pgoff - vma->vm_pgoff) << PAGE_SHIFT);
        // Past the vma, or wrapped.
        if (address < vma->vm_start || address > vma->vm_end)
            address = vma->vm_end;
        return address;
    }
}
