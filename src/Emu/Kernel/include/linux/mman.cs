// SPDX-License-Identifier: GPL-2.0-only
// include/linux/mman.h: commit accounting. vm_committed_as is a percpu_counter upstream; Emu
// keeps its value in one field (there is one CPU's worth of batching to model: none).
namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    /// <summary>mm/util.c's vm_committed_as, in pages.</summary>
    internal long vm_committed_as;

    [Upstream("include/linux/mman.h", "vm_acct_memory", "2fce02cc128582be")]
    internal void vm_acct_memory(long pages)
    {
        System.Threading.Interlocked.Add(ref vm_committed_as, pages);
    }

    [Upstream("include/linux/mman.h", "vm_unacct_memory", "3a157be7fdc4ad49")]
    internal void vm_unacct_memory(long pages)
    {
        vm_acct_memory(-pages);
    }
}
