using System;

namespace Emu;

// The /sys/kernel/debug/gup_test device as a process sees it (mm/gup_test.c), for the selftests.
public sealed unsafe partial class Process
{
    /// <summary>ioctl(gup_test_fd, PIN_LONGTERM_TEST_START, arg): arg points to a struct pin_longterm_test in user memory.</summary>
    public const uint PIN_LONGTERM_TEST_START = Kernel.Kernel.PIN_LONGTERM_TEST_START;

    /// <summary>ioctl(gup_test_fd, PIN_LONGTERM_TEST_STOP): drops the pins.</summary>
    public const uint PIN_LONGTERM_TEST_STOP = Kernel.Kernel.PIN_LONGTERM_TEST_STOP;

    /// <summary>ioctl(gup_test_fd, PIN_LONGTERM_TEST_READ, arg): arg points to a __u64 user address receiving every pinned page.</summary>
    public const uint PIN_LONGTERM_TEST_READ = Kernel.Kernel.PIN_LONGTERM_TEST_READ;

    /// <summary>PIN_LONGTERM_TEST_FLAG_USE_WRITE / _USE_FAST of struct pin_longterm_test.flags.</summary>
    public const uint PIN_LONGTERM_TEST_FLAG_USE_WRITE = 1, PIN_LONGTERM_TEST_FLAG_USE_FAST = 2;

    /// <summary>
    /// ioctl(2) on the gup_test debugfs file, as this process. The pin slot is global to the
    /// machine, as the kernel's is. Failure throws <see cref="LinuxErrorException"/> with the errno.
    /// </summary>
    public void GupTestIoctl(uint cmd, ulong arg) =>
        Syscall("ioctl(gup_test)", k => k.gup_test_ioctl(cmd, arg));
}
