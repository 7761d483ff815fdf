using System.Threading;

namespace Emu.Kernel;

// include/linux/atomic/atomic-instrumented.h: the instrumentation hooks are empty (no KASAN/KCSAN),
// so each wrapper is its raw_ operation. x86 atomics are full barriers, as Interlocked is.
// atomic_long_t is atomic64_t on 64-bit (include/linux/atomic/atomic-long.h).
public unsafe partial class Kernel
{
    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_read", "35ba8d2acb6609b3")]
    internal static int atomic_read(atomic_t* v) => Volatile.Read(ref v->counter);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_read_acquire", "cf5f4a09b9f1f6ec")]
    internal static int atomic_read_acquire(atomic_t* v) => Volatile.Read(ref v->counter);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_set", "3d05762d017d572a")]
    internal static void atomic_set(atomic_t* v, int i) => Volatile.Write(ref v->counter, i);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_set_release", "fb8c52b1574e75fd")]
    internal static void atomic_set_release(atomic_t* v, int i) => Volatile.Write(ref v->counter, i);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_add", "ca50fc0d0062a79d")]
    internal static void atomic_add(int i, atomic_t* v) => Interlocked.Add(ref v->counter, i);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_add_return", "d4731f4e87a32c44")]
    internal static int atomic_add_return(int i, atomic_t* v) => Interlocked.Add(ref v->counter, i);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_sub", "e3102f7ad2bead80")]
    internal static void atomic_sub(int i, atomic_t* v) => Interlocked.Add(ref v->counter, -i);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_sub_return", "c81298c265f55f1d")]
    internal static int atomic_sub_return(int i, atomic_t* v) => Interlocked.Add(ref v->counter, -i);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_inc", "3bec664cf2f63ad0")]
    internal static void atomic_inc(atomic_t* v) => Interlocked.Increment(ref v->counter);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_inc_return", "0f707844065b27be")]
    internal static int atomic_inc_return(atomic_t* v) => Interlocked.Increment(ref v->counter);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_inc_return_relaxed", "cf6567fd65f1ad56")]
    internal static int atomic_inc_return_relaxed(atomic_t* v) => Interlocked.Increment(ref v->counter);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_dec", "5c92a20fea0e8fe7")]
    internal static void atomic_dec(atomic_t* v) => Interlocked.Decrement(ref v->counter);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_dec_return", "569612c269496708")]
    internal static int atomic_dec_return(atomic_t* v) => Interlocked.Decrement(ref v->counter);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_sub_and_test", "d32eeea39db74cc9")]
    internal static bool atomic_sub_and_test(int i, atomic_t* v) => Interlocked.Add(ref v->counter, -i) == 0;

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_dec_and_test", "2f57ed8a42b5c9ea")]
    internal static bool atomic_dec_and_test(atomic_t* v) => Interlocked.Decrement(ref v->counter) == 0;

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_inc_and_test", "213846fb49cf8da9")]
    internal static bool atomic_inc_and_test(atomic_t* v) => Interlocked.Increment(ref v->counter) == 0;

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_add_negative", "916c85aed68bdef8")]
    internal static bool atomic_add_negative(int i, atomic_t* v) => Interlocked.Add(ref v->counter, i) < 0;

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_cmpxchg", "150ad5071ce5de7d")]
    internal static int atomic_cmpxchg(atomic_t* v, int old, int @new) => Interlocked.CompareExchange(ref v->counter, @new, old);

    /// <summary>On failure *old gets the value seen, as raw_atomic_try_cmpxchg does.</summary>
    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_try_cmpxchg", "15287a4cff9295ee")]
    internal static bool atomic_try_cmpxchg(atomic_t* v, int* old, int @new)
    {
        int seen = Interlocked.CompareExchange(ref v->counter, @new, *old);
        if (seen == *old)
            return true;
        *old = seen;
        return false;
    }

    /// <summary>raw_atomic_fetch_add_unless: add unless the value is u; returns the value before.</summary>
    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_fetch_add_unless", "7be7429d27c8d2cd")]
    internal static int atomic_fetch_add_unless(atomic_t* v, int a, int u)
    {
        int c = atomic_read(v);
        do
        {
            if (c == u)
                break;
        } while (!atomic_try_cmpxchg(v, &c, c + a));
        return c;
    }

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_add_unless", "4ceae0232614c5f0")]
    internal static bool atomic_add_unless(atomic_t* v, int a, int u) => atomic_fetch_add_unless(v, a, u) != u;

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_inc_not_zero", "034fb439cb5f1a90")]
    internal static bool atomic_inc_not_zero(atomic_t* v) => atomic_add_unless(v, 1, 0);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_long_read", "2e4a97a0b3202c8a")]
    internal static long atomic_long_read(atomic64_t* v) => Volatile.Read(ref v->counter);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_long_set", "0add97edc86427cf")]
    internal static void atomic_long_set(atomic64_t* v, long i) => Volatile.Write(ref v->counter, i);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_long_add", "bef4ea256084f964")]
    internal static void atomic_long_add(long i, atomic64_t* v) => Interlocked.Add(ref v->counter, i);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_long_sub", "84c6fcd328ad71fb")]
    internal static void atomic_long_sub(long i, atomic64_t* v) => Interlocked.Add(ref v->counter, -i);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_long_inc", "772249cdbb5021cf")]
    internal static void atomic_long_inc(atomic64_t* v) => Interlocked.Increment(ref v->counter);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_long_dec", "a6f105e4e7f48154")]
    internal static void atomic_long_dec(atomic64_t* v) => Interlocked.Decrement(ref v->counter);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_long_add_return", "cdde428b315bc0b1")]
    internal static long atomic_long_add_return(long i, atomic64_t* v) => Interlocked.Add(ref v->counter, i);

    [Upstream("include/linux/atomic/atomic-instrumented.h", "atomic_long_cmpxchg", "1557ce6556c23cdf")]
    internal static long atomic_long_cmpxchg(atomic64_t* v, long old, long @new) => Interlocked.CompareExchange(ref v->counter, @new, old);

    /// <summary>try_cmpxchg on an unsigned long: on failure *oldp gets the value seen.</summary>
    [Upstream("include/linux/atomic/atomic-instrumented.h", "try_cmpxchg", UpstreamAttribute.Macro)]
    internal static bool try_cmpxchg(ulong* ptr, ulong* oldp, ulong @new)
    {
        ulong seen = Interlocked.CompareExchange(ref *ptr, @new, *oldp);
        if (seen == *oldp)
            return true;
        *oldp = seen;
        return false;
    }
}
