using System;
using System.IO;
using System.Linq;
using Emu.Tests.TestSupport;
using Emu.Upstream;
using NUnit.Framework;

namespace Emu.Tests.Upstream;

/// <summary>The function lister finds every function universal-ctags finds in the files Emu transliterates most.</summary>
public class ExtractorTests
{
    [TestCase("mm/ksm.c")]
    [TestCase("mm/gup.c")]
    [TestCase("mm/memory.c")]
    [TestCase("mm/rmap.c")]
    public void ListsTheSameFunctionsAsUniversalCtags(string file)
    {
        var tree = PinnedTree.Require();
        var ctags = ExternalTool.Require("ctags", "apt-get install universal-ctags");
        var path = Path.Combine(tree, file);
        var run = ExternalTool.Run(ctags, $"-x --c-kinds=f --language-force=C -o - \"{path}\"");
        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        var expected = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 2)[0]).ToHashSet(StringComparer.Ordinal);
        Assert.That(expected, Has.Count.GreaterThan(50), "ctags listed almost nothing: wrong invocation?");

        var source = File.ReadAllText(path);
        var listed = UpstreamSource.ListFunctions(source);
        Assert.That(listed.Select(f => f.Name).ToHashSet(StringComparer.Ordinal), Is.EquivalentTo(expected));

        // What the lister calls definition N of a name is the body the marker hash reads.
        foreach (var f in listed)
        {
            var body = UpstreamSource.ExtractFunctionBody(source, f.Name, f.Definition);
            Assert.That(body, Is.Not.Null, $"{file}:{f.Line} {f.Name}");
            Assert.That(UpstreamSource.Normalize(body!), Is.EqualTo(UpstreamSource.Normalize(source[f.BodyStart..f.End])), $"{file}:{f.Line} {f.Name}");
        }
    }
}
