using System;
using Emu.Kernel;
using NUnit.Framework;

namespace Emu.Tests.Processes;

/// <summary>The public enums and errno names carry exactly the uapi values (from the trimmed uapi headers).</summary>
public class ApiConstantsTests
{
    [TestCase(Protection.Read, KernelConstants.PROT_READ)]
    [TestCase(Protection.Write, KernelConstants.PROT_WRITE)]
    [TestCase(Protection.Exec, KernelConstants.PROT_EXEC)]
    [TestCase(Protection.None, KernelConstants.PROT_NONE)]
    [TestCase(Protection.GrowsDown, KernelConstants.PROT_GROWSDOWN)]
    [TestCase(Protection.GrowsUp, KernelConstants.PROT_GROWSUP)]
    public void Protection_matches_uapi(Protection value, long uapi) => Assert.That((long)value, Is.EqualTo(uapi));

    [TestCase(MapFlags.Shared, KernelConstants.MAP_SHARED)]
    [TestCase(MapFlags.Private, KernelConstants.MAP_PRIVATE)]
    [TestCase(MapFlags.SharedValidate, KernelConstants.MAP_SHARED_VALIDATE)]
    [TestCase(MapFlags.Fixed, KernelConstants.MAP_FIXED)]
    [TestCase(MapFlags.Anonymous, KernelConstants.MAP_ANONYMOUS)]
    [TestCase(MapFlags.GrowsDown, KernelConstants.MAP_GROWSDOWN)]
    [TestCase(MapFlags.Locked, KernelConstants.MAP_LOCKED)]
    [TestCase(MapFlags.NoReserve, KernelConstants.MAP_NORESERVE)]
    [TestCase(MapFlags.Populate, KernelConstants.MAP_POPULATE)]
    [TestCase(MapFlags.HugeTlb, KernelConstants.MAP_HUGETLB)]
    [TestCase(MapFlags.FixedNoReplace, KernelConstants.MAP_FIXED_NOREPLACE)]
    [TestCase(MapFlags.Uninitialized, KernelConstants.MAP_UNINITIALIZED)]
    public void MapFlags_match_uapi(MapFlags value, long uapi) => Assert.That((long)value, Is.EqualTo(uapi));

    [TestCase(Advice.DontNeed, KernelConstants.MADV_DONTNEED)]
    [TestCase(Advice.Free, KernelConstants.MADV_FREE)]
    [TestCase(Advice.DontFork, KernelConstants.MADV_DONTFORK)]
    [TestCase(Advice.Mergeable, KernelConstants.MADV_MERGEABLE)]
    [TestCase(Advice.Unmergeable, KernelConstants.MADV_UNMERGEABLE)]
    [TestCase(Advice.WipeOnFork, KernelConstants.MADV_WIPEONFORK)]
    [TestCase(Advice.PopulateWrite, KernelConstants.MADV_POPULATE_WRITE)]
    [TestCase(Advice.Collapse, KernelConstants.MADV_COLLAPSE)]
    [TestCase(Advice.SoftOffline, KernelConstants.MADV_SOFT_OFFLINE)]
    public void Advice_matches_uapi(Advice value, long uapi) => Assert.That((long)value, Is.EqualTo(uapi));

    [TestCase(KernelConstants.EPERM, "EPERM")]
    [TestCase(KernelConstants.ENOMEM, "ENOMEM")]
    [TestCase(KernelConstants.EINVAL, "EINVAL")]
    [TestCase(KernelConstants.EBADF, "EBADF")]
    [TestCase(KernelConstants.EFAULT, "EFAULT")]
    [TestCase(KernelConstants.ERANGE, "ERANGE")]
    public void Errno_names_match_errno_base(int errno, string name)
    {
        var e = new LinuxErrorException(errno, "mmap");
        Assert.Multiple(() =>
        {
            Assert.That(e.Name, Is.EqualTo(name));
            Assert.That(e.Message, Does.Contain(name));
        });
    }
}
