// Stubs for the rmap area's functions that mm/vma.c calls; deleted when it lands.
using System;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
}
