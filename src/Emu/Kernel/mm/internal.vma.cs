// SPDX-License-Identifier: GPL-2.0-only
// mm/internal.h: the VMA helpers mm/vma.c, mmap.c and mprotect.c use.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/internal.h", "vma_close", "851002759a9a1cba")]
    internal void vma_close(vm_area_struct* vma)
    {
        if (vm_ops_has_callbacks(vma))
            throw new System.NotSupportedException("vma_close: vm_ops->close");
    }

    [Upstream("mm/internal.h", "vma_set_range", "e0dae63a48125305")]
    internal static void vma_set_range(vm_area_struct* vma, ulong start, ulong end, ulong pgoff)
    {
        vma->vm_start = start;
        vma->vm_end = end;
        vma->vm_pgoff = pgoff;
    }

    [Upstream("mm/internal.h", "vma_soft_dirty_enabled", "dcbf786f10de5609")]
    internal static bool vma_soft_dirty_enabled(vm_area_struct* vma)
    {
        // CONFIG_MEM_SOFT_DIRTY=y; tracking is on while VM_SOFTDIRTY is clear.
        return (vma->vm_flags & VM_SOFTDIRTY) == 0;
    }

    [Upstream("mm/internal.h", "vma_supports_mlock", "ebff33ad637a2a31")]
    internal static bool vma_supports_mlock(vm_area_struct* vma)
    {
        if ((vma->vm_flags & (VM_SPECIAL | VM_DROPPABLE)) != 0)
            return false;
        // No DAX; no gate VMA on x86_64 user mms in Emu (the vsyscall page is not mapped).
        if (is_vm_hugetlb_page(vma))
            return false;
        return true;
    }

    [Upstream("mm/mlock.c", "can_do_mlock", "18621145ff8a6853")]
    internal bool can_do_mlock()
    {
        if (rlimit(RLIMIT_MEMLOCK) != 0)
            return true;
        if (capable(CAP_IPC_LOCK))
            return true;
        return false;
    }

    /// <summary>arch/x86/include/asm/pkeys.h: the boot CPU has no OSPKE, so ARCH_DEFAULT_PKEY (0).</summary>
    [Upstream("arch/x86/include/asm/pkeys.h", "execute_only_pkey", "549a17682b5c68ff")]
    internal static int execute_only_pkey(mm_struct* mm)
    {
        return 0;
    }
}
