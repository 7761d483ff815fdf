using System;
using System.Collections.Generic;
using Emu.Generators.Model;

namespace Emu.Generators.CHeaders;

/// <summary>
/// Parses preprocessed tokens into declarations: typedefs, structs/unions, enums, static
/// assertions and prototypes. What it does not model (function bodies, initializers, unknown
/// attributes) is skipped with a diagnostic; a syntax error skips to the next declaration.
/// </summary>
internal sealed partial class Parser
{
    private sealed class ParseException : Exception
    {
        public ParseException(string message, SourceLocation location) : base(message) => Location = location;
        public SourceLocation Location { get; }
    }

    private readonly List<Token> _tokens;
    private readonly List<HeaderDiagnostic> _diagnostics;
    private readonly ISet<string> _typedefNames;
    private readonly Dictionary<string, RecordDecl> _recordsByTag = new(StringComparer.Ordinal);
    private readonly List<RecordDecl> _records = new();
    private readonly List<TypedefDecl> _typedefs = new();
    private readonly List<EnumDecl> _enums = new();
    private readonly List<StaticAssertDecl> _asserts = new();
    private readonly List<FunctionDecl> _functions = new();
    private int _pos;

    private Parser(List<Token> tokens, List<HeaderDiagnostic> diagnostics, ISet<string>? typedefNames = null)
    {
        _tokens = tokens;
        _typedefNames = typedefNames ?? new HashSet<string>(StringComparer.Ordinal);
        if (tokens.Count == 0 || tokens[tokens.Count - 1].Kind != TokenKind.EndOfFile)
        {
            var last = tokens.Count > 0 ? tokens[tokens.Count - 1].ReportLocation : SourceLocation.None;
            _tokens = new List<Token>(tokens) { new(TokenKind.EndOfFile, "", last, true, false) };
        }
        _diagnostics = diagnostics;
    }

    /// <summary>The declarations of a translation unit.</summary>
    public sealed record Result(
        List<RecordDecl> Records,
        List<TypedefDecl> Typedefs,
        List<EnumDecl> Enums,
        List<StaticAssertDecl> StaticAsserts,
        List<FunctionDecl> Functions);

    public static Result ParseTranslationUnit(List<Token> tokens, List<HeaderDiagnostic> diagnostics)
    {
        var p = new Parser(tokens, diagnostics);
        p.TranslationUnit();
        return new Result(p._records, p._typedefs, p._enums, p._asserts, p._functions);
    }

    /// <summary>Parses a whole token list as one expression (#if, macro constants); null on error.</summary>
    public static Expr? ParseStandaloneExpression(List<Token> tokens, SourceLocation where, List<HeaderDiagnostic> diagnostics, ISet<string>? typedefNames = null)
    {
        // The typedef names are only read here: share the caller's set.
        var p = new Parser(tokens, diagnostics, typedefNames);
        try
        {
            if (p.Peek.Kind == TokenKind.EndOfFile)
                throw new ParseException("expected an expression", where);
            var e = p.Expression();
            if (p.Peek.Kind != TokenKind.EndOfFile)
                throw new ParseException($"unexpected '{p.Peek.Text}' after expression", p.Peek.ReportLocation);
            return e;
        }
        catch (ParseException ex)
        {
            diagnostics.Add(new HeaderDiagnostic("EMU008", ex.Message, ex.Location.IsNone ? where : ex.Location, true));
            return null;
        }
    }

    // ---- token helpers ----------------------------------------------------------------------

    private Token Peek => _tokens[_pos];

    private Token PeekAt(int k) => _tokens[Math.Min(_pos + k, _tokens.Count - 1)];

    private Token Next()
    {
        var t = _tokens[_pos];
        if (_pos < _tokens.Count - 1) _pos++;
        return t;
    }

    private bool Accept(string text)
    {
        if (!Peek.Is(text)) return false;
        Next();
        return true;
    }

    private Token Expect(string text)
    {
        if (!Peek.Is(text))
            throw new ParseException($"expected '{text}' but found {Describe(Peek)}", Peek.ReportLocation);
        return Next();
    }

    private static string Describe(Token t) => t.Kind == TokenKind.EndOfFile ? "end of input" : $"'{t.Text}'";

    private void Warn(string id, string message, SourceLocation at) =>
        _diagnostics.Add(new HeaderDiagnostic(id, message, at, false));

    // ---- top level --------------------------------------------------------------------------

