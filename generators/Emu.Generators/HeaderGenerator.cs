using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Emu.Generators.CHeaders;
using Emu.Generators.Emit;
using Emu.Generators.Layout;
using Emu.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Emu.Generators;

/// <summary>
/// Reads <c>headers/**/*.h</c> (AdditionalFiles) and emits C# layouts, accessors, constants and the
/// layout manifest. Pipeline: per-file lexing → per-ABI preprocess+parse (equatable model) →
/// per-ABI layout → per-struct emission; only plain data is cached between steps.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class HeaderGenerator : IIncrementalGenerator
{
    /// <summary>Names of the tracked pipeline steps (tests assert their run reasons).</summary>
    public static class Steps
    {
        public const string HeaderFiles = nameof(HeaderFiles);
        public const string LexedHeaders = nameof(LexedHeaders);
        public const string Programs = nameof(Programs);
        public const string Layouts = nameof(Layouts);
        public const string Structs = nameof(Structs);
        public const string HasManifest = nameof(HasManifest);
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        context.RegisterPostInitializationOutput(c => c.AddSource(BitfieldsSource.HintName, SourceText.From(BitfieldsSource.Text, System.Text.Encoding.UTF8)));

        var headersDir = context.AnalyzerConfigOptionsProvider.Select(static (o, _) =>
            o.GlobalOptions.TryGetValue("build_property.EmuHeadersDir", out var d) && !string.IsNullOrWhiteSpace(d) ? NormalizeDir(d) : null);

        var files = context.AdditionalTextsProvider
            .Where(static t => t.Path.EndsWith(".h", StringComparison.Ordinal))
            .Combine(headersDir)
            .Select(static (pair, ct) => ToHeaderFile(pair.Left, pair.Right, ct))
            .Where(static f => f is not null)
            .Select(static (f, _) => f!)
            .WithTrackingName(Steps.HeaderFiles);

        var lexed = files.Select(static (f, _) => HeaderFrontEnd.Lex(f)).WithTrackingName(Steps.LexedHeaders);

        var programs = lexed.Collect()
            .SelectMany(static (all, _) =>
            {
                if (all.IsEmpty)
                    return ImmutableArray<(string, EquatableArray<LexedHeader>)>.Empty;
                var sorted = all.OrderBy(h => h.Path, StringComparer.Ordinal).ToEquatableArray();
                return AbiInfo.All.Select(a => (a.Name, sorted)).ToImmutableArray();
            })
            .Select(static (input, _) => HeaderFrontEnd.Parse(input.Item2.AsImmutableArray(), AbiInfo.ByName(input.Item1)!))
            .WithTrackingName(Steps.Programs);

        var layouts = programs
            .Select(static (p, _) => (Program: p, Layout: new LayoutEngine(p, AbiInfo.ByName(p.Abi)!).Run()))
            .WithTrackingName(Steps.Layouts);

        var x86 = layouts.Where(static l => l.Program.Abi == AbiInfo.X86_64.Name);

        // One output per struct: an edit to one struct re-emits only that struct.
        var structs = x86
            .SelectMany(static (l, _) =>
            {
                var typedefs = new Dictionary<string, TypedefDecl>(StringComparer.Ordinal);
                foreach (var t in l.Program.Typedefs) typedefs[t.Name] = t;
                var defined = new HashSet<string>(l.Program.Records.Where(r => r.IsComplete && r.Tag is not null).Select(r => r.Tag!), StringComparer.Ordinal);
                var types = new CSharpTypes(typedefs, defined);
                return l.Layout.Types.Select(t => (t.Name, Source: StructEmitter.Emit(t, types))).ToImmutableArray();
            })
            .WithTrackingName(Steps.Structs);
        context.RegisterSourceOutput(structs, static (spc, s) => spc.AddSource($"Emu.Kernel.{s.Name}.g.cs", s.Source));

        var texts = files.Select(static (f, _) => (f.Path, f.FullPath, f.Text)).Collect();
        context.RegisterSourceOutput(x86.Combine(texts), static (spc, pair) =>
        {
            var (l, headerTexts) = pair;
            var diagnostics = new List<HeaderDiagnostic>();
            spc.AddSource(ConstantsEmitter.HintName, ConstantsEmitter.Emit(l.Layout, l.Program));
            spc.AddSource(PageFlagAccessors.HintName, PageFlagAccessors.Emit(l.Program, l.Layout, diagnostics));
            var located = Locate(headerTexts);
            foreach (var d in diagnostics)
                spc.ReportDiagnostic(Diagnostics.ToRoslyn(d, located));
        });

        var hasManifest = context.CompilationProvider
            .Select(static (c, _) => c.GetTypeByMetadataName("Emu.Layout.LayoutManifest") is not null)
            .WithTrackingName(Steps.HasManifest);
        context.RegisterSourceOutput(layouts.Combine(hasManifest), static (spc, pair) =>
        {
            if (!pair.Right) return;
            spc.AddSource(ManifestEmitter.HintName(pair.Left.Layout.Abi), ManifestEmitter.Emit(pair.Left.Layout));
            if (pair.Left.Layout.Abi == AbiInfo.X86_64.Name)
                spc.AddSource(ManifestEmitter.DispatchHintName, ManifestEmitter.Dispatch);
        });

        // Diagnostics: the front end's once (x86_64), layout and static_assert ones for every ABI not already reported.
        var allDiagnostics = layouts.Select(static (l, _) => (l.Program.Abi, Front: l.Program.Diagnostics, Layout: l.Layout.Diagnostics)).Collect();
        context.RegisterSourceOutput(allDiagnostics.Combine(texts), static (spc, pair) => Report(spc, pair.Left, pair.Right));
    }

    private static void Report(SourceProductionContext spc,
        ImmutableArray<(string Abi, EquatableArray<HeaderDiagnostic> Front, EquatableArray<HeaderDiagnostic> Layout)> perAbi,
        ImmutableArray<(string Path, string FullPath, string Text)> texts)
    {
        var files = Locate(texts);
        var seen = new HashSet<(string, SourceLocation)>();
        foreach (var abi in perAbi.OrderBy(a => a.Abi == AbiInfo.X86_64.Name ? 0 : 1))
        {
            if (abi.Abi == AbiInfo.X86_64.Name)
                foreach (var d in abi.Front)
                    spc.ReportDiagnostic(Diagnostics.ToRoslyn(d, files));
            foreach (var d in abi.Layout)
                if (seen.Add((d.Id + (d.Id == "EMU030" ? d.Message : ""), d.Location)) || abi.Abi == AbiInfo.X86_64.Name)
                    spc.ReportDiagnostic(Diagnostics.ToRoslyn(d, files));
        }
    }

    private static Dictionary<string, (string, SourceText?)> Locate(ImmutableArray<(string Path, string FullPath, string Text)> texts)
    {
        var files = new Dictionary<string, (string, SourceText?)>(StringComparer.Ordinal);
        foreach (var t in texts)
            files[t.Path] = (t.FullPath, SourceText.From(t.Text));
        return files;
    }

    private static HeaderFile? ToHeaderFile(AdditionalText text, string? headersDir, CancellationToken ct)
    {
        var full = text.Path.Replace('\\', '/');
        string? relative = null;
        if (headersDir is not null && full.StartsWith(headersDir, StringComparison.Ordinal))
            relative = full.Substring(headersDir.Length);
        else
        {
            int i = full.LastIndexOf("/headers/", StringComparison.Ordinal);
            if (i >= 0) relative = full.Substring(i + "/headers/".Length);
        }
        if (relative is null)
            return null;
        var content = text.GetText(ct)?.ToString() ?? "";
        return new HeaderFile(relative, text.Path, content);
    }

    private static string NormalizeDir(string dir)
    {
        var d = System.IO.Path.GetFullPath(dir).Replace('\\', '/');
        return d.EndsWith("/", StringComparison.Ordinal) ? d : d + "/";
    }
}
