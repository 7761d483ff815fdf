using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace Emu.Regress;

/// <summary>The counters of one run of one scenario on one kernel, arch model and seed.</summary>
public sealed record RunResult(
    string Scenario, string Kernel, ArchModel Arch, ulong Seed,
    long PagesShared, long PagesSharing, long PagesUnshared, long PagesVolatile, long FullScans,
    long ChecksumCalls, long StaleChecksums, long PagesIdenticalCalls, long PagesIdenticalFailures,
    long Merges, long CowBreaks, long FlushedLines, long EvictedLines,
    int Warnings, string? Bug, int IntegrityErrors, IReadOnlyList<string> IntegrityDetails, TimeSpan Elapsed)
{
    /// <summary>The counters by name, in table order (what the baseline-vs-variant comparison looks at).</summary>
    public IReadOnlyList<(string Name, long Value)> Counters =>
    [
        ("pages_shared", PagesShared), ("pages_sharing", PagesSharing), ("pages_unshared", PagesUnshared), ("pages_volatile", PagesVolatile),
        ("full_scans", FullScans), ("calc_checksum", ChecksumCalls), ("stale_checksum", StaleChecksums),
        ("pages_identical", PagesIdenticalCalls), ("pages_identical_fail", PagesIdenticalFailures), ("merges", Merges),
        ("cow_breaks", CowBreaks), ("dcache_flushed", FlushedLines), ("dcache_evicted", EvictedLines), ("warns", Warnings),
        ("integrity_errors", IntegrityErrors),
    ];
}

/// <summary>A regression the runner found: a variant run worse than the baseline run with the same scenario, arch and seed.</summary>
public sealed record Regression(RunResult Baseline, RunResult Variant, string What);

/// <summary>Runs scenarios on the baseline and on each variant, per arch model and seed, and compares them.</summary>
public static class RegressRunner
{
    public const string Baseline = "baseline";

    /// <summary>One run: a fresh machine, the scenario, then the counters.</summary>
    public static RunResult RunOne(Scenario scenario, string kernel, ArchModel arch, ulong seed, int dcacheLines = 512)
    {
        var sw = Stopwatch.StartNew();
        using var machine = new Machine(new MachineOptions
        {
            MemoryBytes = scenario.MemoryBytes,
            Arch = arch,
            Seed = seed,
            DCacheLines = dcacheLines,
            Variants = kernel == Baseline ? [] : [kernel],
        });
        var ctx = new ScenarioContext(machine, seed);
        string? bug = null;
        try
        {
            scenario.Run(ctx);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A BUG_ON, an oops or a signal the workload did not expect: the run stops here.
            bug = $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
        }
        long Ksm(string knob)
        {
            try { return long.Parse(machine.Sysfs["/sys/kernel/mm/ksm/" + knob]); }
            catch (Exception) { return -1; }
        }
        var c = machine.KsmCounters;
        var (flushed, evicted) = machine.DCacheWriteBacks;
        return new RunResult(scenario.Name, kernel, arch, seed,
            Ksm("pages_shared"), Ksm("pages_sharing"), Ksm("pages_unshared"), Ksm("pages_volatile"), Ksm("full_scans"),
            c.ChecksumCalls, c.StaleChecksums, c.PagesIdenticalCalls, c.PagesIdenticalFailures, c.Merges, c.CowBreaks,
            flushed, evicted, machine.Warnings.Count, bug, ctx.IntegrityErrors, ctx.IntegrityDetails, sw.Elapsed);
    }

    /// <summary>Every scenario x arch x kernel (baseline first) x seed; <paramref name="progress"/> gets each result.</summary>
    public static IReadOnlyList<RunResult> Run(IEnumerable<Scenario> scenarios, IReadOnlyList<string> variants, IEnumerable<ArchModel> archs,
        IReadOnlyList<ulong> seeds, Action<RunResult>? progress = null)
    {
        var results = new List<RunResult>();
        foreach (var s in scenarios)
        foreach (var arch in archs)
        foreach (var kernel in variants.Prepend(Baseline))
        foreach (var seed in seeds)
        {
            var r = RunOne(s, kernel, arch, seed);
            results.Add(r);
            progress?.Invoke(r);
        }
        return results;
    }

    /// <summary>Variant runs with integrity errors, WARNs or a BUG that the same-seed baseline run does not have.</summary>
    public static IReadOnlyList<Regression> Regressions(IReadOnlyList<RunResult> results)
    {
        var baseline = results.Where(r => r.Kernel == Baseline).ToDictionary(r => (r.Scenario, r.Arch, r.Seed));
        var found = new List<Regression>();
        foreach (var v in results.Where(r => r.Kernel != Baseline))
        {
            if (!baseline.TryGetValue((v.Scenario, v.Arch, v.Seed), out var b))
                continue;
            if (v.IntegrityErrors > b.IntegrityErrors)
                found.Add(new Regression(b, v, $"data integrity: {v.IntegrityErrors} bad pages (baseline {b.IntegrityErrors})" +
                    (v.IntegrityDetails.Count > 0 ? "; " + v.IntegrityDetails[0] : "")));
            if (v.Warnings > b.Warnings)
                found.Add(new Regression(b, v, $"{v.Warnings} WARNs (baseline {b.Warnings})"));
            if (v.Bug is not null && b.Bug is null)
                found.Add(new Regression(b, v, $"BUG: {v.Bug}"));
        }
        return found;
    }
}
