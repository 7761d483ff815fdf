// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 lib/xxhash.c (xxHash, itself Dual BSD/GPL).
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // Rotations; the macros take (x, r) with 0 < r < width.
    [Upstream("lib/xxhash.c", "xxh_rotl32", UpstreamAttribute.Macro)]
    internal static uint xxh_rotl32(uint x, int r) => (x << r) | (x >> (32 - r));

    [Upstream("lib/xxhash.c", "xxh_rotl64", UpstreamAttribute.Macro)]
    internal static ulong xxh_rotl64(ulong x, int r) => (x << r) | (x >> (64 - r));

    // The file's static const primes (no marker: they are variables, not functions or macros).
    internal const uint PRIME32_1 = 2654435761U;
    internal const uint PRIME32_2 = 2246822519U;
    internal const uint PRIME32_3 = 3266489917U;
    internal const uint PRIME32_4 = 668265263U;
    internal const uint PRIME32_5 = 374761393U;

    internal const ulong PRIME64_1 = 11400714785074694791UL;
    internal const ulong PRIME64_2 = 14029467366897019727UL;
    internal const ulong PRIME64_3 = 1609587929392839161UL;
    internal const ulong PRIME64_4 = 9650029242287828579UL;
    internal const ulong PRIME64_5 = 2870177450012600261UL;

    [Upstream("lib/xxhash.c", "xxh32_copy_state", "b18bcf0fb71484ec")]
    public static void xxh32_copy_state(xxh32_state* dst, xxh32_state* src)
    {
        memcpy(dst, src, (nuint)sizeof(xxh32_state));
    }

    [Upstream("lib/xxhash.c", "xxh64_copy_state", "b18bcf0fb71484ec")]
    public static void xxh64_copy_state(xxh64_state* dst, xxh64_state* src)
    {
        memcpy(dst, src, (nuint)sizeof(xxh64_state));
    }

    [Upstream("lib/xxhash.c", "xxh32_round", "bd1c759e83599a68")]
    internal static uint xxh32_round(uint seed, uint input)
    {
        seed += input * PRIME32_2;
        seed = xxh_rotl32(seed, 13);
        seed *= PRIME32_1;
        return seed;
    }

    [Upstream("lib/xxhash.c", "xxh32", "8c0bae7e4f102696")]
    public static uint xxh32(void* input, nuint len, uint seed)
    {
        byte* p = (byte*)input;
        byte* b_end = p + len;
        uint h32;

        if (len >= 16)
        {
            byte* limit = b_end - 16;
            uint v1 = seed + PRIME32_1 + PRIME32_2;
            uint v2 = seed + PRIME32_2;
            uint v3 = seed + 0;
            uint v4 = seed - PRIME32_1;

            do
            {
                v1 = xxh32_round(v1, get_unaligned_le32(p));
                p += 4;
                v2 = xxh32_round(v2, get_unaligned_le32(p));
                p += 4;
                v3 = xxh32_round(v3, get_unaligned_le32(p));
                p += 4;
                v4 = xxh32_round(v4, get_unaligned_le32(p));
                p += 4;
            } while (p <= limit);

            h32 = xxh_rotl32(v1, 1) + xxh_rotl32(v2, 7) +
                xxh_rotl32(v3, 12) + xxh_rotl32(v4, 18);
        }
        else
        {
            h32 = seed + PRIME32_5;
        }

        h32 += (uint)len;

        while (p + 4 <= b_end)
        {
            h32 += get_unaligned_le32(p) * PRIME32_3;
            h32 = xxh_rotl32(h32, 17) * PRIME32_4;
            p += 4;
        }

        while (p < b_end)
        {
            h32 += (*p) * PRIME32_5;
            h32 = xxh_rotl32(h32, 11) * PRIME32_1;
            p++;
        }

        h32 ^= h32 >> 15;
        h32 *= PRIME32_2;
        h32 ^= h32 >> 13;
        h32 *= PRIME32_3;
        h32 ^= h32 >> 16;

        return h32;
    }

    [Upstream("lib/xxhash.c", "xxh64_round", "8097daf4b223be44")]
    internal static ulong xxh64_round(ulong acc, ulong input)
    {
        acc += input * PRIME64_2;
        acc = xxh_rotl64(acc, 31);
        acc *= PRIME64_1;
        return acc;
    }

    [Upstream("lib/xxhash.c", "xxh64_merge_round", "c50b727cd4b62c83")]
    internal static ulong xxh64_merge_round(ulong acc, ulong val)
    {
        val = xxh64_round(0, val);
        acc ^= val;
        acc = acc * PRIME64_1 + PRIME64_4;
        return acc;
    }

    [Upstream("lib/xxhash.c", "xxh64", "304aec7a9058e7ed")]
    public static ulong xxh64(void* input, nuint len, ulong seed)
    {
        byte* p = (byte*)input;
        byte* b_end = p + len;
        ulong h64;

        if (len >= 32)
        {
            byte* limit = b_end - 32;
            ulong v1 = seed + PRIME64_1 + PRIME64_2;
            ulong v2 = seed + PRIME64_2;
            ulong v3 = seed + 0;
            ulong v4 = seed - PRIME64_1;

            do
            {
                v1 = xxh64_round(v1, get_unaligned_le64(p));
                p += 8;
                v2 = xxh64_round(v2, get_unaligned_le64(p));
                p += 8;
                v3 = xxh64_round(v3, get_unaligned_le64(p));
                p += 8;
                v4 = xxh64_round(v4, get_unaligned_le64(p));
                p += 8;
            } while (p <= limit);

            h64 = xxh_rotl64(v1, 1) + xxh_rotl64(v2, 7) +
                xxh_rotl64(v3, 12) + xxh_rotl64(v4, 18);
            h64 = xxh64_merge_round(h64, v1);
            h64 = xxh64_merge_round(h64, v2);
            h64 = xxh64_merge_round(h64, v3);
            h64 = xxh64_merge_round(h64, v4);
        }
        else
        {
            h64 = seed + PRIME64_5;
        }

        h64 += (ulong)len;

        while (p + 8 <= b_end)
        {
            ulong k1 = xxh64_round(0, get_unaligned_le64(p));

            h64 ^= k1;
            h64 = xxh_rotl64(h64, 27) * PRIME64_1 + PRIME64_4;
            p += 8;
        }

        if (p + 4 <= b_end)
        {
            h64 ^= (ulong)(get_unaligned_le32(p)) * PRIME64_1;
            h64 = xxh_rotl64(h64, 23) * PRIME64_2 + PRIME64_3;
            p += 4;
        }

        while (p < b_end)
        {
            h64 ^= (*p) * PRIME64_5;
            h64 = xxh_rotl64(h64, 11) * PRIME64_1;
            p++;
        }

        h64 ^= h64 >> 33;
        h64 *= PRIME64_2;
        h64 ^= h64 >> 29;
        h64 *= PRIME64_3;
        h64 ^= h64 >> 32;

        return h64;
    }

    [Upstream("lib/xxhash.c", "xxh32_reset", "97073a59e959a019")]
    public static void xxh32_reset(xxh32_state* statePtr, uint seed)
    {
        // Built in a local and copied out, as upstream does.
        xxh32_state state;

        memset(&state, 0, (nuint)sizeof(xxh32_state));
        state.v1 = seed + PRIME32_1 + PRIME32_2;
        state.v2 = seed + PRIME32_2;
        state.v3 = seed + 0;
        state.v4 = seed - PRIME32_1;
        memcpy(statePtr, &state, (nuint)sizeof(xxh32_state));
    }

    [Upstream("lib/xxhash.c", "xxh64_reset", "0c56a51242ac0a17")]
    public static void xxh64_reset(xxh64_state* statePtr, ulong seed)
    {
        xxh64_state state;

        memset(&state, 0, (nuint)sizeof(xxh64_state));
        state.v1 = seed + PRIME64_1 + PRIME64_2;
        state.v2 = seed + PRIME64_2;
        state.v3 = seed + 0;
        state.v4 = seed - PRIME64_1;
        memcpy(statePtr, &state, (nuint)sizeof(xxh64_state));
    }

    [Upstream("lib/xxhash.c", "xxh32_update", "6f40bd91f71cb460")]
    public static int xxh32_update(xxh32_state* state, void* input, nuint len)
    {
        byte* p = (byte*)input;
        byte* b_end = p + len;

        if (input == null)
            return -EINVAL;

        state->total_len_32 += (uint)len;
        state->large_len |= (uint)((len >= 16 ? 1 : 0) | (state->total_len_32 >= 16 ? 1 : 0));

        if (state->memsize + len < 16)
        { // still short of one stripe: buffer it
            memcpy((byte*)(state->mem32) + state->memsize, input, len);
            state->memsize += (uint)len;
            return 0;
        }

        if (state->memsize != 0)
        { // complete the buffered stripe first
            uint* p32 = state->mem32;

            memcpy((byte*)(state->mem32) + state->memsize, input,
                16 - state->memsize);

            state->v1 = xxh32_round(state->v1, get_unaligned_le32(p32));
            p32++;
            state->v2 = xxh32_round(state->v2, get_unaligned_le32(p32));
            p32++;
            state->v3 = xxh32_round(state->v3, get_unaligned_le32(p32));
            p32++;
            state->v4 = xxh32_round(state->v4, get_unaligned_le32(p32));
            p32++;

            p += 16 - state->memsize;
            state->memsize = 0;
        }

        if (p <= b_end - 16)
        {
            byte* limit = b_end - 16;
            uint v1 = state->v1;
            uint v2 = state->v2;
            uint v3 = state->v3;
            uint v4 = state->v4;

            do
            {
                v1 = xxh32_round(v1, get_unaligned_le32(p));
                p += 4;
                v2 = xxh32_round(v2, get_unaligned_le32(p));
                p += 4;
                v3 = xxh32_round(v3, get_unaligned_le32(p));
                p += 4;
                v4 = xxh32_round(v4, get_unaligned_le32(p));
                p += 4;
            } while (p <= limit);

            state->v1 = v1;
            state->v2 = v2;
            state->v3 = v3;
            state->v4 = v4;
        }

        if (p < b_end)
        {
            memcpy(state->mem32, p, (nuint)(b_end - p));
            state->memsize = (uint)(b_end - p);
        }

        return 0;
    }

    [Upstream("lib/xxhash.c", "xxh32_digest", "b17596dba23bf4ec")]
    public static uint xxh32_digest(xxh32_state* state)
    {
        byte* p = (byte*)state->mem32;
        byte* b_end = (byte*)(state->mem32) +
            state->memsize;
        uint h32;

        if (state->large_len != 0)
        {
            h32 = xxh_rotl32(state->v1, 1) + xxh_rotl32(state->v2, 7) +
                xxh_rotl32(state->v3, 12) + xxh_rotl32(state->v4, 18);
        }
        else
        {
            h32 = state->v3 /* the seed */ + PRIME32_5;
        }

        h32 += state->total_len_32;

        while (p + 4 <= b_end)
        {
            h32 += get_unaligned_le32(p) * PRIME32_3;
            h32 = xxh_rotl32(h32, 17) * PRIME32_4;
            p += 4;
        }

        while (p < b_end)
        {
            h32 += (*p) * PRIME32_5;
            h32 = xxh_rotl32(h32, 11) * PRIME32_1;
            p++;
        }

        h32 ^= h32 >> 15;
        h32 *= PRIME32_2;
        h32 ^= h32 >> 13;
        h32 *= PRIME32_3;
        h32 ^= h32 >> 16;

        return h32;
    }

    [Upstream("lib/xxhash.c", "xxh64_update", "9c28e1d28461243a")]
    public static int xxh64_update(xxh64_state* state, void* input, nuint len)
    {
        byte* p = (byte*)input;
        byte* b_end = p + len;

        if (input == null)
            return -EINVAL;

        state->total_len += len;

        if (state->memsize + len < 32)
        { // still short of one stripe: buffer it
            memcpy(((byte*)state->mem64) + state->memsize, input, len);
            state->memsize += (uint)len;
            return 0;
        }

        if (state->memsize != 0)
        { // complete the buffered stripe first
            ulong* p64 = state->mem64;

            memcpy(((byte*)p64) + state->memsize, input,
                32 - state->memsize);

            state->v1 = xxh64_round(state->v1, get_unaligned_le64(p64));
            p64++;
            state->v2 = xxh64_round(state->v2, get_unaligned_le64(p64));
            p64++;
            state->v3 = xxh64_round(state->v3, get_unaligned_le64(p64));
            p64++;
            state->v4 = xxh64_round(state->v4, get_unaligned_le64(p64));

            p += 32 - state->memsize;
            state->memsize = 0;
        }

        if (p + 32 <= b_end)
        {
            byte* limit = b_end - 32;
            ulong v1 = state->v1;
            ulong v2 = state->v2;
            ulong v3 = state->v3;
            ulong v4 = state->v4;

            do
            {
                v1 = xxh64_round(v1, get_unaligned_le64(p));
                p += 8;
                v2 = xxh64_round(v2, get_unaligned_le64(p));
                p += 8;
                v3 = xxh64_round(v3, get_unaligned_le64(p));
                p += 8;
                v4 = xxh64_round(v4, get_unaligned_le64(p));
                p += 8;
            } while (p <= limit);

            state->v1 = v1;
            state->v2 = v2;
            state->v3 = v3;
            state->v4 = v4;
        }

        if (p < b_end)
        {
            memcpy(state->mem64, p, (nuint)(b_end - p));
            state->memsize = (uint)(b_end - p);
        }

        return 0;
    }

    [Upstream("lib/xxhash.c", "xxh64_digest", "f859ad9a20fd749d")]
    public static ulong xxh64_digest(xxh64_state* state)
    {
        byte* p = (byte*)state->mem64;
        byte* b_end = (byte*)state->mem64 +
            state->memsize;
        ulong h64;

        if (state->total_len >= 32)
        {
            ulong v1 = state->v1;
            ulong v2 = state->v2;
            ulong v3 = state->v3;
            ulong v4 = state->v4;

            h64 = xxh_rotl64(v1, 1) + xxh_rotl64(v2, 7) +
                xxh_rotl64(v3, 12) + xxh_rotl64(v4, 18);
            h64 = xxh64_merge_round(h64, v1);
            h64 = xxh64_merge_round(h64, v2);
            h64 = xxh64_merge_round(h64, v3);
            h64 = xxh64_merge_round(h64, v4);
        }
        else
        {
            h64 = state->v3 + PRIME64_5;
        }

        h64 += (ulong)state->total_len;

        while (p + 8 <= b_end)
        {
            ulong k1 = xxh64_round(0, get_unaligned_le64(p));

            h64 ^= k1;
            h64 = xxh_rotl64(h64, 27) * PRIME64_1 + PRIME64_4;
            p += 8;
        }

        if (p + 4 <= b_end)
        {
            h64 ^= (ulong)(get_unaligned_le32(p)) * PRIME64_1;
            h64 = xxh_rotl64(h64, 23) * PRIME64_2 + PRIME64_3;
            p += 4;
        }

        while (p < b_end)
        {
            h64 ^= (*p) * PRIME64_5;
            h64 = xxh_rotl64(h64, 11) * PRIME64_1;
            p++;
        }

        h64 ^= h64 >> 33;
        h64 *= PRIME64_2;
        h64 ^= h64 >> 29;
        h64 *= PRIME64_3;
        h64 ^= h64 >> 32;

        return h64;
    }
}
