// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 arch/x86/include/asm/pgtable-invert.h (the L1TF mitigation):
// a non-present, non-zero entry (PROT_NONE or swap) stores its pfn bits inverted, so a speculative
// walk of it points at no real memory; pte_pfn() and friends undo the inversion.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("arch/x86/include/asm/pgtable-invert.h", "__pte_needs_invert", "e4c844ba3bb8b52d")]
    internal static bool __pte_needs_invert(ulong val)
    {
        return val != 0 && (val & KernelConstants._PAGE_PRESENT) == 0;
    }

    [Upstream("arch/x86/include/asm/pgtable-invert.h", "protnone_mask", "5c2a72bf25962bb8")]
    internal static ulong protnone_mask(ulong val)
    {
        return __pte_needs_invert(val) ? ~0UL : 0;
    }

    [Upstream("arch/x86/include/asm/pgtable-invert.h", "flip_protnone_guard", "a32377c5f6484fbb")]
    internal static ulong flip_protnone_guard(ulong oldval, ulong val, ulong mask)
    {
        // Crossing between present and PROT_NONE flips the stored pfn.
        if (__pte_needs_invert(oldval) != __pte_needs_invert(val))
            val = (val & ~mask) | (~val & mask);
        return val;
    }
}
