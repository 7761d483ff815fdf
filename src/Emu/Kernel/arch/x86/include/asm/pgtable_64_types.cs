// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 arch/x86/include/asm/pgtable_64_types.h. CONFIG_X86_5LEVEL is
// set, so the top level's shift and the p4d fan-out are variables (defined in
// arch/x86/kernel/head64.c): without LA57 they keep their initial 39 and 1, every p4d_offset() is
// the pgd entry itself and the machine walks 4 levels, as a Debian kernel does on such a CPU.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // arch/x86/kernel/head64.c; check_la57_support() would set 1, 48 and 512.
    internal uint __pgtable_l5_enabled;
    internal uint pgdir_shift = 39;
    internal uint ptrs_per_p4d = 1;

    [Upstream("arch/x86/include/asm/pgtable_64_types.h", "pgtable_l5_enabled", UpstreamAttribute.Macro)]
    internal bool pgtable_l5_enabled() => cpu_feature_enabled(KernelConstants.X86_FEATURE_LA57);

    [Upstream("arch/x86/include/asm/pgtable_64_types.h", "PGDIR_SHIFT", UpstreamAttribute.Macro)]
    internal uint PGDIR_SHIFT => pgdir_shift;

    [Upstream("arch/x86/include/asm/pgtable_64_types.h", "PTRS_PER_P4D", UpstreamAttribute.Macro)]
    internal uint PTRS_PER_P4D => ptrs_per_p4d;

    [Upstream("arch/x86/include/asm/pgtable_64_types.h", "PGDIR_SIZE", UpstreamAttribute.Macro)]
    internal ulong PGDIR_SIZE => 1UL << (int)PGDIR_SHIFT;

    [Upstream("arch/x86/include/asm/pgtable_64_types.h", "PGDIR_MASK", UpstreamAttribute.Macro)]
    internal ulong PGDIR_MASK => ~(PGDIR_SIZE - 1);
}
