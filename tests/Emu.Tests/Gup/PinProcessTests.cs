using System;
using System.Linq;
using NUnit.Framework;
using static Emu.Kernel.KernelConstants;

namespace Emu.Tests.Gup;

/// <summary>
/// Pinning a process's anonymous memory through the public API, with expectations from 6.12's
/// mm/gup.c, mm/memory.c and mm/gup_test.c (functions cited). These need the vma and memory areas;
/// until they are on main each case is ignored with the reason.
/// </summary>
public unsafe class PinProcessTests
{
    private const ulong Page = PAGE_SIZE;

    private static (Machine, Process, ulong) Setup(int pages = 1)
    {
        var machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20 });
        try
        {
            var p = machine.Spawn();
            ulong mem = p.Mmap((ulong)pages * Page, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
            return (machine, p, mem);
        }
        catch
        {
            machine.Dispose();
            throw;
        }
    }

    [Test]
    public void ReadOnlyPinOfAnUntouchedPageIsTheSharedZeroPage() => AddressSpace.Run(() =>
    {
        var (machine, p, mem) = Setup();
        using var _ = machine;
        // gup.c follow_page_pte: no PTE -> faultin_page(read) -> memory.c do_anonymous_page maps
        // the zero pfn; the retry finds vm_normal_page == NULL and is_zero_pfn; gup_must_unshare is
        // false for a non-anon page without FOLL_LONGTERM; try_grab_folio counts no pin on it.
        int zeroRefs = Emu.Kernel.Kernel.page_ref_count(machine.Kernel.ZERO_PAGE(0));
        using var pin = p.Pin(mem, 1);
        Assert.That(pin.Count, Is.EqualTo(1));
        Assert.That(pin.Pfn(0), Is.EqualTo(machine.Kernel.zero_pfn));
        Assert.That(AddressSpace.Pfn(p, mem), Is.EqualTo(machine.Kernel.zero_pfn));
        Assert.That(Emu.Kernel.Kernel.page_ref_count(machine.Kernel.ZERO_PAGE(0)), Is.EqualTo(zeroRefs));
        Assert.That(machine.Warnings, Is.Empty);
    });

    [Test]
    public void ReadOnlyLongtermPinOfTheZeroPageUnsharesIt() => AddressSpace.Run(() =>
    {
        var (machine, p, mem) = Setup();
        using var _ = machine;
        Span<byte> b = stackalloc byte[1];
        p.Read(mem, b); // maps the shared zero page (memory.c do_anonymous_page, read fault)
        Assert.That(AddressSpace.Pfn(p, mem), Is.EqualTo(machine.Kernel.zero_pfn));
        // internal.h gup_must_unshare: !PageAnon, FOLL_LONGTERM, is_cow_mapping -> true: -EMLINK,
        // faultin_page(FAULT_FLAG_UNSHARE) replaces the zero page by an exclusive anon copy.
        using var pin = p.Pin(mem, 1, PinFlags.Longterm);
        Assert.That(pin.Pfn(0), Is.Not.EqualTo(machine.Kernel.zero_pfn));
        Assert.That(AddressSpace.Pfn(p, mem), Is.EqualTo(pin.Pfn(0)));
        // The new page is exclusive: pagemap's PM_MMAP_EXCLUSIVE (bit 56).
        Assert.That(p.ReadPagemap(mem) & (1UL << 56), Is.Not.Zero);
        Assert.That(machine.Warnings, Is.Empty);
    });

    [Test]
    public void ReadOnlyLongtermPinOfASharedAnonPageUnsharesItInTheParent() => AddressSpace.Run(() =>
    {
        var (machine, p, mem) = Setup();
        using var _ = machine;
        p.Fill(mem, Page, 0x11);
        using var child = p.Fork();
        ulong shared = AddressSpace.Pfn(p, mem)!.Value;
        Assert.That(AddressSpace.Pfn(child, mem), Is.EqualTo(shared), "fork shares the anon page (memory.c copy_present_pte)");
        // gup_must_unshare: PageAnon and !PageAnonExclusive -> -EMLINK -> FAULT_FLAG_UNSHARE copy.
        using var pin = p.Pin(mem, 1, PinFlags.Longterm);
        Assert.That(pin.Pfn(0), Is.Not.EqualTo(shared));
        Assert.That(AddressSpace.Pfn(p, mem), Is.EqualTo(pin.Pfn(0)));
        Assert.That(AddressSpace.Pfn(child, mem), Is.EqualTo(shared));
        // The pin is reliable: what the parent writes, the pinned page holds.
        p.Fill(mem, Page, 0x22);
        Span<byte> page = stackalloc byte[(int)Page];
        pin.ReadPage(0, page);
        Assert.That(page.ToArray().All(x => x == 0x22), Is.True);
        Span<byte> c = stackalloc byte[1];
        child.Read(mem, c);
        Assert.That(c[0], Is.EqualTo(0x11));
    });

    [Test]
    public void ForkCopiesAPinnedPageForTheChild() => AddressSpace.Run(() =>
    {
        var (machine, p, mem) = Setup();
        using var _ = machine;
        p.Fill(mem, Page, 0x33);
        using var pin = p.Pin(mem, 1, PinFlags.Write);
        ulong pinned = pin.Pfn(0);
        // memory.c copy_present_page via folio_needs_cow_for_dma: MMF_HAS_PINNED and
        // folio_maybe_dma_pinned -> the child gets its own copy at fork, the parent keeps its page.
        using var child = p.Fork();
        Assert.That(AddressSpace.Pfn(p, mem), Is.EqualTo(pinned));
        Assert.That(AddressSpace.Pfn(child, mem), Is.Not.EqualTo(pinned));
        child.Fill(mem, Page, 0x44);
        Span<byte> page = stackalloc byte[(int)Page];
        pin.ReadPage(0, page);
        Assert.That(page[0], Is.EqualTo(0x33), "the child's write must not reach the pinned page");
    });

    [Test]
    public void AFollGetReferenceSurvivesMunmap() => AddressSpace.Run(() =>
    {
        var (machine, p, mem) = Setup();
        using var _ = machine;
        p.Fill(mem, Page, 0x5a);
        using var pipe = p.Vmsplice(mem, Page);
        p.Munmap(mem, Page);
        var data = new byte[Page];
        Assert.That(pipe.Read(data), Is.EqualTo((int)Page));
        Assert.That(data.All(x => x == 0x5a), Is.True);
    });

    [Test]
    public void UnmappedAndPartiallyMappedRanges() => AddressSpace.Run(() =>
    {
        var (machine, p, mem) = Setup(2);
        using var _ = machine;
        p.Fill(mem, 2 * Page, 1);
        p.Munmap(mem + Page, Page);
        // gup.c __get_user_pages: no VMA at start -> -EFAULT with nothing taken.
        var e = Assert.Throws<LinuxErrorException>(() => p.Pin(mem + Page, 1));
        Assert.That(e!.Name, Is.EqualTo("EFAULT"));
        // A partially mapped range returns the pages before the hole (i ? i : ret).
        using var pin = p.Pin(mem, 2);
        Assert.That(pin.Count, Is.EqualTo(1));
        using var fast = p.Pin(mem, 2, PinFlags.Fast);
        Assert.That(fast.Count, Is.EqualTo(1));
    });

    [Test]
    public void GupTestRejectsBadArguments() => AddressSpace.Run(() =>
    {
        var (machine, p, mem) = Setup(4);
        using var _ = machine;
        p.Fill(mem, 4 * Page, 7);
        ulong args = mem + 3 * Page;
        void Start(ulong addr, ulong size, uint flags)
        {
            var a = new byte[24];
            BitConverter.TryWriteBytes(a.AsSpan(0), addr);
            BitConverter.TryWriteBytes(a.AsSpan(8), size);
            BitConverter.TryWriteBytes(a.AsSpan(16), flags);
            p.Write(args, a);
            p.GupTestIoctl(Process.PIN_LONGTERM_TEST_START, args);
        }
        string Err(Action a) => Assert.Throws<LinuxErrorException>(() => a())!.Name;
        // gup_test.c pin_longterm_test_start: flags outside {USE_WRITE, USE_FAST}, unaligned
        // addr|size, zero size -> -EINVAL; a second START while pinned -> -EINVAL.
        Assert.That(Err(() => Start(mem, Page, 4)), Is.EqualTo("EINVAL"));
        Assert.That(Err(() => Start(mem + 1, Page, 0)), Is.EqualTo("EINVAL"));
        Assert.That(Err(() => Start(mem, Page + 1, 0)), Is.EqualTo("EINVAL"));
        Assert.That(Err(() => Start(mem, 0, 0)), Is.EqualTo("EINVAL"));
        Start(mem, 2 * Page, Process.PIN_LONGTERM_TEST_FLAG_USE_FAST);
        Assert.That(Err(() => Start(mem, Page, 0)), Is.EqualTo("EINVAL"));
        // READ copies every pinned page to the user address it is given.
        var target = new byte[8];
        BitConverter.TryWriteBytes(target, mem + 2 * Page);
        p.Write(args, target);
        p.Fill(mem, Page, 9);
        p.GupTestIoctl(Process.PIN_LONGTERM_TEST_READ, args);
        Span<byte> b = stackalloc byte[1];
        p.Read(mem + 2 * Page, b);
        Assert.That(b[0], Is.EqualTo(9));
        p.GupTestIoctl(Process.PIN_LONGTERM_TEST_STOP, 0);
        // READ without an active pin: -EINVAL.
        Assert.That(Err(() => p.GupTestIoctl(Process.PIN_LONGTERM_TEST_READ, args)), Is.EqualTo("EINVAL"));
    });
}
