using System;
using System.Collections.Generic;

namespace Emu.Layout;

/// <summary>
/// Prints a <see cref="TypeLayout"/> exactly as <c>pahole -C name</c> (dwarves 1.24) prints the
/// same type from a gcc <c>-g</c> object: DWARF type spellings, pahole's column arithmetic,
/// hole/padding/cacheline comments and the closing summary. Kernel developers read and diff
/// this format daily, so fidelity matters more than prettiness; the rules below mirror
/// dwarves_fprintf.c and class__find_holes() in dwarves.c.
/// </summary>
public static partial class PaholeFormatter
{
    /// <summary>pahole's defaults: columns for the type and for the name.</summary>
    private const int TypeSpacing = 26;
    private const int StructNameSpacing = 23;
    private const int UnionNameSpacing = 21;

    /// <summary>Formats <paramref name="type"/> as pahole prints it, ending with <c>};</c> and a newline.</summary>
    /// <param name="type">A top-level type from <see cref="LayoutManifest.For"/>.</param>
    /// <param name="abi">The ABI it was laid out for (pointer size, base type sizes).</param>
    /// <param name="cachelineSize">pahole uses the host's L1 line size; 64 on every host we run on.</param>
    public static string Format(TypeLayout type, Abi abi, int cachelineSize = 64) =>
        Format(type, abi, LayoutManifest.For(abi), cachelineSize);

    /// <summary>
    /// Formats with an explicit set of known types, used to resolve named member types (their
    /// padding and alignment show in the output); tests pass hand-built layouts here.
    /// </summary>
    public static string Format(TypeLayout type, Abi abi, IReadOnlyDictionary<string, TypeLayout> types, int cachelineSize = 64)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(types);
        if (cachelineSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(cachelineSize));
        return new Printer(abi, cachelineSize, types).Top(type);
    }
}
