using System.Collections.Generic;
using System.Linq;
using Emu.Layout;
using Emu.LayoutOracle;

namespace Emu.Tests.LayoutOracle;

/// <summary>Converts the generated manifest into the probe's neutral model (no numbers change).</summary>
internal static class ManifestOracleAdapter
{
    public static IReadOnlyList<OracleType> Convert(IEnumerable<TypeLayout> types) =>
        types.OrderBy(t => t.Name, System.StringComparer.Ordinal).Select(Convert).ToList();

    public static OracleType Convert(TypeLayout t) =>
        new(t.Name, t.IsUnion, t.Size, t.Align, t.Members.Select(Convert).ToList(), t.File);

    private static OracleMember Convert(MemberLayout m) =>
        new(m.Name, m.TypeName, m.Offset, m.Size, m.BitOffset, m.BitWidth, m.Anonymous is null ? null : Convert(m.Anonymous));
}
