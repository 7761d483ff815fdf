// SPDX-License-Identifier: GPL-2.0-only
// include/linux/kernel.h: might_sleep as with CONFIG_DEBUG_ATOMIC_SLEEP (Debian has it off; Emu
// checks). Emu has no scheduler, so might_resched() does nothing.
using System.Runtime.CompilerServices;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/kernel.h", "might_sleep", UpstreamAttribute.Macro)]
    internal void might_sleep([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        __might_sleep(file, line);

    // kernel/sched/core.c __might_sleep/__might_resched, reduced: Emu has no preempt_count, so
    // the context is atomic exactly when this thread holds a spinlock. Upstream prints and goes
    // on; Emu records the report as a WARN.
    internal void __might_sleep(string file, int line)
    {
        var curr = lockdep_current;
        var spinlock = lockdep_innermost_spinlock(curr);
        if (spinlock is null)
            return;
        var where = $"{System.IO.Path.GetFileName(file)}:{line}";
        pr_err($"BUG: sleeping function called from invalid context at {where}");
        pr_err($"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: {curr.Pid}, name: {curr.Comm}");
        foreach (var l in lockdep_print_held_locks(curr).Split('\n'))
            pr_err(l);
        WARN(true, $"sleeping function called from invalid context at {where} with spinlock {spinlock.Name} held",
            "in_atomic()", file, line);
    }
}
