// SPDX-License-Identifier: GPL-2.0-only
// mm/mseal.c (6.12.117): the madvise side of sealing. mseal(2) itself is not transliterated, so
// no VMA carries VM_SEALED yet and can_modify_vma_madv always allows.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/mseal.c", "is_madv_discard", "e77933d35c2d31a1")]
    private static bool is_madv_discard(int behavior)
    {
        switch (behavior)
        {
            case MADV_FREE:
            case MADV_DONTNEED:
            case MADV_DONTNEED_LOCKED:
            case MADV_REMOVE:
            case MADV_DONTFORK:
            case MADV_WIPEONFORK:
                return true;
        }

        return false;
    }

    [Upstream("mm/mseal.c", "is_ro_anon", "8bfdae9d8d35f574")]
    private static bool is_ro_anon(vm_area_struct* vma)
    {
        if (vma->vm_file != null || (vma->vm_flags & VM_SHARED) != 0)
            return false;

        // Read-only by protection or by the pkey's rights.
        if ((vma->vm_flags & VM_WRITE) == 0 ||
            !arch_vma_access_permitted(vma, true, false, false))
            return true;

        return false;
    }

    [Upstream("mm/mseal.c", "can_modify_vma_madv", "7d1982d62c78074d")]
    internal static bool can_modify_vma_madv(vm_area_struct* vma, int behavior)
    {
        if (!is_madv_discard(behavior))
            return true;

        if (!can_modify_vma(vma) && is_ro_anon(vma))
            return false;

        return true;
    }
}
