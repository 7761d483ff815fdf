using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using Emu.Upstream;
using Spectre.Console;

namespace Emu.Cli.Commands;

/// <summary>
/// <c>emu upstream status [--linux DIR] [--base DIR0] [--diff] [--json] [--all]</c>: every marker against a
/// kernel tree (same / changed / missing / moved) and every header struct against the tree's (struct drift).
/// Exit code 0 when everything is the same, 1 when anything is not, 2 when the tree is not there.
/// </summary>
internal static class UpstreamStatusCommand
{
    public static Command Create()
    {
        var linux = UpstreamCommand.LinuxOption();
        var baseTree = new Option<string>("--base")
        {
            Description = "the tree the markers were written from, for --diff (default: the pinned tree)",
        };
        var diff = new Option<bool>("--diff") { Description = "print a unified diff of each changed function's upstream definition, base → tree" };
        var json = new Option<bool>("--json") { Description = "machine-readable output" };
        var all = new Option<bool>("--all") { Description = "list every marker and struct, not only those that differ" };
        var noStructs = new Option<bool>("--no-structs") { Description = "skip struct drift" };
        var headers = new Option<string>("--headers") { Description = "trimmed headers directory (default: the repository's headers/)" };
        var status = new Command("status", "compare every [Upstream] marker and header struct with a kernel tree")
        {
            linux, baseTree, diff, json, all, noStructs, headers,
        };
        status.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var root = parse.GetValue(linux) ?? UpstreamCommand.DefaultTree();
            if (!Directory.Exists(Path.Combine(root, "mm")))
            {
                error.WriteLine($"emu: {root}: not a kernel tree (no mm/)");
                return 2;
            }
            var tree = new KernelTree(root);
            var basePath = parse.GetValue(baseTree) ?? UpstreamCommand.DefaultTree();
            var baseKernel = Directory.Exists(Path.Combine(basePath, "mm")) ? new KernelTree(basePath) : null;
            var markers = UpstreamStatus.Check(UpstreamManifest.All, tree, baseKernel, parse.GetValue(diff));

            IReadOnlyList<StructStatus> structs = [];
            if (!parse.GetValue(noStructs))
            {
                var dir = parse.GetValue(headers) ?? StructDrift.FindHeaders();
                if (dir is null)
                {
                    error.WriteLine("emu: cannot find the repository's headers/ (give --headers DIR or --no-structs)");
                    return 2;
                }
                structs = StructDrift.Check(dir, tree);
            }

            bool clean = markers.All(m => m.State == MarkerState.Same) && structs.All(s => s.State == StructState.Same);
            if (parse.GetValue(json))
                WriteJson(output, tree, baseKernel, markers, structs);
            else
                WriteText(output, tree, markers, structs, parse.GetValue(all));
            return clean ? 0 : 1;
        });
        return status;
    }

    private static string Name(MarkerState s) => s.ToString().ToLowerInvariant();

    private static void WriteText(TextWriter output, KernelTree tree, IReadOnlyList<MarkerStatus> markers, IReadOnlyList<StructStatus> structs, bool all)
    {
        var console = UpstreamCommand.Console(output);
        var shown = markers.Where(m => all || m.State != MarkerState.Same).ToList();
        if (shown.Count > 0)
        {
            var table = new Table().Border(TableBorder.Simple)
                .AddColumn("state").AddColumn("upstream").AddColumn("C#").AddColumn("detail");
            foreach (var m in shown)
            {
                var mk = m.Marker;
                var upstream = $"{mk.File} {mk.Function}" + (mk.Definition > 1 ? $" #{mk.Definition}" : "") + (mk.IsMacro ? " (macro)" : "");
                var detail = m.State switch
                {
                    MarkerState.Changed when !mk.IsMacro => $"marker {mk.Hash}, tree {m.TreeHash}",
                    MarkerState.Changed => "definition differs from the base tree",
                    MarkerState.Moved => $"now in {string.Join(", ", m.MovedTo)}" + (m.TreeHash is null ? "" : m.TreeHash == mk.Hash ? ", body same" : ", body changed"),
                    MarkerState.Missing => "defined nowhere in the tree",
                    _ => "",
                };
                table.AddRow(Markup.Escape(Name(m.State)), Markup.Escape(upstream), Markup.Escape($"{mk.Member} {mk.Location}" + (mk.Stub ? " (stub)" : "")), Markup.Escape(detail));
            }
            console.Write(table);
        }
        var shownStructs = structs.Where(s => all || s.State != StructState.Same).ToList();
        if (shownStructs.Count > 0)
        {
            var table = new Table().Border(TableBorder.Simple)
                .AddColumn("state").AddColumn("struct").AddColumn("header").AddColumn("upstream").AddColumn("differences");
            foreach (var s in shownStructs)
                table.AddRow(Markup.Escape(s.State.ToString().ToLowerInvariant()), Markup.Escape(s.Struct), Markup.Escape($"headers/{s.Header}:{s.Line}"),
                    Markup.Escape(s.UpstreamFile ?? "?"), Markup.Escape(string.Join("\n", s.Differences.Concat(all ? s.Trimmed.Select(t => "(trimmed) " + t) : []))));
            console.Write(table);
        }
        foreach (var m in markers.Where(m => m.Diff is not null))
        {
            output.WriteLine($"=== {m.Marker.File} {m.Marker.Function}: {m.Marker.Member} at {m.Marker.Location}");
            output.Write(m.Diff);
        }
        int Count(MarkerState s) => markers.Count(m => m.State == s);
        int CountS(StructState s) => structs.Count(x => x.State == s);
        output.WriteLine($"{markers.Count} markers: {Count(MarkerState.Same)} same, {Count(MarkerState.Changed)} changed, {Count(MarkerState.Missing)} missing, {Count(MarkerState.Moved)} moved; " +
                         $"{structs.Count} structs: {CountS(StructState.Same)} same, {CountS(StructState.Drift)} drifted, {CountS(StructState.Moved)} moved, {CountS(StructState.Missing)} missing ({tree.Root})");
    }

    private static void WriteJson(TextWriter output, KernelTree tree, KernelTree? baseTree, IReadOnlyList<MarkerStatus> markers, IReadOnlyList<StructStatus> structs)
    {
        var doc = new
        {
            tree = tree.Root,
            @base = baseTree?.Root,
            summary = new
            {
                markers = markers.Count,
                same = markers.Count(m => m.State == MarkerState.Same),
                changed = markers.Count(m => m.State == MarkerState.Changed),
                missing = markers.Count(m => m.State == MarkerState.Missing),
                moved = markers.Count(m => m.State == MarkerState.Moved),
                structs = structs.Count,
                structsSame = structs.Count(s => s.State == StructState.Same),
                structsDrifted = structs.Count(s => s.State == StructState.Drift),
                structsMoved = structs.Count(s => s.State == StructState.Moved),
                structsMissing = structs.Count(s => s.State == StructState.Missing),
            },
            markers = markers.Select(m => new
            {
                file = m.Marker.File,
                function = m.Marker.Function,
                definition = m.Marker.Definition,
                macro = m.Marker.IsMacro,
                hash = m.Marker.Hash,
                stub = m.Marker.Stub,
                member = m.Marker.Member,
                location = m.Marker.Location,
                state = Name(m.State),
                treeHash = m.TreeHash,
                movedTo = m.MovedTo,
                diff = m.Diff,
            }),
            structs = structs.Select(s => new
            {
                name = s.Struct,
                header = s.Header,
                line = s.Line,
                fields = s.Fields,
                upstream = s.UpstreamFile,
                state = s.State.ToString().ToLowerInvariant(),
                differences = s.Differences,
                trimmed = s.Trimmed,
            }),
        };
        output.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
    }
}
