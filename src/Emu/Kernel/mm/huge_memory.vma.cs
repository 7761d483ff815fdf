// SPDX-License-Identifier: GPL-2.0-only
// mm/huge_memory.c: THP-friendly placement of PMD-multiple mappings (placement only; Emu
// still maps base pages).
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/huge_memory.c", "__thp_get_unmapped_area", "f52d9892a9b808af")]
    private ulong __thp_get_unmapped_area(void* filp, ulong addr, ulong len, long off, ulong flags, ulong size, ulong vm_flags)
    {
        long off_end = off + (long)len;
        long off_align = (long)(((ulong)off + size - 1) & ~(size - 1));
        ulong len_pad, ret, off_sub;

        // CONFIG_64BIT and never a compat syscall in Emu.

        if (off_end <= off_align || (ulong)(off_end - off_align) < size)
            return 0;

        len_pad = len + size;
        if (len_pad < len || (off + (long)len_pad) < off)
            return 0;

        ret = mm_get_unmapped_area_vmflags(current_mm, filp, addr, len_pad,
            (ulong)off >> (int)PAGE_SHIFT, flags, vm_flags);

        // Padding may have failed where the plain length would not: let the caller retry.
        if (IS_ERR_VALUE(ret))
            return 0;

        // A hint that was honoured stays as is.
        if (ret == addr)
            return addr;

        off_sub = ((ulong)off - ret) & (size - 1);

        if (test_bit(MMF_TOPDOWN, &current_mm->flags) && off_sub == 0)
            return ret + size;

        ret += off_sub;
        return ret;
    }

    [Upstream("mm/huge_memory.c", "thp_get_unmapped_area_vmflags", "eb65f3a94972417b")]
    internal ulong thp_get_unmapped_area_vmflags(void* filp, ulong addr, ulong len, ulong pgoff, ulong flags, ulong vm_flags)
    {
        ulong ret;
        long off = (long)pgoff << (int)PAGE_SHIFT;

        ret = __thp_get_unmapped_area(filp, addr, len, off, flags, PMD_SIZE, vm_flags);
        if (ret != 0)
            return ret;

        return mm_get_unmapped_area_vmflags(current_mm, filp, addr, len, pgoff, flags,
            vm_flags);
    }
}
