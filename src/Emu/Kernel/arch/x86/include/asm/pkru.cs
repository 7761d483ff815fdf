// SPDX-License-Identifier: GPL-2.0-only
// arch/x86/include/asm/pkru.h: the PKRU checks GUP-fast applies to a PTE's protection key.
// read_pkru is a model: Emu's CPU does not advertise OSPKE, so PKRU reads 0 (every key allowed).
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    private const uint PKRU_AD_BIT = 0x1u;
    private const uint PKRU_WD_BIT = 0x2u;
    private const int PKRU_BITS_PER_PKEY = 2;

    [Upstream("arch/x86/include/asm/pkru.h", "__pkru_allows_read", "685c86bce6aa53cc")]
    internal static bool __pkru_allows_read(uint pkru, ushort pkey)
    {
        int pkru_pkey_bits = pkey * PKRU_BITS_PER_PKEY;
        return (pkru & (PKRU_AD_BIT << pkru_pkey_bits)) == 0;
    }

    [Upstream("arch/x86/include/asm/pkru.h", "__pkru_allows_write", "46e91061b5e88ca0")]
    internal static bool __pkru_allows_write(uint pkru, ushort pkey)
    {
        int pkru_pkey_bits = pkey * PKRU_BITS_PER_PKEY;
        // An access-disabled key forbids writes as well: both bits count.
        return (pkru & ((PKRU_AD_BIT | PKRU_WD_BIT) << pkru_pkey_bits)) == 0;
    }

    // Model of read_pkru: without X86_FEATURE_OSPKE upstream returns 0, and Emu never enables it.
    internal static uint read_pkru() => 0;
}
