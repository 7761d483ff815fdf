using System;
using System.CommandLine;
using System.IO;
using Emu.Upstream;

namespace Emu.Cli.Commands;

/// <summary><c>emu upstream hash FILE FUNCTION --linux DIR</c>: the marker hash of an upstream function.</summary>
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
        var hash = new Command("hash", "print the [Upstream] hash of an upstream function's body") { file, function, linux };
        hash.SetAction(parse =>
        {
            var tree = parse.GetValue(linux) ?? DefaultTree();
            var path = Path.Combine(tree, parse.GetValue(file)!);
            if (!File.Exists(path))
            {
                parse.InvocationConfiguration.Error.WriteLine($"emu: {path}: no such file");
                return 2;
            }
            var body = UpstreamSource.ExtractFunctionBody(File.ReadAllText(path), parse.GetValue(function)!);
            if (body is null)
            {
                parse.InvocationConfiguration.Error.WriteLine($"emu: no definition of {parse.GetValue(function)} in {path}");
                return 1;
            }
            parse.InvocationConfiguration.Output.WriteLine(UpstreamSource.BodyHash(body));
            return 0;
        });
        return new Command("upstream", "compare transliterated code with a kernel tree") { hash };
    }

    /// <summary>The tree tools/setup.sh unpacks.</summary>
    public static string DefaultTree() =>
        Environment.GetEnvironmentVariable("EMU_LINUX_SRC") is { Length: > 0 } env
            ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "emu", "linux-source-6.12");
}
