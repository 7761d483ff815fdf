using System;
using System.Collections.Generic;
using System.Linq;
using Emu.Upstream;

namespace Emu.Patches;

/// <summary>How a touched function was found.</summary>
public enum MapSource
{
    /// <summary>A changed line lies in the function's definition (or the comment right above it) in the tree.</summary>
    Tree,
    /// <summary>The file is not in the tree, or the hunk does not apply to it: the hunk header's function name.</summary>
    HunkHeader,
}

/// <summary>An upstream function a patch changes, and where Emu transliterates it.</summary>
/// <param name="File">upstream file, e.g. <c>mm/ksm.c</c></param>
/// <param name="Function">upstream function name</param>
/// <param name="Source">how it was found</param>
/// <param name="Hunks">1-based indexes (within the file's diff) of the hunks that change it</param>
/// <param name="Removed">removed lines inside it</param>
/// <param name="Added">added lines inside it</param>
/// <param name="Markers">the C# members carrying its <c>[Upstream]</c> marker (empty: not transliterated)</param>
public sealed record MappedFunction(string File, string Function, MapSource Source, IReadOnlyList<int> Hunks, int Removed, int Added,
    IReadOnlyList<UpstreamMarker> Markers)
{
    public bool Transliterated => Markers.Count > 0;
}

/// <summary>What a patch touches: its functions in file order, plus changes outside any function.</summary>
/// <param name="Patch">the parsed patch</param>
/// <param name="Functions">touched functions, in the order they appear in the patch</param>
/// <param name="Notes">file-scope changes (declarations, includes, macros) and hunks that did not apply</param>
public sealed record PatchMap(KernelPatch Patch, IReadOnlyList<MappedFunction> Functions, IReadOnlyList<string> Notes);

/// <summary>
/// Maps a patch's changed lines to the upstream functions that contain them. With the file in the tree,
/// removed lines are placed by their old line numbers in the tree's text and added lines by their new line
/// numbers in the text the patch produces (the hunks applied to the tree's file), so a new function is named
/// as it will be called and a hunk's <c>@@</c> context (which names the nearest function line before the
/// hunk, often the previous function) is not trusted. A changed line in the comment block right above a
/// definition belongs to that definition.
/// </summary>
public static class PatchMapper
{
    /// <summary>Maps <paramref name="patch"/> against <paramref name="tree"/> (null: hunk headers only) and the given markers.</summary>
    public static PatchMap Map(KernelPatch patch, KernelTree? tree, IEnumerable<UpstreamMarker> markers)
    {
        var byName = markers.GroupBy(m => (m.File, m.Function)).ToDictionary(g => g.Key, g => g.ToList());
        var found = new List<(string File, string Function, MapSource Source, int Hunk, int Removed, int Added)>();
        var notes = new List<string>();
        foreach (var file in patch.Files)
        {
            var oldText = file.OldPath == "/dev/null" ? "" : tree?.Read(file.OldPath);
            int failed = 0;
            IReadOnlyList<(int OldAt, int NewAt)> placed = [];
            string? newText = oldText is null ? null : Apply(oldText, file, out failed, out placed);
            if (oldText is not null && newText is null)
                notes.Add($"{file.Path}: hunk {failed} does not apply to {tree!.Root}; mapped by hunk headers");
            if (newText is null)
            {
                for (int h = 0; h < file.Hunks.Count; h++)
                {
                    var name = HeaderFunction(file.Hunks[h].HeaderContext);
                    if (name is null)
                        notes.Add($"{file.Path} hunk {h + 1}: no function in its header");
                    else
                        found.Add((file.Path, name, MapSource.HunkHeader, h + 1,
                            file.Hunks[h].Lines.Count(l => l.Kind == HunkLineKind.Removed), file.Hunks[h].Lines.Count(l => l.Kind == HunkLineKind.Added)));
                }
                continue;
            }
            var oldIndex = new LineIndex(oldText!);
            var newIndex = new LineIndex(newText);
            for (int h = 0; h < file.Hunks.Count; h++)
            {
                // Line numbers where the hunk really applied (it may have moved), 1-based.
                int o = placed[h].OldAt, n = placed[h].NewAt;
                foreach (var line in file.Hunks[h].Lines)
                {
                    int oldLine = line.Kind == HunkLineKind.Added ? 0 : ++o;
                    int newLine = line.Kind == HunkLineKind.Removed ? 0 : ++n;
                    if (line.Kind == HunkLineKind.Context)
                        continue;
                    bool removed = line.Kind == HunkLineKind.Removed;
                    var fn = removed ? oldIndex.FunctionAt(oldLine) : newIndex.FunctionAt(newLine);
                    if (fn is null)
                    {
                        if (line.Text.Trim().Length > 0)
                            notes.Add($"{file.Path}:{(removed ? oldLine : newLine)} ({(removed ? "removed" : "added")}, patch line {line.PatchLine}): outside any function");
                        continue;
                    }
                    found.Add((file.Path, fn, MapSource.Tree, h + 1, removed ? 1 : 0, removed ? 0 : 1));
                }
            }
        }
        var result = found
            .GroupBy(f => (f.File, f.Function))
            .Select(g => new MappedFunction(g.Key.File, g.Key.Function, g.First().Source,
                g.Select(f => f.Hunk).Distinct().Order().ToList(), g.Sum(f => f.Removed), g.Sum(f => f.Added),
                byName.TryGetValue((g.Key.File, g.Key.Function), out var ms) ? ms : FindElsewhere(byName, g.Key.Function)))
            .ToList();
        return new PatchMap(patch, result, notes);
    }

