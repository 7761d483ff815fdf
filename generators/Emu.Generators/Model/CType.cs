namespace Emu.Generators.Model;

/// <summary>The C base types; <see cref="Abi"/> gives their sizes.</summary>
internal enum BuiltinKind
{
    Void, Bool, Char, SChar, UChar, Short, UShort, Int, UInt, Long, ULong, LongLong, ULongLong,
    Int128, UInt128, Float, Double, LongDouble,
}

/// <summary>A C type as written in a header (qualifiers dropped: they do not change layout).</summary>
internal abstract record CType;

internal sealed record BuiltinType(BuiltinKind Kind) : CType;

internal sealed record PointerType(CType Target) : CType;

/// <summary>An array; <see cref="Length"/> is null for a flexible or incomplete array.</summary>
internal sealed record ArrayType(CType Element, Expr? Length) : CType;

internal sealed record FunctionType(CType Return, EquatableArray<CType> Parameters, bool Variadic) : CType;

internal sealed record TypedefType(string Name) : CType;

/// <summary>A reference to a tagged struct/union defined (or only declared) elsewhere.</summary>
internal sealed record RecordType(string Tag, bool IsUnion) : CType;

/// <summary>A struct/union defined in place without a tag (anonymous member, typedef of an untagged struct).</summary>
internal sealed record InlineRecordType(RecordDecl Declaration) : CType;

/// <summary>An enum type, by tag (null for an untagged enum, whose definition is inline).</summary>
internal sealed record EnumType(string? Tag, EnumDecl? Inline) : CType;

/// <summary>A const/volatile-qualified type: no effect on layout, kept so declarations print as written.</summary>
internal sealed record QualifiedType(CType Inner, string Qualifiers) : CType;
