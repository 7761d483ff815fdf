using System;
using System.IO;
using System.Linq;
using Emu.Cli;
using Emu.Patches;
using Emu.Tests.TestSupport;
using Emu.Tests.Upstream;
using Emu.Upstream;
using NUnit.Framework;

namespace Emu.Tests.Patches;

/// <summary>
/// <c>emu patch map</c> on "mm/ksm: reduce the flush action for ksm merging page" redone against the pinned
/// 6.12.117 tree: the test applies the patch's edits to a copy of mm/ksm.c, diffs it with git, and wraps the
/// diff as git format-patch mail.
/// </summary>
[TestFixture]
public sealed class PatchMapTests
{
    internal const string Subject = "mm/ksm: reduce the flush action for ksm merging page";
    internal const string MessageId = "20240604042454.2012091-2-alexs@kernel.org";

    /// <summary>
    /// The patch's edits on 6.12.117's mm/ksm.c. In 6.12 the zero-page merge that called try_to_merge_one_page
    /// from cmp_and_merge_page is its own function, try_to_merge_with_zero_page (mm/ksm.c), so that call
    /// site gains the rmap_item argument there.
    /// </summary>
    internal static string Edit(string ksm)
    {
        string Replace(string s, string from, string to)
        {
            Assert.That(s.Split(from).Length, Is.EqualTo(2), "edit anchor must occur once in mm/ksm.c: " + from);
            return s.Replace(from, to);
        }
        // get_mergeable_page: no flush after the lookup.
        ksm = Replace(ksm, "out:\n\tif (page) {\n\t\tflush_anon_page(vma, page, addr);\n\t\tflush_dcache_page(page);\n\t}\n\tmmap_read_unlock(mm);\n\treturn page;\n",
            "out:\n\tmmap_read_unlock(mm);\n\treturn page;\n");
        // try_to_merge_one_page: rmap_item argument, flush once the page is locked and split.
        ksm = Replace(ksm, "static int try_to_merge_one_page(struct vm_area_struct *vma,\n\t\t\t\t struct page *page, struct page *kpage)\n",
            "static int try_to_merge_one_page(struct vm_area_struct *vma, struct page *page,\n\t\t\t\t struct ksm_rmap_item *rmap_item, struct page *kpage)\n");
        ksm = Replace(ksm, "\t\tif (split_huge_page(page))\n\t\t\tgoto out_unlock;\n\t}\n\n",
            "\t\tif (split_huge_page(page))\n\t\t\tgoto out_unlock;\n\t}\n\n\tflush_anon_page(vma, page, rmap_item->address);\n\tflush_dcache_page(page);\n\n");
        // The callers pass it.
        ksm = Replace(ksm, "\t\t\terr = try_to_merge_one_page(vma, page,\n\t\t\t\t\tZERO_PAGE(rmap_item->address));",
            "\t\t\terr = try_to_merge_one_page(vma, page, rmap_item,\n\t\t\t\t\tZERO_PAGE(rmap_item->address));");
        ksm = Replace(ksm, "\terr = try_to_merge_one_page(vma, page, kpage);\n", "\terr = try_to_merge_one_page(vma, page, rmap_item, kpage);\n");
        // scan_get_next_rmap_item: no flush before the checksum.
        ksm = Replace(ksm, "\t\t\t\tflush_anon_page(vma, tmp_page, ksm_scan.address);\n\t\t\t\tflush_dcache_page(tmp_page);\n", "");
        return ksm;
    }

