using System;
using Emu.Kernel;

namespace Emu.Arena;

/// <summary>
/// The machine's RAM and its memmap, both lazily backed. Struct pages are initialized one
/// 128 MiB section at a time (the x86_64 SPARSEMEM section size) the first time a pfn in the
/// section is asked for, so untouched memory costs nothing — Emu's stand-in for deferred init.
/// </summary>
internal sealed unsafe class PhysicalMemory : IDisposable
{
    /// <summary>x86_64 SECTION_SIZE_BITS is 27: 128 MiB, 32768 pages.</summary>
    private const int PagesPerSectionShift = 27 - KernelConstants.PAGE_SHIFT;

    // x86 zone limits (arch/x86/include/asm/dma.h): DMA below 16 MiB, DMA32 below 4 GiB.
    public const ulong MaxDmaPfn = (16UL << 20) >> KernelConstants.PAGE_SHIFT;
    public const ulong MaxDma32Pfn = (4UL << 30) >> KernelConstants.PAGE_SHIFT;

    private readonly NativeReservation _frames;
    private readonly NativeReservation _memmap;
    private readonly bool[] _sectionReady;

    public PhysicalMemory(ulong bytes)
    {
        Pages = bytes >> KernelConstants.PAGE_SHIFT;
        _frames = new NativeReservation(bytes);
        try
        {
            // Whole sections, as SPARSEMEM_VMEMMAP maps them: a buddy lookup past the end of RAM reads a
            // struct page that exists (reserved), never unmapped memory.
            _memmap = new NativeReservation(Sections * PagesPerSection * (ulong)sizeof(page));
        }
        catch
        {
            _frames.Dispose();
            throw;
        }
        _sectionReady = new bool[Sections];
    }

    public const ulong PagesPerSection = 1UL << PagesPerSectionShift;

    public ulong Sections => (Pages + PagesPerSection - 1) >> PagesPerSectionShift;

    /// <summary>Frames of RAM; the memmap covers whole sections beyond it.</summary>
    public ulong Pages { get; }

    public byte* Frames => _frames.Base;

    public page* Memmap => (page*)_memmap.Base;

    /// <summary>The zone a pfn belongs to on x86_64.</summary>
    public static zone_type ZoneOf(ulong pfn) =>
        pfn < MaxDmaPfn ? zone_type.ZONE_DMA : pfn < MaxDma32Pfn ? zone_type.ZONE_DMA32 : zone_type.ZONE_NORMAL;

    /// <summary>Initializes the struct pages of <paramref name="pfn"/>'s section if this is its first use.</summary>
    public void EnsureInitialized(ulong pfn)
    {
        if (pfn >= Sections * PagesPerSection)
            throw new ArgumentOutOfRangeException(nameof(pfn), pfn, $"beyond the memmap ({Sections} sections)");
        var section = pfn >> PagesPerSectionShift;
        if (_sectionReady[section])
            return;
        lock (_sectionReady)
        {
            if (_sectionReady[section])
                return;
            ulong start = section << PagesPerSectionShift, end = start + PagesPerSection;
            for (ulong p = start; p < end; p++)
            {
                Kernel.Kernel.__init_single_page(Memmap + p, p, ZoneOf(p), 0);
                // init_unavailable_range: the hole after RAM stays reserved.
                if (p >= Pages)
                    PageFlagAccessors.__SetPageReserved(Memmap + p);
            }
            _sectionReady[section] = true;
        }
    }

    public void Dispose()
    {
        _memmap.Dispose();
        _frames.Dispose();
    }
}
