using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using Emu.Layout;

namespace Emu.Cli.Commands;

/// <summary>
/// <c>emu layout page [--abi i386]</c>: prints header structs in pahole's format, so the output
/// diffs cleanly against <c>pahole -C page vmlinux.o</c>; <c>emu layout --list</c> lists the types.
/// </summary>
public static class LayoutCommand
{
    /// <summary>Builds the <c>layout</c> subcommand.</summary>
    public static Command Create()
    {
        var names = new Argument<string[]>("name")
        {
            Description = "Types to print: page, struct page, union foo (several allowed)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var abi = new Option<string>("--abi")
        {
            Description = "ABI to lay out for: x86_64, i386, aarch64, arm",
            DefaultValueFactory = _ => "x86_64",
        };
        var list = new Option<bool>("--list")
        {
            Description = "List every laid-out type with its size and alignment",
        };
        var cacheline = new Option<int>("--cacheline-size")
        {
            Description = "Cacheline size for the boundary comments (pahole uses the host's: 64)",
            DefaultValueFactory = _ => 64,
        };
        var command = new Command("layout", "Print kernel struct layouts in pahole's format");
        command.Arguments.Add(names);
        command.Options.Add(abi);
        command.Options.Add(list);
        command.Options.Add(cacheline);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return Run(parse.GetValue(names) ?? Array.Empty<string>(), parse.GetValue(abi) ?? "x86_64",
                parse.GetValue(list), parse.GetValue(cacheline), output, error);
        });
        return command;
    }

    /// <summary>Does the work; returns the exit code (1 on any unknown name or bad option).</summary>
    public static int Run(IReadOnlyList<string> names, string abiName, bool list, int cachelineSize, TextWriter output, TextWriter error)
    {
        if (AbiNames.Parse(abiName) is not Abi abi)
        {
            error.WriteLine($"emu layout: unknown ABI '{abiName}' (expected x86_64, i386, aarch64 or arm)");
            return 1;
        }
        if (cachelineSize <= 0)
        {
            error.WriteLine($"emu layout: --cacheline-size must be positive, got {cachelineSize}");
            return 1;
        }
        var types = LayoutManifest.For(abi);
        if (list)
        {
            foreach (var t in types.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
                output.WriteLine($"{t.Keyword} {t.Name}\tsize: {t.Size}, align: {t.Align}\t({t.File}:{t.Line})");
            return 0;
        }
        if (names.Count == 0)
        {
            error.WriteLine("emu layout: name a type (e.g. 'emu layout page') or use --list");
            return 1;
        }
        int exit = 0;
        foreach (var name in names)
        {
            var type = LayoutManifest.Find(abi, name);
            if (type is null)
            {
                var close = NameSuggestions.Closest(StripKeyword(name), types.Keys);
                error.WriteLine(close.Count == 0
                    ? $"emu layout: no type '{name}' for {abi.ToName()}"
                    : $"emu layout: no type '{name}' for {abi.ToName()}; did you mean: {string.Join(", ", close)}?");
                exit = 1;
                continue;
            }
            output.Write(PaholeFormatter.Format(type, abi, cachelineSize));
        }
        return exit;
    }

    private static string StripKeyword(string name)
    {
        var key = name.Trim();
        foreach (var prefix in new[] { "struct ", "union " })
            if (key.StartsWith(prefix, StringComparison.Ordinal))
                return key.Substring(prefix.Length).Trim();
        return key;
    }
}
