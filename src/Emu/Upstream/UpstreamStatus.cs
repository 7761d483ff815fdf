using System;
using System.Collections.Generic;
using System.Linq;

namespace Emu.Upstream;

/// <summary>How a marker's upstream function looks in a kernel tree.</summary>
public enum MarkerState
{
    /// <summary>Found in the marker's file with the recorded body hash (a macro: still defined there, same text as the base tree).</summary>
    Same,
    /// <summary>Found in the marker's file with another body.</summary>
    Changed,
    /// <summary>Defined nowhere in the tree's mm/, include/, lib/, kernel/, arch/x86/.</summary>
    Missing,
    /// <summary>Gone from the marker's file but defined in another one.</summary>
    Moved,
}

/// <summary>One marker compared with a tree.</summary>
/// <param name="Marker">the marker</param>
/// <param name="State">same / changed / missing / moved</param>
/// <param name="TreeHash">hash of the body found in the tree (its new file when moved), or null</param>
/// <param name="MovedTo">files that define it now, when moved</param>
/// <param name="Diff">unified diff base → tree of the raw upstream definition (or the tree's definition when there is no other base), when asked for</param>
public sealed record MarkerStatus(UpstreamMarker Marker, MarkerState State, string? TreeHash, IReadOnlyList<string> MovedTo, string? Diff);

/// <summary>Compares markers with a kernel tree: the engine of <c>emu upstream status</c>.</summary>
public static class UpstreamStatus
{
    /// <summary>
    /// Checks every marker against <paramref name="tree"/>. With <paramref name="diff"/>, each changed (or moved and
    /// changed) function gets a unified diff of its raw upstream definition from <paramref name="baseTree"/> (the
    /// version the markers were written from) to <paramref name="tree"/>; without a distinct base, the tree's definition.
    /// </summary>
    public static IReadOnlyList<MarkerStatus> Check(IEnumerable<UpstreamMarker> markers, KernelTree tree, KernelTree? baseTree = null, bool diff = false)
    {
        if (baseTree is not null && baseTree.Root == tree.Root)
            baseTree = null;
        var result = new List<MarkerStatus>();
        // Several C# members may carry the same marker (overloads); the upstream side is checked once.
        var cache = new Dictionary<(string, string, string, int), MarkerStatus>();
        foreach (var m in markers)
        {
            var key = (m.File, m.Function, m.Hash, m.Definition);
            if (!cache.TryGetValue(key, out var s))
                cache[key] = s = m.IsMacro ? CheckMacro(m, tree, baseTree, diff) : CheckFunction(m, tree, baseTree, diff);
            result.Add(s with { Marker = m });
        }
        return result;
    }

    private static MarkerStatus CheckFunction(UpstreamMarker m, KernelTree tree, KernelTree? baseTree, bool diff)
    {
        var text = tree.Read(m.File);
        var body = text is null ? null : UpstreamSource.ExtractFunctionBody(text, m.Function, m.Definition);
        if (body is not null)
        {
            var hash = UpstreamSource.BodyHash(body);
            if (hash == m.Hash)
                return new MarkerStatus(m, MarkerState.Same, hash, [], null);
            return new MarkerStatus(m, MarkerState.Changed, hash, [], diff ? FunctionDiff(m, tree, m.File, m.Definition, baseTree, hash) : null);
        }
        // The same file may now define it as a macro: changed, not gone.
        if (text is not null && UpstreamSource.ExtractMacro(text, m.Function) is { } macro)
            return new MarkerStatus(m, MarkerState.Changed, null, [], diff ? $"now a macro in {m.File}:\n{macro}\n" : null);
        var movedTo = tree.FindFunction(m.Function, m.File);
        if (movedTo.Count == 0)
            return new MarkerStatus(m, MarkerState.Missing, null, [], null);
        var movedHash = UpstreamSource.BodyHash(UpstreamSource.ExtractFunctionBody(tree.Read(movedTo[0])!, m.Function)!);
        var d = diff && movedHash != m.Hash ? FunctionDiff(m, tree, movedTo[0], 1, baseTree, movedHash) : null;
        return new MarkerStatus(m, MarkerState.Moved, movedHash, movedTo, d);
    }

