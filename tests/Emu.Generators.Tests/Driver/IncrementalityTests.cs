using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NUnit.Framework;

namespace Emu.Generators.Tests.Driver;

/// <summary>The pipeline caches: C# edits cost nothing, a header edit re-runs only what depends on it.</summary>
public class IncrementalityTests
{
    private static readonly string[] HeaderSteps =
    {
        HeaderGenerator.Steps.HeaderFiles, HeaderGenerator.Steps.LexedHeaders, HeaderGenerator.Steps.Programs,
        HeaderGenerator.Steps.Layouts, HeaderGenerator.Steps.Structs,
    };

    private static bool Cached(IncrementalStepRunReason r) => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged;

    [Test]
    public void EditingUnrelatedCSharpLeavesEveryHeaderStepCached()
    {
        var compilation = GeneratorHost.Compilation("class Placeholder { }");
        var driver = GeneratorHost.Driver(GeneratorHost.RealHeaders()).RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { int x; }"));
        var run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in HeaderSteps)
        {
            var outputs = run.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.That(outputs, Is.Not.Empty, step);
            Assert.That(outputs.Select(o => o.Reason), Is.All.Matches<IncrementalStepRunReason>(Cached), step);
        }
    }

    [Test]
    public void EditingOneHeaderRelexesOnlyItAndReemitsOnlyTheStructItChanged()
    {
        var headers = GeneratorHost.RealHeaders();
        var texts = GeneratorHost.Texts(headers);
        var compilation = GeneratorHost.Compilation("class Placeholder { }");
        var driver = GeneratorHost.Driver(texts).RunGenerators(compilation);

        var old = texts.Single(t => t.Path == GeneratorHost.Root + "mm/mm_slot.h");
        var text = headers["mm/mm_slot.h"];
        Assert.That(text, Does.Contain("struct mm_slot {"));
        var replacement = new InMemoryText(old.Path, text.Replace("struct mm_slot {", "struct mm_slot {\n\tunsigned long emu_test_field;"));
        var run = driver.ReplaceAdditionalText(old, replacement).RunGenerators(compilation).GetRunResult().Results.Single();

        var lexed = run.TrackedSteps[HeaderGenerator.Steps.LexedHeaders].SelectMany(s => s.Outputs).ToList();
        Assert.That(lexed.Count(o => o.Reason == IncrementalStepRunReason.Modified), Is.EqualTo(1));
        Assert.That(lexed.Count(o => Cached(o.Reason)), Is.EqualTo(headers.Count - 1));

        var structs = run.TrackedSteps[HeaderGenerator.Steps.Structs].SelectMany(s => s.Outputs).ToList();
        var changed = structs.Where(o => !Cached(o.Reason)).Select(o => (((string Name, string Source))o.Value).Name).ToList();
        // mm_slot and the KSM structs that embed it by value change; nothing else does.
        Assert.That(changed, Does.Contain("mm_slot"));
        Assert.That(changed, Is.SubsetOf(new[] { "mm_slot", "ksm_mm_slot" }));
        Assert.That(structs.Count(o => Cached(o.Reason)), Is.GreaterThan(40));
    }
}
