using System;
using System.Collections.Generic;
using System.Linq;

namespace Emu.Regress;

/// <summary>
/// A workload for <c>emu regress</c>: a small class that drives processes and ksmd through a
/// <see cref="ScenarioContext"/>, which keeps the shadow copy of every byte the processes wrote.
/// </summary>
public abstract class Scenario
{
    /// <summary>Short name (kebab case), shown in tables and accepted by <c>--scenario</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line saying what it exercises.</summary>
    public abstract string Description { get; }

    /// <summary>Emulated RAM the scenario needs.</summary>
    public virtual ulong MemoryBytes => 32UL << 20;

    /// <summary>Runs the workload; the context's random generator is seeded from the run's seed.</summary>
    public abstract void Run(ScenarioContext ctx);
}

/// <summary>
/// The scenario's view of a machine: processes whose writes are mirrored in a shadow model (what each
/// page must read back as), and ksmd controls. <see cref="Verify"/> compares every tracked page.
/// </summary>
public sealed class ScenarioContext
{
    public const ulong PageSize = 4096;

    // Per process, page address -> expected bytes (null: never written, reads as zeros).
    private readonly Dictionary<Process, Dictionary<ulong, byte[]>> _shadow = new();

    internal ScenarioContext(Machine machine, ulong seed)
    {
        Machine = machine;
        Random = new Random(unchecked((int)(seed * 2654435761UL ^ seed >> 32)));
        _ = machine.Ksm; // ksm_init, the subsys_initcall
    }

    public Machine Machine { get; }

    /// <summary>Seeded from the run's seed: the same seed gives the same workload on every kernel and arch.</summary>
    public Random Random { get; }

    /// <summary>Pages whose content differed from the shadow at a <see cref="Verify"/>.</summary>
    public int IntegrityErrors { get; private set; }

    /// <summary>The first few differences, for the report.</summary>
    public List<string> IntegrityDetails { get; } = new();

    /// <summary>A process with <paramref name="pages"/> private anonymous pages, mergeable by prctl(PR_SET_MEMORY_MERGE).</summary>
    public (Process Process, ulong Address) Spawn(string comm, int pages, bool mergeable = true)
    {
        var p = Machine.Spawn(comm);
        if (mergeable)
            p.SetMemoryMerge(true);
        ulong a = p.Mmap((ulong)pages * PageSize, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        _shadow[p] = new Dictionary<ulong, byte[]>();
        for (int i = 0; i < pages; i++)
            _shadow[p][a + (ulong)i * PageSize] = new byte[PageSize];
        return (p, a);
    }

    /// <summary>Fills a whole page with one byte value.</summary>
    public void FillPage(Process p, ulong page, byte value)
    {
        p.Fill(page, PageSize, value);
        Array.Fill(_shadow[p][page], value);
    }

    /// <summary>Stores <paramref name="data"/> inside one page.</summary>
    public void Write(Process p, ulong address, ReadOnlySpan<byte> data)
    {
        p.Write(address, data);
        ulong page = address & ~(PageSize - 1);
        data.CopyTo(_shadow[p][page].AsSpan((int)(address - page)));
    }

    /// <summary>fork(2); the child's shadow is the parent's.</summary>
    public Process Fork(Process parent)
    {
        var child = parent.Fork();
        _shadow[child] = _shadow[parent].ToDictionary(kv => kv.Key, kv => (byte[])kv.Value.Clone());
        return child;
    }

    /// <summary>exit(2).</summary>
    public void Exit(Process p)
    {
        p.Exit();
        _shadow.Remove(p);
    }

    /// <summary>Writes a sysfs knob of /sys/kernel/mm/ksm.</summary>
    public void Ksm(string knob, string value) => Machine.Sysfs["/sys/kernel/mm/ksm/" + knob] = value;

    /// <summary>One ksmd batch of <paramref name="pages"/> pages.</summary>
    public void Scan(int pages) => Machine.Ksm.Scan(pages);

    /// <summary>Scans until <paramref name="n"/> more full scans completed.</summary>
    public void FullScans(int n) => Machine.Ksm.RunFullScans(n);

    /// <summary>Reads every tracked page of every live process and compares it with the shadow.</summary>
    public void Verify()
    {
        var buf = new byte[PageSize];
        foreach (var (p, pages) in _shadow)
        foreach (var (addr, expected) in pages)
        {
            p.Read(addr, buf);
            if (buf.AsSpan().SequenceEqual(expected))
                continue;
            IntegrityErrors++;
            if (IntegrityDetails.Count < 5)
            {
                int at = buf.AsSpan().CommonPrefixLength(expected);
                IntegrityDetails.Add($"{p} 0x{addr:x}+{at}: read {buf[at]:x2}, wrote {expected[at]:x2}");
            }
        }
    }
}
