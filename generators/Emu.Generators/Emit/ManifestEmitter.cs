using System.Linq;
using Emu.Generators.Layout;

namespace Emu.Generators.Emit;

/// <summary>Emits <c>Emu.Layout.LayoutManifest</c>'s data: every type's layout for one ABI.</summary>
internal static class ManifestEmitter
{
    public const string DispatchHintName = "Emu.Layout.LayoutManifest.g.cs";

    public static string HintName(string abi) => $"Emu.Layout.LayoutManifest.{abi}.g.cs";

    /// <summary>The partial method that picks an ABI's table.</summary>
    public static readonly string Dispatch = CSharpNames.Header + """

        namespace Emu.Layout;

        public static partial class LayoutManifest
        {
            private static partial System.Collections.Generic.IEnumerable<TypeLayout> Build(Abi abi) => abi switch
            {
                Abi.X86_64 => Build_X86_64(),
                Abi.I386 => Build_I386(),
                Abi.AArch64 => Build_AArch64(),
                Abi.Arm => Build_Arm(),
                _ => throw new System.ArgumentOutOfRangeException(nameof(abi)),
            };
        }
        """;

    public static string Emit(LayoutSet set)
    {
        var w = new IndentedWriter();
        w.Block(CSharpNames.Header);
        w.Line("namespace Emu.Layout;");
        w.Line();
        w.Open("public static partial class LayoutManifest");
        w.Open($"private static System.Collections.Generic.IEnumerable<TypeLayout> Build_{set.Abi}()");
        w.Line("MemberLayout[] none = System.Array.Empty<MemberLayout>();");
        foreach (var t in set.Types)
            w.Line("yield return " + TypeExpr(t) + ";");
        w.Close();
        w.Close();
        return w.ToString();
    }

    private static string TypeExpr(TypeLayoutModel t)
    {
        var members = t.Members.Count == 0 ? "none" : "new MemberLayout[] { " + string.Join(", ", t.Members.Select(MemberExpr)) + " }";
        return $"new TypeLayout({CSharpNames.Literal(t.Name)}, {Bool(t.IsUnion)}, {t.Size}, {t.Align}, {members}, {CSharpNames.Literal(t.Location.File)}, {t.Location.Line}, {t.UserAlign}, {Bool(t.IsTypedef)})";
    }

    private static string MemberExpr(MemberLayoutModel m) =>
        $"new MemberLayout({CSharpNames.Literal(m.Name)}, {CSharpNames.Literal(m.TypeName)}, {CSharpNames.Literal(m.Declaration)}, " +
        $"{m.Offset}, {m.Size}, {m.BitOffset}L, {(m.BitWidth is int b ? b.ToString() : "null")}, {(m.Anonymous is null ? "null" : TypeExpr(m.Anonymous))}, {m.UserAlign})";

    private static string Bool(bool b) => b ? "true" : "false";
}
