using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

namespace Emu.Upstream;

/// <summary>
/// Finds function definitions in kernel-style C and hashes their bodies, so each transliterated
/// function can say which upstream text it was written from.
/// </summary>
/// <remarks>
/// Normalization (the one place it is defined): take the body from its opening <c>{</c> to the
/// matching <c>}</c>; remove comments; replace every run of white space with one space; trim.
/// The hash is the first 16 hex digits (lower case) of SHA-256 over the UTF-8 of that text.
/// Where #ifdef branches define a function more than once, the marker names which definition
/// (1-based, in file order) the configuration selects; by default the first.
/// </remarks>
public static class UpstreamSource
{
    /// <summary>
    /// The body of <paramref name="function"/>'s <paramref name="definition"/>-th definition (1-based) at file
    /// scope in <paramref name="source"/>, comments removed; null when there is no such definition.
    /// </summary>
    public static string? ExtractFunctionBody(string source, string function, int definition = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(definition, 1);
        var code = StripComments(source, keepSplices: true);
        int depth = 0;
        for (int i = 0; i < code.Length; i++)
        {
            char c = code[i];
            if (c == '"' || c == '\'')
            {
                i = SkipLiteral(code, i);
                continue;
            }
            if (c == '#' && AtLineStart(code, i))
            {
                i = EndOfDirective(code, i);
                continue;
            }
            if (c == '{') { depth++; continue; }
            if (c == '}') { depth--; continue; }
            if (depth != 0 || !IsIdentifierAt(code, i, function))
                continue;
            int j = SkipSpace(code, i + function.Length);
            if (j >= code.Length || code[j] != '(')
                continue;
            int close = Matching(code, j, '(', ')');
            if (close < 0)
                return null;
            // Between ')' and '{' only attributes or macro-ish words may stand; ';', ',' or '=' mean a declaration.
            int k = close + 1;
            while (k < code.Length && code[k] != '{' && code[k] != ';' && code[k] != ',' && code[k] != '=')
                k++;
            if (k < code.Length && code[k] == '{')
            {
                int end = Matching(code, k, '{', '}');
                if (end < 0)
                    return null;
                if (--definition == 0)
                    return StripComments(source).Substring(k, end - k + 1);
                i = end;
                continue;
            }
            i = k;
        }
        return null;
    }

    /// <summary>
    /// Every function definition at file scope of <paramref name="source"/>, in file order, found the way
    /// <see cref="ExtractFunctionBody"/> finds one: a name followed by a parameter list whose closing
    /// parenthesis is followed (after attribute-like words) by <c>{</c>. Attribute macros written before the
    /// declarator (<c>__printf(1, 2)</c>, <c>__attribute__((..))</c>) and macro invocations that end
    /// without a semicolon are not names; the definition they precede is. <c>Definition</c> numbers
    /// repeated names (the <c>#ifdef</c> alternatives) from 1, as the markers do.
    /// </summary>
    public static IReadOnlyList<CFunctionDefinition> ListFunctions(string source)
    {
        var code = StripComments(source, keepSplices: true);
        var result = new List<CFunctionDefinition>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int depth = 0;
        int line = 1;
        int lineAt = 0;
        for (int i = 0; i < code.Length; i++)
        {
            char c = code[i];
            if (c == '"' || c == '\'')
            {
                i = SkipLiteral(code, i);
                continue;
            }
            if (c == '#' && AtLineStart(code, i))
            {
                i = EndOfDirective(code, i);
                continue;
            }
            if (c == '{') { depth++; continue; }
            if (c == '}') { depth--; continue; }
            if (depth != 0 || !(char.IsLetter(c) || c == '_') || (i > 0 && IsIdentChar(code[i - 1])))
                continue;
            int nameEnd = i;
            while (nameEnd < code.Length && IsIdentChar(code[nameEnd])) nameEnd++;
            var name = code.Substring(i, nameEnd - i);
            int j = SkipSpace(code, nameEnd);
            if (j >= code.Length || code[j] != '(')
            {
                i = nameEnd - 1;
                continue;
            }
            int close = Matching(code, j, '(', ')');
            if (close < 0)
                break;
            if (PreDeclaratorAttributes.Contains(name))
            {
                i = close;
                continue;
            }
            int k = close + 1;
            int restart = -1;
            while (k < code.Length && code[k] != '{' && code[k] != ';' && code[k] != ',' && code[k] != '=')
            {
                if ((char.IsLetter(code[k]) || code[k] == '_') && !IsIdentChar(code[k - 1]))
                {
                    int e = k;
                    while (e < code.Length && IsIdentChar(code[e])) e++;
                    int p = SkipSpace(code, e);
                    if (p < code.Length && code[p] == '(')
                    {
                        if (!PostDeclaratorAttributes.Contains(code.Substring(k, e - k)))
                        {
                            restart = k;
                            break;
                        }
                        int pc = Matching(code, p, '(', ')');
                        if (pc < 0) break;
                        k = pc + 1;
                        continue;
                    }
                    k = e;
                    continue;
                }
                k++;
            }
            if (restart >= 0)
            {
                // A macro invocation without ';' (PAGEFLAG(..), DEFINE_..(..)): what follows is looked at afresh.
                i = restart - 1;
                continue;
            }
            if (k < code.Length && code[k] == '{')
            {
                int end = Matching(code, k, '{', '}');
                if (end < 0)
                    break;
                seen[name] = seen.TryGetValue(name, out var n) ? n + 1 : 1;
                for (; lineAt < i; lineAt++)
                    if (code[lineAt] == '\n') line++;
                result.Add(new CFunctionDefinition(name, seen[name], line, DeclarationStart(code, i), k, end + 1));
                i = end;
                continue;
            }
            i = k;
        }
        return result;
    }

