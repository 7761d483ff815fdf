// SPDX-License-Identifier: GPL-2.0-only
// Stubs: the VMA lookups mm/gup.c calls (include/linux/mm.vma.cs, mm/mmap.c) until the vma area
// lands on main. Exact upstream signatures; removed when the owner's versions are merged.
using System;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{


    // stub(vma): include/linux/mm.h, trivial body.
    internal static bool PAGE_ALIGNED(ulong addr) => (addr & (KernelConstants.PAGE_SIZE - 1)) == 0;
}
