// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/linux/xxhash.h.
using System.Runtime.InteropServices;

namespace Emu.Kernel;

/// <summary>
/// <c>struct xxh32_state</c> (include/linux/xxhash.h), streaming state of <c>xxh32_*</c>.
/// Written by hand: include/linux/xxhash.h is not among the generated headers/ (44 bytes, align 4, as gcc lays it out).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct xxh32_state
{
    public uint total_len_32;
    public uint large_len;
    public uint v1;
    public uint v2;
    public uint v3;
    public uint v4;
    public fixed uint mem32[4];
    public uint memsize;
}

/// <summary>
/// <c>struct xxh64_state</c> (include/linux/xxhash.h), streaming state of <c>xxh64_*</c>.
/// Written by hand like <see cref="xxh32_state"/> (80 bytes, align 8: 4 bytes of tail padding).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct xxh64_state
{
    public ulong total_len;
    public ulong v1;
    public ulong v2;
    public ulong v3;
    public ulong v4;
    public fixed ulong mem64[4];
    public uint memsize;
}

public unsafe partial class Kernel
{
    // The word-sized xxHash; on 64-bit (BITS_PER_LONG == 64) that is xxh64. KSM checksums pages with it.
    [Upstream("include/linux/xxhash.h", "xxhash", "4efaf6ba2c3cb4d6")]
    public static ulong xxhash(void* input, nuint length, ulong seed)
    {
        return xxh64(input, length, seed);
    }
}
