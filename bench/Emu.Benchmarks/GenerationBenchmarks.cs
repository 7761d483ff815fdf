using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Emu.Generators;
using Emu.Generators.CHeaders;
using Emu.Generators.Layout;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Emu.Benchmarks;

/// <summary>
/// Full generation for every header in headers/ (4 ABIs laid out, x86_64 emitted), on a warm JIT.
/// Lexing alone is the baseline, so the report's ratios show what each stage adds.
/// </summary>
[MemoryDiagnoser]
public class GenerationBenchmarks
{
    private List<HeaderFile> _files = null!;
    private List<LexedHeader> _lexed = null!;
    private ImmutableArray<AdditionalText> _texts;
    private CSharpCompilation _compilation = null!;

    [GlobalSetup]
    public void Setup()
    {
        var headers = RepoHeaders();
        _files = Directory.GetFiles(headers, "*.h", SearchOption.AllDirectories)
            .Select(f => new HeaderFile(Path.GetRelativePath(headers, f).Replace('\\', '/'), f, File.ReadAllText(f)))
            .ToList();
        _lexed = _files.Select(HeaderFrontEnd.Lex).ToList();
        _texts = _files.Select(f => (AdditionalText)new Text(f.FullPath, f.Text)).ToImmutableArray();
        _compilation = CSharpCompilation.Create("Bench", new[] { CSharpSyntaxTree.ParseText("class C { }") },
            new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) });
    }

    [Benchmark(Baseline = true, Description = "lex all headers")]
    public int Lex() => _files.Sum(f => HeaderFrontEnd.Lex(f).Tokens.Count);

    [Benchmark(Description = "preprocess + parse, 4 ABIs")]
    public int Parse() => AbiInfo.All.Sum(abi => HeaderFrontEnd.Parse(_lexed, abi).Records.Count);

    [Benchmark(Description = "parse + lay out, 4 ABIs")]
    public int ParseAndLayOut() => AbiInfo.All.Sum(abi => new LayoutEngine(HeaderFrontEnd.Parse(_lexed, abi), abi).Run().Types.Count);

    [Benchmark(Description = "full generation (Roslyn driver, cold cache)")]
    public int FullGeneration()
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new HeaderGenerator().AsSourceGenerator() }, _texts);
        return driver.RunGenerators(_compilation).GetRunResult().GeneratedTrees.Length;
    }

    private static string RepoHeaders()
    {
        var dir = new DirectoryInfo(System.AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Emu.sln")))
            dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("Emu.sln"), "headers");
    }

    private sealed class Text : AdditionalText
    {
        private readonly SourceText _text;
        public Text(string path, string text) { Path = path; _text = SourceText.From(text); }
        public override string Path { get; }
        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
