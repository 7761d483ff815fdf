using Emu.Generators.Model;

namespace Emu.Generators.Layout;

/// <summary>A laid-out struct/union (the layout engine's output; mirrors Emu.Layout.TypeLayout).</summary>
/// <param name="Name">Tag, typedef name for an untagged typedef'd aggregate, or "" for an anonymous member type.</param>
internal sealed record TypeLayoutModel(
    string Name,
    bool IsUnion,
    int Size,
    int Align,
    EquatableArray<MemberLayoutModel> Members,
    SourceLocation Location,
    int UserAlign,
    bool IsTypedef);

/// <summary>A laid-out member; offsets are absolute from the start of the outermost type.</summary>
internal sealed record MemberLayoutModel(
    string? Name,
    CType Type,
    string TypeName,
    string Declaration,
    int Offset,
    int Size,
    long BitOffset,
    int? BitWidth,
    bool BitfieldSigned,
    TypeLayoutModel? Anonymous,
    SourceLocation Location,
    int UserAlign);

/// <summary>An enumerator or macro with its integer value, typed as C types it.</summary>
internal sealed record ConstantModel(string Name, ulong Bits, int Width, bool Unsigned, string Kind, SourceLocation Location);

/// <summary>Every layout for one ABI plus what went wrong computing it.</summary>
internal sealed record LayoutSet(
    string Abi,
    EquatableArray<TypeLayoutModel> Types,
    EquatableArray<ConstantModel> Constants,
    EquatableArray<HeaderDiagnostic> Diagnostics);
