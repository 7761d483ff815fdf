// SPDX-License-Identifier: GPL-2.0-only
// Stubs for the ksm area (include/linux/ksm.h) until it lands on main: exact upstream shape, the
// bodies do what ksm.h does for an mm that never enabled KSM.
using System;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(ksm)
    internal void ksm_fork(mm_struct* mm, mm_struct* oldmm)
    {
        if (test_bit(MMF_VM_MERGEABLE, &oldmm->flags))
            throw new NotImplementedException("stub(ksm): __ksm_enter");
    }

    // stub(ksm)
    internal void ksm_exit(mm_struct* mm)
    {
        if (test_bit(MMF_VM_MERGEABLE, &mm->flags))
            throw new NotImplementedException("stub(ksm): __ksm_exit");
    }
}
