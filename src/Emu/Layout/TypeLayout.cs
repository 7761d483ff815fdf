using System.Collections.Generic;

namespace Emu.Layout;

/// <summary>
/// A C struct or union as the generator laid it out for one ABI. Offsets of members, including
/// those inside anonymous members, are absolute from the start of the outermost type, as
/// <c>offsetof</c> and pahole report them.
/// </summary>
/// <param name="Name">Tag (<c>page</c>) or, for an anonymous typedef'd aggregate, the typedef name (<c>atomic_t</c>); empty for an anonymous member type.</param>
/// <param name="IsUnion">union rather than struct.</param>
/// <param name="Size">sizeof, tail padding included.</param>
/// <param name="Align">_Alignof.</param>
/// <param name="Members">Members in declaration order.</param>
/// <param name="File">Header path relative to <c>headers/</c>.</param>
/// <param name="Line">1-based line of the definition.</param>
/// <param name="UserAlign">N of an <c>aligned(N)</c> attribute on the type itself; 0 when none.</param>
/// <param name="IsTypedef">Name is a typedef of an untagged aggregate (<c>typedef struct {...} atomic_t</c>).</param>
public sealed record TypeLayout(
    string Name,
    bool IsUnion,
    int Size,
    int Align,
    IReadOnlyList<MemberLayout> Members,
    string File,
    int Line,
    int UserAlign = 0,
    bool IsTypedef = false)
{
    /// <summary>"struct" or "union".</summary>
    public string Keyword => IsUnion ? "union" : "struct";
}

/// <summary>One member of a <see cref="TypeLayout"/>.</summary>
/// <param name="Name">Member name; null for an anonymous struct/union member.</param>
/// <param name="TypeName">The C type as the header spells it, without the name: <c>unsigned long</c>, <c>struct list_head *</c>, <c>unsigned long[2]</c>, <c>void (*)(struct callback_head *)</c>.</param>
/// <param name="Declaration">The member's C declaration: <c>struct list_head *next</c>, <c>unsigned long private[2]</c>, <c>void (*func)(struct callback_head *)</c>.</param>
/// <param name="Offset">Absolute byte offset (for a bitfield: the byte holding its first bit).</param>
/// <param name="Size">sizeof the member's type (for a bitfield: sizeof its declared type).</param>
/// <param name="BitOffset">Absolute bit offset from the start of the outermost type.</param>
/// <param name="BitWidth">Width for a bitfield; null otherwise.</param>
/// <param name="Anonymous">The inline struct/union type of an anonymous member or of a member declared with an inline untagged type; null otherwise.</param>
/// <param name="UserAlign">N of an <c>aligned(N)</c> attribute on the member; 0 when none.</param>
public sealed record MemberLayout(
    string? Name,
    string TypeName,
    string Declaration,
    int Offset,
    int Size,
    long BitOffset,
    int? BitWidth,
    TypeLayout? Anonymous,
    int UserAlign = 0)
{
    /// <summary>True for a bitfield member.</summary>
    public bool IsBitfield => BitWidth is not null;
}
