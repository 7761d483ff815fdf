using System;
using System.IO;
using System.Linq;
using Emu.Tests.TestSupport;
using Emu.Upstream;
using NUnit.Framework;

namespace Emu.Tests.Upstream;

/// <summary><c>emu upstream coverage</c>'s counts: a file's functions as universal-ctags lists them, and which of them carry a marker.</summary>
public class CoverageTests
{
    [TestCase("mm/page_alloc.c")]
    [TestCase("lib/rbtree.c")]
    [TestCase("include/linux/mm.h")]
    public void CountsTheFilesFunctionsAndTheMarkedOnes(string file)
    {
        var tree = PinnedTree.Require();
        var ctags = ExternalTool.Require("ctags", "apt-get install universal-ctags");
        var run = ExternalTool.Run(ctags, $"-x --c-kinds=f --language-force=C -o - \"{Path.Combine(tree, file)}\"");
        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        var functions = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', 2)[0]).ToHashSet(StringComparer.Ordinal);
        // ctags reads "postcore_initcall(init_per_zone_wmark_min)" (no ';', mm/page_alloc.c) as the name of the
        // definition that follows it, static int min_free_kbytes_sysctl_handler(...) { ... }.
        if (file == "mm/page_alloc.c" && functions.Remove("postcore_initcall"))
            functions.Add("min_free_kbytes_sysctl_handler");
        var marked = UpstreamManifest.All.Where(m => m.File == file && !m.IsMacro).Select(m => m.Function).ToHashSet(StringComparer.Ordinal);

        var row = UpstreamCoverage.Compute(UpstreamManifest.All, new KernelTree(tree)).Single(r => r.File == file);
        Assert.That(row.Functions, Is.EqualTo(functions.Count));
        Assert.That(row.Transliterated + row.Stubbed, Is.EqualTo(functions.Count(marked.Contains)));
        Assert.That(row.NotTransliterated, Is.EquivalentTo(functions.Where(f => !marked.Contains(f))));
        Assert.That(row.Transliterated, Is.GreaterThan(0));
    }
}
