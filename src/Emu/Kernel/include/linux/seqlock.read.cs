// SPDX-License-Identifier: GPL-2.0-only
// include/linux/seqlock.h: the seqcount_t reader side GUP-fast uses on mm->write_protect_seq.
// No KCSAN: the kcsan_atomic_next() hints have no counterpart.
using System.Threading;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/seqlock.h", "raw_read_seqcount", UpstreamAttribute.Macro)]
    internal static uint raw_read_seqcount(seqcount* s) => Volatile.Read(ref s->sequence);

    [Upstream("include/linux/seqlock.h", "do___read_seqcount_retry", "574a5c597287c366")]
    internal static int do___read_seqcount_retry(seqcount* s, uint start)
        => Volatile.Read(ref s->sequence) != start ? 1 : 0;

    [Upstream("include/linux/seqlock.h", "do_read_seqcount_retry", "023b0a7f97f72f6a")]
    internal static int do_read_seqcount_retry(seqcount* s, uint start)
    {
        Interlocked.MemoryBarrier(); // smp_rmb()
        return do___read_seqcount_retry(s, start);
    }

    [Upstream("include/linux/seqlock.h", "read_seqcount_retry", UpstreamAttribute.Macro)]
    internal static bool read_seqcount_retry(seqcount* s, uint start) => do_read_seqcount_retry(s, start) != 0;
}
