// SPDX-License-Identifier: GPL-2.0-only
// include/linux/mman.h: commit accounting. vm_committed_as is a percpu_counter upstream; Emu
// keeps its value in one field (there is one CPU's worth of batching to model: none).
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>mm/util.c's vm_committed_as, in pages.</summary>
    internal long vm_committed_as;

    [Upstream("include/linux/mman.h", "vm_acct_memory", "2fce02cc128582be")]
    internal void vm_acct_memory(long pages)
    {
        System.Threading.Interlocked.Add(ref vm_committed_as, pages);
    }

    [Upstream("include/linux/mman.h", "vm_unacct_memory", "3a157be7fdc4ad49")]
    internal void vm_unacct_memory(long pages)
    {
        vm_acct_memory(-pages);
    }

    [Upstream("include/linux/mman.h", "_calc_vm_trans", UpstreamAttribute.Macro)]
    internal static ulong _calc_vm_trans(ulong x, ulong bit1, ulong bit2)
        => (bit1 == 0 || bit2 == 0) ? 0 :
            (bit1 <= bit2 ? (x & bit1) * (bit2 / bit1)
            : (x & bit1) / (bit1 / bit2));

    /// <summary>x86's arch_calc_vm_prot_bits puts the pkey in VM_PKEY_BIT0..3.</summary>
    [Upstream("arch/x86/include/asm/mman.h", "arch_calc_vm_prot_bits", UpstreamAttribute.Macro)]
    internal static ulong arch_calc_vm_prot_bits(ulong prot, ulong key)
        => ((key & 0x1) != 0 ? VM_PKEY_BIT0 : 0) |
           ((key & 0x2) != 0 ? VM_PKEY_BIT1 : 0) |
           ((key & 0x4) != 0 ? VM_PKEY_BIT2 : 0) |
           ((key & 0x8) != 0 ? VM_PKEY_BIT3 : 0);

    [Upstream("include/linux/mman.h", "calc_vm_prot_bits", "dafaa22cedd1e5b4")]
    internal static ulong calc_vm_prot_bits(ulong prot, ulong pkey)
    {
        return _calc_vm_trans(prot, PROT_READ, VM_READ) |
            _calc_vm_trans(prot, PROT_WRITE, VM_WRITE) |
            _calc_vm_trans(prot, PROT_EXEC, VM_EXEC) |
            arch_calc_vm_prot_bits(prot, pkey);
    }

    [Upstream("include/linux/mman.h", "calc_vm_flag_bits", "802ea4c60c77945d")]
    internal static ulong calc_vm_flag_bits(void* file, ulong flags)
    {
        // CONFIG_TRANSPARENT_HUGEPAGE: MAP_STACK asks for no THP; x86 adds no arch bits.
        return _calc_vm_trans(flags, MAP_GROWSDOWN, VM_GROWSDOWN) |
            _calc_vm_trans(flags, MAP_LOCKED, VM_LOCKED) |
            _calc_vm_trans(flags, MAP_SYNC, VM_SYNC) |
            _calc_vm_trans(flags, MAP_STACK, VM_NOHUGEPAGE) |
            0;
    }

    [Upstream("include/linux/mman.h", "arch_validate_flags", "b48df3a0d50249a5")]
    internal static bool arch_validate_flags(ulong flags)
    {
        return true;
    }

    [Upstream("include/linux/mman.h", "map_deny_write_exec", "4c79e074c9b893bc")]
    internal bool map_deny_write_exec(ulong old, ulong @new)
    {
        if (!test_bit(MMF_HAS_MDWE, &current_mm->flags))
            return false;

        if ((@new & VM_EXEC) == 0)
            return false;

        // A writable executable VMA is never allowed under MDWE...
        if ((@new & VM_WRITE) != 0)
            return true;

        // ...nor making an existing mapping executable.
        if ((old & VM_EXEC) == 0)
            return true;

        return false;
    }

    /// <summary>mm/mmap.c default: x86 defines no arch_mmap_check.</summary>
    [Upstream("mm/mmap.c", "arch_mmap_check", UpstreamAttribute.Macro)]
    internal static ulong arch_mmap_check(ulong addr, ulong len, ulong flags) => 0;
}
