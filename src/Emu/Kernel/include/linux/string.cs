using System.Runtime.CompilerServices;

namespace Emu.Kernel;

// memcpy/memset: x86_64 implements them in assembly (arch/x86/lib), so there is no C body to mark.
public unsafe partial class Kernel
{
    internal static void* memcpy(void* dest, void* src, nuint count)
    {
        Unsafe.CopyBlockUnaligned(dest, src, checked((uint)count));
        return dest;
    }

    internal static void* memset(void* s, int c, nuint count)
    {
        Unsafe.InitBlockUnaligned(s, (byte)c, checked((uint)count));
        return s;
    }
}
