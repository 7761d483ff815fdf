using System;
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

    private static int SkipLiteral(string s, int i)
    {
        char q = s[i];
        for (int k = i + 1; k < s.Length; k++)
        {
            if (s[k] == '\\') { k++; continue; }
            if (s[k] == q || s[k] == '\n') return k;
        }
        return s.Length - 1;
    }

    private static bool AtLineStart(string s, int i)
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

    private static bool IsIdentChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static int SkipSpace(string s, int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
        return i;
    }

    private static int Matching(string s, int open, char o, char c)
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
