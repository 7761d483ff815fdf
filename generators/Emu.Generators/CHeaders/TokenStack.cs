using System.Collections.Generic;

namespace Emu.Generators.CHeaders;

/// <summary>The preprocessor's input: the next token is on top, so expansions push in front cheaply.</summary>
internal sealed class TokenStack
{
    private readonly List<Token> _items = new();

    public bool IsEmpty => _items.Count == 0;

    public Token Peek() => _items[_items.Count - 1];

    public Token Pop()
    {
        var t = _items[_items.Count - 1];
        _items.RemoveAt(_items.Count - 1);
        return t;
    }

    /// <summary>Makes <paramref name="tokens"/> the next tokens, in order.</summary>
    public void PushFront(IReadOnlyList<Token> tokens)
    {
        for (int i = tokens.Count - 1; i >= 0; i--)
            _items.Add(tokens[i]);
    }

    public void Push(Token token) => _items.Add(token);
}
