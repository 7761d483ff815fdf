using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Emu.Generators.Model;

namespace Emu.Generators.CHeaders;

/// <summary>
/// The C preprocessor for the header subset: object- and function-like macros (variadic, #, ##,
/// GNU <c>, ## __VA_ARGS__</c>), #include inside headers/, conditionals, #undef, #error.
/// Expansion follows Prosser's hide-set algorithm, as gcc's and chibicc's do.
/// </summary>
internal sealed class Preprocessor
{
    private const int MaxIncludeDepth = 64;

    private readonly IReadOnlyDictionary<string, IReadOnlyList<Token>> _files;
    private readonly ISet<string> _recordedMacros;
    private readonly Dictionary<string, Macro> _macros = new(StringComparer.Ordinal);
    private readonly List<HeaderDiagnostic> _diagnostics;
    private readonly List<AccessorMacroUse> _accessorUses = new();
    private readonly List<CondFrame> _conds = new();
    private readonly List<string> _includeStack = new();
    private readonly HashSet<string> _pragmaOnce = new(StringComparer.Ordinal);
    private readonly TokenStack _input = new();

    private sealed class CondFrame
    {
        public bool Active;      // this group is being emitted
        public bool Taken;       // some group of this #if chain was taken
        public bool SeenElse;
        public bool ParentActive;
        public SourceLocation Location;
        public int IncludeDepth;
    }

    public Preprocessor(
        IReadOnlyDictionary<string, IReadOnlyList<Token>> files,
        IEnumerable<KeyValuePair<string, string>> predefined,
        ISet<string> recordedMacros,
        List<HeaderDiagnostic> diagnostics)
    {
        _files = files;
        _recordedMacros = recordedMacros;
        _diagnostics = diagnostics;
        var scratch = new List<HeaderDiagnostic>();
        foreach (var kv in predefined)
        {
            var body = Lexer.Tokenize("<predefined>", kv.Value, scratch);
            body.RemoveAt(body.Count - 1);
            _macros[kv.Key] = new Macro(kv.Key, null, false, body, SourceLocation.None, predefined: true);
        }
    }

    public IReadOnlyList<AccessorMacroUse> AccessorUses => _accessorUses;

    /// <summary>Preprocesses the given files in order, as one translation unit.</summary>
    public List<Token> Run(IEnumerable<string> roots)
    {
        var output = new List<Token>();
        foreach (var root in roots)
        {
            if (!_files.ContainsKey(root))
            {
                Report("EMU003", $"header '{root}' not found", SourceLocation.None);
                continue;
            }
            EnterFile(root);
            Process(output);
        }
        return output;
    }

    /// <summary>The object-like macros the headers define, fully expanded (for C# constants).</summary>
    public List<(Macro macro, List<Token> expansion)> DefinedConstants()
    {
        var result = new List<(Macro, List<Token>)>();
        foreach (var m in _macros.Values)
        {
            if (m.Predefined || m.IsFunctionLike || m.Body.Count == 0)
                continue;
            var stack = new TokenStack();
            stack.PushFront(m.Body.Select(t => t.Expanded(HideSet.Add(null, m.Name), m.Location, t.SpaceBefore)).ToList());
            result.Add((m, ExpandAll(stack)));
        }
        return result;
    }

    private void EnterFile(string path)
    {
        _includeStack.Add(path);
        _input.PushFront(_files[path]);
    }

    private void Process(List<Token> output)
    {
        while (!_input.IsEmpty)
        {
            var tok = _input.Pop();
            if (tok.Kind == TokenKind.EndOfFile)
            {
                LeaveFile(tok);
                continue;
            }
            if (tok.AtLineStart && tok.Is("#") && !tok.FromMacro)
            {
                Directive(tok);
                continue;
            }
            if (tok.Kind == TokenKind.Identifier && ExpandMacro(_input, tok))
                continue;
            output.Add(tok);
        }
    }

    private void LeaveFile(Token eof)
    {
        int depth = _includeStack.Count;
        while (_conds.Count > 0 && _conds[_conds.Count - 1].IncludeDepth == depth)
        {
            Report("EMU004", "unterminated conditional directive", _conds[_conds.Count - 1].Location);
            _conds.RemoveAt(_conds.Count - 1);
        }
        _includeStack.RemoveAt(_includeStack.Count - 1);
    }

    private string CurrentFile => _includeStack.Count > 0 ? _includeStack[_includeStack.Count - 1] : "";

    // ---- directives -------------------------------------------------------------------------

