using System.Collections.Generic;
using System.Linq;
using Emu.Generators.Layout;
using Emu.Generators.Model;

namespace Emu.Generators.Emit;

/// <summary>Emits the headers' enumerators and integer macros as C# constants, and named enums as C# enums.</summary>
internal static class ConstantsEmitter
{
    public const string HintName = "Emu.Kernel.KernelConstants.g.cs";

    public static string Emit(LayoutSet layouts, HeaderProgram program)
    {
        var w = new IndentedWriter();
        w.Block(CSharpNames.Header);
        w.Line("namespace Emu.Kernel;");
        w.Line();
        w.Line("/// <summary>Enumerators and integer macros of headers/, valued for x86_64 (the kernel's own names).</summary>");
        w.Open("public static partial class KernelConstants");
        foreach (var c in layouts.Constants)
        {
            w.Line($"/// <summary>{c.Kind} at {c.Location.File}:{c.Location.Line}</summary>");
            w.Line($"public const {CsType(c)} {CSharpNames.Escape(c.Name)} = {Literal(c)};");
        }
        w.Close();

        var values = layouts.Constants.ToDictionary(c => c.Name, c => c);
        foreach (var e in program.Enums)
        {
            if (e.Tag is null || e.Enumerators.Count == 0 || !e.Enumerators.All(i => values.ContainsKey(i.Name)))
                continue;
            var items = e.Enumerators.Select(i => values[i.Name]).ToList();
            var underlying = items.Any(i => i.Width == 64) ? (items.Any(i => i.Unsigned) ? "ulong" : "long")
                : items.Any(i => !i.Unsigned && (long)i.Bits < 0) ? "int" : "uint";
            w.Line();
            w.Line($"/// <summary><c>enum {e.Tag}</c> ({e.Location.File}:{e.Location.Line}).</summary>");
            w.Open($"public enum {CSharpNames.Escape(e.Tag)} : {underlying}");
            foreach (var i in items)
                w.Line($"{CSharpNames.Escape(i.Name)} = unchecked(({underlying}){Literal(i)}),");
            w.Close();
        }
        return w.ToString();
    }

    private static string CsType(ConstantModel c) => (c.Width, c.Unsigned) switch
    {
        (64, true) => "ulong",
        (64, false) => "long",
        (_, true) => "uint",
        _ => "int",
    };

    private static string Literal(ConstantModel c)
    {
        if (c.Unsigned)
            return c.Bits.ToString() + (c.Width == 64 ? "UL" : "U");
        long v = (long)c.Bits;
        if (c.Width == 64)
            return v == long.MinValue ? "long.MinValue" : v + "L";
        return v == int.MinValue ? "int.MinValue" : v.ToString();
    }
}
