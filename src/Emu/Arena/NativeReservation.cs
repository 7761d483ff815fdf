using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Threading;

namespace Emu.Arena;

/// <summary>
/// A contiguous range of host address space, backed by the host kernel only where touched
/// (anonymous <c>MAP_NORESERVE</c> mapping): physical memory and the memmap of a large
/// emulated machine cost only the frames and struct pages actually used.
/// </summary>
internal sealed unsafe partial class NativeReservation : IDisposable
{
    private const int PROT_READ = 1, PROT_WRITE = 2;
    private const int MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;

    private static long s_liveBytes;

    /// <summary>Bytes of host address space all live reservations hold, process-wide.</summary>
    public static long LiveBytes => Interlocked.Read(ref s_liveBytes);

    public NativeReservation(ulong bytes)
    {
        if (bytes == 0)
            throw new ArgumentOutOfRangeException(nameof(bytes), "an empty reservation");
        var p = mmap(null, (nuint)bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == (void*)-1)
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"cannot reserve {bytes} bytes of address space");
        Base = (byte*)p;
        Length = bytes;
        Interlocked.Add(ref s_liveBytes, (long)bytes);
    }

    /// <summary>First byte; zero-filled until written.</summary>
    public byte* Base { get; private set; }

    public ulong Length { get; }

    public void Dispose()
    {
        if (Base is null)
            return;
        if (munmap(Base, (nuint)Length) != 0)
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "munmap of a reservation failed");
        Base = null;
        Interlocked.Add(ref s_liveBytes, -(long)Length);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial void* mmap(void* addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(void* addr, nuint length);
}
