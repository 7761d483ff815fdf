namespace Emu.Generators.Model;

/// <summary><c>__attribute__((aligned(N)))</c> / <c>packed</c> as written on a declaration.</summary>
/// <param name="Aligned">The N of aligned(N); for a bare <c>aligned</c> the identifier __BIGGEST_ALIGNMENT__.</param>
internal sealed record LayoutAttributes(Expr? Aligned, bool Packed)
{
    public static readonly LayoutAttributes None = new(null, false);

    public LayoutAttributes Merge(LayoutAttributes other) =>
        other == None ? this : new LayoutAttributes(other.Aligned ?? Aligned, Packed || other.Packed);
}

/// <summary>A struct or union definition (or a forward declaration when <see cref="IsComplete"/> is false).</summary>
internal sealed record RecordDecl(
    string? Tag,
    bool IsUnion,
    EquatableArray<MemberDecl> Members,
    LayoutAttributes Attributes,
    bool IsComplete,
    SourceLocation Location);

/// <summary>A member; <see cref="Name"/> is null for an anonymous struct/union member or an unnamed bitfield.</summary>
internal sealed record MemberDecl(
    string? Name,
    CType Type,
    Expr? BitWidth,
    LayoutAttributes Attributes,
    SourceLocation Location);

internal sealed record TypedefDecl(string Name, CType Type, LayoutAttributes Attributes, SourceLocation Location);

internal sealed record Enumerator(string Name, Expr? Value, SourceLocation Location);

internal sealed record EnumDecl(string? Tag, EquatableArray<Enumerator> Enumerators, bool Packed, SourceLocation Location);

/// <summary>A <c>_Static_assert</c>; <see cref="Text"/> is the condition as written (after macro expansion).</summary>
internal sealed record StaticAssertDecl(Expr Condition, string Message, string Text, SourceLocation Location);

/// <summary>An invocation of one of the page-flag macros the generator gives semantics to.</summary>
internal sealed record AccessorMacroUse(string Macro, EquatableArray<string> Arguments, SourceLocation Location);

/// <summary>An object-like macro defined by the headers, with its fully expanded replacement.</summary>
internal sealed record MacroConstant(string Name, string Expansion, Expr? Value, SourceLocation Location);

/// <summary>A function prototype: recorded so the manifest can list what the headers declare.</summary>
internal sealed record FunctionDecl(string Name, SourceLocation Location);
