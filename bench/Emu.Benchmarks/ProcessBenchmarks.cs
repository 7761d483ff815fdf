using System;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace Emu.Benchmarks;

/// <summary>
/// Anonymous write faults: one user store into each page of a fresh 1 MiB mapping (256 faults
/// through do_user_addr_fault → handle_mm_fault → do_anonymous_page), then munmap. The baseline is
/// zeroing the same 1 MiB of host memory, which the emulated faults do too (the new folio is zeroed).
/// Faults/s = 256 / time.
/// </summary>
public unsafe class WriteFaultBenchmarks
{
    private const int Pages = 256;
    private Machine _machine = null!;
    private Process _process = null!;
    private byte* _buffer;

    [GlobalSetup]
    public void Setup()
    {
        _machine = new Machine();
        _process = _machine.Spawn();
        _buffer = (byte*)NativeMemory.AlignedAlloc(Pages * 4096, 4096);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _machine.Dispose();
        NativeMemory.AlignedFree(_buffer);
    }

    [Benchmark(Baseline = true, Description = "zero 1 MiB of host memory (baseline)")]
    public void ZeroHost() => new Span<byte>(_buffer, Pages * 4096).Clear();

    [Benchmark(Description = "mmap 1 MiB + 256 write faults + munmap")]
    public void WriteFaults()
    {
        ulong a = _process.Mmap(Pages * 4096, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        ReadOnlySpan<byte> one = [1];
        for (ulong i = 0; i < Pages; i++)
            _process.Write(a + i * 4096, one);
        _process.Munmap(a, Pages * 4096);
    }
}

/// <summary>
/// Fork of a process with 64 MiB of touched anonymous memory, then a write to every page of the
/// child (16384 COW faults: wp_page_copy), then the child's exit. Baseline: copying 64 MiB of host
/// memory, the data movement a full COW cannot avoid.
/// </summary>
public unsafe class ForkCowBenchmarks
{
    private const ulong Bytes = 64UL << 20;
    private Machine _machine = null!;
    private Process _parent = null!;
    private ulong _area;
    private byte* _src, _dst;

    [GlobalSetup]
    public void Setup()
    {
        _machine = new Machine(new MachineOptions { MemoryBytes = 512UL << 20 });
        _parent = _machine.Spawn();
        _area = _parent.Mmap(Bytes, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        _parent.Fill(_area, Bytes, 0x5A);
        _src = (byte*)NativeMemory.AlignedAlloc((nuint)Bytes, 4096);
        _dst = (byte*)NativeMemory.AlignedAlloc((nuint)Bytes, 4096);
        new Span<byte>(_src, (int)Bytes).Fill(1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _machine.Dispose();
        NativeMemory.AlignedFree(_src);
        NativeMemory.AlignedFree(_dst);
    }

    [Benchmark(Baseline = true, Description = "copy 64 MiB of host memory (baseline)")]
    public void CopyHost() => new Span<byte>(_src, (int)Bytes).CopyTo(new Span<byte>(_dst, (int)Bytes));

    [Benchmark(Description = "fork 64 MiB process")]
    public void Fork() => _parent.Fork().Exit();

    [Benchmark(Description = "fork 64 MiB + COW every page + exit")]
    public void ForkAndCow()
    {
        var child = _parent.Fork();
        ReadOnlySpan<byte> one = [2];
        for (ulong off = 0; off < Bytes; off += 4096)
            child.Write(_area + off, one);
        child.Exit();
    }
}
