using System;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Emu.Kernel;
using static Emu.Kernel.KernelConstants;

namespace Emu.Benchmarks;

/// <summary>
/// Page allocator throughput on a warm 256 MiB machine, per alloc+free pair. The baseline is
/// zeroing one 4 KiB page, which init_on_alloc does on every allocation anyway, so the ratio
/// is what the buddy bookkeeping and the page checks cost on top of it.
/// </summary>
public unsafe class PageAllocatorBenchmarks
{
    private Machine _machine = null!;
    private byte* _buffer;

    [GlobalSetup]
    public void Setup()
    {
        _machine = new Machine();
        _buffer = (byte*)NativeMemory.AlignedAlloc(4096, 4096);
        // Warm the free lists: the first section is online after boot, allocate once more to be steady.
        _machine.Kernel.__free_pages(_machine.Kernel.alloc_page(GFP_HIGHUSER_MOVABLE), 0);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _machine.Dispose();
        NativeMemory.AlignedFree(_buffer);
    }

    [Benchmark(Baseline = true, Description = "memset 4 KiB (baseline)")]
    public void ZeroPage() => new Span<byte>(_buffer, 4096).Clear();

    [Benchmark(Description = "order-0 alloc_page + __free_pages")]
    public void Order0Pair()
    {
        var k = _machine.Kernel;
        k.__free_pages(k.alloc_page(GFP_HIGHUSER_MOVABLE), 0);
    }

    [Benchmark(Description = "order-0 folio_alloc + folio_put")]
    public void Order0FolioPair()
    {
        var k = _machine.Kernel;
        k.folio_put(k.folio_alloc(GFP_HIGHUSER_MOVABLE, 0));
    }

    [Benchmark(Description = "order-9 folio_alloc + folio_put")]
    public void Order9FolioPair()
    {
        var k = _machine.Kernel;
        k.folio_put(k.folio_alloc(GFP_HIGHUSER_MOVABLE, 9));
    }
}
