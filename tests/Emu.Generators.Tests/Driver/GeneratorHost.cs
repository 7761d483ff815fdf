using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Emu.Tests.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Emu.Generators.Tests.Driver;

/// <summary>An additional file held in memory, as the IDE or build would hand it to the generator.</summary>
internal sealed class InMemoryText : AdditionalText
{
    private readonly SourceText _text;

    public InMemoryText(string path, string text)
    {
        Path = path;
        _text = SourceText.From(text);
    }

    public override string Path { get; }

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>Runs <see cref="HeaderGenerator"/> through Roslyn's driver on the repository's headers, edited as a test needs.</summary>
internal static class GeneratorHost
{
    public const string Root = "/emu/headers/";

    /// <summary>The real headers, keyed by path relative to headers/.</summary>
    public static Dictionary<string, string> RealHeaders() =>
        Directory.GetFiles(RepoPaths.Headers, "*.h", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(RepoPaths.Headers, f).Replace('\\', '/'), File.ReadAllText);

    public static ImmutableArray<AdditionalText> Texts(IReadOnlyDictionary<string, string> headers) =>
        headers.OrderBy(h => h.Key, System.StringComparer.Ordinal)
            .Select(h => (AdditionalText)new InMemoryText(Root + h.Key, h.Value)).ToImmutableArray();

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create("EmuGeneratorTest",
            sources.Select(s => CSharpSyntaxTree.ParseText(s)),
            new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));

    public static GeneratorDriver Driver(IReadOnlyDictionary<string, string> headers) => Driver(Texts(headers));

    public static GeneratorDriver Driver(ImmutableArray<AdditionalText> texts) =>
        CSharpGeneratorDriver.Create(
            new[] { new HeaderGenerator().AsSourceGenerator() },
            texts,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>One full run; the result carries diagnostics, sources and any exception.</summary>
    public static GeneratorDriverRunResult Run(IReadOnlyDictionary<string, string> headers) =>
        Driver(headers).RunGenerators(Compilation("class Placeholder { }")).GetRunResult();

    /// <summary>The line (1-based) of the first line of <paramref name="text"/> that contains <paramref name="needle"/>.</summary>
    public static int LineOf(string text, string needle)
    {
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
            if (lines[i].Contains(needle))
                return i + 1;
        throw new System.InvalidOperationException($"'{needle}' not found");
    }
}
