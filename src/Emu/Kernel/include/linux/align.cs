// SPDX-License-Identifier: GPL-2.0-only
// include/linux/align.h for unsigned long values.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/align.h", "ALIGN_DOWN", UpstreamAttribute.Macro)]
    internal static ulong ALIGN_DOWN(ulong x, ulong a) => x & ~(a - 1);

    [Upstream("include/linux/align.h", "IS_ALIGNED", UpstreamAttribute.Macro)]
    internal static bool IS_ALIGNED(ulong x, ulong a) => (x & (a - 1)) == 0;
}
