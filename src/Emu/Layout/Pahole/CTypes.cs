using System.Collections.Generic;
using System.Linq;

namespace Emu.Layout;

// The DWARF-shaped type model pahole prints from, and gcc's base type names.
public static partial class PaholeFormatter
{
    /// <summary>The shape of a member's type, as far as pahole's printing needs it (a DWARF type chain).</summary>
    internal abstract record CType;
    internal sealed record VoidType : CType;
    internal sealed record BaseType(string Name) : CType;
    internal sealed record TypedefType(string Name) : CType;
    internal sealed record TaggedType(string Keyword, string Name) : CType;
    internal sealed record PointerType(CType Target) : CType;
    internal sealed record QualifiedType(string Qualifier, CType Inner) : CType;
    internal sealed record ArrayType(CType Element, IReadOnlyList<int> Dims) : CType;
    internal sealed record FunctionType(CType Return, IReadOnlyList<CType> Params, bool Variadic) : CType;
    internal sealed record InlineType(TypeLayout Layout) : CType;

    /// <summary>Parses a type as C spells it (<c>unsigned long[2]</c>, <c>void (*)(struct rcu_head *)</c>) into DWARF shape.</summary>
    internal static CType ParseType(string text) => new TypeParser(text).ParseTypeName();

    /// <summary>gcc's DW_AT_name for a C base type spelled with any keyword order.</summary>
    internal static string GccBaseName(IReadOnlyList<string> words)
    {
        int longs = words.Count(w => w == "long");
        bool unsigned = words.Contains("unsigned");
        bool signed = words.Contains("signed");
        if (words.Contains("_Bool")) return "_Bool";
        if (words.Contains("void")) return "void";
        if (words.Contains("float")) return "float";
        if (words.Contains("double")) return longs > 0 ? "long double" : "double";
        if (words.Contains("__int128")) return unsigned ? "__int128 unsigned" : "__int128";
        if (words.Contains("char")) return unsigned ? "unsigned char" : signed ? "signed char" : "char";
        if (words.Contains("short")) return unsigned ? "short unsigned int" : "short int";
        if (longs >= 2) return unsigned ? "long long unsigned int" : "long long int";
        if (longs == 1) return unsigned ? "long unsigned int" : "long int";
        return unsigned ? "unsigned int" : "int";
    }
}
