using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Text;

namespace Emu.Upstream;

/// <summary>
/// The part of the C preprocessor struct drift needs: <c>#if</c>/<c>#ifdef</c>/<c>#elif</c>/<c>#else</c>
/// evaluated against a kernel config and the object-like macros seen so far; inactive lines and
/// directives become blank lines, so line numbers stay. No macro expansion in the text itself.
/// </summary>
public sealed class CConditionals
{
    private readonly Dictionary<string, string> macros;

    public CConditionals(IDictionary<string, string> macros) => this.macros = new Dictionary<string, string>(macros, StringComparer.Ordinal);

    /// <summary>Macros known now (config options and every object-like #define seen in active text).</summary>
    public IReadOnlyDictionary<string, string> Macros => macros;

    /// <summary>Copies the evaluator, so one file's #defines do not leak into another's.</summary>
    public CConditionals Fork() => new(macros);

    /// <summary>
    /// The Debian amd64 config: <c>/usr/src/linux-config-6.12/config.amd64_none_amd64.xz</c> when it and
    /// <c>xz</c> are present, else the option values in <paramref name="autoconf"/> (headers/generated/autoconf.h).
    /// Object-like macros of <paramref name="extraHeaders"/> (bounds.h ...) are added.
    /// </summary>
    public static Dictionary<string, string> LoadConfig(string? autoconf, IEnumerable<string> extraHeaders)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        const string debian = "/usr/src/linux-config-6.12/config.amd64_none_amd64.xz";
        string? text = null;
        if (File.Exists(debian))
        {
            try
            {
                var psi = new ProcessStartInfo("xz", $"-dc {debian}") { RedirectStandardOutput = true, UseShellExecute = false };
                using var p = System.Diagnostics.Process.Start(psi);
                if (p is not null)
                {
                    text = p.StandardOutput.ReadToEnd();
                    p.WaitForExit();
                    if (p.ExitCode != 0) text = null;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                text = null;
            }
        }
        if (text is not null)
        {
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.Trim();
                if (!line.StartsWith("CONFIG_", StringComparison.Ordinal)) continue;
                int eq = line.IndexOf('=');
                if (eq < 0) continue;
                var name = line[..eq];
                var value = line[(eq + 1)..];
                if (value == "n") continue;
                if (value == "m") d[name + "_MODULE"] = "1";
                else d[name] = value == "y" ? "1" : value;
            }
        }
        else if (autoconf is not null && File.Exists(autoconf))
        {
            AddDefines(d, File.ReadAllText(autoconf));
        }
        foreach (var h in extraHeaders)
            if (File.Exists(h))
                AddDefines(d, File.ReadAllText(h));
        return d;
    }

    private static void AddDefines(Dictionary<string, string> d, string text)
    {
        var c = new CConditionals(d);
        c.Apply(text);
        foreach (var kv in c.macros) d[kv.Key] = kv.Value;
    }

    /// <summary>The text with inactive regions and all directives blanked (newlines kept); comments are removed first.</summary>
    public string Apply(string source)
    {
        var lines = UpstreamSource.WithoutComments(source).Split('\n');
        // An include guard seen before (another pass over the same header) must not hide the file.
        var guard = IncludeGuard(lines);
        if (guard is not null) macros.Remove(guard);
        var output = new StringBuilder(source.Length);
        // Each level: is the enclosing region active, has a branch been taken, is this branch active.
        var stack = new Stack<(bool Parent, bool Taken, bool Active)>();
        bool active = true;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            int first = 0;
            while (first < line.Length && char.IsWhiteSpace(line[first])) first++;
            if (first < line.Length && line[first] == '#')
            {
                // Join continuation lines; each keeps its own (blank) output line.
                var directive = new StringBuilder(line[(first + 1)..]);
                int extra = 0;
                while (directive.Length > 0 && directive[^1] == '\\' && i + 1 < lines.Length)
                {
                    directive.Length--;
                    directive.Append(' ').Append(lines[++i]);
                    extra++;
                }
                Directive(directive.ToString().Trim(), stack, ref active);
                for (int k = 0; k <= extra; k++) output.Append('\n');
                continue;
            }
            if (active) output.Append(line);
            output.Append('\n');
        }
        if (output.Length > 0) output.Length--;
        return output.ToString();
    }

    private void Directive(string d, Stack<(bool Parent, bool Taken, bool Active)> stack, ref bool active)
    {
        int sp = 0;
        while (sp < d.Length && (char.IsLetter(d[sp]))) sp++;
        var word = d[..sp];
        var rest = d[sp..].Trim();
        switch (word)
        {
            case "ifdef":
            case "ifndef":
            case "if":
            {
                bool cond = active && (word == "if" ? Eval(rest) : macros.ContainsKey(FirstWord(rest)) == (word == "ifdef"));
                stack.Push((active, cond, cond));
                active = cond;
                break;
            }
            case "elif":
            case "elifdef":
            case "elifndef":
                if (stack.Count == 0) break;
                {
                    var top = stack.Pop();
                    bool cond = top.Parent && !top.Taken && (word == "elif" ? Eval(rest) : macros.ContainsKey(FirstWord(rest)) == (word == "elifdef"));
                    stack.Push((top.Parent, top.Taken || cond, cond));
                    active = cond;
                }
                break;
            case "else":
                if (stack.Count == 0) break;
                {
                    var top = stack.Pop();
                    bool cond = top.Parent && !top.Taken;
                    stack.Push((top.Parent, true, cond));
                    active = cond;
                }
                break;
            case "endif":
                if (stack.Count == 0) break;
                active = stack.Pop().Parent;
                break;
            case "define" when active:
            {
                int n = 0;
                while (n < rest.Length && (char.IsLetterOrDigit(rest[n]) || rest[n] == '_')) n++;
                if (n > 0 && (n == rest.Length || rest[n] != '('))
                    macros[rest[..n]] = rest[n..].Trim();
                break;
            }
            case "undef" when active:
                macros.Remove(FirstWord(rest));
                break;
        }
    }

    private static string? IncludeGuard(string[] lines)
    {
        var directives = lines.Select(l => l.Trim()).Where(l => l.Length > 0).Take(2).ToArray();
        if (directives.Length < 2) return null;
        var a = Regex.Match(directives[0], @"^#\s*ifndef\s+(\w+)$");
        var b = Regex.Match(directives[1], @"^#\s*define\s+(\w+)\b");
        return a.Success && b.Success && a.Groups[1].Value == b.Groups[1].Value ? a.Groups[1].Value : null;
    }

    private static string FirstWord(string s)
    {
        int n = 0;
        while (n < s.Length && (char.IsLetterOrDigit(s[n]) || s[n] == '_')) n++;
        return s[..n];
    }

    /// <summary>Evaluates a <c>#if</c> expression; what it cannot evaluate counts as 0, as undefined identifiers do in C.</summary>
    public bool Eval(string expression)
    {
        try
        {
            var p = new ExprParser(expression, this, 0);
            return p.Parse() != 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private sealed class ExprParser(string s, CConditionals env, int depth)
    {
        private int pos;

        public long Parse()
        {
            var v = Ternary();
            Skip();
            return v;
        }

        private void Skip() { while (pos < s.Length && char.IsWhiteSpace(s[pos])) pos++; }

        private bool Eat(string op)
        {
            Skip();
            if (string.CompareOrdinal(s, pos, op, 0, op.Length) != 0) return false;
            // Do not take '<' of '<<' or '&' of '&&' ...
            if (op.Length == 1 && pos + 1 < s.Length &&
                ((op is "<" or ">" or "&" or "|" && s[pos + 1] == op[0]) || (op is "<" or ">" or "!" && s[pos + 1] == '=')))
                return false;
            pos += op.Length;
            return true;
        }

        private long Ternary()
        {
            var c = Binary(0);
            if (Eat("?"))
            {
                var a = Ternary();
                if (!Eat(":")) throw new FormatException();
                var b = Ternary();
                return c != 0 ? a : b;
            }
            return c;
        }

        private static readonly string[][] Levels =
        [
            ["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!="], ["<=", ">=", "<", ">"], ["<<", ">>"], ["+", "-"], ["*", "/", "%"],
        ];

        private long Binary(int level)
        {
            if (level == Levels.Length) return Unary();
            var left = Binary(level + 1);
            while (true)
            {
                string? op = null;
                foreach (var o in Levels[level])
                    if (Eat(o)) { op = o; break; }
                if (op is null) return left;
                var right = Binary(level + 1);
                left = op switch
                {
                    "||" => (left != 0 || right != 0) ? 1 : 0,
                    "&&" => (left != 0 && right != 0) ? 1 : 0,
                    "|" => left | right,
                    "^" => left ^ right,
                    "&" => left & right,
                    "==" => left == right ? 1 : 0,
                    "!=" => left != right ? 1 : 0,
                    "<=" => left <= right ? 1 : 0,
                    ">=" => left >= right ? 1 : 0,
                    "<" => left < right ? 1 : 0,
                    ">" => left > right ? 1 : 0,
                    "<<" => left << (int)right,
                    ">>" => left >> (int)right,
                    "+" => left + right,
                    "-" => left - right,
                    "*" => left * right,
                    "/" => right == 0 ? 0 : left / right,
                    _ => right == 0 ? 0 : left % right,
                };
            }
        }

        private long Unary()
        {
            if (Eat("!")) return Unary() == 0 ? 1 : 0;
            if (Eat("~")) return ~Unary();
            if (Eat("-")) return -Unary();
            if (Eat("+")) return Unary();
            Skip();
            if (pos >= s.Length) throw new FormatException();
            if (s[pos] == '(')
            {
                pos++;
                var v = Ternary();
                if (!Eat(")")) throw new FormatException();
                return v;
            }
            if (char.IsDigit(s[pos]))
            {
                int start = pos;
                while (pos < s.Length && char.IsLetterOrDigit(s[pos])) pos++;
                var lit = s[start..pos].TrimEnd('u', 'U', 'l', 'L');
                return lit.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? Convert.ToInt64(lit[2..], 16)
                    : lit.Length > 1 && lit[0] == '0' ? Convert.ToInt64(lit, 8) : long.Parse(lit, System.Globalization.CultureInfo.InvariantCulture);
            }
            if (char.IsLetter(s[pos]) || s[pos] == '_')
            {
                int start = pos;
                while (pos < s.Length && (char.IsLetterOrDigit(s[pos]) || s[pos] == '_')) pos++;
                var id = s[start..pos];
                if (id == "defined")
                {
                    bool paren = Eat("(");
                    Skip();
                    int n = pos;
                    while (pos < s.Length && (char.IsLetterOrDigit(s[pos]) || s[pos] == '_')) pos++;
                    var name = s[n..pos];
                    if (paren && !Eat(")")) throw new FormatException();
                    return env.macros.ContainsKey(name) ? 1 : 0;
                }
                Skip();
                if (pos < s.Length && s[pos] == '(')
                {
                    int close = pos, d = 0;
                    for (; close < s.Length; close++)
                    {
                        if (s[close] == '(') d++;
                        else if (s[close] == ')' && --d == 0) break;
                    }
                    var arg = s[(pos + 1)..Math.Min(close, s.Length)].Trim();
                    pos = Math.Min(close + 1, s.Length);
                    return id switch
                    {
                        "IS_ENABLED" or "IS_REACHABLE" => env.macros.ContainsKey(arg) || env.macros.ContainsKey(arg + "_MODULE") ? 1 : 0,
                        "IS_BUILTIN" => env.macros.ContainsKey(arg) ? 1 : 0,
                        "IS_MODULE" => env.macros.ContainsKey(arg + "_MODULE") ? 1 : 0,
                        "__has_attribute" or "__has_builtin" or "__has_include" => 0,
                        _ => 0,
                    };
                }
                if (depth < 16 && env.macros.TryGetValue(id, out var value) && value.Length > 0)
                    return new ExprParser(value, env, depth + 1).Parse();
                return 0;
            }
            throw new FormatException();
        }
    }
}
