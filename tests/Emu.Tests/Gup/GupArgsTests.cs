using System;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.KernelConstants;

namespace Emu.Tests.Gup;

/// <summary>
/// Argument checks of 6.12's GUP entry points that run before any address space is touched:
/// mm/gup.c is_valid_gup_args, and the range checks of gup_fast_fallback.
/// </summary>
public unsafe class GupArgsTests
{
    private Machine _machine = null!;
    private Emu.Kernel.Kernel K => _machine.Kernel;

    [SetUp]
    public void SetUp() => _machine = new Machine(new MachineOptions { MemoryBytes = 16UL << 20 });

    [TearDown]
    public void TearDown() => _machine.Dispose();

    // Columns: caller's gup_flags, the entry point's to_set, pages given, *locked (-1: no locked
    // pointer); expected result and flags. Each false row is one WARN_ON_ONCE of is_valid_gup_args.
    private static readonly object[] Cases =
    [
        // Internal flags from a caller: WARN_ON_ONCE(gup_flags & INTERNAL_GUP_FLAGS).
        new object[] { (uint)FOLL_PIN, (uint)FOLL_TOUCH, true, -1, false, 0u },
        new object[] { (uint)FOLL_TOUCH, (uint)FOLL_GET, true, -1, false, 0u },
        new object[] { (uint)FOLL_MADV_POPULATE, 0u, false, -1, false, 0u },
        // FOLL_PIN together with FOLL_GET.
        new object[] { (uint)FOLL_GET, (uint)FOLL_PIN, true, -1, false, 0u },
        // locked given but not 1.
        new object[] { 0u, (uint)FOLL_PIN, true, 0, false, 0u },
        // FOLL_LONGTERM without FOLL_PIN.
        new object[] { (uint)FOLL_LONGTERM, (uint)FOLL_GET, true, -1, false, 0u },
        new object[] { (uint)FOLL_LONGTERM, (uint)FOLL_TOUCH, true, -1, false, 0u },
        // A reference without a pages array.
        new object[] { 0u, (uint)FOLL_PIN, false, -1, false, 0u },
        new object[] { (uint)FOLL_GET, 0u, false, -1, false, 0u },
        // FOLL_LONGTERM with FOLL_PCI_P2PDMA.
        new object[] { (uint)(FOLL_LONGTERM | FOLL_PCI_P2PDMA), (uint)FOLL_PIN, true, -1, false, 0u },
        // Valid: flags are or-ed; a locked pointer (holding 1) adds FOLL_UNLOCKABLE.
        new object[] { (uint)(FOLL_WRITE | FOLL_LONGTERM), (uint)FOLL_PIN, true, -1, true, (uint)(FOLL_WRITE | FOLL_LONGTERM | FOLL_PIN) },
        new object[] { (uint)FOLL_WRITE, (uint)(FOLL_PIN | FOLL_TOUCH | FOLL_REMOTE), true, 1, true, (uint)(FOLL_WRITE | FOLL_PIN | FOLL_TOUCH | FOLL_REMOTE | FOLL_UNLOCKABLE) },
        new object[] { 0u, (uint)FOLL_TOUCH, false, -1, true, (uint)FOLL_TOUCH },
        new object[] { (uint)FOLL_PCI_P2PDMA, (uint)FOLL_GET, true, -1, true, (uint)(FOLL_PCI_P2PDMA | FOLL_GET) },
    ];

    [TestCaseSource(nameof(Cases))]
    public void IsValidGupArgs(uint gupFlags, uint toSet, bool withPages, int locked, bool valid, uint resultFlags)
    {
        page* dummy = null;
        page** pages = withPages ? &dummy : null;
        int lockedValue = locked;
        uint flags = gupFlags;
        bool ok = K.is_valid_gup_args(pages, locked < 0 ? null : &lockedValue, &flags, toSet);
        Assert.That(ok, Is.EqualTo(valid));
        // gup.c is_valid_gup_args writes *gup_flags_p only on success.
        Assert.That(flags, Is.EqualTo(valid ? resultFlags : gupFlags));
        Assert.That(_machine.Warnings, Has.Count.EqualTo(valid ? 0 : 1));
    }

