// SPDX-License-Identifier: GPL-2.0-only
// include/linux/atomic/atomic-instrumented.h: the _relaxed returns the rmap counters use. .NET
// interlocked operations are full barriers, stronger than relaxed.
using System.Threading;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_add_return_relaxed", "3cd9208509651717")]
    internal static int atomic_add_return_relaxed(int i, atomic_t* v) => Interlocked.Add(ref v->counter, i);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_sub_return_relaxed", "c8d053ed71e49fd3")]
    internal static int atomic_sub_return_relaxed(int i, atomic_t* v) => Interlocked.Add(ref v->counter, -i);
}
