using System.Collections.Generic;

namespace Emu.LayoutOracle;

// A layout under test, independent of Emu.Layout so both test projects can share the probe.
// Same meaning as Emu.Layout.TypeLayout / MemberLayout: offsets are absolute from the outermost type.

/// <summary>A struct/union as the code under test laid it out.</summary>
/// <param name="Name">Tag, or typedef name for an untagged typedef'd aggregate; empty for an inline type.</param>
/// <param name="File">Header path relative to the header directory (included by the probe).</param>
internal sealed record OracleType(
    string Name,
    bool IsUnion,
    long Size,
    long Align,
    IReadOnlyList<OracleMember> Members,
    string File);

/// <summary>A member as the code under test laid it out.</summary>
/// <param name="Name">Null for an anonymous struct/union member or an unnamed bitfield.</param>
/// <param name="TypeName">The member's C type spelled as in the header (used for bitfields and array detection).</param>
/// <param name="Inline">Layout of an inline untagged struct/union type; null otherwise.</param>
internal sealed record OracleMember(
    string? Name,
    string TypeName,
    long Offset,
    long Size,
    long BitOffset,
    int? BitWidth,
    OracleType? Inline);

/// <summary>One value that differs between the layout under test and the compiler (or a probe the compiler rejected).</summary>
internal sealed record OracleMismatch(string Abi, string Type, string Member, string Quantity, long Manifest, long? Compiler, string? Error)
{
    public override string ToString()
    {
        var where = Member.Length == 0 ? Type : $"{Type}.{Member}";
        return Error is null
            ? $"[{Abi}] {where}: {Quantity} manifest {Manifest}, compiler {Compiler}"
            : $"[{Abi}] {where}: {Quantity} manifest {Manifest}, compiler rejected the probe: {Error}";
    }
}

/// <summary>What one oracle run compared.</summary>
/// <param name="Skipped">Members that C cannot name (unnamed bitfields), for information.</param>
/// <param name="FailedHeaderAsserts">The headers' own _Static_asserts the compiler rejected for this ABI (then disabled).</param>
internal sealed record OracleResult(
    string Abi,
    int TypesCompared,
    int MembersCompared,
    int ValuesCompared,
    IReadOnlyList<OracleMismatch> Mismatches,
    IReadOnlyList<string> Skipped,
    IReadOnlyList<string> FailedHeaderAsserts,
    string ProbeSourcePath);
