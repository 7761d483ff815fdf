// SPDX-License-Identifier: GPL-2.0-only
// include/linux/sched.h: Emu's kernel code runs on the caller's thread and is never preempted
// by another task of its own, so yielding the CPU is a no-op.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/sched.h", "cond_resched", UpstreamAttribute.Macro)]
    internal static void cond_resched() { }
}
