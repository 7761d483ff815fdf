// SPDX-License-Identifier: GPL-2.0-only
// include/asm-generic/barrier.h with x86's __smp_mb (arch/x86/include/asm/barrier.h): a full
// fence; x86's locked RMW atomics already are one, so smp_mb__after_atomic is a compiler barrier.
using System.Threading;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/asm-generic/barrier.h", "smp_mb", UpstreamAttribute.Macro)]
    internal static void smp_mb() => Interlocked.MemoryBarrier();

    [Upstream("include/asm-generic/barrier.h", "smp_mb__after_atomic", UpstreamAttribute.Macro)]
    internal static void smp_mb__after_atomic() { }
}
