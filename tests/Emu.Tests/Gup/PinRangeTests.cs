using System;
using NUnit.Framework;
using static Emu.Kernel.KernelConstants;

namespace Emu.Tests.Gup;

/// <summary>
/// Ranges the GUP entry points are given through the process API: unaligned, empty, overflowing,
/// outside the mappings' permissions, with holes. Expectations from 6.12 mm/gup.c, cited.
/// </summary>
public class PinRangeTests
{
    private const ulong Page = PAGE_SIZE;

    private static Machine NewMachine() => new(new MachineOptions { MemoryBytes = 64UL << 20 });

    [TestCase(PinFlags.None)]
    [TestCase(PinFlags.Fast)]
    public void AnUnalignedStartPinsThePagesItTouches(PinFlags flags) => AddressSpace.Run(() =>
    {
        using var machine = NewMachine();
        var p = machine.Spawn();
        ulong mem = p.Mmap(3 * Page, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        p.Fill(mem, 3 * Page, 1);
        // gup.c: __get_user_pages follows the page holding start and advances a page at a time;
        // gup_fast_fallback rounds start down (start & PAGE_MASK). Either way pages [mem, mem + 2 pages).
        using var pin = p.Pin(mem + 123, 2, flags);
        Assert.That(pin.Count, Is.EqualTo(2));
        Assert.That(pin.Pfn(0), Is.EqualTo(AddressSpace.Pfn(p, mem)));
        Assert.That(pin.Pfn(1), Is.EqualTo(AddressSpace.Pfn(p, mem + Page)));
        Assert.That(machine.Warnings, Is.Empty);
    });

    [Test]
    public void NoPagesIsZero() => AddressSpace.Run(() =>
    {
        using var machine = NewMachine();
        var p = machine.Spawn();
        ulong mem = p.Mmap(Page, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        // gup.c __get_user_pages_locked: "if (!nr_pages) return 0" (pin_user_pages_unlocked path).
        using var pin = p.Pin(mem, 0);
        Assert.That(pin.Count, Is.Zero);
        using var get = p.Get(mem, 0);
        Assert.That(get.Count, Is.Zero);
        // gup.c gup_fast_fallback has no such check (gup_fast would walk with end == start), so the
        // API refuses zero pages on the fast path instead of entering it.
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Pin(mem, 0, PinFlags.Fast));
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Get(mem, 0, PinFlags.Fast));
    });

    [TestCase(PinFlags.None, "EFAULT")]
    // gup_fast_fallback: check_add_overflow(start, nr_pages << PAGE_SHIFT) -> -EOVERFLOW.
    [TestCase(PinFlags.Fast, "EOVERFLOW")]
    public void ARangeWrappingTheAddressSpace(PinFlags flags, string errno) => AddressSpace.Run(() =>
    {
        using var machine = NewMachine();
        var p = machine.Spawn();
        // Slow path: no overflow check, __get_user_pages finds no VMA at start -> -EFAULT.
        var e = Assert.Throws<LinuxErrorException>(() => p.Pin(0xFFFF_FFFF_FFFF_F000, 2, flags));
        Assert.That(e!.Name, Is.EqualTo(errno));
    });

    [TestCase(PinFlags.None)]
    [TestCase(PinFlags.Fast)]
    public void PermissionsOfTheVma(PinFlags fast) => AddressSpace.Run(() =>
    {
        using var machine = NewMachine();
        var p = machine.Spawn();
        ulong ro = p.Mmap(Page, Protection.Read, MapFlags.Private | MapFlags.Anonymous);
        ulong none = p.Mmap(Page, Protection.None, MapFlags.Private | MapFlags.Anonymous);
        string Err(Action a) => Assert.Throws<LinuxErrorException>(() => a())!.Name;
        // gup.c check_vma_flags: FOLL_WRITE without VM_WRITE and without FOLL_FORCE -> -EFAULT;
        // no VM_READ without FOLL_FORCE -> -EFAULT. GUP-fast finds no PTE and falls back to it.
        Assert.That(Err(() => p.Pin(ro, 1, fast | PinFlags.Write)), Is.EqualTo("EFAULT"));
        Assert.That(Err(() => p.Pin(none, 1, fast)), Is.EqualTo("EFAULT"));
        // With FOLL_FORCE (slow path only; GUP-fast accepts the flag and falls back) both work in a
        // private mapping, and the forced write pin gets an exclusive anon page (COW broken).
        using var w = p.Pin(ro, 1, fast | PinFlags.Write | PinFlags.Force);
        Assert.That(w.Count, Is.EqualTo(1));
        Assert.That(w.Pfn(0), Is.Not.EqualTo(machine.Kernel.zero_pfn));
        Assert.That(AddressSpace.Pfn(p, ro), Is.EqualTo(w.Pfn(0)));
        using var r = p.Pin(none, 1, fast | PinFlags.Force);
        Assert.That(r.Count, Is.EqualTo(1));
        Assert.That(machine.Warnings, Is.Empty);
    });

    [TestCase(PinFlags.None)]
    [TestCase(PinFlags.Fast)]
    public void AHoleInTheMiddleEndsTheRun(PinFlags flags) => AddressSpace.Run(() =>
    {
        using var machine = NewMachine();
        var p = machine.Spawn();
        ulong mem = p.Mmap(4 * Page, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        p.Fill(mem, 4 * Page, 1);
        p.Munmap(mem + 2 * Page, Page);
        // gup.c __get_user_pages: the missing VMA at the third page ends the walk with i = 2 pages
        // taken, returned as is ("return i ? i : ret"); gup_fast_fallback returns its nr_pinned or
        // the slow path's count, never the error once something is pinned.
        using var pin = p.Pin(mem, 4, flags);
        Assert.That(pin.Count, Is.EqualTo(2));
        Assert.That(machine.Warnings, Is.Empty);
    });
}
