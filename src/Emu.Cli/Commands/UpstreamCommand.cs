using System;
using System.CommandLine;
using System.IO;
using Emu.Upstream;

namespace Emu.Cli.Commands;

/// <summary>
/// <c>emu upstream hash FILE FUNCTION --linux DIR</c>: the marker hash of an upstream function;
/// <c>emu upstream status</c> and <c>emu upstream coverage</c> live in their own files.
/// </summary>
internal static class UpstreamCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "path inside the kernel tree, e.g. mm/ksm.c" };
        var function = new Argument<string>("function") { Description = "function name" };
        var linux = new Option<string>("--linux")
        {
            Description = "kernel tree (default: $EMU_LINUX_SRC or ~/.cache/emu/linux-source-6.12)",
        };
        var definition = new Option<int>("--definition")
        {
            Description = "which definition (1-based) when #ifdef branches define the function more than once",
            DefaultValueFactory = _ => 1,
        };
        definition.Validators.Add(r =>
        {
            if (r.GetValue(definition) < 1)
                r.AddError("--definition must be 1 or more");
        });
        var hash = new Command("hash", "print the [Upstream] hash of an upstream function's body") { file, function, linux, definition };
        hash.SetAction(parse =>
        {
            var tree = parse.GetValue(linux) ?? DefaultTree();
            var path = Path.Combine(tree, parse.GetValue(file)!);
            if (!File.Exists(path))
            {
                parse.InvocationConfiguration.Error.WriteLine($"emu: {path}: no such file");
                return 2;
            }
            var body = UpstreamSource.ExtractFunctionBody(File.ReadAllText(path), parse.GetValue(function)!, parse.GetValue(definition));
            if (body is null)
            {
                parse.InvocationConfiguration.Error.WriteLine($"emu: no definition #{parse.GetValue(definition)} of {parse.GetValue(function)} in {path}");
                return 1;
            }
            parse.InvocationConfiguration.Output.WriteLine(UpstreamSource.BodyHash(body));
            return 0;
        });
        return new Command("upstream", "compare transliterated code with a kernel tree")
        {
            hash, UpstreamStatusCommand.Create(), UpstreamCoverageCommand.Create(),
        };
    }

    /// <summary>The tree tools/setup.sh unpacks.</summary>
    public static string DefaultTree() => KernelTree.PinnedPath();

    /// <summary>A console writing plain text (no colours, wide tables) to the command's output.</summary>
    internal static Spectre.Console.IAnsiConsole Console(TextWriter writer)
    {
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.No,
            ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
            Interactive = Spectre.Console.InteractionSupport.No,
            Out = new Spectre.Console.AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 200;
        return console;
    }

    /// <summary>The --linux option shared by the subcommands.</summary>
    internal static Option<string> LinuxOption() => new("--linux")
    {
        Description = "kernel tree (default: $EMU_LINUX_SRC or ~/.cache/emu/linux-source-6.12, the pinned 6.12.117)",
    };
}
