// SPDX-License-Identifier: GPL-2.0-only
// Stub(vma): mm/vma.c's find_mergeable_anon_vma, until the vma area lands on main.
namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(vma): no VMA store yet, so no neighbour to share an anon_vma with; null is what
    // upstream returns for a vma whose neighbours cannot share.
    internal anon_vma* find_mergeable_anon_vma(vm_area_struct* vma) => null;
}

public sealed unsafe partial class Kernel
{
    // stub(vma): include/linux/mm.h vma_is_anonymous.
    internal static bool vma_is_anonymous(vm_area_struct* vma) => vma->vm_ops == null;
}
