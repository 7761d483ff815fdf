using System.Collections.Generic;
using System.Linq;
using Emu.Generators.CHeaders;
using Emu.Generators.Emit;
using Emu.Generators.Layout;
using Emu.Generators.Model;
using Emu.Generators.Tests.Driver;
using NUnit.Framework;

namespace Emu.Generators.Tests.Robustness;

/// <summary>Mutated headers never make the generator throw or hit an internal error: only EMU diagnostics.</summary>
public class FuzzTests
{
    private const int Seed = 20261122;

    [Test]
    public void TwoThousandMutatedHeaderSetsGiveOnlyDiagnostics()
    {
        var headers = GeneratorHost.RealHeaders();
        var paths = headers.Keys.OrderBy(p => p, System.StringComparer.Ordinal).ToList();
        var lexed = paths.ToDictionary(p => p, p => HeaderFrontEnd.Lex(new HeaderFile(p, p, headers[p])));
        var mutator = new HeaderMutator(Seed);
        int withDiagnostics = 0;
        const int cases = 2000;

        for (int i = 0; i < cases; i++)
        {
            var path = paths[mutator.Pick(paths.Count)];
            var (kind, text) = mutator.Mutate(headers[path]);
            var context = $"case {i} (seed {Seed}): {kind} in {path}";
            var set = new List<LexedHeader>(paths.Select(p => p == path ? HeaderFrontEnd.Lex(new HeaderFile(p, p, text)) : lexed[p]));
            // x86_64 every time (it feeds the emitters); the other ABIs on every tenth case.
            foreach (var abi in i % 10 == 0 ? AbiInfo.All : new[] { AbiInfo.X86_64 })
            {
                var diagnostics = RunPipeline(set, abi, context);
                Assert.That(diagnostics.Where(d => d.Id == "EMU099"), Is.Empty, context);
                if (abi == AbiInfo.X86_64 && diagnostics.Count > 0) withDiagnostics++;
            }
        }
        // The mutations must actually break things, or this test proves nothing.
        Assert.That(withDiagnostics, Is.GreaterThan(cases / 4));
    }

    [Test]
    public void MutatedHeadersThroughRoslynsDriverNeverThrow()
    {
        var headers = GeneratorHost.RealHeaders();
        var paths = headers.Keys.OrderBy(p => p, System.StringComparer.Ordinal).ToList();
        var mutator = new HeaderMutator(Seed + 1);
        for (int i = 0; i < 100; i++)
        {
            var path = paths[mutator.Pick(paths.Count)];
            var (kind, text) = mutator.Mutate(headers[path]);
            var edited = new Dictionary<string, string>(headers) { [path] = text };
            var result = GeneratorHost.Run(edited);
            var context = $"case {i}: {kind} in {path}";
            Assert.That(result.Results.Single().Exception, Is.Null, context);
            Assert.That(result.Diagnostics.Where(d => d.Id is "CS8785" or "EMU099"), Is.Empty, context);
        }
    }

    /// <summary>What the generator does after lexing, without Roslyn: parse, lay out, emit.</summary>
    private static List<HeaderDiagnostic> RunPipeline(IReadOnlyList<LexedHeader> set, AbiInfo abi, string context)
    {
        var program = HeaderFrontEnd.Parse(set, abi);
        var layout = new LayoutEngine(program, abi).Run();
        var diagnostics = program.Diagnostics.Concat(layout.Diagnostics).ToList();
        if (abi == AbiInfo.X86_64)
        {
            var typedefs = new Dictionary<string, TypedefDecl>();
            foreach (var t in program.Typedefs) typedefs[t.Name] = t;
            var defined = new HashSet<string>(program.Records.Where(r => r.Tag is not null).Select(r => r.Tag!));
            var types = new CSharpTypes(typedefs, defined);
            foreach (var t in layout.Types)
                Assert.That(StructEmitter.Emit(t, types), Is.Not.Empty, context);
            ConstantsEmitter.Emit(layout, program);
            PageFlagAccessors.Emit(program, layout, diagnostics);
            ManifestEmitter.Emit(layout);
        }
        return diagnostics;
    }
}
