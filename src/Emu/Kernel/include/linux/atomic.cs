using System.Threading;

namespace Emu.Kernel;

// include/linux/atomic/atomic-instrumented.h: the instrumentation hooks are empty (no KASAN/KCSAN).
public sealed unsafe partial class Kernel
{
    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_read", "35ba8d2acb6609b3")]
    internal static int atomic_read(atomic_t* v) => Volatile.Read(ref v->counter);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_set", "3d05762d017d572a")]
    internal static void atomic_set(atomic_t* v, int i) => Volatile.Write(ref v->counter, i);
}
