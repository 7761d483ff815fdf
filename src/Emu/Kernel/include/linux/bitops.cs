using System.Threading;

namespace Emu.Kernel;

// include/linux/bitops.h over include/asm-generic/bitops/instrumented-{atomic,non-atomic}.h:
// bit nr of an unsigned long array. The atomic ones are locked RMWs (Interlocked), as on x86.
public unsafe partial class Kernel
{
    private static ulong BIT_MASK(long nr) => 1UL << (int)(nr & 63);

    private static ref ulong BIT_WORD(long nr, ulong* addr) => ref addr[nr >> 6];

    [Upstream("include/linux/bitops.h", "test_bit", UpstreamAttribute.Macro)]
    internal static bool test_bit(long nr, ulong* addr) => (Volatile.Read(ref BIT_WORD(nr, addr)) & BIT_MASK(nr)) != 0;

    [Upstream("include/linux/bitops.h", "__set_bit", UpstreamAttribute.Macro)]
    internal static void __set_bit(long nr, ulong* addr) => BIT_WORD(nr, addr) |= BIT_MASK(nr);

    [Upstream("include/linux/bitops.h", "__clear_bit", UpstreamAttribute.Macro)]
    internal static void __clear_bit(long nr, ulong* addr) => BIT_WORD(nr, addr) &= ~BIT_MASK(nr);

    [Upstream("include/asm-generic/bitops/instrumented-atomic.h", "set_bit", "2042227156fb12fc")]
    internal static void set_bit(long nr, ulong* addr) => Interlocked.Or(ref BIT_WORD(nr, addr), BIT_MASK(nr));

    [Upstream("include/asm-generic/bitops/instrumented-atomic.h", "clear_bit", "6887cd67b5a1a661")]
    internal static void clear_bit(long nr, ulong* addr) => Interlocked.And(ref BIT_WORD(nr, addr), ~BIT_MASK(nr));

    [Upstream("include/asm-generic/bitops/instrumented-atomic.h", "test_and_set_bit", "0d6025f5cb8d8c5b")]
    internal static bool test_and_set_bit(long nr, ulong* addr) =>
        (Interlocked.Or(ref BIT_WORD(nr, addr), BIT_MASK(nr)) & BIT_MASK(nr)) != 0;

    [Upstream("include/asm-generic/bitops/instrumented-atomic.h", "test_and_clear_bit", "ed806d0f8dcd5d4b")]
    internal static bool test_and_clear_bit(long nr, ulong* addr) =>
        (Interlocked.And(ref BIT_WORD(nr, addr), ~BIT_MASK(nr)) & BIT_MASK(nr)) != 0;
}
