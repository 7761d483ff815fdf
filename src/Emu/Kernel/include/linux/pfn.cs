// SPDX-License-Identifier: GPL-2.0-only
// include/linux/pfn.h.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/pfn.h", "PHYS_PFN", UpstreamAttribute.Macro)]
    internal static ulong PHYS_PFN(ulong x) => x >> (int)KernelConstants.PAGE_SHIFT;
}
