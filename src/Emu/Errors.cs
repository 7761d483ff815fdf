using System;

namespace Emu;

/// <summary>A system call of an emulated process failed: <see cref="Errno"/> is what Linux returns.</summary>
public sealed class LinuxErrorException : Exception
{
    public LinuxErrorException(int errno, string operation)
        : base($"{operation}: {NameOf(errno)} ({errno})")
    {
        Errno = errno;
        Operation = operation;
    }

    /// <summary>The positive errno value (EINVAL = 22 ...).</summary>
    public int Errno { get; }

    /// <summary>The errno's symbolic name, e.g. "EINVAL".</summary>
    public string Name => NameOf(Errno);

    /// <summary>The call that failed, e.g. "mmap".</summary>
    public string Operation { get; }

    // uapi/asm-generic/errno-base.h, then the errno.h values the mm paths return.
    private static readonly string[] BaseNames =
    [
        "", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF", "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE"
    ];

    /// <summary>The symbolic name of an errno, or "E?n" when Emu does not know it.</summary>
    public static string NameOf(int errno) => errno switch
    {
        > 0 when errno < BaseNames.Length => BaseNames[errno],
        75 => "EOVERFLOW",
        95 => "EOPNOTSUPP",
        _ => $"E?{errno}",
    };

    /// <summary>Turns a kernel return value (negative errno on failure) into the result or an exception.</summary>
    internal static long Check(long ret, string operation) =>
        ret < 0 && ret >= -4095 ? throw new LinuxErrorException((int)-ret, operation) : ret;
}

/// <summary>The signals a user memory access can raise.</summary>
public enum Signal
{
    SIGBUS = 7,
    SIGSEGV = 11,
}

/// <summary>A user access of an emulated process was answered with a signal (the process would die).</summary>
public sealed class EmulatedSignalException : Exception
{
    public EmulatedSignalException(Signal signal, ulong address, string reason)
        : base($"{signal} at 0x{address:x}: {reason}")
    {
        Signal = signal;
        Address = address;
    }

    public Signal Signal { get; }

    /// <summary>The faulting user address.</summary>
    public ulong Address { get; }
}
