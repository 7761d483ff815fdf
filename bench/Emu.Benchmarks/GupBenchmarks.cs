using System;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace Emu.Benchmarks;

/// <summary>
/// Pin + unpin of populated anonymous memory through the process API: pin_user_pages_unlocked (slow
/// path: mmap lock, __get_user_pages, follow_page_pte per page) or pin_user_pages_fast (lockless
/// page-table walk), then unpin_user_pages_dirty_lock. 1 page and 512 pages (2 MiB). Baseline: a
/// host loop reading one byte of each page of a buffer of the same size, the least any pinning
/// must do (touch each page once). Pages/s = Pages / time.
/// </summary>
public unsafe class GupBenchmarks
{
    private Machine _machine = null!;
    private Process _process = null!;
    private ulong _area;
    private byte* _buffer;

    [Params(1, 512)]
    public int Pages;

    [GlobalSetup]
    public void Setup()
    {
        _machine = new Machine();
        _process = _machine.Spawn();
        _area = _process.Mmap((ulong)Pages * 4096, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        _process.Fill(_area, (ulong)Pages * 4096, 0x5A);
        _buffer = (byte*)NativeMemory.AlignedAlloc((nuint)Pages * 4096, 4096);
        new Span<byte>(_buffer, Pages * 4096).Fill(0x5A);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _machine.Dispose();
        NativeMemory.AlignedFree(_buffer);
    }

    [Benchmark(Baseline = true, Description = "read a byte of each host page (baseline)")]
    public int TouchHost()
    {
        int sum = 0;
        for (int i = 0; i < Pages; i++)
            sum += _buffer[i * 4096];
        return sum;
    }

    [Benchmark(Description = "pin_user_pages (slow path) + unpin")]
    public int PinSlow()
    {
        using var pin = _process.Pin(_area, Pages, PinFlags.Write);
        return pin.Count;
    }

    [Benchmark(Description = "pin_user_pages_fast + unpin")]
    public int PinFast()
    {
        using var pin = _process.Pin(_area, Pages, PinFlags.Write | PinFlags.Fast);
        return pin.Count;
    }
}
