using System.CommandLine;
using System.IO;
using System.Linq;
using Emu.Cli;
using Emu.Layout;
using NUnit.Framework;

namespace Emu.Tests.Cli;

/// <summary><c>emu layout</c> run in-process through the real command tree.</summary>
[TestFixture]
public sealed class LayoutCommandTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Program.BuildRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [TestCase("page", Abi.X86_64)]
    [TestCase("struct page", Abi.X86_64)]
    [TestCase("page", Abi.I386)]
    public void PrintsPageEndingWithTheSizeSummary(string name, Abi abi)
    {
        var (exit, output, error) = Run("layout", name, "--abi", abi.ToName());

        Assert.That(exit, Is.EqualTo(0), error);
        var page = LayoutManifest.For(abi)["page"];
        int members = page.Members.Count(m => m.Name is not null || m.Anonymous is not null);
        int cachelines = (page.Size + 63) / 64;
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.That(lines[0], Is.EqualTo("struct page {"));
        Assert.That(lines[^1], Does.StartWith("}").And.EndWith(";"));
        int summary = System.Array.IndexOf(lines, $"\t/* size: {page.Size}, cachelines: {cachelines}, members: {members} */");
        Assert.That(summary, Is.GreaterThan(0), "size summary line missing:\n" + output);
        // Only summary comments follow the size line.
        Assert.That(lines.Skip(summary + 1).Take(lines.Length - summary - 2), Is.All.Matches<string>(l => l.StartsWith("\t/* ", System.StringComparison.Ordinal) || l.Length == 0));
    }

    [Test]
    public void SeveralNamesPrintInOrder()
    {
        var (exit, output, _) = Run("layout", "folio", "page");

        Assert.That(exit, Is.EqualTo(0));
        Assert.That(output.IndexOf("struct folio {", System.StringComparison.Ordinal), Is.LessThan(output.IndexOf("struct page {", System.StringComparison.Ordinal)).And.GreaterThanOrEqualTo(0));
    }

    [Test]
    public void UnknownNameFailsWithCloseMatches()
    {
        var (exit, output, error) = Run("layout", "pag");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("'pag'").And.Contain("page"));
    }

    [Test]
    public void UnknownAbiFails()
    {
        var (exit, _, error) = Run("layout", "page", "--abi", "mips");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("mips"));
    }

    [Test]
    public void ListShowsEveryTypeWithItsSize()
    {
        var (exit, output, _) = Run("layout", "--list");

        Assert.That(exit, Is.EqualTo(0));
        var page = LayoutManifest.For(Abi.X86_64)["page"];
        Assert.That(output, Does.Contain($"struct page\tsize: {page.Size}, align: {page.Align}"));
        Assert.That(output.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(LayoutManifest.For(Abi.X86_64).Count));
    }
}