    /// <summary>The edited ksm.c diffed by git and wrapped as one format-patch message.</summary>
    internal static string BuildMbox(string tree)
    {
        var git = ExternalTool.Require("git", "apt-get install git");
        var dir = RepoPaths.Scratch("patchmap");
        Directory.CreateDirectory(Path.Combine(dir, "a", "mm"));
        Directory.CreateDirectory(Path.Combine(dir, "b", "mm"));
        var ksm = File.ReadAllText(Path.Combine(tree, "mm", "ksm.c"));
        File.WriteAllText(Path.Combine(dir, "a", "mm", "ksm.c"), ksm);
        File.WriteAllText(Path.Combine(dir, "b", "mm", "ksm.c"), Edit(ksm));
        var r = ExternalTool.Run(git, "diff --no-index --no-prefix a/mm/ksm.c b/mm/ksm.c", dir);
        Assert.That(r.ExitCode, Is.EqualTo(1), "git diff --no-index exits 1 when the files differ: " + r.Stderr);
        var diff = r.Stdout.Replace("diff --git a/mm/ksm.c b/mm/ksm.c", "diff --git a/mm/ksm.c b/mm/ksm.c");
        return "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n" +
               "From: Emu Test <test@example.org>\n" +
               "Date: Tue, 4 Jun 2024 12:24:46 +0800\n" +
               $"Subject: [PATCH 01/10] {Subject}\n" +
               $"Message-Id: <{MessageId}>\n\n" +
               "Test copy: the edits of the patch, regenerated on 6.12.117.\n---\n mm/ksm.c | 1 file changed\n\n" +
               diff + "-- \n2.43.0\n\n";
    }

    [Test]
    public void MapsTheKsmFlushPatchByChangedLines()
    {
        var tree = PinnedTree.Require();
        var mbox = BuildMbox(tree);
        var patch = PatchParser.Parse(mbox).Single();
        Assert.That(patch.Subject, Is.EqualTo(Subject));
        Assert.That(patch.MessageId, Is.EqualTo(MessageId));

        var map = PatchMapper.Map(patch, new KernelTree(tree), UpstreamManifest.All);

        // mm/ksm.c: the five functions whose bodies or signature the edits change, in file order.
        Assert.That(map.Functions.Select(f => f.Function), Is.EqualTo(new[]
        {
            "get_mergeable_page", "try_to_merge_one_page", "try_to_merge_with_zero_page", "try_to_merge_with_ksm_page", "scan_get_next_rmap_item",
        }));
        Assert.That(map.Functions, Is.All.Matches<MappedFunction>(f => f.Source == MapSource.Tree && f.File == "mm/ksm.c" && f.Transliterated));
        Assert.That(map.Notes, Is.Empty);
        // git labels the signature hunk (it starts in the comment above the function) with a line of the function
        // before it, replace_page: the changed lines, not the label, say which function it is.
        var file = patch.Files.Single();
        var signature = map.Functions.Single(f => f.Function == "try_to_merge_one_page");
        var signatureHunk = file.Hunks.Single(h => h.Lines.Any(l => l.Kind == HunkLineKind.Removed && l.Text.StartsWith("static int try_to_merge_one_page(")));
        Assert.That(PatchMapper.HeaderFunction(signatureHunk.HeaderContext), Is.Not.EqualTo("try_to_merge_one_page"), signatureHunk.HeaderContext);
        Assert.That(signatureHunk.Lines.First().Text, Does.StartWith(" *"), "the hunk starts in the comment above the function");
        Assert.That(signature.Hunks, Does.Contain(file.Hunks.ToList().IndexOf(signatureHunk) + 1));
        Assert.That(map.Functions.Select(f => f.Function), Has.None.EqualTo("replace_page"));
        // Removed/added line counts per function follow from the edits above.
        Assert.That(map.Functions.Single(f => f.Function == "get_mergeable_page").Removed, Is.EqualTo(4));
        Assert.That(signature.Removed, Is.EqualTo(2));
        Assert.That(signature.Added, Is.EqualTo(2 + 3));
        Assert.That(map.Functions.Single(f => f.Function == "scan_get_next_rmap_item").Removed, Is.EqualTo(2));
    }