    [Test]
    public void EntryPointsReportBadArgumentsTheirOwnWay()
    {
        page* dummy = null;
        // gup.c get_user_pages: -EINVAL (FOLL_PIN is internal to callers).
        Assert.That(K.get_user_pages(0x10000, 1, FOLL_PIN, &dummy), Is.EqualTo(-EINVAL));
        // gup.c get_user_pages_remote / get_user_pages_unlocked: -EINVAL (LONGTERM without PIN).
        Assert.That(K.get_user_pages_remote(null, 0x10000, 1, FOLL_LONGTERM, &dummy, null), Is.EqualTo(-EINVAL));
        Assert.That(K.get_user_pages_unlocked(0x10000, 1, &dummy, FOLL_LONGTERM), Is.EqualTo(-EINVAL));
        // gup.c pin_user_pages / pin_user_pages_remote / pin_user_pages_unlocked return 0, not an errno.
        Assert.That(K.pin_user_pages(0x10000, 1, FOLL_GET, &dummy), Is.Zero);
        Assert.That(K.pin_user_pages_remote(null, 0x10000, 1, FOLL_GET, &dummy, null), Is.Zero);
        Assert.That(K.pin_user_pages_unlocked(0x10000, 1, null, 0), Is.Zero);
        // gup.c pin_user_pages_fast / get_user_pages_fast / get_user_pages_fast_only: -EINVAL.
        Assert.That(K.pin_user_pages_fast(0x10000, 1, FOLL_GET, &dummy), Is.EqualTo(-EINVAL));
        Assert.That(K.get_user_pages_fast(0x10000, 1, FOLL_LONGTERM, &dummy), Is.EqualTo(-EINVAL));
        Assert.That(K.get_user_pages_fast_only(0x10000, 1, 0, null), Is.EqualTo(-EINVAL));
        Assert.That(dummy == null, Is.True);
    }

    [Test]
    public void ZeroPagesIsZeroWithoutTouchingAnAddressSpace()
    {
        page* dummy = null;
        // gup.c __get_user_pages_locked: "if (!nr_pages) return 0" before the mmap lock.
        Assert.That(K.pin_user_pages(0x10000, 0, 0, &dummy), Is.Zero);
        Assert.That(K.get_user_pages(0x10000, 0, 0, &dummy), Is.Zero);
        Assert.That(_machine.Warnings, Is.Empty);
    }

    [Test]
    public void FastPathRangeChecks()
    {
        page** pages = stackalloc page*[4];
        // gup.c gup_fast_fallback: start is rounded down, len = nr_pages << PAGE_SHIFT;
        // check_add_overflow(start, len, &end) -> -EOVERFLOW.
        Assert.That(K.get_user_pages_fast(0xFFFF_FFFF_FFFF_F123, 2, 0, pages), Is.EqualTo(-KernelOverflow));
        // end > TASK_SIZE_MAX ((1 << 47) - PAGE_SIZE on 4-level x86_64) -> -EFAULT.
        ulong taskSizeMax = (1UL << 47) - PAGE_SIZE;
        Assert.That(K.get_user_pages_fast(taskSizeMax, 1, 0, pages), Is.EqualTo(-EFAULT));
        Assert.That(K.get_user_pages_fast(taskSizeMax - 2 * PAGE_SIZE, 3, 0, pages), Is.EqualTo(-EFAULT));
        // Flags GUP-fast does not accept: WARN_ON_ONCE and -EINVAL (FOLL_NOWAIT is not in its list).
        Assert.That(K.get_user_pages_fast(0x10000, 1, FOLL_NOWAIT, pages), Is.EqualTo(-EINVAL));
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1));
        // x86 gup_fast_permitted: end >> __VIRTUAL_MASK_SHIFT (47) must be 0.
        Assert.That(Emu.Kernel.Kernel.gup_fast_permitted(0, 1UL << 47), Is.False);
        Assert.That(Emu.Kernel.Kernel.gup_fast_permitted(0, (1UL << 47) - 1), Is.True);
    }

    // include/uapi/asm-generic/errno.h EOVERFLOW.
    private const int KernelOverflow = 75;
}