    // A marker may name the header the function moved to; match the name alone when the file has none.
    private static List<UpstreamMarker> FindElsewhere(Dictionary<(string File, string Function), List<UpstreamMarker>> byName, string function) =>
        byName.Where(kv => kv.Key.Function == function).SelectMany(kv => kv.Value).ToList();

    /// <summary>
    /// The old text with the file's hunks applied, or null (with the 1-based failing hunk) when a hunk's old
    /// lines are not where it says; a hunk may have moved by up to 200 lines, as patch's offset search allows.
    /// </summary>
    public static string? Apply(string oldText, FileDiff file, out int failedHunk, out IReadOnlyList<(int OldAt, int NewAt)> placements)
    {
        failedHunk = 0;
        var placed = new List<(int OldAt, int NewAt)>();
        placements = placed;
        var old = oldText.Replace("\r\n", "\n").Split('\n').ToList();
        var output = new List<string>();
        int pos = 0; // next old line (0-based) not yet copied
        for (int h = 0; h < file.Hunks.Count; h++)
        {
            var hunk = file.Hunks[h];
            var expected = hunk.Lines.Where(l => l.Kind != HunkLineKind.Added).Select(l => l.Text).ToList();
            int want = Math.Max(0, hunk.OldStart - 1 - (hunk.OldCount == 0 ? -1 : 0));
            int at = -1;
            for (int delta = 0; delta <= 200 && at < 0; delta++)
            {
                foreach (var cand in delta == 0 ? [want] : new[] { want - delta, want + delta })
                    if (cand >= pos && cand + expected.Count <= old.Count && Matches(old, cand, expected)) { at = cand; break; }
            }
            if (at < 0)
            {
                failedHunk = h + 1;
                return null;
            }
            output.AddRange(old.GetRange(pos, at - pos));
            placed.Add((at, output.Count));
            output.AddRange(hunk.Lines.Where(l => l.Kind != HunkLineKind.Removed).Select(l => l.Text));
            pos = at + expected.Count;
        }
        output.AddRange(old.GetRange(pos, old.Count - pos));
        return string.Join('\n', output);
    }

    private static bool Matches(List<string> old, int at, List<string> expected)
    {
        for (int k = 0; k < expected.Count; k++)
            if (old[at + k].TrimEnd() != expected[k].TrimEnd())
                return false;
        return true;
    }

    /// <summary>The function name diff put in a hunk header (<c>static int foo(struct bar *b)</c> → <c>foo</c>), or null.</summary>
    public static string? HeaderFunction(string context)
    {
        int paren = context.IndexOf('(');
        if (paren <= 0) return null;
        int e = paren;
        while (e > 0 && context[e - 1] == ' ') e--;
        int s = e;
        while (s > 0 && (char.IsLetterOrDigit(context[s - 1]) || context[s - 1] == '_')) s--;
        return s < e ? context[s..e] : null;
    }

    /// <summary>Which function each line of a C text belongs to: its declaration through its closing brace, plus the comment just above.</summary>
    private sealed class LineIndex
    {
        private readonly string?[] owner;

        public LineIndex(string text)
        {
            var lineStarts = new List<int> { 0 };
            for (int i = 0; i < text.Length; i++)
                if (text[i] == '\n') lineStarts.Add(i + 1);
            var lines = text.Split('\n');
            owner = new string?[lineStarts.Count + 2];
            int LineOf(int offset)
            {
                int idx = lineStarts.BinarySearch(offset);
                return (idx >= 0 ? idx : ~idx - 1) + 1;
            }
            foreach (var f in UpstreamSource.ListFunctions(text))
            {
                int first = LineOf(f.Start), last = LineOf(Math.Max(f.Start, f.End - 1));
                // The comment block directly above the declaration (no blank line between) is the function's.
                int c = first - 1;
                if (c >= 1 && lines[c - 1].TrimEnd().EndsWith("*/", StringComparison.Ordinal))
                {
                    while (c >= 1 && !lines[c - 1].TrimStart().StartsWith("/*", StringComparison.Ordinal) && lines[c - 1].Trim().Length > 0)
                        c--;
                    if (c >= 1 && lines[c - 1].TrimStart().StartsWith("/*", StringComparison.Ordinal))
                        first = c;
                }
                for (int l = first; l <= last && l < owner.Length; l++)
                    owner[l] = f.Name;
            }
        }

        public string? FunctionAt(int line) => line >= 1 && line < owner.Length ? owner[line] : null;
    }
}