    private void TranslationUnit()
    {
        while (Peek.Kind != TokenKind.EndOfFile)
        {
            int start = _pos;
            try
            {
                ExternalDeclaration();
            }
            catch (ParseException ex)
            {
                _diagnostics.Add(new HeaderDiagnostic("EMU020", ex.Message, ex.Location, true));
                Recover(start);
            }
        }
    }

    /// <summary>Skips to just after the next ';' at brace depth 0 (or a balanced '}' block).</summary>
    private void Recover(int start)
    {
        if (_pos == start) Next();
        int depth = 0;
        while (Peek.Kind != TokenKind.EndOfFile)
        {
            var t = Next();
            if (t.Is("{") || t.Is("(") || t.Is("[")) depth++;
            else if (t.Is("}") || t.Is(")") || t.Is("]"))
            {
                depth--;
                if (depth <= 0 && t.Is("}") && Peek.Is(";")) { Next(); return; }
                if (depth < 0) return;
            }
            else if (t.Is(";") && depth <= 0) return;
        }
    }

    private void ExternalDeclaration()
    {
        if (Accept(";"))
            return;
        if (IsStaticAssert(Peek))
        {
            StaticAssert();
            return;
        }
        if (Peek.Is("asm") || Peek.Is("__asm__") || Peek.Is("__asm"))
        {
            Warn("EMU010", "top-level asm skipped", Peek.ReportLocation);
            Recover(_pos);
            return;
        }
        var spec = DeclarationSpecifiers(allowStorage: true);
        if (Accept(";"))
            return;
        while (true)
        {
            var d = Declarator(spec.Type, allowAbstract: false);
            var attrs = spec.Attributes.Merge(d.Attributes).Merge(Attributes());
            SkipAsmLabel();
            if (d.Type is FunctionType && Peek.Is("{"))
            {
                Warn("EMU010", $"body of function '{d.Name}' skipped: the generator does not model inline functions", d.Location);
                SkipBalanced("{", "}");
                return;
            }
            if (Accept("="))
            {
                Warn("EMU010", $"initializer of '{d.Name}' skipped", d.Location);
                SkipInitializer();
            }
            if (spec.IsTypedef)
                AddTypedef(new TypedefDecl(d.Name!, d.Type, attrs, d.Location));
            else if (d.Type is FunctionType)
                _functions.Add(new FunctionDecl(d.Name!, d.Location));
            if (Accept(","))
                continue;
            Expect(";");
            return;
        }
    }

    private void AddTypedef(TypedefDecl decl)
    {
        _typedefNames.Add(decl.Name);
        _typedefs.Add(decl);
    }

    private void SkipAsmLabel()
    {
        if (Peek.Is("asm") || Peek.Is("__asm__") || Peek.Is("__asm"))
        {
            Next();
            SkipBalanced("(", ")");
        }
    }

    private void SkipInitializer()
    {
        int depth = 0;
        while (Peek.Kind != TokenKind.EndOfFile)
        {
            if (depth == 0 && (Peek.Is(",") || Peek.Is(";"))) return;
            var t = Next();
            if (t.Is("{") || t.Is("(") || t.Is("[")) depth++;
            else if (t.Is("}") || t.Is(")") || t.Is("]")) depth--;
        }
    }

    private void SkipBalanced(string open, string close)
    {
        var start = Expect(open);
        int depth = 1;
        while (depth > 0)
        {
            if (Peek.Kind == TokenKind.EndOfFile)
                throw new ParseException($"unbalanced '{open}'", start.ReportLocation);
            var t = Next();
            if (t.Is(open)) depth++;
            else if (t.Is(close)) depth--;
        }
    }

    private static bool IsStaticAssert(Token t) => t.Is("_Static_assert") || t.Is("static_assert");

    private void StaticAssert()
    {
        var kw = Next();
        Expect("(");
        int exprStart = _pos;
        var cond = AssignmentExpression();
        var text = Lexer.Spell(_tokens.GetRange(exprStart, _pos - exprStart));
        string message = "";
        if (Accept(","))
        {
            var sb = new System.Text.StringBuilder();
            while (Peek.Kind == TokenKind.String)
            {
                var s = Next().Text;
                sb.Append(s.Substring(1, s.Length - 2));
            }
            if (sb.Length == 0)
                throw new ParseException("expected a string literal in static assertion", Peek.ReportLocation);
            message = sb.ToString();
        }
        Expect(")");
        Expect(";");
        _asserts.Add(new StaticAssertDecl(cond, message, text, kw.ReportLocation));
    }
}
