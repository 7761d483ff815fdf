using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Emu.Upstream;

/// <summary>A struct or union definition found in C text.</summary>
/// <param name="Names">its tag and, for <c>typedef struct {..} name;</c>, the typedef name</param>
/// <param name="Open">offset of the body's <c>{</c></param>
/// <param name="Close">offset of the matching <c>}</c></param>
/// <param name="Line">1-based line of the <c>{</c></param>
public sealed record CStructDefinition(IReadOnlyList<string> Names, int Open, int Close, int Line);

/// <summary>A member of a struct, anonymous structs and unions flattened: <c>Name</c> is the dotted path through named nested members.</summary>
public sealed record CStructField(string Name, string Type);

/// <summary>Finds struct definitions in kernel-style C and lists their members (names, normalized types, order).</summary>
public static partial class CStructs
{
    /// <summary>Every struct/union definition with a body at any brace depth of <paramref name="code"/> (comments already removed).</summary>
    public static IReadOnlyList<CStructDefinition> Definitions(string code)
    {
        var result = new List<CStructDefinition>();
        for (int i = 0; i < code.Length; i++)
        {
            char c = code[i];
            if (c == '"' || c == '\'')
            {
                i = UpstreamSource.SkipLiteral(code, i);
                continue;
            }
            if (c == '#' && UpstreamSource.AtLineStart(code, i))
            {
                while (i < code.Length && code[i] != '\n') { if (code[i] == '\\') i++; i++; }
                continue;
            }
            bool isStruct = Word(code, i, "struct"), isUnion = Word(code, i, "union");
            if (!isStruct && !isUnion)
                continue;
            int j = UpstreamSource.SkipSpace(code, i + (isStruct ? 6 : 5));
            int tagEnd = j;
            while (tagEnd < code.Length && UpstreamSource.IsIdentChar(code[tagEnd])) tagEnd++;
            var tag = code[j..tagEnd];
            int brace = UpstreamSource.SkipSpace(code, tagEnd);
            // Attributes may stand between the tag and the brace (struct __packed x {).
            if (brace >= code.Length || code[brace] != '{')
            {
                i = Math.Max(i, tagEnd - 1);
                continue;
            }
            int close = UpstreamSource.Matching(code, brace, '{', '}');
            if (close < 0)
                break;
            var names = new List<string>();
            if (tag.Length > 0) names.Add(tag);
            if (IsTypedef(code, i))
            {
                int semi = code.IndexOf(';', close);
                if (semi > 0)
                {
                    var m = LastIdent().Match(code[(close + 1)..semi]);
                    if (m.Success) names.Add(m.Groups[1].Value);
                }
            }
            if (names.Count > 0)
                result.Add(new CStructDefinition(names, brace, close, LineOf(code, brace)));
            // Nested definitions are found too: continue inside the body.
            i = brace;
        }
        return result;
    }

    /// <summary>The definition of struct <paramref name="name"/> (tag or typedef name) in <paramref name="code"/>, or null.</summary>
    public static CStructDefinition? Find(string code, string name)
    {
        if (!code.Contains(name, StringComparison.Ordinal))
            return null;
        return Definitions(UpstreamSource.WithoutComments(code)).FirstOrDefault(d => d.Names.Contains(name));
    }

    /// <summary>The members of the body between <paramref name="open"/> and <paramref name="close"/> (comments and inactive #if regions already removed).</summary>
    public static IReadOnlyList<CStructField> Fields(string code, int open, int close)
    {
        var fields = new List<CStructField>();
        AddMembers(code.Substring(open + 1, close - open - 1), "", fields);
        return fields;
    }

    private static void AddMembers(string body, string prefix, List<CStructField> fields)
    {
        foreach (var raw in SplitTopLevel(body, ';'))
        {
            var member = StripAttributes(raw.Trim());
            if (member.Length == 0)
                continue;
            int brace = member.IndexOf('{');
            if (brace >= 0)
            {
                int close = UpstreamSource.Matching(member, brace, '{', '}');
                if (close < 0) continue;
                var declarator = StripAttributes(member[(close + 1)..].Trim());
                var name = LastIdent().Match(Regex.Replace(declarator, @"\[[^\]]*\]", ""));
                AddMembers(member[(brace + 1)..close], name.Success ? prefix + name.Groups[1].Value + "." : prefix, fields);
                continue;
            }
            var call = MacroMember().Match(member);
            if (call.Success)
            {
                // DECLARE_BITMAP(name, N) and friends: the first argument names the member.
                var args = SplitTopLevel(call.Groups[2].Value, ',').Select(a => a.Trim()).ToArray();
                fields.Add(new CStructField(prefix + args[0], NormalizeType($"{call.Groups[1].Value}({string.Join(", ", args.Skip(1))})")));
                continue;
            }
            var pieces = SplitTopLevel(member, ',');
            string? baseType = null;
            foreach (var piece in pieces)
            {
                var (name, type, stars) = Declarator(piece.Trim());
                if (name is null) continue;
                if (baseType is null)
                {
                    baseType = type;
                    fields.Add(new CStructField(prefix + name, NormalizeType(type + stars)));
                }
                else
                {
                    fields.Add(new CStructField(prefix + name, NormalizeType(baseType + type + stars)));
                }
            }
        }
    }

