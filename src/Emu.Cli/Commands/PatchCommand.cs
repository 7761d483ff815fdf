using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using Emu.Patches;
using Emu.Upstream;
using Spectre.Console;

namespace Emu.Cli.Commands;

/// <summary>
/// <c>emu patch map FILE [--linux DIR] [--scaffold OUT] [--json]</c>: the upstream functions a kernel patch
/// (format-patch output, an mbox, or a unified diff) changes, and the C# member that transliterates each.
/// Exit code 0 when mapped, 1 when the patch is malformed, 2 when FILE is missing.
/// </summary>
internal static class PatchCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "the patch: git format-patch output, an mbox, or a unified diff ('-' reads stdin)" };
        var linux = UpstreamCommand.LinuxOption();
        var scaffold = new Option<string>("--scaffold") { Description = "write a variant class skeleton with the current C# bodies of the touched methods to this file" };
        var className = new Option<string>("--class") { Description = "class name for --scaffold (default: from the subject)" };
        var json = new Option<bool>("--json") { Description = "machine-readable output" };
        var map = new Command("map", "list the upstream functions a patch changes and where Emu transliterates them") { file, linux, scaffold, className, json };
        map.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var path = parse.GetValue(file)!;
            string text;
            if (path == "-")
                text = Console.In.ReadToEnd();
            else if (!File.Exists(path))
            {
                error.WriteLine($"emu: {path}: no such file");
                return 2;
            }
            else
                text = File.ReadAllText(path);
            System.Collections.Generic.IReadOnlyList<KernelPatch> patches;
            try
            {
                patches = PatchParser.Parse(text);
            }
            catch (PatchFormatException e)
            {
                error.WriteLine($"emu: {path}:{e.Line}: {e.Message[(e.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..]}");
                return 1;
            }
            var root = parse.GetValue(linux) ?? UpstreamCommand.DefaultTree();
            KernelTree? tree = Directory.Exists(Path.Combine(root, "mm")) ? new KernelTree(root) : null;
            if (tree is null)
                error.WriteLine($"emu: {root}: not a kernel tree; mapping by hunk headers only");
            var maps = patches.Select(p => PatchMapper.Map(p, tree, UpstreamManifest.All)).ToList();

            if (parse.GetValue(json))
                WriteJson(output, maps, tree);
            else
                WriteText(output, maps);

            if (parse.GetValue(scaffold) is { } outFile)
            {
                var headers = StructDrift.FindHeaders();
                if (headers is null)
                {
                    error.WriteLine("emu: cannot find the repository (its headers/) to read the C# bodies from");
                    return 2;
                }
                var repo = Path.GetDirectoryName(headers)!;
                var merged = new PatchMap(maps[0].Patch, maps.SelectMany(m => m.Functions).ToList(), maps.SelectMany(m => m.Notes).ToList());
                var name = parse.GetValue(className) ?? ClassName(merged.Patch.Subject);
                File.WriteAllText(outFile, VariantScaffold.Write(merged, name, repo));
                output.WriteLine($"wrote {outFile} (class {name})");
            }
            return 0;
        });
        return new Command("patch", "work with kernel patches under review") { map };
    }

    /// <summary>PascalCase of the subject's words after the last ':' plus "Variant".</summary>
    internal static string ClassName(string? subject)
    {
        var words = (subject ?? "Patch").Split(':').Last().Split([' ', '-', '_', '/', '.', ','], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray())).Where(w => w.Length > 0).Take(6);
        var name = string.Concat(words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        if (name.Length == 0 || char.IsDigit(name[0])) name = "Patch" + name;
        return name + "Variant";
    }

    private static void WriteText(TextWriter output, System.Collections.Generic.List<PatchMap> maps)
    {
        var console = UpstreamCommand.Console(output);
        foreach (var map in maps)
        {
            var p = map.Patch;
            if (p.Subject is not null)
                output.WriteLine($"{p.Subject}" + (p.MessageId is null ? "" : $" <{p.MessageId}>"));
            var table = new Table().Border(TableBorder.Simple)
                .AddColumn("upstream").AddColumn("hunks").AddColumn("-/+").AddColumn("C#").AddColumn("found by");
            foreach (var f in map.Functions)
            {
                var cs = f.Markers.Count == 0 ? "not transliterated"
                    : string.Join("\n", f.Markers.Select(m => $"{m.Member} {m.Location}" + (m.Stub ? " (stub)" : "")));
                table.AddRow(Markup.Escape($"{f.File} {f.Function}"), string.Join(",", f.Hunks), $"-{f.Removed}/+{f.Added}",
                    Markup.Escape(cs), f.Source == MapSource.Tree ? "changed lines" : "hunk header");
            }
            console.Write(table);
            foreach (var n in map.Notes)
                output.WriteLine("note: " + n);
            output.WriteLine($"{map.Functions.Count} functions, {map.Functions.Count(f => f.Transliterated)} transliterated");
        }
    }

    private static void WriteJson(TextWriter output, System.Collections.Generic.List<PatchMap> maps, KernelTree? tree)
    {
        var doc = maps.Select(m => new
        {
            subject = m.Patch.Subject,
            messageId = m.Patch.MessageId,
            tree = tree?.Root,
            functions = m.Functions.Select(f => new
            {
                file = f.File,
                function = f.Function,
                foundBy = f.Source == MapSource.Tree ? "lines" : "header",
                hunks = f.Hunks,
                removed = f.Removed,
                added = f.Added,
                transliterated = f.Transliterated,
                csharp = f.Markers.Select(x => new { member = x.Member, location = x.Location, stub = x.Stub }),
            }),
            notes = m.Notes,
        });
        output.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
    }
}
