// SPDX-License-Identifier: GPL-2.0-only
// Stubs (ksm helper) for the vma area's functions until it lands on main.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // stub(vma): no DAX in Emu
    internal static bool vma_is_dax(vm_area_struct* vma) => false;
}
