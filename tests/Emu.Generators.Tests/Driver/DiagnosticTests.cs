using System.Linq;
using Microsoft.CodeAnalysis;
using NUnit.Framework;

namespace Emu.Generators.Tests.Driver;

/// <summary>Bad headers give EMU diagnostics at file:line:col; the real headers give none.</summary>
public class DiagnosticTests
{
    [Test]
    public void RealHeadersProduceNoDiagnosticsAndTheKernelStructs()
    {
        var result = GeneratorHost.Run(GeneratorHost.RealHeaders());
        Assert.That(result.Diagnostics, Is.Empty, string.Join("\n", result.Diagnostics));
        var hints = result.Results.Single().GeneratedSources.Select(s => s.HintName).ToList();
        Assert.That(hints, Does.Contain("Emu.Kernel.page.g.cs").And.Contain("Emu.Kernel.folio.g.cs").And.Contain("Emu.Kernel.PageFlagAccessors.g.cs"));
    }

    [Test]
    public void SwappingTwoFolioFieldsFailsTheKernelsFolioMatchAssertions()
    {
        var headers = GeneratorHost.RealHeaders();
        var text = headers["linux/mm_types.h"];
        // struct folio's first part mirrors struct page: swap mapping and index.
        const string mapping = "\t\t\tstruct address_space *mapping;\n", index = "\t\t\tpgoff_t index;\n";
        Assert.That(text, Does.Contain(mapping + index));
        headers["linux/mm_types.h"] = text.Replace(mapping + index, index + mapping);

        var errors = GeneratorHost.Run(headers).Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

        var failed = errors.Where(d => d.Id == "EMU030").ToList();
        Assert.That(failed.Select(d => d.GetMessage()), Has.Some.Contains("offsetof(struct folio, mapping)"));
        Assert.That(failed.Select(d => d.GetMessage()), Has.Some.Contains("offsetof(struct folio, index)"));
        var lines = failed.Select(d => d.Location.GetLineSpan()).ToList();
        Assert.That(lines.Select(l => l.Path), Is.All.EqualTo(GeneratorHost.Root + "linux/mm_types.h"));
        Assert.That(lines.Select(l => l.StartLinePosition.Line + 1), Does.Contain(GeneratorHost.LineOf(text, "FOLIO_MATCH(mapping, mapping);")));
        Assert.That(lines.Select(l => l.StartLinePosition.Line + 1), Does.Contain(GeneratorHost.LineOf(text, "FOLIO_MATCH(index, index);")));
    }

    [Test]
    public void UnknownCharacterIsAnErrorAtItsColumn()
    {
        var headers = GeneratorHost.RealHeaders();
        headers["emu/bad.h"] = "struct bad {\n\tint a;\n\tint b @;\n};\n";
        var d = GeneratorHost.Run(headers).Diagnostics.Single(x => x.Id == "EMU001");
        var pos = d.Location.GetLineSpan();
        Assert.Multiple(() =>
        {
            Assert.That(d.Severity, Is.EqualTo(DiagnosticSeverity.Error));
            Assert.That(pos.Path, Is.EqualTo(GeneratorHost.Root + "emu/bad.h"));
            Assert.That(pos.StartLinePosition.Line + 1, Is.EqualTo(3));
            Assert.That(pos.StartLinePosition.Character + 1, Is.EqualTo(8));
        });
    }

    [Test]
    public void MissingSemicolonIsASyntaxErrorAndLaterDeclarationsStillParse()
    {
        var headers = GeneratorHost.RealHeaders();
        headers["emu/bad.h"] = "struct bad { int a }\n;\nstruct good { long x; };\n";
        var result = GeneratorHost.Run(headers);
        var d = result.Diagnostics.First(x => x.Id == "EMU020");
        Assert.That(d.Location.GetLineSpan().StartLinePosition.Line + 1, Is.EqualTo(1));
        Assert.That(result.Results.Single().GeneratedSources.Select(s => s.HintName), Does.Contain("Emu.Kernel.good.g.cs"));
    }

    [Test]
    public void InlineFunctionBodiesAndUnknownAttributesAreSkippedWithWarnings()
    {
        var headers = GeneratorHost.RealHeaders();
        headers["emu/bad.h"] = "static inline int f(int x) { return x; }\nstruct m { int a __attribute__((mode(DI))); };\n";
        var diagnostics = GeneratorHost.Run(headers).Diagnostics;
        var skipped = diagnostics.Single(x => x.Id == "EMU010");
        var attr = diagnostics.Single(x => x.Id == "EMU011");
        Assert.Multiple(() =>
        {
            Assert.That(skipped.Severity, Is.EqualTo(DiagnosticSeverity.Warning));
            Assert.That(skipped.GetMessage(), Does.Contain("'f'"));
            Assert.That(attr.Location.GetLineSpan().StartLinePosition.Line + 1, Is.EqualTo(2));
        });
    }

    [Test]
    public void MissingIncludeAndUnterminatedIfArePointedAt()
    {
        var headers = GeneratorHost.RealHeaders();
        headers["emu/bad.h"] = "#include <linux/nonexistent.h>\n#ifdef CONFIG_64BIT\nstruct z { int a; };\n";
        var diagnostics = GeneratorHost.Run(headers).Diagnostics;
        Assert.That(diagnostics.Where(d => d.Id == "EMU003").Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1), Does.Contain(1));
        Assert.That(diagnostics.Where(d => d.Id == "EMU004").Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1), Does.Contain(2));
    }

    [Test]
    public void BitfieldWiderThanItsTypeIsRejected()
    {
        var headers = GeneratorHost.RealHeaders();
        headers["emu/bad.h"] = "struct w {\n\tunsigned char c : 9;\n};\n";
        var d = GeneratorHost.Run(headers).Diagnostics.Single(x => x.Id == "EMU031");
        Assert.That(d.GetMessage(), Does.Contain("exceeds its type (8 bits)"));
        Assert.That(d.Location.GetLineSpan().StartLinePosition.Line + 1, Is.EqualTo(2));
    }

    [Test]
    public void UnknownPageFlagPolicyIsAnErrorAtTheDeclaration()
    {
        var headers = GeneratorHost.RealHeaders();
        headers["emu/bad.h"] = "#include <linux/page-flags.h>\nTESTPAGEFLAG(Emu, emu, PF_BOGUS)\n";
        var d = GeneratorHost.Run(headers).Diagnostics.Single(x => x.Id == "EMU041");
        var pos = d.Location.GetLineSpan();
        Assert.That(pos.Path, Is.EqualTo(GeneratorHost.Root + "emu/bad.h"));
        Assert.That(pos.StartLinePosition.Line + 1, Is.EqualTo(2));
        Assert.That(d.GetMessage(), Does.Contain("PF_BOGUS"));
    }
}