    /// <summary>
    /// The raw text (comments kept) of a definition, from the line its declaration starts on through the closing brace;
    /// null when there is no such definition. What <c>emu upstream status --diff</c> shows.
    /// </summary>
    public static string? ExtractDefinitionText(string source, string function, int definition = 1)
    {
        foreach (var f in ListFunctions(source))
            if (f.Name == function && f.Definition == definition)
                return source.Substring(f.Start, f.End - f.Start);
        return null;
    }

    /// <summary>The text of a <c>#define</c> of <paramref name="macro"/> (continuation lines joined, comments removed, white space folded), or null.</summary>
    public static string? ExtractMacro(string source, string macro, int definition = 1)
    {
        var code = StripComments(source, keepSplices: true);
        for (int i = 0; i < code.Length; i++)
        {
            if (code[i] != '#' || !AtLineStart(code, i))
                continue;
            int end = EndOfDirective(code, i);
            int p = SkipSpace(code, i + 1);
            if (string.CompareOrdinal(code, p, "define", 0, 6) == 0)
            {
                int n = SkipSpace(code, p + 6);
                if (IsIdentifierAt(code, n, macro) && --definition == 0)
                    return Normalize(code.Substring(i, end - i).Replace("\\\n", " "));
            }
            i = end;
        }
        return null;
    }

    // Kernel attribute macros that stand before a declarator and take arguments.
    private static readonly HashSet<string> PreDeclaratorAttributes = new(StringComparer.Ordinal)
    {
        "__attribute__", "__attribute", "__printf", "__scanf", "__section", "__aligned", "__alloc_size",
        "__diag_ignore", "__diag_ignore_all", "__malloc", "__assume_aligned", "__realloc_size", "__no_sanitize_address",
    };

    // ... and those that stand between the parameter list and the body.
    private static readonly HashSet<string> PostDeclaratorAttributes = new(StringComparer.Ordinal)
    {
        "__attribute__", "__attribute", "__acquires", "__releases", "__must_hold", "__cond_acquires", "__cond_releases",
        "__printf", "__scanf", "__alloc_size", "__section", "__aligned",
    };

