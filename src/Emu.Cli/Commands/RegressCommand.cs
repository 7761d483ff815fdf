using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Emu.Regress;
using Emu.Variants;
using Spectre.Console;

namespace Emu.Cli.Commands;

/// <summary>
/// <c>emu regress [--json] [--seeds N] [--scenario NAME]... [--variant NAME]...</c>: the built-in scenarios on the
/// baseline kernel and on each variant, on x86_64 and on the aliasing VIPT model, from the same seeds; a table of
/// per-scenario counters (summed over seeds) and the data-integrity verdict. Exit code 1 when a variant run has
/// integrity errors, WARNs or a BUG that the same-seed baseline run does not have; 2 on bad arguments.
/// </summary>
internal static class RegressCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "machine-readable output: every run's counters and the regressions" };
        var seeds = new Option<int>("--seeds") { Description = "seeds per scenario, arch and kernel (1..N)", DefaultValueFactory = _ => 5 };
        var scenario = new Option<string[]>("--scenario") { Description = "run only these scenarios", AllowMultipleArgumentsPerToken = true };
        var variant = new Option<string[]>("--variant") { Description = "compare only these variants (default: all registered)", AllowMultipleArgumentsPerToken = true };
        var cmd = new Command("regress", "run scenarios on the baseline and on each kernel-patch variant, on each arch model, and compare")
        {
            json, seeds, scenario, variant,
        };
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            int n = parse.GetValue(seeds);
            if (n < 1)
            {
                error.WriteLine("emu: --seeds must be 1 or more");
                return 2;
            }
            var scenarios = BuiltinScenarios.All.ToList();
            if (parse.GetValue(scenario) is { Length: > 0 } only)
            {
                var unknown = only.Where(o => scenarios.All(s => s.Name != o)).ToList();
                if (unknown.Count > 0)
                {
                    error.WriteLine($"emu: unknown scenario {string.Join(", ", unknown)} (known: {string.Join(", ", scenarios.Select(s => s.Name))})");
                    return 2;
                }
                scenarios = scenarios.Where(s => only.Contains(s.Name)).ToList();
            }
            var variants = parse.GetValue(variant) is { Length: > 0 } vs ? vs.ToList() : KernelVariants.Names.ToList();
            var bad = variants.Where(v => !KernelVariants.Names.Contains(v, StringComparer.OrdinalIgnoreCase)).ToList();
            if (bad.Count > 0)
            {
                error.WriteLine($"emu: unknown variant {string.Join(", ", bad)} (known: {string.Join(", ", KernelVariants.Names)})");
                return 2;
            }
            var seedList = Enumerable.Range(1, n).Select(i => (ulong)i).ToList();
            var archs = new[] { ArchModel.X86_64, ArchModel.AliasingVipt };
            int total = scenarios.Count * archs.Length * (variants.Count + 1) * seedList.Count;
            var sw = Stopwatch.StartNew();
            IReadOnlyList<RunResult> results = [];
            bool live = !parse.GetValue(json) && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
            if (!live)
                results = RegressRunner.Run(scenarios, variants, archs, seedList);
            else
            {
                // A live bar on a terminal only; redirected output gets the finished table.
                AnsiConsole.Progress().AutoClear(true).Start(ctx =>
                {
                    var task = ctx.AddTask("scenarios", maxValue: total);
                    results = RegressRunner.Run(scenarios, variants, archs, seedList, r =>
                    {
                        task.Description = $"{r.Scenario} {ArchName(r.Arch)} {r.Kernel} seed {r.Seed}";
                        task.Increment(1);
                    });
                });
            }
            sw.Stop();
            var regressions = RegressRunner.Regressions(results);
            if (parse.GetValue(json))
                WriteJson(output, results, regressions, sw.Elapsed, seedList.Count);
            else
                WriteText(output, results, regressions, sw.Elapsed, seedList.Count, variants);
            return regressions.Count > 0 ? 1 : 0;
        });
        return cmd;
    }

    internal static string ArchName(ArchModel a) => a == ArchModel.X86_64 ? "x86_64" : "aliasing-vipt";

    // Table columns: (header, counter name).
    private static readonly (string Header, string Counter)[] Columns =
    [
        ("shared", "pages_shared"), ("sharing", "pages_sharing"), ("unshared", "pages_unshared"), ("volatile", "pages_volatile"),
        ("full scans", "full_scans"), ("checksums", "calc_checksum"), ("stale", "stale_checksum"), ("identical?", "pages_identical"),
        ("differ", "pages_identical_fail"), ("merges", "merges"), ("COW breaks", "cow_breaks"), ("WARN", "warns"),
    ];

    private static void WriteText(TextWriter output, IReadOnlyList<RunResult> results, IReadOnlyList<Regression> regressions, TimeSpan elapsed, int seeds, List<string> variants)
    {
        var console = UpstreamCommand.Console(output);
        console.Profile.Width = 260;
        var table = new Table().Border(TableBorder.Simple).AddColumn("scenario").AddColumn("arch").AddColumn("kernel");
        foreach (var (h, _) in Columns)
            table.AddColumn(new TableColumn(h).RightAligned());
        table.AddColumn("integrity");
        foreach (var group in results.GroupBy(r => (r.Scenario, r.Arch)))
        {
            var byKernel = group.GroupBy(r => r.Kernel).ToList();
            var baseline = byKernel.First(g => g.Key == RegressRunner.Baseline);
            foreach (var k in byKernel)
            {
                var cells = new List<string> { Markup.Escape(group.Key.Scenario), ArchName(group.Key.Arch), Markup.Escape(k.Key) };
                foreach (var (_, counter) in Columns)
                {
                    long v = k.Sum(r => r.Counters.First(c => c.Name == counter).Value);
                    long b = baseline.Sum(r => r.Counters.First(c => c.Name == counter).Value);
                    cells.Add(k.Key == RegressRunner.Baseline || v == b ? v.ToString() : $"{v} ({(v > b ? "+" : "")}{v - b})");
                }
                int bad = k.Sum(r => r.IntegrityErrors);
                int bugs = k.Count(r => r.Bug is not null);
                cells.Add(bad == 0 && bugs == 0 ? "ok" : $"{bad} bad pages" + (bugs > 0 ? $", {bugs} BUG" : ""));
                table.AddRow(cells.ToArray());
            }
        }
        console.Write(table);
        output.WriteLine($"counters summed over seeds 1..{seeds}; variant cells show (difference from baseline)");
        foreach (var v in variants)
        {
            var p = KernelVariants.Describe(v);
            output.WriteLine($"{v}: \"{p.Subject}\" <{p.MessageId}>");
        }
        foreach (var r in regressions)
            output.WriteLine($"REGRESSION {r.Variant.Scenario} {ArchName(r.Variant.Arch)} {r.Variant.Kernel} seed {r.Variant.Seed}: {r.What}");
        foreach (var r in results.Where(r => r.Bug is not null && r.Kernel == RegressRunner.Baseline))
            output.WriteLine($"baseline BUG {r.Scenario} {ArchName(r.Arch)} seed {r.Seed}: {r.Bug}");
        output.WriteLine($"{results.Count} runs in {elapsed.TotalSeconds:F1} s; {(regressions.Count == 0 ? "no regressions" : $"{regressions.Count} regressions")}");
    }

    private static void WriteJson(TextWriter output, IReadOnlyList<RunResult> results, IReadOnlyList<Regression> regressions, TimeSpan elapsed, int seeds)
    {
        var doc = new
        {
            seeds,
            elapsedSeconds = Math.Round(elapsed.TotalSeconds, 2),
            runs = results.Select(r => new
            {
                scenario = r.Scenario,
                arch = ArchName(r.Arch),
                kernel = r.Kernel,
                seed = r.Seed,
                counters = r.Counters.ToDictionary(c => c.Name, c => c.Value),
                bug = r.Bug,
                integrity = r.IntegrityDetails,
                ms = Math.Round(r.Elapsed.TotalMilliseconds),
            }),
            regressions = regressions.Select(g => new
            {
                scenario = g.Variant.Scenario, arch = ArchName(g.Variant.Arch), kernel = g.Variant.Kernel, seed = g.Variant.Seed, what = g.What,
            }),
        };
        output.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
    }
}
