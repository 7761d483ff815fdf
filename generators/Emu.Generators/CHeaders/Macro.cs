using System.Collections.Generic;
using Emu.Generators.Model;

namespace Emu.Generators.CHeaders;

/// <summary>A #define: object-like when <see cref="Parameters"/> is null.</summary>
internal sealed class Macro
{
    public Macro(string name, List<string>? parameters, bool variadic, List<Token> body, SourceLocation location, bool predefined)
    {
        Name = name;
        Parameters = parameters;
        Variadic = variadic;
        Body = body;
        Location = location;
        Predefined = predefined;
    }

    public string Name { get; }
    public List<string>? Parameters { get; }

    /// <summary>The last parameter takes the variable arguments (<c>__VA_ARGS__</c> or <c>name...</c>).</summary>
    public bool Variadic { get; }

    public List<Token> Body { get; }
    public SourceLocation Location { get; }
    public bool Predefined { get; }
    public bool IsFunctionLike => Parameters is not null;

    public int ParameterIndex(string name) => Parameters is null ? -1 : Parameters.IndexOf(name);
}
