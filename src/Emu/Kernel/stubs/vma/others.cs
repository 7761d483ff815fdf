// Stubs for other areas' functions that mm/mmap.c and mm/util.c call; deleted when they land.
using System;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // stub(gup): MAP_POPULATE/VM_LOCKED population is mm/gup.c's __mm_populate.
    internal void mm_populate(ulong addr, ulong len) =>
        throw new NotImplementedException("mm_populate: the gup area has not landed");

}
