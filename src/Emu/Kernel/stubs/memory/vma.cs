// SPDX-License-Identifier: GPL-2.0-only
// Stubs for the vma area (maple tree model, vma iterator, vm_area_dup, exit_mmap ...) until it lands
// on main; exact upstream signatures. Trivial bodies only where they are what upstream does.
using System;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // stub(vma): without CONFIG_LOCKDEP the macro does nothing.
    internal static void mt_set_external_lock(maple_tree* mt, rw_semaphore* @lock)
    {
    }

    // stub(vma)
    internal int expand_stack_locked(vm_area_struct* vma, ulong address) =>
        throw new NotImplementedException("stub(vma): expand_stack_locked");

}
