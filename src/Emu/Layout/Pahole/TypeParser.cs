using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Emu.Layout;

// Turns a header's C spelling of a member type into the DWARF type chain gcc would emit.
public static partial class PaholeFormatter
{
    private sealed class TypeParser
    {
        private static readonly HashSet<string> BaseWords = new(StringComparer.Ordinal)
        { "void", "char", "short", "int", "long", "signed", "unsigned", "float", "double", "_Bool", "__int128", "__signed__", "__signed" };

        // Sparse/compiler annotations that leave no trace in DWARF.
        private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
        { "restrict", "__restrict", "__restrict__", "__rcu", "__private", "__user", "__iomem", "__percpu", "__force", "__randomize_layout", "__packed", "__aligned", "static", "extern", "inline", "__inline", "__inline__", "register" };

        private readonly List<string> _tokens;
        private int _pos;

        public TypeParser(string text)
        {
            _tokens = Tokenize(text);
        }

        private static List<string> Tokenize(string text)
        {
            var tokens = new List<string>();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (char.IsWhiteSpace(c)) { i++; continue; }
                if (char.IsLetterOrDigit(c) || c == '_')
                {
                    int start = i;
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                    tokens.Add(text.Substring(start, i - start));
                    continue;
                }
                if (c == '.' && text.AsSpan(i).StartsWith("...")) { tokens.Add("..."); i += 3; continue; }
                tokens.Add(c.ToString());
                i++;
            }
            return tokens;
        }

        private string? Peek(int ahead = 0) => _pos + ahead < _tokens.Count ? _tokens[_pos + ahead] : null;

        private string Next() => _pos < _tokens.Count ? _tokens[_pos++] : throw new FormatException("unexpected end of type");

        private void Expect(string token)
        {
            var t = Next();
            if (t != token)
                throw new FormatException($"expected '{token}', got '{t}'");
        }

        public CType ParseTypeName()
        {
            var t = ParseDeclaration(out _);
            if (_pos != _tokens.Count)
                throw new FormatException("trailing tokens in type: " + string.Join(" ", _tokens.Skip(_pos)));
            return t;
        }

        private CType ParseDeclaration(out bool sawAnything)
        {
            var spec = ParseSpecifiers(out sawAnything);
            return ParseAbstractDeclarator(spec);
        }

        private void SkipAttribute()
        {
            // __attribute__((...)): skip the balanced parentheses.
            Next();
            if (Peek() != "(") return;
            int depth = 0;
            do
            {
                var t = Next();
                if (t == "(") depth++;
                else if (t == ")") depth--;
            } while (depth > 0);
        }

        private CType ParseSpecifiers(out bool sawAnything)
        {
            var quals = new List<string>();
            var baseWords = new List<string>();
            CType? named = null;
            sawAnything = false;
            while (Peek() is { } tok)
            {
                if (tok is "const" or "volatile" or "_Atomic") { if (!quals.Contains(tok)) quals.Add(tok); Next(); }
                else if (tok is "__attribute__" or "__attribute") SkipAttribute();
                else if (Ignored.Contains(tok)) Next();
                else if (BaseWords.Contains(tok) && named is null) { baseWords.Add(tok is "__signed__" or "__signed" ? "signed" : tok); Next(); }
                else if (tok is "struct" or "union" or "enum" && named is null && baseWords.Count == 0)
                {
                    Next();
                    named = new TaggedType(tok, Next());
                }
                else if (IsIdentifier(tok) && named is null && baseWords.Count == 0) { named = new TypedefType(tok); Next(); }
                else break;
                sawAnything = true;
            }
            CType t = named ?? (baseWords.Count == 1 && baseWords[0] == "void" ? new VoidType() : new BaseType(GccBaseName(baseWords)));
            // gcc emits volatile outside const; pahole prints the chain outermost first.
            if (quals.Contains("_Atomic")) t = new QualifiedType("_Atomic", t);
            if (quals.Contains("const")) t = new QualifiedType("const", t);
            if (quals.Contains("volatile")) t = new QualifiedType("volatile", t);
            return t;
        }

        private static bool IsIdentifier(string tok) => tok.Length > 0 && (char.IsLetter(tok[0]) || tok[0] == '_');

        // Abstract declarator: pointers, then an optional parenthesized inner declarator, then suffixes.
        private CType ParseAbstractDeclarator(CType t)
        {
            while (Peek() == "*")
            {
                Next();
                t = new PointerType(t);
                while (Peek() is "const" or "volatile" or "restrict" or "__restrict" or "__rcu" or "__percpu" or "__user")
                {
                    var q = Next();
                    if (q is "const" or "volatile")
                        t = new QualifiedType(q, t);
                }
            }
            if (Peek() == "(" && Peek(1) is "*" or "(" or "[" or "^")
            {
                // Inner declarator binds last: parse it against a placeholder, then the suffixes.
                Next();
                int innerStart = _pos;
                int depth = 1;
                while (depth > 0)
                {
                    var tok = Next();
                    if (tok == "(") depth++;
                    else if (tok == ")") depth--;
                }
                int innerEnd = _pos - 1;
                var outer = ParseSuffixes(t);
                int after = _pos;
                _pos = innerStart;
                var inner = ParseAbstractDeclarator(outer);
                if (_pos != innerEnd)
                    throw new FormatException("bad inner declarator");
                _pos = after;
                return inner;
            }
            if (Peek() is { } name && IsIdentifier(name) && name is not ("const" or "volatile"))
                Next(); // a parameter or member name: not part of the type
            return ParseSuffixes(t);
        }

        private CType ParseSuffixes(CType t)
        {
            if (Peek() == "[")
            {
                var dims = new List<int>();
                while (Peek() == "[")
                {
                    Next();
                    int n = 0;
                    if (Peek() != "]")
                        n = int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
                    Expect("]");
                    dims.Add(n);
                }
                return new ArrayType(t, dims);
            }
            if (Peek() == "(")
            {
                Next();
                var ps = new List<CType>();
                bool variadic = false;
                while (Peek() != ")")
                {
                    if (Peek() == "...") { Next(); variadic = true; }
                    else ps.Add(ParseDeclaration(out _));
                    if (Peek() == ",") Next();
                }
                Expect(")");
                if (ps.Count == 1 && ps[0] is VoidType)
                    ps.Clear();
                return new FunctionType(t, ps, variadic);
            }
            return t;
        }
    }
}