    private static string FunctionDiff(UpstreamMarker m, KernelTree tree, string treeFile, int treeDefinition, KernelTree? baseTree, string treeHash)
    {
        var now = UpstreamSource.ExtractDefinitionText(tree.Read(treeFile)!, m.Function, treeDefinition) ?? "";
        var baseText = baseTree?.Read(m.File);
        var before = baseText is null ? null : UpstreamSource.ExtractFunctionBody(baseText, m.Function, m.Definition);
        if (before is null || UpstreamSource.BodyHash(before) != m.Hash)
        {
            // No base holding the marker's version: show what upstream has now.
            return $"marker {m.Hash}, {tree.Root}/{treeFile} {treeHash}; its definition now:\n{now}\n";
        }
        var then = UpstreamSource.ExtractDefinitionText(baseText!, m.Function, m.Definition) ?? "";
        return UnifiedDiff.Create(then, now, $"a/{m.File} ({m.Function})", $"b/{treeFile} ({m.Function})");
    }

    private static MarkerStatus CheckMacro(UpstreamMarker m, KernelTree tree, KernelTree? baseTree, bool diff)
    {
        var text = tree.Read(m.File);
        var now = text is null ? null : UpstreamSource.ExtractMacro(text, m.Function, m.Definition) ?? UpstreamSource.ExtractMacro(text, m.Function);
        if (now is not null)
        {
            var baseText = baseTree?.Read(m.File);
            var then = baseText is null ? null : UpstreamSource.ExtractMacro(baseText, m.Function, m.Definition) ?? UpstreamSource.ExtractMacro(baseText, m.Function);
            if (then is null || then == now)
                return new MarkerStatus(m, MarkerState.Same, null, [], null);
            return new MarkerStatus(m, MarkerState.Changed, null, [],
                diff ? UnifiedDiff.Create(then + "\n", now + "\n", $"a/{m.File} ({m.Function})", $"b/{m.File} ({m.Function})") : null);
        }
        // ... or a macro may have become a function there.
        if (text is not null && UpstreamSource.ExtractDefinitionText(text, m.Function) is { } function)
            return new MarkerStatus(m, MarkerState.Changed, null, [], diff ? $"now a function in {m.File}:\n{function}\n" : null);
        var movedTo = tree.FindMacro(m.Function, m.File);
        return new MarkerStatus(m, movedTo.Count == 0 ? MarkerState.Missing : MarkerState.Moved, null, movedTo, null);
    }
}

/// <summary>Per upstream file: how many of its functions Emu transliterates.</summary>
/// <param name="File">upstream file</param>
/// <param name="Functions">distinct function names the file defines</param>
/// <param name="Transliterated">of those, names carrying a marker that is not a stub</param>
/// <param name="Stubbed">of those, names whose only markers are stubs</param>
/// <param name="Macros">macro markers naming this file</param>
/// <param name="NotTransliterated">the file's functions without a marker, in file order</param>
/// <param name="StubbedNames">the stubbed ones</param>
public sealed record FileCoverage(string File, int Functions, int Transliterated, int Stubbed, int Macros,
    IReadOnlyList<string> NotTransliterated, IReadOnlyList<string> StubbedNames);

/// <summary>Coverage of upstream files by markers: <c>emu upstream coverage</c>.</summary>
public static class UpstreamCoverage
{
    /// <summary>One row per upstream file named by a marker, ordered by file.</summary>
    public static IReadOnlyList<FileCoverage> Compute(IEnumerable<UpstreamMarker> markers, KernelTree tree)
    {
        var rows = new List<FileCoverage>();
        foreach (var group in markers.GroupBy(m => m.File).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var text = tree.Read(group.Key);
            var names = text is null ? [] : UpstreamSource.ListFunctions(text).Select(f => f.Name).Distinct().ToList();
            var real = group.Where(m => !m.IsMacro && !m.Stub).Select(m => m.Function).ToHashSet(StringComparer.Ordinal);
            var stub = group.Where(m => !m.IsMacro && m.Stub).Select(m => m.Function).Where(f => !real.Contains(f)).ToHashSet(StringComparer.Ordinal);
            rows.Add(new FileCoverage(group.Key, names.Count,
                names.Count(real.Contains), names.Count(stub.Contains),
                group.Where(m => m.IsMacro).Select(m => m.Function).Distinct().Count(),
                names.Where(n => !real.Contains(n) && !stub.Contains(n)).ToList(),
                names.Where(stub.Contains).ToList()));
        }
        return rows;
    }
}
