using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Emu.Upstream;

/// <summary>How a trimmed header struct compares with upstream's.</summary>
public enum StructState
{
    /// <summary>Every difference is a declared trim (or there is none).</summary>
    Same,
    /// <summary>Fields added, removed, retyped or reordered upstream that no trim declares.</summary>
    Drift,
    /// <summary>Upstream's file does not define the struct, another one does (declare it with an <c>emu: upstream</c> marker if that is where it always was).</summary>
    Moved,
    /// <summary>The tree does not define the struct at all.</summary>
    Missing,
}

/// <summary>One header struct compared with a tree.</summary>
/// <param name="Struct">struct tag (or typedef name)</param>
/// <param name="Header">header file, relative to headers/</param>
/// <param name="Line">line of the struct's brace in the header</param>
/// <param name="UpstreamFile">where upstream defines it (looked up, or declared with <c>/* emu: upstream FILE */</c>)</param>
/// <param name="State">same / drift / moved / missing</param>
/// <param name="Differences">undeclared differences: <c>only upstream: x: T</c>, <c>only in the header: x: T</c>,
/// <c>retyped x: header type -> upstream type</c>, <c>reordered: ...</c></param>
/// <param name="Trimmed">differences a trim marker declares</param>
/// <param name="Fields">members compared (the header's, anonymous structs and unions flattened)</param>
public sealed record StructStatus(string Struct, string Header, int Line, string? UpstreamFile, StructState State,
    IReadOnlyList<string> Differences, IReadOnlyList<string> Trimmed, int Fields);

/// <summary>
/// Struct drift: each struct of headers/ against the same struct in a kernel tree. Both sides go through the
/// same conditionals (the Debian amd64 config, bounds.h, the object-like macros of headers/), then compare
/// member names (anonymous structs/unions flattened), normalized types and order.
/// <para>Markers in a header struct (C comments, one line each):
/// <c>/* emu: trimmed NAMES: why */</c> declares members left out on purpose (names separated by commas or
/// spaces; <c>x.*</c>/<c>prefix*</c> globs; differences on them are reported as trimmed, not as drift);
/// <c>/* emu: upstream PATH */</c> names the upstream file when it is not the header's own path.</para>
/// </summary>
public static partial class StructDrift
{
    /// <summary>Compares every struct of <paramref name="headersDir"/> with <paramref name="tree"/>.</summary>
    public static IReadOnlyList<StructStatus> Check(string headersDir, KernelTree tree)
    {
        headersDir = Path.GetFullPath(headersDir);
        var config = CConditionals.LoadConfig(Path.Combine(headersDir, "generated", "autoconf.h"), [Path.Combine(headersDir, "generated", "bounds.h")]);
        var headers = Directory.EnumerateFiles(headersDir, "*.h", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(headersDir, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("generated/", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        // Macros of every trimmed header (include guards, USE_SPLIT_* ...), as the compiler would see them.
        var env = new CConditionals(config);
        foreach (var h in headers)
            env.Apply(File.ReadAllText(Path.Combine(headersDir, h)));

        var result = new List<StructStatus>();
        foreach (var h in headers)
        {
            var raw = File.ReadAllText(Path.Combine(headersDir, h));
            var active = env.Fork().Apply(raw);
            var rawLines = raw.Split('\n');
            foreach (var def in CStructs.Definitions(active))
            {
                int closeLine = CStructs.LineOf(active, def.Close);
                var region = string.Join("\n", rawLines.Skip(def.Line - 1).Take(closeLine - def.Line + 1));
                if (IsNestedIn(active, def))
                    continue;
                result.Add(Compare(h, def, active, region, env, tree));
            }
        }
        return result;
    }

    private static bool IsNestedIn(string code, CStructDefinition def)
    {
        int depth = 0;
        for (int i = 0; i < def.Open; i++)
        {
            if (code[i] == '{') depth++;
            else if (code[i] == '}') depth--;
        }
        return depth > 0;
    }

    private static StructStatus Compare(string header, CStructDefinition def, string active, string region, CConditionals env, KernelTree tree)
    {
        var name = def.Names[0];
        var declared = UpstreamMarker().Match(region);
        var trims = TrimMarker().Matches(region)
            .SelectMany(m => Regex.Split(m.Groups[1].Value, @"[\s,]+"))
            .Where(w => w.Length > 0 && w != "and")
            .ToList();
        var headerFields = CStructs.Fields(active, def.Open, def.Close);

        var candidates = declared.Success ? [declared.Groups[1].Value] : UpstreamCandidates(header);
        foreach (var file in candidates)
        {
            var text = tree.Read(file);
            if (text is null || !text.Contains(name, StringComparison.Ordinal))
                continue;
            var upstreamActive = env.Fork().Apply(text);
            var up = CStructs.Definitions(upstreamActive).FirstOrDefault(d => d.Names.Intersect(def.Names).Any());
            if (up is null)
                continue;
            var upstreamFields = CStructs.Fields(upstreamActive, up.Open, up.Close);
            var (diffs, trimmed) = Differences(upstreamFields, headerFields, trims);
            return new StructStatus(name, header, def.Line, file, diffs.Count == 0 ? StructState.Same : StructState.Drift, diffs, trimmed, headerFields.Count);
        }
        var elsewhere = tree.FindStruct(name, candidates.FirstOrDefault() ?? "");
        var why = elsewhere.Count > 0
            ? $"not in {string.Join(", ", candidates)}; defined in {string.Join(", ", elsewhere.Take(3))} (declare it: /* emu: upstream {elsewhere[0]} */)"
            : $"not defined in {string.Join(", ", candidates)} nor anywhere in the tree";
        return new StructStatus(name, header, def.Line, elsewhere.FirstOrDefault(), elsewhere.Count > 0 ? StructState.Moved : StructState.Missing, [why], [], headerFields.Count);
    }

    /// <summary>Undeclared and declared differences, upstream vs header.</summary>
    public static (List<string> Drift, List<string> Trimmed) Differences(IReadOnlyList<CStructField> upstream, IReadOnlyList<CStructField> header, IReadOnlyList<string> trims)
    {
        var drift = new List<string>();
        var trimmed = new List<string>();
        var up = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in upstream) up.TryAdd(f.Name, f.Type);
        var ours = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in header) ours.TryAdd(f.Name, f.Type);

        void Report(string field, string text) => (IsTrimmed(field, trims) ? trimmed : drift).Add(text);

        foreach (var f in upstream)
            if (!ours.ContainsKey(f.Name))
                Report(f.Name, $"only upstream: {f.Name}: {f.Type}");
        foreach (var f in header)
            if (!up.ContainsKey(f.Name))
                Report(f.Name, $"only in the header: {f.Name}: {f.Type}");
        foreach (var f in header)
            if (up.TryGetValue(f.Name, out var t) && t != f.Type)
                Report(f.Name, $"retyped {f.Name}: {f.Type} -> {t}");
        // Order of the members both have (trimmed ones aside).
        var a = upstream.Select(f => f.Name).Where(n => ours.ContainsKey(n) && !IsTrimmed(n, trims)).Distinct().ToList();
        var b = header.Select(f => f.Name).Where(n => up.ContainsKey(n) && !IsTrimmed(n, trims)).Distinct().ToList();
        for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            if (a[i] != b[i])
            {
                drift.Add($"reordered: upstream has {a[i]} where the header has {b[i]}");
                break;
            }
        }
        return (drift, trimmed);
    }

