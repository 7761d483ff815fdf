// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/linux/sched/mm.h: the two mm reference counts
// (mm_count pins the struct, mm_users the address space) and include/linux/sched/coredump.h's
// mmf_init_flags.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/sched/mm.h", "mmgrab", "b7e7503c699dc819")]
    internal static void mmgrab(mm_struct* mm)
    {
        atomic_inc(&mm->mm_count);
    }

    [Upstream("include/linux/sched/mm.h", "mmdrop", "1db609c95b014391")]
    internal void mmdrop(mm_struct* mm)
    {
        if (atomic_dec_and_test(&mm->mm_count))
            __mmdrop(mm);
    }

    [Upstream("include/linux/sched/mm.h", "mmget", "781eccc0024da974")]
    internal static void mmget(mm_struct* mm)
    {
        atomic_inc(&mm->mm_users);
    }

    [Upstream("include/linux/sched/mm.h", "mmget_not_zero", "1d8fb69d1d64e733")]
    internal static bool mmget_not_zero(mm_struct* mm)
    {
        return atomic_inc_not_zero(&mm->mm_users);
    }

    [Upstream("include/linux/sched/coredump.h", "mmf_init_flags", "f85e719a6769aad4")]
    internal static ulong mmf_init_flags(ulong flags)
    {
        if ((flags & (1UL << MMF_HAS_MDWE_NO_INHERIT)) != 0)
            flags &= ~((1UL << MMF_HAS_MDWE) |
                       (1UL << MMF_HAS_MDWE_NO_INHERIT));
        // MMF_INIT_MASK is a negative int (bit 31 set): it sign-extends, as in C.
        return flags & unchecked((ulong)(long)MMF_INIT_MASK);
    }
}
