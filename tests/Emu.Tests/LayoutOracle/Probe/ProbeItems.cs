using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Emu.LayoutOracle;

/// <summary>One question to the compiler: a constant expression, or the bit image of one bitfield.</summary>
/// <param name="Type">Index into the type list (spelling can change per pass).</param>
/// <param name="Member">Member path for messages ("" for the type itself).</param>
/// <param name="Quantity">size, align, offset, bit offset, ...</param>
/// <param name="Expected">The value the layout under test claims.</param>
/// <param name="Expression">C constant expression with <c>{T}</c> standing for the type's spelling; for a bit image, the designator.</param>
internal sealed record ProbeItem(int Type, string Member, string Quantity, long Expected, string Expression, bool IsBitImage, OracleMember? Bitfield)
{
    /// <summary>The compiler's error, once it has rejected this probe.</summary>
    public string? Error { get; set; }

    /// <summary>Line of probe.c holding this item in the last written probe.</summary>
    public int Line { get; set; }
}

/// <summary>Turns layouts into probe items using only their names; the numbers ride along as expectations.</summary>
internal static class ProbeItems
{
    private static readonly Regex TrailingDims = new(@"(\[[^\[\]]*\]\s*)+$", RegexOptions.CultureInvariant);

    public static List<ProbeItem> Build(IReadOnlyList<OracleType> types, List<string> skipped)
    {
        var items = new List<ProbeItem>();
        for (var i = 0; i < types.Count; i++)
        {
            var t = types[i];
            items.Add(new ProbeItem(i, "", "size", t.Size, "sizeof({T})", false, null));
            items.Add(new ProbeItem(i, "", "align", t.Align, "_Alignof({T})", false, null));
            Walk(items, i, t.Name, t.Members, "", skipped);
        }
        return items;
    }

    private static void Walk(List<ProbeItem> items, int type, string typeName, IReadOnlyList<OracleMember> members, string prefix, List<string> skipped)
    {
        foreach (var m in members)
        {
            if (m.Name is null)
            {
                if (m.Inline is not null)
                    Walk(items, type, typeName, m.Inline.Members, prefix, skipped); // transparent in C
                else
                    skipped.Add($"{typeName}: unnamed {(m.BitWidth is null ? "member" : "bitfield :" + m.BitWidth)} of type {m.TypeName} after '{prefix}'");
                continue;
            }
            var path = prefix.Length == 0 ? m.Name : prefix + "." + m.Name;
            var lvalue = "((({T} *)0)->" + path + ")";
            if (m.BitWidth is not null)
            {
                items.Add(new ProbeItem(type, path, "bitfield image", m.BitOffset, "." + path, true, m));
                items.Add(new ProbeItem(type, path, "size (declared type)", m.Size, "sizeof(" + m.TypeName + ")", false, null));
                continue;
            }
            items.Add(new ProbeItem(type, path, "offset", m.Offset, "__builtin_offsetof({T}, " + path + ")", false, null));
            items.Add(new ProbeItem(type, path, "bit offset", m.BitOffset, "__builtin_offsetof({T}, " + path + ") * 8", false, null));
            var dims = Dimensions(m);
            if (!IsFlexible(m))
                items.Add(new ProbeItem(type, path, "size", m.Size, "sizeof" + lvalue, false, null));
            if (m.Inline is null)
                continue;
            var element = path;
            for (var d = 0; d < dims; d++)
                element += "[0]";
            var elementLvalue = "((({T} *)0)->" + element + ")";
            items.Add(new ProbeItem(type, element, "inline type size", m.Inline.Size, "sizeof" + elementLvalue, false, null));
            items.Add(new ProbeItem(type, element, "inline type align", m.Inline.Align, "_Alignof(__typeof__" + elementLvalue + ")", false, null));
            Walk(items, type, typeName, m.Inline.Members, element, skipped);
        }
    }

    private static bool IsFlexible(OracleMember m) => m.TypeName.TrimEnd().EndsWith("[]", System.StringComparison.Ordinal);

    private static int Dimensions(OracleMember m)
    {
        var match = TrailingDims.Match(m.TypeName.TrimEnd());
        return match.Success ? match.Groups[1].Captures.Count : 0;
    }
}
