// SPDX-License-Identifier: GPL-2.0-only
// include/linux/err.h: errno values carried in pointers.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/err.h", "MAX_ERRNO", UpstreamAttribute.Macro)]
    internal const int MAX_ERRNO = 4095;

    [Upstream("include/linux/err.h", "IS_ERR_VALUE", UpstreamAttribute.Macro)]
    internal static bool IS_ERR_VALUE(ulong x) => x >= unchecked((ulong)-MAX_ERRNO);

    [Upstream("include/linux/err.h", "ERR_PTR", "ef44306f584400f6")]
    internal static void* ERR_PTR(long error)
    {
        return (void*)error;
    }

    [Upstream("include/linux/err.h", "PTR_ERR", "b0c8444f74c690d5")]
    internal static long PTR_ERR(void* ptr)
    {
        return (long)ptr;
    }

    [Upstream("include/linux/err.h", "IS_ERR", "7c1e54c2d6e103bd")]
    internal static bool IS_ERR(void* ptr)
    {
        return IS_ERR_VALUE((ulong)ptr);
    }

    [Upstream("include/linux/err.h", "IS_ERR_OR_NULL", "095fb275480fbf47")]
    internal static bool IS_ERR_OR_NULL(void* ptr)
    {
        return ptr == null || IS_ERR_VALUE((ulong)ptr);
    }
}
