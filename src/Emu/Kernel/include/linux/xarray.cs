// SPDX-License-Identifier: GPL-2.0-only
// include/linux/xarray.h: the internal-entry encodings the maple tree and its mm users read
// (XA_ZERO_ENTRY marks where dup_mmap stopped copying).
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/xarray.h", "xa_mk_internal", "17e5a1384148a47b")]
    internal static void* xa_mk_internal(ulong v)
    {
        return (void*)((v << 2) | 2);
    }

    [Upstream("include/linux/xarray.h", "xa_to_internal", "ad3a7eb84bc25d5f")]
    internal static ulong xa_to_internal(void* entry)
    {
        return (ulong)entry >> 2;
    }

    [Upstream("include/linux/xarray.h", "xa_is_internal", "91d2ca73b1198c73")]
    internal static bool xa_is_internal(void* entry)
    {
        return ((ulong)entry & 3) == 2;
    }

    [Upstream("include/linux/xarray.h", "XA_ZERO_ENTRY", UpstreamAttribute.Macro)]
    internal static void* XA_ZERO_ENTRY => xa_mk_internal(257);

    [Upstream("include/linux/xarray.h", "XA_RETRY_ENTRY", UpstreamAttribute.Macro)]
    internal static void* XA_RETRY_ENTRY => xa_mk_internal(256);

    [Upstream("include/linux/xarray.h", "xa_is_zero", "dd70131acfc56c55")]
    internal static bool xa_is_zero(void* entry)
    {
        return entry == XA_ZERO_ENTRY;
    }

    [Upstream("include/linux/xarray.h", "xa_is_err", "e1174eca42d5fbe9")]
    internal static bool xa_is_err(void* entry)
    {
        return xa_is_internal(entry) && entry >= xa_mk_internal(unchecked((ulong)-MAX_ERRNO));
    }

    [Upstream("include/linux/xarray.h", "xa_err", "faa86f3c2f4ac18c")]
    internal static int xa_err(void* entry)
    {
        // Arithmetic shift keeps the sign of the errno.
        if (xa_is_err(entry))
            return (int)((long)entry >> 2);
        return 0;
    }

    [Upstream("include/linux/xarray.h", "xa_is_advanced", "35abb1a94245505b")]
    internal static bool xa_is_advanced(void* entry)
    {
        return xa_is_internal(entry) && (entry <= XA_RETRY_ENTRY);
    }
}
