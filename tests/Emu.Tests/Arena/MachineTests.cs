using System;
using System.IO;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;

namespace Emu.Tests.Arena;

/// <summary>The physical-memory arena: direct map and memmap by pointer arithmetic, lazily backed, initialized as mm_init.c does.</summary>
public unsafe class MachineTests
{
    private static long ResidentBytes()
    {
        // /proc/self/statm: size resident ... in pages.
        var fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1]) * Environment.SystemPageSize;
    }

    [Test]
    public void A64GiBMachineCostsOnlyWhatIsTouched()
    {
        long before = ResidentBytes();
        using var machine = new Machine(new MachineOptions { MemoryBytes = MachineOptions.MaxMemoryBytes });
        var k = machine.Kernel;
        Assert.That(machine.PageFrames, Is.EqualTo(MachineOptions.MaxMemoryBytes / 4096));
        foreach (var pfn in new[] { 0UL, 123_456UL, machine.PageFrames - 1 })
        {
            var page = machine.PageOf(pfn);
            var data = (ulong*)k.page_address(page);
            data[511] = pfn ^ 0xdead_beef;
            Assert.That(((ulong*)k.page_address(machine.PageOf(pfn)))[511], Is.EqualTo(pfn ^ 0xdead_beef));
        }
        // Three 128 MiB memmap sections (2 MiB of struct pages each) plus three frames: far below 64 GiB.
        Assert.That(ResidentBytes() - before, Is.LessThan(64L << 20));
    }

    [Test]
    public void PfnPageAndAddressConvertByPointerArithmetic()
    {
        using var machine = new Machine();
        var k = machine.Kernel;
        var page = machine.PageOf(1000);
        Assert.Multiple(() =>
        {
            Assert.That(k.page_to_pfn(page), Is.EqualTo(1000UL));
            Assert.That((ulong)((byte*)k.page_address(page) - (byte*)k.page_address(k.pfn_to_page(0))), Is.EqualTo(1000UL * 4096));
            Assert.That(k.__pa(k.page_address(page)), Is.EqualTo(1000UL << 12));
            Assert.That((ulong)k.virt_to_page((byte*)k.page_address(page) + 4095), Is.EqualTo((ulong)page));
            Assert.That((ulong)k.folio_address((folio*)page), Is.EqualTo((ulong)k.page_address(page)));
            Assert.That((ulong)(k.pfn_to_page(1001) - page), Is.EqualTo(1UL));
        });
    }

    [Test]
    public void StructPagesStartAsInitSinglePageLeavesThem()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 8UL << 30 });
        var page = machine.PageOf(5);
        Assert.Multiple(() =>
        {
            Assert.That(page->_refcount.counter, Is.EqualTo(1));   // init_page_count
            Assert.That(page->_mapcount.counter, Is.EqualTo(-1));  // no mappings
            Assert.That((ulong)page->lru.next, Is.EqualTo((ulong)&page->lru));
            Assert.That(page_to_nid(page), Is.Zero);
            Assert.That(page->mapping is null, Is.True);
        });
    }

    [Test]
    public void ZonesFollowX86Limits()
    {
        // arch/x86/include/asm/dma.h: ZONE_DMA below 16 MiB, ZONE_DMA32 below 4 GiB.
        using var machine = new Machine(new MachineOptions { MemoryBytes = 8UL << 30 });
        Assert.Multiple(() =>
        {
            Assert.That(page_zonenum(machine.PageOf((16UL << 20) / 4096 - 1)), Is.EqualTo(zone_type.ZONE_DMA));
            Assert.That(page_zonenum(machine.PageOf((16UL << 20) / 4096)), Is.EqualTo(zone_type.ZONE_DMA32));
            Assert.That(page_zonenum(machine.PageOf((4UL << 30) / 4096 - 1)), Is.EqualTo(zone_type.ZONE_DMA32));
            Assert.That(page_zonenum(machine.PageOf((4UL << 30) / 4096)), Is.EqualTo(zone_type.ZONE_NORMAL));
        });
    }

    [Test]
    public void ZoneAndNodeFieldsSitWhereTheKernelPutsThem()
    {
        page p = default;
        set_page_links(&p, zone_type.ZONE_NORMAL, 3, 0);
        // 6.12 amd64: no section bits; node (10 bits) at the top of flags, then the zone (3 bits).
        Assert.That(p.flags >> (64 - 10), Is.EqualTo(3UL));
        Assert.That((p.flags >> (64 - 10 - 3)) & 7, Is.EqualTo((ulong)zone_type.ZONE_NORMAL));
        Assert.That(page_to_nid(&p), Is.EqualTo(3));
        Assert.That((int)KernelConstants.__MAX_NR_ZONES, Is.EqualTo(KernelConstants.MAX_NR_ZONES));
    }

    [Test]
    public void BadSizesAreRejectedAndOutOfRangePfnsToo()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Machine(new MachineOptions { MemoryBytes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Machine(new MachineOptions { MemoryBytes = 4097 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Machine(new MachineOptions { MemoryBytes = MachineOptions.MaxMemoryBytes + 4096 }));
        using var machine = new Machine(new MachineOptions { MemoryBytes = 1 << 20 });
        Assert.Throws<ArgumentOutOfRangeException>(() => machine.PageOf(256));
        machine.Dispose();
        Assert.Throws<ObjectDisposedException>(() => machine.PageOf(0));
    }

    [Test]
    public void A64GiBMachineWith256MiBAllocatedStaysUnder400MiBResident()
    {
        long before = ResidentBytes();
        using var machine = new Machine(new MachineOptions { MemoryBytes = MachineOptions.MaxMemoryBytes });
        var k = machine.Kernel;
        // 65536 order-0 pages: init_on_alloc zeroes (touches) each one, and we write to each too.
        for (int i = 0; i < 65536; i++)
        {
            var p = k.alloc_page(KernelConstants.GFP_HIGHUSER_MOVABLE);
            Assert.That(p != null, Is.True);
            ((ulong*)k.page_address(p))[511] = (ulong)i;
        }
        long grown = ResidentBytes() - before;
        TestContext.Out.WriteLine($"resident growth with 256 MiB allocated on a 64 GiB machine: {grown >> 20} MiB");
        Assert.That(grown, Is.LessThan(400L << 20));
    }

    [Test, NonParallelizable]
    public void DisposingMachinesReturnsAllTheirNativeMemory()
    {
        long before = Machine.ReservedNativeBytes;
        for (int i = 0; i < 1000; i++)
        {
            using var machine = new Machine(new MachineOptions { MemoryBytes = 8UL << 20 });
            var p = machine.Kernel.alloc_page(KernelConstants.GFP_KERNEL);
            Assert.That(Machine.ReservedNativeBytes, Is.GreaterThan(before));
            machine.Kernel.__free_pages(p, 0);
        }
        Assert.That(Machine.ReservedNativeBytes, Is.EqualTo(before));
    }
}
