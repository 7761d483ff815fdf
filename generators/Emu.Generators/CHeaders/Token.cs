using System;
using Emu.Generators.Model;

namespace Emu.Generators.CHeaders;

internal enum TokenKind { Identifier, Number, String, Char, Punct, EndOfFile }

/// <summary>
/// A preprocessing token. Lexed tokens are cached in the pipeline, so equality covers what the
/// lexer produces; <see cref="HideSet"/> and <see cref="Origin"/> only exist during expansion.
/// </summary>
internal sealed class Token : IEquatable<Token>
{
    public Token(TokenKind kind, string text, SourceLocation location, bool atLineStart, bool spaceBefore)
    {
        Kind = kind;
        Text = text;
        Location = location;
        AtLineStart = atLineStart;
        SpaceBefore = spaceBefore;
    }

    public TokenKind Kind { get; }
    public string Text { get; }
    public SourceLocation Location { get; }
    public bool AtLineStart { get; private set; }
    public bool SpaceBefore { get; private set; }

    /// <summary>Macros this token came out of (Prosser's hide set); null when empty.</summary>
    public HideSet? HideSet { get; private set; }

    /// <summary>Where the outermost macro invocation that produced this token stands; None for source tokens.</summary>
    public SourceLocation Origin { get; private set; }

    /// <summary>Where diagnostics about this token should point: the invocation site for expanded tokens.</summary>
    public SourceLocation ReportLocation => Origin.IsNone ? Location : Origin;

    public bool FromMacro => !Origin.IsNone;

    public bool Is(string punctOrKeyword) => (Kind == TokenKind.Punct || Kind == TokenKind.Identifier) && Text == punctOrKeyword;

    /// <summary>A copy produced by a macro expansion.</summary>
    public Token Expanded(HideSet? hideSet, SourceLocation origin, bool spaceBefore) => new(Kind, Text, Location, false, spaceBefore)
    {
        HideSet = hideSet,
        Origin = origin,
    };

    public Token WithSpace(bool spaceBefore)
    {
        var t = (Token)MemberwiseClone();
        t.SpaceBefore = spaceBefore;
        t.AtLineStart = false;
        return t;
    }

    public bool Equals(Token? other) =>
        other is not null && Kind == other.Kind && Text == other.Text && Location == other.Location &&
        AtLineStart == other.AtLineStart && SpaceBefore == other.SpaceBefore;

    public override bool Equals(object? obj) => Equals(obj as Token);

    public override int GetHashCode() => unchecked((Text.GetHashCode() * 397) ^ Location.Line * 31 ^ Location.Column);

    public override string ToString() => Text;
}

/// <summary>An immutable set of macro names (small: the nesting depth of an expansion).</summary>
internal sealed class HideSet
{
    private readonly string[] _names;

    private HideSet(string[] names) => _names = names;

    public static bool Contains(HideSet? set, string name) => set is not null && Array.IndexOf(set._names, name) >= 0;

    public static HideSet Add(HideSet? set, string name)
    {
        if (set is null)
            return new HideSet(new[] { name });
        if (Contains(set, name))
            return set;
        var names = new string[set._names.Length + 1];
        set._names.CopyTo(names, 0);
        names[names.Length - 1] = name;
        return new HideSet(names);
    }

    public static HideSet? Union(HideSet? a, HideSet? b)
    {
        if (a is null) return b;
        if (b is null) return a;
        var result = a;
        foreach (var n in b._names)
            result = Add(result, n);
        return result;
    }

    public static HideSet? Intersect(HideSet? a, HideSet? b)
    {
        if (a is null || b is null) return null;
        HideSet? result = null;
        foreach (var n in a._names)
            if (Contains(b, n))
                result = Add(result, n);
        return result;
    }
}
