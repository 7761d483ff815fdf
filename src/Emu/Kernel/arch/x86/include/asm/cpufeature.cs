// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 arch/x86/include/asm/cpufeature.h: feature tests on the boot
// CPU's capability words (boot_cpu_data.x86_capability).
// The emulated CPU has PSE, PGE and NX; it has no LA57, so paging is 4-level and the p4d level is
// folded at run time, and no shadow stack, so pte_shstk() is always false. None of these bits is in
// DISABLED_MASK for the Debian config, so cpu_feature_enabled() is a plain capability test.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    internal readonly uint[] x86_capability = BootCpuCapabilities(X86_FEATURE_PSE, X86_FEATURE_PGE, X86_FEATURE_NX);

    private static uint[] BootCpuCapabilities(params int[] features)
    {
        var caps = new uint[NCAPINTS + NBUGINTS];
        foreach (var bit in features)
            caps[bit / 32] |= 1u << (bit % 32);
        return caps;
    }

    [Upstream("arch/x86/include/asm/cpufeature.h", "boot_cpu_has", UpstreamAttribute.Macro)]
    internal bool boot_cpu_has(int bit) => (x86_capability[bit / 32] & (1u << (bit % 32))) != 0;

    [Upstream("arch/x86/include/asm/cpufeature.h", "static_cpu_has", UpstreamAttribute.Macro)]
    internal bool static_cpu_has(int bit) => boot_cpu_has(bit);

    [Upstream("arch/x86/include/asm/cpufeature.h", "cpu_feature_enabled", UpstreamAttribute.Macro)]
    internal bool cpu_feature_enabled(int bit) => boot_cpu_has(bit);
}
