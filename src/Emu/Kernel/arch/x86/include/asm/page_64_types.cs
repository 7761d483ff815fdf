// SPDX-License-Identifier: GPL-2.0-only
// arch/x86/include/asm/page_64_types.h: user address-space limits. Emu's tasks are 64-bit
// (no TIF_ADDR32) on 4-level paging (no LA57), so the conditionals fold to their 64-bit side.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("arch/x86/include/asm/page_64_types.h", "__VIRTUAL_MASK_SHIFT", UpstreamAttribute.Macro)]
    internal const int __VIRTUAL_MASK_SHIFT = 47;

    [Upstream("arch/x86/include/asm/page_64_types.h", "task_size_max", UpstreamAttribute.Macro)]
    internal static ulong task_size_max() => (1UL << __VIRTUAL_MASK_SHIFT) - KernelConstants.PAGE_SIZE;

    [Upstream("arch/x86/include/asm/page_64_types.h", "TASK_SIZE_MAX", UpstreamAttribute.Macro)]
    internal static ulong TASK_SIZE_MAX => task_size_max();

    [Upstream("arch/x86/include/asm/page_64_types.h", "DEFAULT_MAP_WINDOW", UpstreamAttribute.Macro)]
    internal const ulong DEFAULT_MAP_WINDOW = (1UL << 47) - KernelConstants.PAGE_SIZE;

    [Upstream("arch/x86/include/asm/page_64_types.h", "TASK_SIZE_LOW", UpstreamAttribute.Macro)]
    internal static ulong TASK_SIZE_LOW => DEFAULT_MAP_WINDOW;

    [Upstream("arch/x86/include/asm/page_64_types.h", "TASK_SIZE", UpstreamAttribute.Macro)]
    internal static ulong TASK_SIZE => TASK_SIZE_MAX;

    [Upstream("arch/x86/include/asm/page_64_types.h", "STACK_TOP", UpstreamAttribute.Macro)]
    internal static ulong STACK_TOP => TASK_SIZE_LOW;
}