    // Splits "unsigned long *x[4] : 3" into name x, base type "unsigned long", and the suffix " *[4]:3".
    private static (string? Name, string Type, string Suffix) Declarator(string d)
    {
        var fp = FunctionPointer().Match(d);
        if (fp.Success)
            return (fp.Groups[2].Value, d[..fp.Index] + "(" + fp.Groups[1].Value + ")" + fp.Groups[3].Value, "");
        string bits = "";
        int colon = d.LastIndexOf(':');
        if (colon > 0 && !d.Contains("::"))
        {
            bits = ":" + d[(colon + 1)..].Trim();
            d = d[..colon].TrimEnd();
        }
        string arrays = "";
        int bracket = d.IndexOf('[');
        if (bracket > 0)
        {
            arrays = Regex.Replace(d[bracket..], @"\s+", "");
            d = d[..bracket].TrimEnd();
        }
        var m = LastIdent().Match(d);
        if (!m.Success)
            return (null, "", "");
        var before = d[..m.Groups[1].Index];
        int stars = 0;
        var trimmed = before.TrimEnd();
        while (trimmed.EndsWith('*')) { stars++; trimmed = trimmed[..^1].TrimEnd(); }
        return (m.Groups[1].Value, trimmed, new string('*', stars) + arrays + bits);
    }

    /// <summary>White space folded; pointers written <c>T *</c>.</summary>
    public static string NormalizeType(string type)
    {
        var t = Regex.Replace(type.Trim(), @"\s+", " ");
        t = Regex.Replace(t, @"\s*\*\s*", "*");
        t = Regex.Replace(t, @"(?<=[\w\)])\*", " *");
        t = Regex.Replace(t, @"\s*([\[\]\(\),:])\s*", "$1");
        return t;
    }

    private static readonly Regex Attributes = new(
        @"\b(__attribute__\s*\(\(.*?\)\)|__aligned\s*\([^)]*\)|____cacheline_aligned\w*|__cacheline_aligned\w*|__randomize_layout|__no_randomize_layout|__packed|__counted_by\s*\([^)]*\))",
        RegexOptions.Compiled);

    private static string StripAttributes(string s) => Attributes.Replace(s, "").Trim();

    [GeneratedRegex(@"([A-Za-z_]\w*)\s*$")]
    private static partial Regex LastIdent();

    [GeneratedRegex(@"^([A-Z_][A-Z0-9_]*)\s*\((.*)\)$", RegexOptions.Singleline)]
    private static partial Regex MacroMember();

    [GeneratedRegex(@"\(\s*(\*+)\s*([A-Za-z_]\w*)\s*\)\s*(\(.*\))\s*$", RegexOptions.Singleline)]
    private static partial Regex FunctionPointer();

    private static List<string> SplitTopLevel(string s, char separator)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '(' || c == '{' || c == '[') depth++;
            else if (c == ')' || c == '}' || c == ']') depth--;
            else if (c == separator && depth == 0)
            {
                parts.Add(s[start..i]);
                start = i + 1;
            }
        }
        parts.Add(s[start..]);
        return parts;
    }

    private static bool IsTypedef(string code, int at)
    {
        int k = at - 1;
        while (k >= 0 && code[k] != ';' && code[k] != '}' && code[k] != '{') k--;
        return Regex.IsMatch(code[(k + 1)..at], @"\btypedef\b");
    }

    private static bool Word(string s, int i, string w) =>
        string.CompareOrdinal(s, i, w, 0, w.Length) == 0 && (i == 0 || !UpstreamSource.IsIdentChar(s[i - 1])) && (i + w.Length >= s.Length || !UpstreamSource.IsIdentChar(s[i + w.Length]));

    internal static int LineOf(string s, int offset)
    {
        int line = 1;
        for (int i = 0; i < offset && i < s.Length; i++)
            if (s[i] == '\n') line++;
        return line;
    }
}
