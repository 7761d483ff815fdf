using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace Emu.Benchmarks;

/// <summary>
/// ksmd throughput on the standard workload: 4 processes x 64 MiB of anonymous memory (65536
/// pages), half duplicates: even pages hold a content shared by all four processes (one KSM page
/// per content after merging), odd pages are unique (stamped with process and index). ksmd is
/// unthrottled (sleep_millisecs 0, pages_to_scan 65536) and stepped with RunFullScans.
/// "steady-state full scan": one full scan after everything mergeable has merged (the even pages
/// are stable-tree hits, the odd ones are checksummed and inserted into the unstable tree), with
/// smart_scan off (every page visited) and on (6.12's default: unchanged unmerged pages skipped).
/// Pages/s = 65536 / time. The baseline is the physical limit for the same bytes: xxh64 and a
/// full-length memcmp of every page in host memory (calc_checksum and pages_identical's work,
/// with no page tables, locks or trees). The first merge (two full scans from nothing) is timed
/// once in the setup and printed.
/// </summary>
public unsafe class KsmScanBenchmarks
{
    private const int Processes = 4;
    private const ulong BytesPerProcess = 64UL << 20;
    private const int PagesPerProcess = (int)(BytesPerProcess / 4096);
    private const int TotalPages = Processes * PagesPerProcess;

    private Machine _machine = null!;
    private byte* _host;
    private byte* _twin;

    [Params(false, true)]
    public bool SmartScan { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _machine = new Machine(new MachineOptions { MemoryBytes = 384UL << 20 });
        var s = _machine.Sysfs;
        s["/sys/kernel/mm/ksm/sleep_millisecs"] = "0";
        s["/sys/kernel/mm/ksm/pages_to_scan"] = TotalPages.ToString();
        s["/sys/kernel/mm/ksm/smart_scan"] = SmartScan ? "1" : "0";
        var page = new byte[4096];
        for (int p = 0; p < Processes; p++)
        {
            var proc = _machine.Spawn($"ksm{p}");
            ulong a = proc.Mmap(BytesPerProcess, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
            for (int i = 0; i < PagesPerProcess; i++)
            {
                Content(p, i, page);
                proc.Write(a + (ulong)i * 4096, page);
            }
            proc.Madvise(a, BytesPerProcess, Advice.Mergeable);
        }
        s["/sys/kernel/mm/ksm/run"] = "1";
        var sw = Stopwatch.StartNew();
        _machine.Ksm.RunFullScans(2);
        sw.Stop();
        Console.WriteLine($"// KSM first merge (2 full scans, {2 * TotalPages} page visits): {sw.Elapsed.TotalSeconds:F3} s, " +
                          $"{2 * TotalPages / sw.Elapsed.TotalSeconds:F0} pages/s; pages_shared {s["/sys/kernel/mm/ksm/pages_shared"].Trim()}, " +
                          $"pages_sharing {s["/sys/kernel/mm/ksm/pages_sharing"].Trim()}, pages_unshared {s["/sys/kernel/mm/ksm/pages_unshared"].Trim()}");
        _machine.Ksm.RunFullScans(1);

        // The same bytes in host memory for the physical limit.
        _host = (byte*)NativeMemory.AlignedAlloc((nuint)TotalPages * 4096, 4096);
        _twin = (byte*)NativeMemory.AlignedAlloc((nuint)TotalPages * 4096, 4096);
        for (int p = 0; p < Processes; p++)
            for (int i = 0; i < PagesPerProcess; i++)
            {
                Content(p, i, page);
                page.CopyTo(new Span<byte>(_host + ((long)p * PagesPerProcess + i) * 4096, 4096));
                page.CopyTo(new Span<byte>(_twin + ((long)p * PagesPerProcess + i) * 4096, 4096));
            }
    }

    // Even pages: a content shared by all processes (i / 2 distinguishes them); odd: unique.
    private static void Content(int p, int i, byte[] page)
    {
        if (i % 2 == 0)
        {
            Array.Fill(page, (byte)(1 + i % 251));
            BitConverter.TryWriteBytes(page.AsSpan(8), i);
        }
        else
        {
            Array.Fill(page, (byte)(1 + i % 253));
            BitConverter.TryWriteBytes(page.AsSpan(0), p);
            BitConverter.TryWriteBytes(page.AsSpan(4), i);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// KSM after the runs: full_scans {_machine.Sysfs["/sys/kernel/mm/ksm/full_scans"].Trim()}, " +
                          $"pages_skipped {_machine.Sysfs["/sys/kernel/mm/ksm/pages_skipped"].Trim()}, warnings {_machine.Warnings.Count}");
        _machine.Dispose();
        NativeMemory.AlignedFree(_host);
        NativeMemory.AlignedFree(_twin);
    }

    [Benchmark(Baseline = true, Description = "physical limit: xxh64 + memcmp of 65536 pages")]
    public ulong PhysicalLimit()
    {
        ulong acc = 0;
        for (long i = 0; i < TotalPages; i++)
        {
            byte* pg = _host + i * 4096;
            acc += Emu.Kernel.Kernel.xxh64(pg, 4096, 0);
            // pages_identical on a duplicate: a full-length compare against an equal copy.
            acc += (ulong)new ReadOnlySpan<byte>(pg, 4096).SequenceCompareTo(new ReadOnlySpan<byte>(_twin + i * 4096, 4096));
        }
        return acc;
    }

    [Benchmark(Description = "steady-state full scan, 65536 pages")]
    public void SteadyStateFullScan() => _machine.Ksm.RunFullScans(1);
}
