// SPDX-License-Identifier: GPL-2.0-only
// Stubs: the VMA lookups mm/gup.c calls (include/linux/mm.vma.cs, mm/mmap.c) until the vma area
// lands on main. Exact upstream signatures; removed when the owner's versions are merged.
using System;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // stub(vma): mm/mmap.c expand_stack for __access_remote_vm. Emu does not grow stacks: an address
    // below a VM_GROWSDOWN VMA would need expand_downwards (NotSupportedException); anywhere else the
    // upstream function drops mmap_lock and returns NULL, as here.
    internal vm_area_struct* expand_stack(mm_struct* mm, ulong addr)
    {
        mmap_read_unlock(mm);
        if (mmap_write_lock_killable(mm) != 0)
            return null;
        vm_area_struct* vma = find_vma(mm, addr);
        if (vma != null && vma->vm_start <= addr)
        {
            mmap_write_downgrade(mm);
            return vma;
        }
        if (vma != null && (vma->vm_flags & VM_GROWSDOWN) != 0)
            throw new NotSupportedException("stub(vma): expand_stack would grow a VM_GROWSDOWN stack");
        mmap_write_unlock(mm);
        return null;
    }

    // stub(vma): include/linux/mm.h, trivial body.
    internal static bool PAGE_ALIGNED(ulong addr) => (addr & (KernelConstants.PAGE_SIZE - 1)) == 0;
}
