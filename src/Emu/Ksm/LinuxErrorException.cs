using System;

namespace Emu;

/// <summary>
/// A Linux system call or file operation failed with an errno (the value is positive, as in
/// user space: EINVAL is 22). Placeholder until the lead's Errors.cs lands on main.
/// </summary>
public class LinuxErrorException : Exception
{
    public LinuxErrorException(int errno, string? message = null)
        : base(message ?? $"{NameOf(errno)} ({errno})")
    {
        Errno = errno;
    }

    /// <summary>The errno value (positive).</summary>
    public int Errno { get; }

    /// <summary>The errno's symbolic name, such as "EINVAL".</summary>
    public string Name => NameOf(Errno);

    internal static string NameOf(int errno) => errno switch
    {
        1 => "EPERM", 2 => "ENOENT", 4 => "EINTR", 12 => "ENOMEM", 13 => "EACCES", 14 => "EFAULT",
        16 => "EBUSY", 22 => "EINVAL", 34 => "ERANGE", 133 => "EHWPOISON",
        _ => $"errno {errno}",
    };
}
