using System.Collections.Generic;
using System.Text;
using Emu.Generators.Model;

namespace Emu.Generators.CHeaders;

/// <summary>Splits a header into preprocessing tokens (C11 6.4), reporting what it cannot read.</summary>
internal sealed class Lexer
{
    private static readonly string[] Punctuators =
    {
        "...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
        "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##",
    };

    private readonly string _file;
    private readonly char[] _text;
    private readonly int[] _line;
    private readonly int[] _col;
    private readonly List<HeaderDiagnostic> _diagnostics;
    private int _pos;

    private Lexer(string file, string source, List<HeaderDiagnostic> diagnostics)
    {
        _file = file;
        _diagnostics = diagnostics;
        // Remove backslash-newline splices up front, remembering where each char came from.
        var text = new List<char>(source.Length);
        var lines = new List<int>(source.Length);
        var cols = new List<int>(source.Length);
        int line = 1, col = 1;
        for (int i = 0; i < source.Length; i++)
        {
            char c = source[i];
            if (c == '\\')
            {
                int j = i + 1;
                if (j < source.Length && source[j] == '\r') j++;
                if (j < source.Length && source[j] == '\n')
                {
                    i = j;
                    line++;
                    col = 1;
                    continue;
                }
            }
            if (c == '\r')
                continue;
            text.Add(c);
            lines.Add(line);
            cols.Add(col);
            if (c == '\n') { line++; col = 1; }
            else col++;
        }
        _text = text.ToArray();
        _line = lines.ToArray();
        _col = cols.ToArray();
    }

    /// <summary>Tokenizes <paramref name="source"/>; problems are added to <paramref name="diagnostics"/>.</summary>
    public static List<Token> Tokenize(string file, string source, List<HeaderDiagnostic> diagnostics) =>
        new Lexer(file, source, diagnostics).Run();

    private char Peek(int k = 0) => _pos + k < _text.Length ? _text[_pos + k] : '\0';

    private SourceLocation Here(int pos) =>
        pos < _text.Length ? new SourceLocation(_file, _line[pos], _col[pos])
        : _text.Length == 0 ? new SourceLocation(_file, 1, 1)
        : new SourceLocation(_file, _line[_text.Length - 1], _col[_text.Length - 1] + 1);

    private List<Token> Run()
    {
        var tokens = new List<Token>();
        bool atLineStart = true, space = false;
        while (_pos < _text.Length)
        {
            char c = Peek();
            if (c == '\n') { _pos++; atLineStart = true; space = false; continue; }
            if (c == ' ' || c == '\t' || c == '\f' || c == '\v') { _pos++; space = true; continue; }
            if (c == '/' && Peek(1) == '/')
            {
                while (_pos < _text.Length && Peek() != '\n') _pos++;
                space = true;
                continue;
            }
            if (c == '/' && Peek(1) == '*')
            {
                int start = _pos;
                _pos += 2;
                while (_pos < _text.Length && !(Peek() == '*' && Peek(1) == '/')) _pos++;
                if (_pos >= _text.Length)
                    Error(start, "EMU002", "unterminated comment");
                else
                    _pos += 2;
                space = true;
                continue;
            }

            int begin = _pos;
            var token = LexOne(c, begin);
            if (token is null)
            {
                Error(begin, "EMU001", $"unexpected character '{Printable(c)}'");
                _pos++;
                space = true;
                continue;
            }
            tokens.Add(new Token(token.Value.kind, token.Value.text, Here(begin), atLineStart, space));
            atLineStart = false;
            space = false;
        }
        tokens.Add(new Token(TokenKind.EndOfFile, "", Here(_text.Length), true, false));
        return tokens;
    }

    private (TokenKind kind, string text)? LexOne(char c, int begin)
    {
        if (IsIdentStart(c))
        {
            // String/char prefixes (L"..", u8"..") lex as one literal.
            if ((c == 'L' || c == 'u' || c == 'U') && (Peek(1) == '"' || Peek(1) == '\''))
            {
                _pos++;
                return LexQuoted(Peek(), begin);
            }
            if (c == 'u' && Peek(1) == '8' && Peek(2) == '"')
            {
                _pos += 2;
                return LexQuoted('"', begin);
            }
            while (IsIdentPart(Peek())) _pos++;
            return (TokenKind.Identifier, Slice(begin));
        }
        if (IsDigit(c) || (c == '.' && IsDigit(Peek(1))))
        {
            _pos++;
            while (true)
            {
                char d = Peek();
                if ((d == '+' || d == '-') && "eEpP".IndexOf(_text[_pos - 1]) >= 0) { _pos++; continue; }
                if (IsIdentPart(d) || d == '.') { _pos++; continue; }
                break;
            }
            return (TokenKind.Number, Slice(begin));
        }
        if (c == '"' || c == '\'')
            return LexQuoted(c, begin);
        foreach (var p in Punctuators)
        {
            if (Matches(p))
            {
                _pos += p.Length;
                return (TokenKind.Punct, p);
            }
        }
        if ("[](){}.&*+-~!/%<>^|?:;=,#".IndexOf(c) >= 0)
        {
            _pos++;
            return (TokenKind.Punct, c.ToString());
        }
        return null;
    }

    private (TokenKind, string) LexQuoted(char quote, int begin)
    {
        _pos++;
        while (_pos < _text.Length && Peek() != quote && Peek() != '\n')
        {
            if (Peek() == '\\') _pos++;
            _pos++;
        }
        if (Peek() != quote)
            Error(begin, "EMU002", quote == '"' ? "unterminated string literal" : "unterminated character constant");
        else
            _pos++;
        return (quote == '"' ? TokenKind.String : TokenKind.Char, Slice(begin));
    }

    private bool Matches(string p)
    {
        for (int i = 0; i < p.Length; i++)
            if (Peek(i) != p[i]) return false;
        return true;
    }

    private string Slice(int begin) => new(_text, begin, _pos - begin);

    private void Error(int pos, string id, string message) =>
        _diagnostics.Add(new HeaderDiagnostic(id, message, Here(pos), true));

    private static string Printable(char c) => c < 32 || c > 126 ? $"\\u{(int)c:x4}" : c.ToString();

    internal static bool IsIdentStart(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';

    internal static bool IsIdentPart(char c) => IsIdentStart(c) || IsDigit(c);

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    /// <summary>Joins tokens back into text, one space where the source had white space.</summary>
    public static string Spell(IEnumerable<Token> tokens)
    {
        var sb = new StringBuilder();
        foreach (var t in tokens)
        {
            if (sb.Length > 0 && t.SpaceBefore) sb.Append(' ');
            sb.Append(t.Text);
        }
        return sb.ToString();
    }
}
