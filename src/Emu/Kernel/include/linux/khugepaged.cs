// SPDX-License-Identifier: GPL-2.0-only
// Stub of khugepaged (include/linux/khugepaged.h): Emu has no THP collapse, so an mm never gets
// MMF_VM_HUGEPAGE; the hooks throw if one somehow did.
using System;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    internal static void khugepaged_fork(mm_struct* mm, mm_struct* oldmm)
    {
        if (test_bit(MMF_VM_HUGEPAGE, &oldmm->flags))
            throw new NotSupportedException("Emu has no khugepaged: __khugepaged_enter");
    }

    internal static void khugepaged_exit(mm_struct* mm)
    {
        if (test_bit(MMF_VM_HUGEPAGE, &mm->flags))
            throw new NotSupportedException("Emu has no khugepaged: __khugepaged_exit");
    }
}