    // Back from the name to the start of its declaration: previous lines belong to it until one ends a
    // declaration or definition, ends a macro invocation, is blank, or is a directive.
    private static int DeclarationStart(string code, int nameAt)
    {
        int start = code.LastIndexOf('\n', Math.Max(0, nameAt - 1)) + 1;
        while (start > 0)
        {
            int prevStart = code.LastIndexOf('\n', start - 2) + 1;
            var prev = code.Substring(prevStart, start - 1 - prevStart).Trim();
            if (prev.Length == 0 || prev.StartsWith('#') || prev.EndsWith(';') || prev.EndsWith('}') || prev.EndsWith('\\') || prev.EndsWith('{') || prev.EndsWith(')'))
                break;
            start = prevStart;
        }
        return start;
    }

    /// <summary>White space folded, as the hash sees it.</summary>
    public static string Normalize(string body)
    {
        var sb = new StringBuilder(body.Length);
        bool space = false;
        foreach (var c in StripComments(body))
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (space && sb.Length > 0) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>The marker hash of a body.</summary>
    public static string BodyHash(string body)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(body)));
        return Convert.ToHexString(digest, 0, 8).ToLowerInvariant();
    }

    /// <summary>The source with comments replaced by spaces (newlines kept, so offsets and lines stay).</summary>
    public static string WithoutComments(string source) => StripComments(source, keepSplices: true);

    // keepSplices: a line splice inside a comment stays, since it may continue a #define (C11
    // 5.1.1.2 splices lines before comments go). Either way each character keeps its position.
    private static string StripComments(string s, bool keepSplices = false)
    {
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '"' || c == '\'')
            {
                int end = SkipLiteral(s, i);
                sb.Append(s, i, end - i + 1);
                i = end;
            }
            else if (c == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                int end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? s.Length - 1 : end + 1;
                for (int k = i; k <= end; k++)
                    sb.Append(s[k] == '\n' ? '\n' : keepSplices && s[k] == '\\' && k + 1 < s.Length && s[k + 1] == '\n' ? '\\' : ' ');
                i = end;
            }
            else if (c == '/' && i + 1 < s.Length && s[i + 1] == '/')
            {
                while (i < s.Length && s[i] != '\n') { sb.Append(' '); i++; }
                if (i < s.Length) sb.Append('\n');
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    internal static int SkipLiteral(string s, int i)
    {
        char q = s[i];
        for (int k = i + 1; k < s.Length; k++)
        {
            if (s[k] == '\\') { k++; continue; }
            if (s[k] == q || s[k] == '\n') return k;
        }
        return s.Length - 1;
    }

    internal static bool AtLineStart(string s, int i)
    {
        for (int k = i - 1; k >= 0 && s[k] != '\n'; k--)
            if (!char.IsWhiteSpace(s[k])) return false;
        return true;
    }

    private static int EndOfDirective(string s, int i)
    {
        while (i < s.Length && s[i] != '\n')
        {
            if (s[i] == '\\' && i + 1 < s.Length && s[i + 1] == '\n') i++;
            i++;
        }
        return i;
    }

    private static bool IsIdentifierAt(string s, int i, string name) =>
        string.CompareOrdinal(s, i, name, 0, name.Length) == 0 &&
        (i == 0 || !IsIdentChar(s[i - 1])) &&
        (i + name.Length >= s.Length || !IsIdentChar(s[i + name.Length]));

    internal static bool IsIdentChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    internal static int SkipSpace(string s, int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
        return i;
    }

    internal static int Matching(string s, int open, char o, char c)
    {
        int depth = 0;
        for (int i = open; i < s.Length; i++)
        {
            if (s[i] == '"' || s[i] == '\'') { i = SkipLiteral(s, i); continue; }
            if (s[i] == o) depth++;
            else if (s[i] == c && --depth == 0) return i;
        }
        return -1;
    }
}

/// <summary>A function definition in a C file.</summary>
/// <param name="Name">function name</param>
/// <param name="Definition">1-based among the file's definitions of the same name</param>
/// <param name="Line">1-based line of the name</param>
/// <param name="Start">offset of the line the declaration starts on</param>
/// <param name="BodyStart">offset of the body's <c>{</c></param>
/// <param name="End">offset just past the body's <c>}</c></param>
public sealed record CFunctionDefinition(string Name, int Definition, int Line, int Start, int BodyStart, int End);
