// SPDX-License-Identifier: GPL-2.0-only
// include/asm-generic/bitops/instrumented-lock.h: bit locks (acquire/release; Interlocked is a full barrier).
using System.Threading;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/asm-generic/bitops/instrumented-lock.h", "test_and_set_bit_lock", "a14cce5134380137")]
    internal static bool test_and_set_bit_lock(long nr, ulong* addr) =>
        (Interlocked.Or(ref addr[nr >> 6], 1UL << (int)(nr & 63)) & (1UL << (int)(nr & 63))) != 0;

    [Upstream("include/asm-generic/bitops/instrumented-lock.h", "clear_bit_unlock", "09e32f2a7f038d4d")]
    internal static void clear_bit_unlock(long nr, ulong* addr) =>
        Interlocked.And(ref addr[nr >> 6], ~(1UL << (int)(nr & 63)));
}
