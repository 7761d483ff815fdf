// SPDX-License-Identifier: GPL-2.0-only
// include/linux/seqlock.h: the seqcount_t writer primitives that mmap_lock.h uses for
// mm->mm_lock_seq (CONFIG_PER_VMA_LOCK). Seqcounts are not locks to Emu's lockdep: without
// CONFIG_DEBUG_LOCK_ALLOC seqcount_init passes no name or key, and so does Emu.
using System.Threading;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/seqlock.h", "__seqcount_init", "1b1fd4e7e213ec3d")]
    internal static void __seqcount_init(seqcount* s, string? name, LockClassKey? key)
    {
        // lockdep_init_map(&s->dep_map, name, key, 0): no dep_map in the Debian layout.
        s->sequence = 0;
    }

    [Upstream("include/linux/seqlock.h", "seqcount_init", UpstreamAttribute.Macro)]
    internal static void seqcount_init(seqcount* s) => __seqcount_init(s, null, null);

    [Upstream("include/linux/seqlock.h", "do_raw_write_seqcount_begin", "15df6551c4dda719")]
    internal static void do_raw_write_seqcount_begin(seqcount* s)
    {
        // kcsan_nestable_atomic_begin(): no KCSAN.
        s->sequence++;
        Interlocked.MemoryBarrier(); // smp_wmb()
    }

    [Upstream("include/linux/seqlock.h", "do_raw_write_seqcount_end", "59a2a242b7d877d8")]
    internal static void do_raw_write_seqcount_end(seqcount* s)
    {
        Interlocked.MemoryBarrier(); // smp_wmb()
        s->sequence++;
        // kcsan_nestable_atomic_end()
    }
}
