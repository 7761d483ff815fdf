// SPDX-License-Identifier: GPL-2.0-only
// arch/x86/mm/mmap.c: the mmap layout of a 64-bit task. Emu's task runs without PF_RANDOMIZE
// (as under `setarch -R`): arch_rnd() and stack_maxrandom_size() are 0, so with the default
// 8 MiB stack rlimit mmap_base = PAGE_ALIGN(DEFAULT_MAP_WINDOW - 128 MiB) = 0x7ffff7fff000,
// and every run places mappings at the same addresses. The task is never 32-bit, and no
// personality flags (ADDR_COMPAT_LAYOUT) or legacy_va_layout sysctl are set: top-down layout.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>/proc/sys/vm/legacy_va_layout.</summary>
    internal int sysctl_legacy_va_layout;

    /// <summary>Emu's task flags: PF_RANDOMIZE is never set (see the file comment).</summary>
    internal static bool current_pf_randomize => false;

    [Upstream("arch/x86/mm/mmap.c", "task_size_32bit", "36327c53fe44d052")]
    internal static ulong task_size_32bit()
    {
        return 0xFFFFe000; // IA32_PAGE_OFFSET without ADDR_LIMIT_3GB
    }

    [Upstream("arch/x86/mm/mmap.c", "task_size_64bit", "72d40ca60fee4c3d")]
    internal static ulong task_size_64bit(int full_addr_space)
    {
        return full_addr_space != 0 ? TASK_SIZE_MAX : DEFAULT_MAP_WINDOW;
    }

    [Upstream("arch/x86/mm/mmap.c", "stack_maxrandom_size", "cc78c86bb0ff26da")]
    private static ulong stack_maxrandom_size(ulong task_size)
    {
        ulong max = 0;
        if (current_pf_randomize)
        {
            max = 0; // __STACK_RND_MASK(...) << PAGE_SHIFT: unreachable without PF_RANDOMIZE
        }

        return max;
    }

    [Upstream("arch/x86/mm/mmap.c", "SIZE_128M", UpstreamAttribute.Macro)]
    private const ulong SIZE_128M = 128 * 1024 * 1024UL;

    [Upstream("arch/x86/mm/mmap.c", "mmap_is_legacy", "dc6e03034aa318f8")]
    private int mmap_is_legacy()
    {
        // No ADDR_COMPAT_LAYOUT in the personality.
        return sysctl_legacy_va_layout;
    }

    [Upstream("arch/x86/mm/mmap.c", "arch_rnd", "43292919a9a22841")]
    private static ulong arch_rnd(uint rndbits)
    {
        if (!current_pf_randomize)
            return 0;
        return 0;
    }

    [Upstream("arch/x86/mm/mmap.c", "mmap_base", "b12abf140188ce73")]
    private ulong mmap_base(ulong rnd, ulong task_size, ulong* rlim_stack)
    {
        ulong gap = rlim_stack[0];
        ulong pad = stack_maxrandom_size(task_size) + stack_guard_gap;
        ulong gap_min, gap_max;

        // Leave room for the stack's growth, its randomization and the guard gap.
        if (gap + pad > gap)
            gap += pad;

        gap_min = SIZE_128M;
        gap_max = (task_size / 6) * 5;

        if (gap < gap_min)
            gap = gap_min;
        else if (gap > gap_max)
            gap = gap_max;

        return PAGE_ALIGN(task_size - gap - rnd);
    }

    [Upstream("arch/x86/mm/mmap.c", "mmap_legacy_base", "e700751eb35870f1")]
    private static ulong mmap_legacy_base(ulong rnd, ulong task_size)
    {
        return __TASK_UNMAPPED_BASE(task_size) + rnd;
    }

    [Upstream("arch/x86/include/asm/processor.h", "__TASK_UNMAPPED_BASE", UpstreamAttribute.Macro)]
    internal static ulong __TASK_UNMAPPED_BASE(ulong task_size) => PAGE_ALIGN(task_size / 3);

    [Upstream("arch/x86/mm/mmap.c", "arch_pick_mmap_base", "4a2b9b241ca01f74")]
    private void arch_pick_mmap_base(ulong* @base, ulong* legacy_base, ulong random_factor, ulong task_size, ulong* rlim_stack)
    {
        *legacy_base = mmap_legacy_base(random_factor, task_size);
        if (mmap_is_legacy() != 0)
            *@base = *legacy_base;
        else
            *@base = mmap_base(random_factor, task_size, rlim_stack);
    }

    /// <summary>
    /// rlim_stack points at a struct rlimit {rlim_cur, rlim_max} (two unsigned longs); NULL means
    /// the task's own RLIMIT_STACK, which is what exec passes.
    /// </summary>
    [Upstream("arch/x86/mm/mmap.c", "arch_pick_mmap_layout", "51ab8c18a90b3597")]
    internal void arch_pick_mmap_layout(mm_struct* mm, void* rlim_stack)
    {
        ulong* rlim = stackalloc ulong[2];
        if (rlim_stack == null)
        {
            rlim[0] = rlimit(RLIMIT_STACK);
            rlim[1] = rlimit_max(RLIMIT_STACK);
            rlim_stack = rlim;
        }

        if (mmap_is_legacy() != 0)
            clear_bit(MMF_TOPDOWN, &mm->flags);
        else
            set_bit(MMF_TOPDOWN, &mm->flags);

        arch_pick_mmap_base(&mm->mmap_base, &mm->mmap_legacy_base,
            arch_rnd(28), task_size_64bit(0),
            (ulong*)rlim_stack);

        // CONFIG_HAVE_ARCH_COMPAT_MMAP_BASES: the bases a 32-bit syscall would use.
        arch_pick_mmap_base(&mm->mmap_compat_base, &mm->mmap_compat_legacy_base,
            arch_rnd(8), task_size_32bit(),
            (ulong*)rlim_stack);
    }

    [Upstream("arch/x86/mm/mmap.c", "get_mmap_base", "88905433821c3c04")]
    internal ulong get_mmap_base(int is_legacy)
    {
        mm_struct* mm = current_mm;

        // Emu never makes 32-bit syscalls.
        return is_legacy != 0 ? mm->mmap_legacy_base : mm->mmap_base;
    }

    [Upstream("arch/x86/mm/mmap.c", "mmap_address_hint_valid", "77409f43f494dc51")]
    internal static bool mmap_address_hint_valid(ulong addr, ulong len)
    {
        if (TASK_SIZE - len < addr)
            return false;

        return (addr > DEFAULT_MAP_WINDOW) == (addr + len > DEFAULT_MAP_WINDOW);
    }
}