    [Test]
    public void CommandListsTheFunctionsAndTheirCSharpMembers()
    {
        var tree = PinnedTree.Require();
        var dir = RepoPaths.Scratch("patchcmd");
        var mbox = Path.Combine(dir, "0001-ksm.patch");
        File.WriteAllText(mbox, BuildMbox(tree));
        var scaffold = Path.Combine(dir, "Variant.cs");
        var (exit, output, error) = Run("patch", "map", mbox, "--linux", tree, "--scaffold", scaffold);
        Assert.That(exit, Is.EqualTo(0), error);
        foreach (var f in new[] { "get_mergeable_page", "try_to_merge_one_page", "try_to_merge_with_zero_page", "try_to_merge_with_ksm_page", "scan_get_next_rmap_item" })
        {
            var marker = UpstreamManifest.All.First(m => m.File == "mm/ksm.c" && m.Function == f);
            Assert.That(output, Does.Contain($"mm/ksm.c {f}"));
            Assert.That(output, Does.Contain(marker.Location));
        }
        Assert.That(output, Does.Contain("5 functions, 5 transliterated"));
        var cs = File.ReadAllText(scaffold);
        Assert.That(cs, Does.Contain(MessageId));
        Assert.That(cs, Does.Contain("override int try_to_merge_one_page("));
        Assert.That(cs, Does.Contain("class ReduceTheFlushActionForKsmVariant : Kernel.Kernel"));
    }

    [Test]
    public void PlainDiffWithoutTreeMapsByHunkHeader()
    {
        const string diff = "--- a/mm/nowhere.c\n+++ b/mm/nowhere.c\n@@ -10,3 +10,3 @@ static int foo_bar(struct page *page)\n a\n-b\n+c\n d\n";
        var patch = PatchParser.Parse(diff).Single();
        Assert.That(patch.Subject, Is.Null);
        var map = PatchMapper.Map(patch, null, UpstreamManifest.All);
        Assert.That(map.Functions.Single().Function, Is.EqualTo("foo_bar"));
        Assert.That(map.Functions.Single().Source, Is.EqualTo(MapSource.HunkHeader));
        Assert.That(map.Functions.Single().Transliterated, Is.False);
    }

    // Line numbers below count the input's lines from 1.
    [TestCase("--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n", 7, "ends early")]
    [TestCase("--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1,2 +1,2 @@\n a\n*b\n+c\n", 5, "'*b' inside the hunk at line 3")]
    [TestCase("--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n+d\n", 7, "longer than its header")]
    [TestCase("--- a/mm/x.c\n+++ b/mm/x.c\n@@ one two @@\n a\n", 3, "not a hunk header")]
    [TestCase("@@ -1,1 +1,1 @@\n-a\n+b\n", 1, "hunk outside a file")]
    [TestCase("--- a/mm/x.c\n+++ b/mm/x.c\nhello\n", 3, "expected a '@@")]
    [TestCase("Subject: nothing\n\njust words\n", 3, "no diff found")]
    public void MalformedPatchNamesTheLine(string text, int line, string message)
    {
        var e = Assert.Throws<PatchFormatException>(() => PatchParser.Parse(text))!;
        Assert.That(e.Line, Is.EqualTo(line), e.Message);
        Assert.That(e.Message, Does.Contain(message));
    }

    [Test]
    public void CommandReportsMalformedPatchWithFileAndLine()
    {
        var dir = RepoPaths.Scratch("patchbad");
        var path = Path.Combine(dir, "bad.patch");
        File.WriteAllText(path, "--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1,2 +1,2 @@\n a\n*b\n");
        var (exit, _, error) = Run("patch", "map", path);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain($"{path}:5:"));
    }

    [Test]
    public void MboxWithTwoMessagesGivesTwoPatches()
    {
        const string one = "From 1111 Mon Sep 17 00:00:00 2001\nFrom: A <a@b>\nSubject: [PATCH 1/2] mm: one\n\nbody\n---\n--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1 +1 @@ int f(void)\n-a\n+b\n-- \n2.43.0\n\n";
        const string two = "From 2222 Mon Sep 17 00:00:00 2001\nFrom: A <a@b>\nSubject: [PATCH 2/2] mm: two\nMessage-ID:\n <x@y>\n\n--- a/mm/y.c\n+++ b/mm/y.c\n@@ -1 +1 @@ int g(void)\n-a\n+b\n";
        var patches = PatchParser.Parse(one + two);
        Assert.That(patches.Select(p => p.Subject), Is.EqualTo(new[] { "mm: one", "mm: two" }));
        Assert.That(patches[1].MessageId, Is.EqualTo("x@y"));
        Assert.That(patches.Select(p => p.Files.Single().Path), Is.EqualTo(new[] { "mm/x.c", "mm/y.c" }));
    }

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Program.BuildRootCommand().Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
