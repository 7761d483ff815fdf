using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using Emu.Upstream;
using Spectre.Console;

namespace Emu.Cli.Commands;

/// <summary>
/// <c>emu upstream coverage [--linux DIR] [--list] [--json]</c>: per upstream file named by a marker, how many of
/// its functions carry one (e.g. <c>mm/page_alloc.c 34/213</c>), the stubbed ones, and with --list the others.
/// </summary>
internal static class UpstreamCoverageCommand
{
    public static Command Create()
    {
        var linux = UpstreamCommand.LinuxOption();
        var list = new Option<bool>("--list") { Description = "list each file's functions that carry no marker, and the stubbed ones" };
        var json = new Option<bool>("--json") { Description = "machine-readable output" };
        var coverage = new Command("coverage", "per upstream file: functions transliterated / all functions") { linux, list, json };
        coverage.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var root = parse.GetValue(linux) ?? UpstreamCommand.DefaultTree();
            if (!Directory.Exists(Path.Combine(root, "mm")))
            {
                parse.InvocationConfiguration.Error.WriteLine($"emu: {root}: not a kernel tree (no mm/)");
                return 2;
            }
            var rows = UpstreamCoverage.Compute(UpstreamManifest.All, new KernelTree(root));
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(rows.Select(r => new
                {
                    file = r.File,
                    functions = r.Functions,
                    transliterated = r.Transliterated,
                    stubbed = r.Stubbed,
                    macros = r.Macros,
                    notTransliterated = r.NotTransliterated,
                    stubbedNames = r.StubbedNames,
                }), new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            var table = new Table().Border(TableBorder.Simple)
                .AddColumn("upstream file").AddColumn(new TableColumn("transliterated").RightAligned())
                .AddColumn(new TableColumn("stubbed").RightAligned()).AddColumn(new TableColumn("macros").RightAligned());
            foreach (var r in rows)
                table.AddRow(Markup.Escape(r.File), $"{r.Transliterated}/{r.Functions}", r.Stubbed.ToString(), r.Macros.ToString());
            UpstreamCommand.Console(output).Write(table);
            if (parse.GetValue(list))
            {
                foreach (var r in rows.Where(r => r.NotTransliterated.Count > 0 || r.StubbedNames.Count > 0))
                {
                    output.WriteLine($"{r.File}: not transliterated: {string.Join(" ", r.NotTransliterated)}");
                    if (r.StubbedNames.Count > 0)
                        output.WriteLine($"{r.File}: stubbed: {string.Join(" ", r.StubbedNames)}");
                }
            }
            output.WriteLine($"{rows.Sum(r => r.Transliterated)} of {rows.Sum(r => r.Functions)} functions transliterated, {rows.Sum(r => r.Stubbed)} stubbed, " +
                             $"{rows.Sum(r => r.Macros)} macros, in {rows.Count} upstream files");
            return 0;
        });
        return coverage;
    }
}
