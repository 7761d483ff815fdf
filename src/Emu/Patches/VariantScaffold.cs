using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Emu.Patches;

/// <summary>
/// Writes the skeleton of a kernel-patch variant (see src/Emu/Variants): a class deriving from the
/// kernel that overrides each transliterated function the patch touches, starting from that function's
/// current C# body, so porting the patch is editing those bodies hunk by hunk.
/// </summary>
public static partial class VariantScaffold
{
    [GeneratedRegex(@"^(\s*)(internal|public|private|protected)(\s+(?:static\s+)?)")]
    private static partial Regex Modifiers();

    /// <summary>The C# text of the variant class; <paramref name="repoRoot"/> is where the markers' source files are.</summary>
    public static string Write(PatchMap map, string className, string repoRoot)
    {
        var p = map.Patch;
        var sb = new StringBuilder();
        sb.Append("// Variant skeleton written by `emu patch map --scaffold`: port each hunk into the bodies below,\n");
        sb.Append("// delete the overrides the patch does not need, make the baseline methods it overrides `internal virtual`,\n// and register the class in Variants.KernelVariants.\n");
        // The baseline files' usings, so the copied bodies compile as they are.
        var usings = map.Functions.SelectMany(f => f.Markers).Where(m => m.Line > 0).Select(m => Path.Combine(repoRoot, m.SourceFile)).Distinct()
            .Where(File.Exists).SelectMany(File.ReadLines).Where(l => l.StartsWith("using ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(';'))
            .Append("using Emu.Kernel;").Distinct().Order(StringComparer.Ordinal);
        foreach (var u in usings)
            sb.Append(u).Append('\n');
        sb.Append("\nnamespace Emu.Variants;\n\n");
        sb.Append($"[KernelPatch({Lit(p.Subject ?? "(no subject)")}, {Lit(p.MessageId ?? "(no Message-ID)")},\n");
        sb.Append("    Touches = [").Append(string.Join(", ", map.Functions.Select(f => Lit($"{f.File}:{f.Function}")))).Append("])]\n");
        sb.Append($"internal sealed unsafe class {className} : Kernel.Kernel\n{{\n");
        foreach (var f in map.Functions)
        {
            var m = f.Markers.Where(x => x.Line > 0).OrderBy(x => x.Stub).FirstOrDefault();
            if (m is null)
            {
                sb.Append($"    // {f.File} {f.Function}: not transliterated in Emu; port it first.\n\n");
                continue;
            }
            var body = ReadMember(Path.Combine(repoRoot, m.SourceFile), m.Line);
            sb.Append($"    // {f.File} {f.Function}: hunk(s) {string.Join(", ", f.Hunks)}; baseline at {m.Location}\n");
            if (body is null)
            {
                sb.Append($"    // (could not read {m.Location})\n\n");
                continue;
            }
            foreach (var line in body)
                sb.Append(line.Length == 0 ? "\n" : line + "\n");
            sb.Append('\n');
        }
        if (sb[^2] == '\n') sb.Length--;
        sb.Append("}\n");
        return sb.ToString();
    }

    // The member starting at the [Upstream] attribute on 1-based line `line`, through its closing brace or
    // expression body, with `override` added (static members stay as they are, commented).
    private static string[]? ReadMember(string path, int line)
    {
        if (!File.Exists(path)) return null;
        var lines = File.ReadAllLines(path);
        if (line < 1 || line > lines.Length) return null;
        int i = line - 1;
        var result = new System.Collections.Generic.List<string>();
        int depth = 0;
        bool opened = false;
        for (; i < lines.Length; i++)
        {
            var l = lines[i];
            result.Add(l);
            foreach (var c in l)
            {
                if (c == '{') { depth++; opened = true; }
                else if (c == '}') depth--;
            }
            if (opened && depth == 0) break;
            if (!opened && l.TrimEnd().EndsWith(';') && l.Contains("=>")) break;
        }
        // The [Upstream] marker stays on the baseline only (its hash names upstream's body, not the patch's);
        // the override is internal, as the virtual baseline method must be.
        result.RemoveAll(l => l.TrimStart().StartsWith("[Upstream(", StringComparison.Ordinal));
        for (int k = 0; k < result.Count; k++)
        {
            var mm = Modifiers().Match(result[k]);
            if (mm.Success && !result[k].TrimStart().StartsWith('['))
            {
                result[k] = mm.Groups[3].Value.Contains("static")
                    ? "    // static in the kernel: a variant cannot override it; change its callers\n" + result[k]
                    : Modifiers().Replace(result[k], "$1internal override$3", 1).Replace("override virtual ", "override ");
                break;
            }
        }
        return result.Select(l => l.TrimEnd()).ToArray();
    }

    private static string Lit(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
