using System;
using System.Collections.Generic;
using Emu.Arena;
using static Emu.Kernel.KernelConstants;
using KernelState = Emu.Kernel.Kernel;

namespace Emu;

/// <summary>
/// One emulated machine: its physical memory and the kernel that runs on it. Machines are
/// independent, so many can run side by side. Dispose frees all native memory.
/// </summary>
public sealed unsafe partial class Machine : IDisposable
{
    private readonly PhysicalMemory _memory;
    private readonly SlabHeap _heap;
    private bool _disposed;

    public Machine(MachineOptions? options = null)
    {
        Options = options ?? new MachineOptions();
        var kernel = Variants.KernelVariants.Create(Options.Variants);
        var bytes = Options.MemoryBytes;
        if (bytes == 0 || bytes % PAGE_SIZE != 0 || bytes > MachineOptions.MaxMemoryBytes)
            throw new ArgumentOutOfRangeException(nameof(options), bytes,
                $"MemoryBytes must be a positive multiple of {PAGE_SIZE} and at most {MachineOptions.MaxMemoryBytes}");
        _memory = new PhysicalMemory(bytes);
        try
        {
            _heap = new SlabHeap();
        }
        catch
        {
            _memory.Dispose();
            throw;
        }
        Kernel = kernel;
        Kernel.vmemmap = _memory.Memmap;
        Kernel.PAGE_OFFSET = _memory.Frames;
        Kernel.max_pfn = _memory.Pages;
        if (Options.Arch == ArchModel.AliasingVipt)
            Kernel.arch_dcache = new Arch.CacheModels.AliasingDCache(_memory.Frames, Options.Seed, Options.DCacheLines, Options.DCacheColours);
        Kernel.page_alloc_init(_memory);
        Kernel.kmem_cache_init(_heap);
        // free_area_init's lruvec_init for the one node, then start_kernel's anon_vma_init.
        Kernel.pgdat_init_lru();
        Kernel.anon_vma_init();
        Kernel.ksm_init(); // subsys_initcall(ksm_init)
        CheckInvariants = Options.CheckInvariants;
    }

    public MachineOptions Options { get; }

    /// <summary>Host address space reserved by all live machines' arenas, process-wide (touched or not).</summary>
    public static long ReservedNativeBytes => NativeReservation.LiveBytes;

    /// <summary>Number of 4 KiB page frames of RAM.</summary>
    public ulong PageFrames => _memory.Pages;

    /// <summary>Every WARN the kernel hit, in order; a correct run has none.</summary>
    public IReadOnlyList<Emu.Kernel.KernelWarning> Warnings => Kernel.Warnings;

    /// <summary>The KSM review counters (calc_checksum, stale checksums, pages_identical, merges, COW breaks), live.</summary>
    public Variants.KsmCounters KsmCounters => Kernel.ksm_counters;

    /// <summary>The aliasing D-cache's write-backs (flushed, evicted lines); zeros on x86_64.</summary>
    public (long Flushed, long Evicted) DCacheWriteBacks => Kernel.arch_dcache is { } d ? (d.FlushedLines, d.EvictedLines) : (0, 0);

    /// <summary>What the kernel printed (printk), oldest first.</summary>
    public IReadOnlyList<string> KernelLog => Kernel.KernelLog;

    /// <summary>The kernel of this machine (kernel dialect; internal to Emu).</summary>
    internal KernelState Kernel { get; }

    /// <summary>The struct page of <paramref name="pfn"/>, initialized on first use.</summary>
    internal global::Emu.Kernel.page* PageOf(ulong pfn)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(pfn, _memory.Pages);
        _memory.EnsureInitialized(pfn);
        return Kernel.pfn_to_page(pfn);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        try
        {
            ExitAll();
        }
        finally
        {
            _disposed = true;
            Kernel.page_alloc_release();
            _heap.Dispose();
            _memory.Dispose();
        }
    }
}