    private static bool IsTrimmed(string field, IReadOnlyList<string> trims)
    {
        var last = field[(field.LastIndexOf('.') + 1)..];
        foreach (var w in trims)
        {
            if (w.EndsWith('*'))
            {
                var p = w[..^1];
                if (field.StartsWith(p, StringComparison.Ordinal) || last.StartsWith(p, StringComparison.Ordinal)) return true;
            }
            else if (field == w || last == w || field.StartsWith(w + ".", StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>Where upstream keeps a header of headers/: include/, arch/x86/include/, the uapi dirs, or mm/.</summary>
    public static IReadOnlyList<string> UpstreamCandidates(string header)
    {
        if (header.StartsWith("uapi/", StringComparison.Ordinal))
        {
            var u = header[5..];
            return [$"include/uapi/{u}", $"arch/x86/include/uapi/{u}"];
        }
        if (header.StartsWith("asm/", StringComparison.Ordinal))
            return [$"arch/x86/include/{header}", $"arch/x86/include/uapi/{header}", $"include/asm-generic/{header[4..]}"];
        if (header.StartsWith("mm/", StringComparison.Ordinal))
            return [header];
        return [$"include/{header}", $"arch/x86/include/{header}"];
    }

    [GeneratedRegex(@"/\*\s*emu:\s*trimmed\s+([^:]*?)\s*:[^*]*\*/")]
    private static partial Regex TrimMarker();

    [GeneratedRegex(@"/\*\s*emu:\s*upstream\s+(\S+)\s*\*/")]
    private static partial Regex UpstreamMarker();

    /// <summary>headers/ of the repository: walks up from <paramref name="start"/> (default: the app's directory, then the current one).</summary>
    public static string? FindHeaders(string? start = null)
    {
        foreach (var s in start is not null ? [start] : new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var d = new DirectoryInfo(s); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "headers", "linux", "mm_types.h")))
                    return Path.Combine(d.FullName, "headers");
        }
        return null;
    }
}
