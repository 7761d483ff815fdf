using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using Emu.Cli;
using Emu.Upstream;
using NUnit.Framework;

namespace Emu.Tests.Upstream;

/// <summary>
/// <c>emu upstream status</c> against a copy of the pinned tree with four edits: one function body changed
/// (lib/rbtree.c rb_first), one function renamed (rb_last), one moved to another file (rb_prev), and a field
/// of struct folio retyped. Exactly those must be reported, the body change with its diff.
/// </summary>
public class ModifiedTreeTests
{
    private string copy = "";

    [TearDown]
    public void RemoveCopy()
    {
        if (copy.Length > 0 && Directory.Exists(copy))
            Directory.Delete(copy, recursive: true);
    }

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Program.BuildRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private static string Definition(string source, string name)
    {
        var f = UpstreamSource.ListFunctions(source).Single(f => f.Name == name);
        return source[f.Start..f.End];
    }

    [Test]
    public void ReportsExactlyTheEditedFunctionsAndTheRetypedField()
    {
        var pinned = PinnedTree.Require();
        var headers = StructDrift.FindHeaders(TestContext.CurrentContext.TestDirectory)!;
        copy = Path.Combine(Path.GetTempPath(), "emu-upstream-" + Guid.NewGuid().ToString("N"));
        // The files the markers and the header structs name: the rest of the tree is not needed.
        var files = UpstreamManifest.All.Select(m => m.File)
            .Concat(StructDrift.Check(headers, new KernelTree(pinned)).Select(s => s.UpstreamFile!))
            .Distinct();
        foreach (var f in files)
        {
            var target = Path.Combine(copy, f);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(pinned, f), target);
        }
        foreach (var name in new[] { "rb_first", "rb_last", "rb_prev" })
            Assert.That(UpstreamManifest.All.Any(m => m.File == "lib/rbtree.c" && m.Function == name), $"{name} carries no marker any more: pick another");

        // 1. rb_first: one condition changed.
        var rbtreePath = Path.Combine(copy, "lib", "rbtree.c");
        var rbtree = File.ReadAllText(rbtreePath);
        var first = Definition(rbtree, "rb_first");
        const string oldLine = "\tif (!n)\n\t\treturn NULL;", newLine = "\tif (unlikely(!n))\n\t\treturn NULL;";
        Assert.That(first, Does.Contain(oldLine));
        rbtree = rbtree.Replace(first, first.Replace(oldLine, newLine));
        // 2. rb_last renamed (its definition only).
        var last = Definition(rbtree, "rb_last");
        rbtree = rbtree.Replace(last, last.Replace("rb_last(", "rb_last_node("));
        // 3. rb_prev moved, unchanged, to mm/interval_tree.c.
        var prev = Definition(rbtree, "rb_prev");
        rbtree = rbtree.Replace(prev, "");
        File.WriteAllText(rbtreePath, rbtree);
        File.AppendAllText(Path.Combine(copy, "mm", "interval_tree.c"), "\n" + prev + "\n");
        // 4. struct folio: _mapcount becomes a long.
        var mmTypesPath = Path.Combine(copy, "include", "linux", "mm_types.h");
        var mmTypes = File.ReadAllText(mmTypesPath);
        int folio = mmTypes.IndexOf("struct folio {", StringComparison.Ordinal);
        int field = mmTypes.IndexOf("atomic_t _mapcount;", folio, StringComparison.Ordinal);
        Assert.That(folio, Is.GreaterThan(0));
        Assert.That(field, Is.GreaterThan(folio));
        File.WriteAllText(mmTypesPath, mmTypes[..field] + "long _mapcount;" + mmTypes[(field + "atomic_t _mapcount;".Length)..]);

        var (exit, output, error) = Run("upstream", "status", "--linux", copy, "--base", pinned, "--diff", "--json");
        Assert.That(exit, Is.EqualTo(1), error);
        using var doc = JsonDocument.Parse(output);
        var notSame = doc.RootElement.GetProperty("markers").EnumerateArray()
            .Where(m => m.GetProperty("state").GetString() != "same")
            .Select(m => (Function: m.GetProperty("function").GetString(), State: m.GetProperty("state").GetString()))
            .Distinct().OrderBy(x => x.Function).ToList();
        Assert.That(notSame, Is.EqualTo(new[] { ("rb_first", "changed"), ("rb_last", "missing"), ("rb_prev", "moved") }));

        var moved = doc.RootElement.GetProperty("markers").EnumerateArray().First(m => m.GetProperty("function").GetString() == "rb_prev");
        Assert.That(moved.GetProperty("movedTo").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "mm/interval_tree.c" }));
        Assert.That(moved.GetProperty("treeHash").GetString(), Is.EqualTo(moved.GetProperty("hash").GetString()), "moved unchanged");

        // The diff: the pinned definition's lines, the edited one replaced, 3 lines of context (diff -u).
        var changed = doc.RootElement.GetProperty("markers").EnumerateArray().First(m => m.GetProperty("function").GetString() == "rb_first");
        var diff = changed.GetProperty("diff").GetString()!;
        var before = Definition(File.ReadAllText(Path.Combine(pinned, "lib", "rbtree.c")), "rb_first").Split('\n');
        int at = Array.IndexOf(before, "\tif (!n)");
        int from = Math.Max(0, at - 3), to = Math.Min(before.Length, at + 4);
        var expected = $"--- a/lib/rbtree.c (rb_first)\n+++ b/lib/rbtree.c (rb_first)\n@@ -{from + 1},{to - from} +{from + 1},{to - from} @@\n" +
            string.Concat(before[from..at].Select(l => " " + l + "\n")) + "-\tif (!n)\n+\tif (unlikely(!n))\n" +
            string.Concat(before[(at + 1)..to].Select(l => " " + l + "\n"));
        Assert.That(diff, Is.EqualTo(expected));

        var structs = doc.RootElement.GetProperty("structs").EnumerateArray().ToList();
        var drifted = structs.Where(s => s.GetProperty("state").GetString() != "same").ToList();
        Assert.That(drifted.Select(s => s.GetProperty("name").GetString()), Is.EqualTo(new[] { "folio" }));
        Assert.That(drifted[0].GetProperty("differences").EnumerateArray().Select(e => e.GetString()),
            Is.EqualTo(new[] { "retyped _mapcount: atomic_t -> long" }));
        Assert.That(structs, Has.Count.GreaterThan(40));
    }

    [Test]
    public void PinnedTreeIsAllSameAndExitsZero()
    {
        var pinned = PinnedTree.Require();
        var (exit, output, error) = Run("upstream", "status", "--linux", pinned);
        Assert.That(exit, Is.Zero, output + error);
        Assert.That(output, Does.Match(@"(\d+) markers: \1 same, 0 changed, 0 missing, 0 moved; (\d+) structs: \2 same, 0 drifted, 0 moved, 0 missing"));
    }
}
