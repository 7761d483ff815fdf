// SPDX-License-Identifier: GPL-2.0-only
// arch/x86/kernel/sys_x86_64.c (6.12.117): x86_64's HAVE_ARCH_UNMAPPED_AREA(_TOPDOWN). Emu's task is 64-bit
// (in_32bit_syscall() false), has no PF_RANDOMIZE, and va_align is disabled (flags -1), so
// get_align_mask() is 0 (and only file mappings ask for it anyway).
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    private const ulong MAP_32BIT = 0x40, MAP_ABOVE4G = 0x80; // arch/x86/include/uapi/asm/mman.h

    [Upstream("arch/x86/kernel/sys_x86_64.c", "find_start_end", "515b93a701bcefba")]
    private void find_start_end(ulong addr, ulong flags, ulong* begin, ulong* end)
    {
        if ((flags & MAP_32BIT) != 0)
        {
            // The first 2 GiB: the old 32-bit-pointer window, as upstream.
            *begin = 0x40000000;
            *end = 0x80000000;
            return;
        }

        *begin = get_mmap_base(1);
        *end = task_size_64bit(addr > DEFAULT_MAP_WINDOW ? 1 : 0);
    }

    [Upstream("arch/x86/kernel/sys_x86_64.c", "stack_guard_placement", "131dc4ec9e84d7b1")]
    private static ulong stack_guard_placement(ulong vm_flags)
    {
        if ((vm_flags & VM_SHADOW_STACK) != 0)
            return PAGE_SIZE;

        return 0;
    }

    [Upstream("arch/x86/kernel/sys_x86_64.c", "arch_get_unmapped_area", "9f781d8640c8d43c")]
    internal ulong arch_get_unmapped_area(void* filp, ulong addr, ulong len, ulong pgoff, ulong flags, ulong vm_flags)
    {
        mm_struct* mm = current_mm;
        vm_area_struct* vma;
        vm_unmapped_area_info info = default;
        ulong begin, end;

        if ((flags & MAP_FIXED) != 0)
            return addr;

        find_start_end(addr, flags, &begin, &end);

        if (len > end)
            return unchecked((ulong)-ENOMEM);

        if (addr != 0)
        {
            addr = PAGE_ALIGN(addr);
            vma = find_vma(mm, addr);
            if (end - len >= addr &&
                (vma == null || addr + len <= vm_start_gap(vma)))
                return addr;
        }

        info.length = len;
        info.low_limit = begin;
        info.high_limit = end;
        info.align_offset = pgoff << (int)PAGE_SHIFT;
        info.start_gap = stack_guard_placement(vm_flags);
        if (filp != null)
            throw no_files("arch_get_unmapped_area");
        return vm_unmapped_area(&info);
    }

    [Upstream("arch/x86/kernel/sys_x86_64.c", "arch_get_unmapped_area_topdown", "e4e4af9c9724dce5")]
    internal ulong arch_get_unmapped_area_topdown(void* filp, ulong addr0, ulong len, ulong pgoff, ulong flags, ulong vm_flags)
    {
        vm_area_struct* vma;
        mm_struct* mm = current_mm;
        ulong addr = addr0;
        vm_unmapped_area_info info = default;

        if (len > TASK_SIZE)
            return unchecked((ulong)-ENOMEM);

        if ((flags & MAP_FIXED) != 0)
            return addr;

        if ((flags & MAP_32BIT) != 0)
            goto bottomup;

        // A free hint is taken as is.
        if (addr != 0)
        {
            addr &= PAGE_MASK;
            if (!mmap_address_hint_valid(addr, len))
                goto get_unmapped_area;

            vma = find_vma(mm, addr);
            if (vma == null || addr + len <= vm_start_gap(vma))
                return addr;
        }
    get_unmapped_area:

        info.flags = VM_UNMAPPED_AREA_TOPDOWN;
        info.length = len;
        if ((flags & MAP_ABOVE4G) != 0)
            info.low_limit = 1UL << 32;
        else
            info.low_limit = PAGE_SIZE;

        info.high_limit = get_mmap_base(0);
        info.start_gap = stack_guard_placement(vm_flags);

        // A hint above the 47-bit window opens the full address space.
        if (addr > DEFAULT_MAP_WINDOW)
            info.high_limit += TASK_SIZE_MAX - DEFAULT_MAP_WINDOW;

        info.align_offset = pgoff << (int)PAGE_SHIFT;
        if (filp != null)
            throw no_files("arch_get_unmapped_area_topdown");
        addr = vm_unmapped_area(&info);
        if ((addr & ~PAGE_MASK) == 0)
            return addr;
        VM_BUG_ON(addr != unchecked((ulong)-ENOMEM));

    bottomup:
        // Top-down failed: fall back to the bottom-up search from mmap_legacy_base.
        return arch_get_unmapped_area(filp, addr0, len, pgoff, flags, 0);
    }
}
