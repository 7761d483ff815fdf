// SPDX-License-Identifier: GPL-2.0-only
// arch/x86/include/asm/current.h, reduced to what mm needs: Emu has no task_struct, so `current`
// is represented by the running task's mm (current->mm), which the caller (the process API, a
// test) sets before entering the kernel on that task's behalf; null means a kernel thread.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>current->mm: the mm of the task the kernel is running for, or null.</summary>
    internal mm_struct* current_mm;
}