    private List<Token> RestOfLine()
    {
        var line = new List<Token>();
        while (!_input.IsEmpty)
        {
            var t = _input.Peek();
            if (t.Kind == TokenKind.EndOfFile || (t.AtLineStart && !t.FromMacro))
                break;
            line.Add(_input.Pop());
        }
        return line;
    }

    private void Directive(Token hash)
    {
        if (_input.IsEmpty || _input.Peek().AtLineStart || _input.Peek().Kind == TokenKind.EndOfFile)
            return; // null directive
        var name = _input.Pop();
        var args = RestOfLine();
        switch (name.Text)
        {
            case "include": Include(name, args); break;
            case "define": Define(name, args); break;
            case "undef":
                if (args.Count == 0 || args[0].Kind != TokenKind.Identifier)
                    Report("EMU005", "macro name missing in #undef", name.Location);
                else
                    _macros.Remove(args[0].Text);
                break;
            case "if": PushCond(name, EvaluateCondition(name, args)); break;
            case "ifdef":
            case "ifndef":
                if (args.Count == 0 || args[0].Kind != TokenKind.Identifier)
                {
                    Report("EMU005", $"macro name missing in #{name.Text}", name.Location);
                    PushCond(name, false);
                }
                else
                    PushCond(name, _macros.ContainsKey(args[0].Text) == (name.Text == "ifdef"));
                break;
            case "elif": Elif(name, args); break;
            case "else": Else(name); break;
            case "endif":
                if (_conds.Count == 0 || _conds[_conds.Count - 1].IncludeDepth != _includeStack.Count)
                    Report("EMU004", "#endif without #if", name.Location);
                else
                    _conds.RemoveAt(_conds.Count - 1);
                break;
            case "error":
                Report("EMU006", "#error " + Lexer.Spell(args), name.Location);
                break;
            case "warning":
                _diagnostics.Add(new HeaderDiagnostic("EMU006", "#warning " + Lexer.Spell(args), name.Location, false));
                break;
            case "pragma":
                if (args.Count == 1 && args[0].Text == "once")
                    _pragmaOnce.Add(CurrentFile);
                break;
            case "line":
                break;
            default:
                Report("EMU007", $"unsupported preprocessing directive '#{name.Text}'", name.Location);
                break;
        }
    }

    private void Include(Token directive, List<Token> args)
    {
        string? target = null;
        bool quoted = false;
        if (args.Count >= 1 && args[0].Kind == TokenKind.String)
        {
            target = args[0].Text.Substring(1, args[0].Text.Length - 2);
            quoted = true;
        }
        else if (args.Count >= 3 && args[0].Is("<") && args[args.Count - 1].Is(">"))
        {
            target = string.Concat(args.Skip(1).Take(args.Count - 2).Select(t => t.Text));
        }
        if (target is null)
        {
            Report("EMU003", "#include expects \"FILE\" or <FILE>", directive.Location);
            return;
        }
        var resolved = Resolve(target, quoted);
        if (resolved is null)
        {
            Report("EMU003", $"'{target}' not found in headers/", args[0].Location);
            return;
        }
        if (_pragmaOnce.Contains(resolved))
            return;
        if (_includeStack.Count >= MaxIncludeDepth)
        {
            Report("EMU003", $"#include nested too deeply (more than {MaxIncludeDepth} levels)", directive.Location);
            return;
        }
        EnterFile(resolved);
    }

    private string? Resolve(string target, bool quoted)
    {
        if (quoted)
        {
            var dir = CurrentFile;
            int slash = dir.LastIndexOf('/');
            var local = Normalize(slash < 0 ? target : dir.Substring(0, slash + 1) + target);
            if (local is not null && _files.ContainsKey(local))
                return local;
        }
        var fromRoot = Normalize(target);
        return fromRoot is not null && _files.ContainsKey(fromRoot) ? fromRoot : null;
    }

