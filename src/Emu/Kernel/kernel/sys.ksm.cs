// SPDX-License-Identifier: GPL-2.0-only
// Model (not line-by-line) of Linux 6.12.117 kernel/sys.c: the PR_SET_MEMORY_MERGE and
// PR_GET_MEMORY_MERGE cases of the prctl(2) switch (in upstream they are case labels of
// SYSCALL_DEFINE5(prctl), so they carry no marker of their own). `me->mm` is current_mm.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    internal const int PR_SET_MEMORY_MERGE = 67;
    internal const int PR_GET_MEMORY_MERGE = 68;

    // prctl(PR_SET_MEMORY_MERGE / PR_GET_MEMORY_MERGE, arg2, arg3, arg4, arg5)
    internal long prctl_memory_merge(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5)
    {
        mm_struct* mm = current_mm;
        long error;

        switch (option)
        {
            case PR_SET_MEMORY_MERGE:
                if (arg3 != 0 || arg4 != 0 || arg5 != 0)
                    return -EINVAL;
                if (mmap_write_lock_killable(mm) != 0)
                    return -EINTR;
                if (arg2 != 0)
                    error = ksm_enable_merge_any(mm);
                else
                    error = ksm_disable_merge_any(mm);
                mmap_write_unlock(mm);
                return error;
            case PR_GET_MEMORY_MERGE:
                if (arg2 != 0 || arg3 != 0 || arg4 != 0 || arg5 != 0)
                    return -EINVAL;
                return test_bit(MMF_VM_MERGE_ANY, &mm->flags) ? 1 : 0;
            default:
                return -EINVAL;
        }
    }
}
