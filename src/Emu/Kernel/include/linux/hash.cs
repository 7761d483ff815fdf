// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/linux/hash.h, as configured for x86_64:
// BITS_PER_LONG == 64 and no CONFIG_HAVE_ARCH_HASH (arch/x86 has no asm/hash.h), so the
// generic multiplicative hashes are the ones used.

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/hash.h", "GOLDEN_RATIO_32", UpstreamAttribute.Macro)]
    public const uint GOLDEN_RATIO_32 = 0x61C88647;

    [Upstream("include/linux/hash.h", "GOLDEN_RATIO_64", UpstreamAttribute.Macro)]
    public const ulong GOLDEN_RATIO_64 = 0x61C8864680B583EBUL;

    // BITS_PER_LONG == 64 branch.
    [Upstream("include/linux/hash.h", "GOLDEN_RATIO_PRIME", UpstreamAttribute.Macro)]
    public const ulong GOLDEN_RATIO_PRIME = GOLDEN_RATIO_64;

    [Upstream("include/linux/hash.h", "__hash_32_generic", "4df6bc665b31b0c1")]
    public static uint __hash_32_generic(uint val)
    {
        return val * GOLDEN_RATIO_32;
    }

    // No HAVE_ARCH__HASH_32 on x86: the generic one.
    [Upstream("include/linux/hash.h", "__hash_32", UpstreamAttribute.Macro)]
    public static uint __hash_32(uint val) => __hash_32_generic(val);

    [Upstream("include/linux/hash.h", "hash_32", "3dd79a2f0e2bc152")]
    public static uint hash_32(uint val, uint bits)
    {
        // Keep the high bits: they mix best.
        return __hash_32(val) >> (int)(32 - bits);
    }

    [Upstream("include/linux/hash.h", "hash_64_generic", "da6c846c3ba05c4a")]
    public static uint hash_64_generic(ulong val, uint bits)
    {
        // BITS_PER_LONG == 64: one 64x64 multiply, top bits, truncated to u32 as the return type does.
        return (uint)(val * GOLDEN_RATIO_64 >> (int)(64 - bits));
    }

    // No HAVE_ARCH_HASH_64 on x86: the generic one.
    [Upstream("include/linux/hash.h", "hash_64", UpstreamAttribute.Macro)]
    public static uint hash_64(ulong val, uint bits) => hash_64_generic(val, bits);

    // BITS_PER_LONG == 64 branch.
    [Upstream("include/linux/hash.h", "hash_long", UpstreamAttribute.Macro)]
    public static uint hash_long(ulong val, uint bits) => hash_64(val, bits);

    [Upstream("include/linux/hash.h", "hash_ptr", "aee463162264cc2d")]
    public static uint hash_ptr(void* ptr, uint bits)
    {
        return hash_long((ulong)ptr, bits);
    }

    [Upstream("include/linux/hash.h", "hash32_ptr", "583655873c2d39e7")]
    public static uint hash32_ptr(void* ptr)
    {
        ulong val = (ulong)ptr;

        val ^= (val >> 32);
        return (uint)val;
    }
}
