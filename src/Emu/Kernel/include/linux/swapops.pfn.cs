// SPDX-License-Identifier: GPL-2.0-only
// include/linux/swapops.h: the pfn swap entries page_vma_mapped_walk looks at. CONFIG_DEVICE_PRIVATE
// is off, so the device-private/exclusive tests are the config-off definitions (the second ones).
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    [Upstream("include/linux/swapops.h", "is_device_private_entry", "6515cbe019508072", Definition = 2)]
    internal static bool is_device_private_entry(swp_entry_t entry)
    {
        return false;
    }

    [Upstream("include/linux/swapops.h", "is_device_exclusive_entry", "6515cbe019508072", Definition = 2)]
    internal static bool is_device_exclusive_entry(swp_entry_t entry)
    {
        return false;
    }

    [Upstream("include/linux/swapops.h", "is_pfn_swap_entry", "0fb8e4acc452806c")]
    internal static bool is_pfn_swap_entry(swp_entry_t entry)
    {
        // BUILD_BUG_ON(SWP_TYPE_SHIFT < SWP_PFN_BITS): holds on x86_64.
        return is_migration_entry(entry) || is_device_private_entry(entry) ||
               is_device_exclusive_entry(entry) || is_hwpoison_entry(entry);
    }

    [Upstream("arch/x86/include/asm/sparsemem.h", "MAX_PHYSMEM_BITS", UpstreamAttribute.Macro)]
    internal int MAX_PHYSMEM_BITS => pgtable_l5_enabled() ? 52 : 46;

    [Upstream("include/linux/swapops.h", "SWP_PFN_BITS", UpstreamAttribute.Macro)]
    internal int SWP_PFN_BITS => MAX_PHYSMEM_BITS - PAGE_SHIFT;

    [Upstream("include/linux/swapops.h", "SWP_PFN_MASK", UpstreamAttribute.Macro)]
    internal ulong SWP_PFN_MASK => (1UL << SWP_PFN_BITS) - 1;

    [Upstream("include/linux/swapops.h", "swp_offset_pfn", "48e036a05e6aaf3d")]
    internal ulong swp_offset_pfn(swp_entry_t entry)
    {
        VM_BUG_ON(!is_pfn_swap_entry(entry));
        return swp_offset(entry) & SWP_PFN_MASK;
    }
}