    private static string? Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var p in path.Split('/'))
        {
            if (p.Length == 0 || p == ".") continue;
            if (p == "..")
            {
                if (parts.Count == 0) return null;
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(p);
        }
        return string.Join("/", parts);
    }

    private void Define(Token directive, List<Token> args)
    {
        if (args.Count == 0 || args[0].Kind != TokenKind.Identifier)
        {
            Report("EMU005", "macro name missing in #define", directive.Location);
            return;
        }
        var name = args[0];
        int i = 1;
        List<string>? parameters = null;
        bool variadic = false;
        if (i < args.Count && args[i].Is("(") && !args[i].SpaceBefore)
        {
            parameters = new List<string>();
            i++;
            while (true)
            {
                if (i >= args.Count)
                {
                    Report("EMU005", $"unterminated parameter list in macro '{name.Text}'", name.Location);
                    return;
                }
                var p = args[i++];
                if (p.Is(")") && parameters.Count == 0) break;
                if (p.Is("..."))
                {
                    parameters.Add("__VA_ARGS__");
                    variadic = true;
                }
                else if (p.Kind == TokenKind.Identifier)
                {
                    parameters.Add(p.Text);
                    if (i < args.Count && args[i].Is("..."))
                    {
                        variadic = true;
                        i++;
                    }
                }
                else
                {
                    Report("EMU005", $"unexpected '{p.Text}' in parameter list of macro '{name.Text}'", p.Location);
                    return;
                }
                if (i >= args.Count)
                    continue;
                if (args[i].Is(")")) { i++; break; }
                if (args[i].Is(",") && !variadic) { i++; continue; }
                Report("EMU005", $"expected ',' or ')' in parameter list of macro '{name.Text}'", args[i].Location);
                return;
            }
        }
        var body = args.Skip(i).ToList();
        if (body.Count > 0)
            body[0] = body[0].WithSpace(false);
        _macros[name.Text] = new Macro(name.Text, parameters, variadic, body, name.Location, predefined: false);
    }

    // ---- conditionals -----------------------------------------------------------------------

    private bool ParentActive => _conds.Count == 0 || _conds[_conds.Count - 1].Active;

    private void PushCond(Token at, bool value)
    {
        bool parent = ParentActive;
        var frame = new CondFrame
        {
            ParentActive = parent,
            Active = parent && value,
            Taken = value,
            Location = at.Location,
            IncludeDepth = _includeStack.Count,
        };
        _conds.Add(frame);
        if (!frame.Active)
            SkipGroup();
    }

    private CondFrame? CurrentCond(Token at)
    {
        if (_conds.Count == 0 || _conds[_conds.Count - 1].IncludeDepth != _includeStack.Count)
        {
            Report("EMU004", $"#{at.Text} without #if", at.Location);
            return null;
        }
        return _conds[_conds.Count - 1];
    }

    private void Elif(Token at, List<Token> args)
    {
        var frame = CurrentCond(at);
        if (frame is null) return;
        if (frame.SeenElse)
            Report("EMU004", "#elif after #else", at.Location);
        if (frame.Taken || !frame.ParentActive)
        {
            frame.Active = false;
        }
        else
        {
            bool value = EvaluateCondition(at, args);
            frame.Taken = value;
            frame.Active = value;
        }
        if (!frame.Active)
            SkipGroup();
    }

    private void Else(Token at)
    {
        var frame = CurrentCond(at);
        if (frame is null) return;
        if (frame.SeenElse)
            Report("EMU004", "#else after #else", at.Location);
        frame.SeenElse = true;
        frame.Active = frame.ParentActive && !frame.Taken;
        frame.Taken = true;
        if (!frame.Active)
            SkipGroup();
    }

    /// <summary>Skips tokens up to the #elif/#else/#endif that closes the current group.</summary>
    private void SkipGroup()
    {
        int depth = 0;
        while (!_input.IsEmpty)
        {
            var t = _input.Peek();
            if (t.Kind == TokenKind.EndOfFile)
                return;
            if (t.AtLineStart && t.Is("#") && !t.FromMacro)
            {
                var hash = _input.Pop();
                if (!_input.IsEmpty && !_input.Peek().AtLineStart && _input.Peek().Kind == TokenKind.Identifier)
                {
                    var name = _input.Peek().Text;
                    if (name == "if" || name == "ifdef" || name == "ifndef")
                        depth++;
                    else if (name == "elif" || name == "else" || name == "endif")
                    {
                        if (depth == 0)
                        {
                            _input.Push(hash);
                            return;
                        }
                        if (name == "endif")
                            depth--;
                    }
                }
                RestOfLine();
                continue;
            }
            _input.Pop();
        }
    }

    private bool EvaluateCondition(Token directive, List<Token> args)
    {
        if (args.Count == 0)
        {
            Report("EMU008", $"#{directive.Text} with no expression", directive.Location);
            return false;
        }
        // `defined X` is decided before expansion (C11 6.10.1p4).
        var replaced = new List<Token>();
        for (int i = 0; i < args.Count; i++)
        {
            var t = args[i];
            if (t.Is("defined"))
            {
                bool paren = i + 1 < args.Count && args[i + 1].Is("(");
                int nameAt = paren ? i + 2 : i + 1;
                if (nameAt >= args.Count || args[nameAt].Kind != TokenKind.Identifier || (paren && (nameAt + 1 >= args.Count || !args[nameAt + 1].Is(")"))))
                {
                    Report("EMU008", "malformed 'defined'", t.Location);
                    return false;
                }
                replaced.Add(new Token(TokenKind.Number, _macros.ContainsKey(args[nameAt].Text) ? "1" : "0", t.Location, false, true));
                i = paren ? nameAt + 1 : nameAt;
                continue;
            }
            replaced.Add(t);
        }
        var stack = new TokenStack();
        stack.PushFront(replaced);
        var expanded = ExpandAll(stack)
            .Select(t => t.Kind == TokenKind.Identifier ? new Token(TokenKind.Number, "0", t.Location, false, t.SpaceBefore) : t)
            .ToList();
        var diagnostics = new List<HeaderDiagnostic>();
        var expr = Parser.ParseStandaloneExpression(expanded, directive.Location, diagnostics);
        if (expr is null)
        {
            _diagnostics.AddRange(diagnostics);
            return false;
        }
        var value = Layout.ConstantEvaluator.EvaluatePreprocessor(expr, out var error);
        if (error is not null)
        {
            Report("EMU008", error.Value.message, error.Value.location.IsNone ? directive.Location : error.Value.location);
            return false;
        }
        return value != 0;
    }

    // ---- macro expansion --------------------------------------------------------------------

    /// <summary>Expands every macro of <paramref name="stack"/> (no directives), as for a macro argument.</summary>
    private List<Token> ExpandAll(TokenStack stack)
    {
        var result = new List<Token>();
        while (!stack.IsEmpty)
        {
            var t = stack.Pop();
            if (t.Kind == TokenKind.EndOfFile)
                continue;
            if (t.Kind == TokenKind.Identifier && ExpandMacro(stack, t))
                continue;
            result.Add(t);
        }
        return result;
    }

    /// <summary>If <paramref name="tok"/> names a macro not in its hide set, pushes its expansion onto <paramref name="stack"/>.</summary>
    private bool ExpandMacro(TokenStack stack, Token tok)
    {
        if (HideSet.Contains(tok.HideSet, tok.Text) || !_macros.TryGetValue(tok.Text, out var macro))
            return false;
        var origin = tok.FromMacro ? tok.Origin : tok.Location;

        if (!macro.IsFunctionLike)
        {
            var hs = HideSet.Add(tok.HideSet, macro.Name);
            stack.PushFront(Copy(macro.Body, hs, origin, tok.SpaceBefore));
            return true;
        }

        if (stack.IsEmpty || !stack.Peek().Is("("))
            return false;
        stack.Pop();
        var args = ReadArguments(stack, macro, tok, out var rparen);
        if (args is null)
            return true;
        if (_recordedMacros.Contains(macro.Name))
            RecordAccessorUse(macro, args, origin);
        var hideSet = HideSet.Add(HideSet.Intersect(tok.HideSet, rparen!.HideSet), macro.Name);
        var body = Substitute(macro, args, tok);
        stack.PushFront(Copy(body, hideSet, origin, tok.SpaceBefore));
        return true;
    }

    private static List<Token> Copy(List<Token> body, HideSet? hideSet, SourceLocation origin, bool leadingSpace)
    {
        var result = new List<Token>(body.Count);
        for (int i = 0; i < body.Count; i++)
        {
            var t = body[i];
            result.Add(t.Expanded(HideSet.Union(t.HideSet, hideSet), origin, i == 0 ? leadingSpace : t.SpaceBefore));
        }
        return result;
    }

    private List<List<Token>>? ReadArguments(TokenStack stack, Macro macro, Token name, out Token? rparen)
    {
        var args = new List<List<Token>> { new() };
        int depth = 0;
        int paramCount = macro.Parameters!.Count;
        rparen = null;
        while (true)
        {
            if (stack.IsEmpty || stack.Peek().Kind == TokenKind.EndOfFile)
            {
                Report("EMU009", $"unterminated invocation of macro '{macro.Name}'", name.ReportLocation);
                return null;
            }
            var t = stack.Pop();
            if (t.AtLineStart && t.Is("#") && !t.FromMacro)
            {
                Report("EMU009", $"directive inside the arguments of macro '{macro.Name}'", t.Location);
                stack.Push(t);
                return null;
            }
            if (depth == 0 && t.Is(")"))
            {
                rparen = t;
                break;
            }
            if (depth == 0 && t.Is(",") && !(macro.Variadic && args.Count == paramCount))
            {
                args.Add(new List<Token>());
                continue;
            }
            if (t.Is("(")) depth++;
            else if (t.Is(")")) depth--;
            args[args.Count - 1].Add(t);
        }
        // FOO() of a one-parameter macro passes one empty argument; a variadic tail may be absent.
        if (paramCount == 0 && args.Count == 1 && args[0].Count == 0)
            args.Clear();
        if (macro.Variadic && args.Count == paramCount - 1)
            args.Add(new List<Token>());
        if (args.Count != paramCount)
        {
            Report("EMU009", $"macro '{macro.Name}' takes {paramCount} argument(s), {args.Count} given", name.ReportLocation);
            return null;
        }
        return args;
    }

    private List<Token> Substitute(Macro macro, List<List<Token>> args, Token at)
    {
        var body = macro.Body;
        var output = new List<Token>();
        var expandedArgs = new List<Token>?[args.Count];
        bool placemarker = false;
        List<Token> Expanded(int index)
        {
            if (expandedArgs[index] is null)
            {
                var s = new TokenStack();
                s.PushFront(args[index]);
                expandedArgs[index] = ExpandAll(s);
            }
            return expandedArgs[index]!;
        }

        for (int i = 0; i < body.Count; i++)
        {
            var t = body[i];
            bool nextIsPaste = i + 1 < body.Count && body[i + 1].Is("##");

            if (t.Is("#") && i + 1 < body.Count && macro.ParameterIndex(body[i + 1].Text) is var si && si >= 0)
            {
                output.Add(Stringize(args[si], t));
                i++;
                continue;
            }
            // GNU: `, ## __VA_ARGS__` drops the comma when the variable arguments are empty.
            if (t.Is(",") && nextIsPaste && i + 2 < body.Count && macro.Variadic &&
                macro.ParameterIndex(body[i + 2].Text) == args.Count - 1)
            {
                var va = args[args.Count - 1];
                if (va.Count > 0)
                {
                    output.Add(t);
                    output.AddRange(va);
                }
                i += 2;
                continue;
            }
            if (t.Is("##"))
            {
                if (i + 1 >= body.Count || (output.Count == 0 && !placemarker))
                {
                    Report("EMU009", $"'##' at the edge of macro '{macro.Name}'", t.Location);
                    continue;
                }
                var right = body[++i];
                int pi = macro.ParameterIndex(right.Text);
                var operand = pi >= 0 ? args[pi] : new List<Token> { right };
                // An empty left operand is a placemarker (C11 6.10.3.3): the right operand stands alone.
                if (operand.Count > 0 && !placemarker)
                    Paste(output, operand[0], at);
                else if (operand.Count > 0)
                    output.Add(operand[0]);
                output.AddRange(operand.Skip(1));
                placemarker = placemarker && operand.Count == 0;
                continue;
            }
            placemarker = false;
            int p = macro.ParameterIndex(t.Text);
            if (p >= 0 && t.Kind == TokenKind.Identifier)
            {
                // An operand of ## is substituted unexpanded.
                var arg = nextIsPaste ? args[p] : Expanded(p);
                placemarker = nextIsPaste && arg.Count == 0;
                for (int k = 0; k < arg.Count; k++)
                    output.Add(k == 0 ? arg[k].WithSpace(t.SpaceBefore) : arg[k]);
                continue;
            }
            output.Add(t);
        }
        return output;
    }

    private void Paste(List<Token> output, Token right, Token at)
    {
        var left = output[output.Count - 1];
        var text = left.Text + right.Text;
        var diagnostics = new List<HeaderDiagnostic>();
        var lexed = Lexer.Tokenize(left.Location.File, text, diagnostics);
        if (lexed.Count != 2 || diagnostics.Count > 0)
        {
            Report("EMU009", $"pasting \"{left.Text}\" and \"{right.Text}\" does not give a valid token", at.ReportLocation);
            return;
        }
        output[output.Count - 1] = new Token(lexed[0].Kind, text, left.Location, false, left.SpaceBefore)
            .Expanded(left.HideSet, left.Origin, left.SpaceBefore);
    }

    private static Token Stringize(List<Token> arg, Token at)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in Lexer.Spell(arg))
        {
            if (c == '"' || c == '\\') sb.Append('\\');
            sb.Append(c);
        }
        sb.Append('"');
        return new Token(TokenKind.String, sb.ToString(), at.Location, false, at.SpaceBefore);
    }

    private void RecordAccessorUse(Macro macro, List<List<Token>> args, SourceLocation origin)
    {
        var expanded = new List<string>();
        foreach (var a in args)
        {
            var s = new TokenStack();
            s.PushFront(a);
            expanded.Add(Lexer.Spell(ExpandAll(s)));
        }
        _accessorUses.Add(new AccessorMacroUse(macro.Name, expanded.ToEquatableArray(), origin));
    }

    private void Report(string id, string message, SourceLocation location) =>
        _diagnostics.Add(new HeaderDiagnostic(id, message, location, true));
}
