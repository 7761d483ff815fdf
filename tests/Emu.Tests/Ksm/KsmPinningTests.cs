using System;
using System.Linq;
using NUnit.Framework;
using static Emu.Kernel.Kernel;

namespace Emu.Tests.Ksm;

/// <summary>
/// KSM and page pinning (Emu.Pinning's pin_user_pages*), expectations from the 6.12 C:
/// a pinned page is never merged, and an R/O longterm pin never lands on a KSM page.
/// </summary>
public unsafe class KsmPinningTests
{
    private const ulong PageSize = 4096;
    private const ulong PfnMask = 0x007fffffffffffffUL;

    private static ulong Counter(Machine m, string name) => ulong.Parse(m.Sysfs["/sys/kernel/mm/ksm/" + name]);

    private static ulong Pfn(Emu.Process p, ulong addr)
    {
        ulong e = p.ReadPagemap(addr);
        Assert.That(e >> 63, Is.EqualTo(1UL), $"0x{addr:x} present");
        return e & PfnMask;
    }

    /// <summary>
    /// Two identical pages, the first pinned (FOLL_PIN adds GUP_PIN_COUNTING_BIAS to its refcount).
    /// Scan 2: page 0 enters the unstable tree, page 1 finds it; try_to_merge_two_pages makes
    /// page 1 a KSM page in place, then try_to_merge_with_ksm_page(page 0) fails in
    /// write_protect_page (folio_mapcount + 1 != folio_ref_count: someone else holds a
    /// reference, possibly for DMA), so break_cow undoes page 1: nothing merged, page 0 still
    /// maps the pinned frame. Smart scan is off so every scan visits every page. After the
    /// unpin the next scans merge them (one KSM page: shared 1, sharing 1).
    /// </summary>
    [Test]
    public void PinnedPageIsNotMerged()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 32UL << 20 });
        machine.Sysfs["/sys/kernel/mm/ksm/smart_scan"] = "0";
        var p = machine.Spawn();
        ulong a = p.Mmap(2 * PageSize, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        p.Fill(a, 2 * PageSize, 0x42);
        var pin = p.Pin(a, 1);
        Assert.That(pin.Count, Is.EqualTo(1));
        ulong pinned = pin.Pfn(0);
        Assert.That(Pfn(p, a), Is.EqualTo(pinned));

        p.Madvise(a, 2 * PageSize, Advice.Mergeable);
        machine.Sysfs["/sys/kernel/mm/ksm/run"] = "1";
        machine.Ksm.RunFullScans(3);
        Assert.That(Counter(machine, "pages_shared"), Is.EqualTo(0UL), "the pinned page was not merged");
        Assert.That(Counter(machine, "pages_sharing"), Is.EqualTo(0UL));
        Assert.That(Pfn(p, a), Is.EqualTo(pinned), "the pinned frame is still the one mapped");
        Assert.That(Pfn(p, a + PageSize), Is.Not.EqualTo(pinned));
        Assert.That(folio_test_ksm(page_folio(machine.Kernel.pfn_to_page(pinned))), Is.False);

        // What the device writes through the pin, the process sees.
        pin.WritePage(0, [0x99]);
        var b = new byte[1];
        p.Read(a, b);
        Assert.That(b[0], Is.EqualTo(0x99));
        pin.WritePage(0, [0x42]);
        pin.Release();

        machine.Ksm.RunFullScans(2);
        Assert.That(Counter(machine, "pages_shared"), Is.EqualTo(1UL), "merged once unpinned");
        Assert.That(Counter(machine, "pages_sharing"), Is.EqualTo(1UL));
        Assert.That(Pfn(p, a), Is.EqualTo(Pfn(p, a + PageSize)));
        Assert.That(machine.Warnings, Is.Empty);
    }

    /// <summary>
    /// An R/O longterm pin of a merged page: the KSM page is anonymous but never
    /// PageAnonExclusive, so gup_must_unshare is true and GUP retries with FAULT_FLAG_UNSHARE
    /// (do_wp_page copies a KSM folio: wp_can_reuse_anon_folio refuses KSM). The pin holds a
    /// fresh exclusive copy that the process now maps; the other mapping keeps the KSM page.
    /// </summary>
    [Test]
    public void ReadOnlyLongtermPinUnsharesAKsmPage()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 32UL << 20 });
        var p = machine.Spawn();
        ulong a = p.Mmap(2 * PageSize, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        p.Fill(a, 2 * PageSize, 0x5a);
        p.Madvise(a, 2 * PageSize, Advice.Mergeable);
        machine.Sysfs["/sys/kernel/mm/ksm/run"] = "1";
        machine.Ksm.RunFullScans(2);
        ulong ksmPfn = Pfn(p, a);
        Assert.That(Pfn(p, a + PageSize), Is.EqualTo(ksmPfn), "merged");
        Assert.That(folio_test_ksm(page_folio(machine.Kernel.pfn_to_page(ksmPfn))), Is.True);

        using var pin = p.Pin(a, 1, PinFlags.Longterm);
        Assert.That(pin.Count, Is.EqualTo(1));
        ulong pinned = pin.Pfn(0);
        Assert.That(pinned, Is.Not.EqualTo(ksmPfn), "the pin is not on the KSM page");
        Assert.That(Pfn(p, a), Is.EqualTo(pinned), "the process maps the pinned copy");
        Assert.That(Pfn(p, a + PageSize), Is.EqualTo(ksmPfn), "the other mapping keeps the KSM page");
        var folio = page_folio(machine.Kernel.pfn_to_page(pinned));
        Assert.That(folio_test_ksm(folio), Is.False);
        Assert.That(PageAnonExclusive(machine.Kernel.pfn_to_page(pinned)), Is.True);
        var buf = new byte[PageSize];
        pin.ReadPage(0, buf);
        Assert.That(buf, Is.All.EqualTo((byte)0x5a), "same content");
        Assert.That(machine.Warnings, Is.Empty);
    }
}
