using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace Emu.LayoutOracle;

/// <summary>
/// Writes probe.c: every constant goes into one array <c>emu_probe_v</c> as (tag, value) pairs of 8 bytes, every bitfield
/// becomes an object <c>emu_probe_bN</c> of the outer type with just that bitfield set to all ones.
/// Compiled with -c, the numbers are read back from the object file: nothing is evaluated by us.
/// </summary>
internal static class ProbeSource
{
    /// <summary>Read back and checked, so a broken reader cannot pass silently.</summary>
    public const ulong Sentinel = 0x0123456789ABCDEFUL;

    public const string ValuesSymbol = "emu_probe_v";
    public const string BitImagePrefix = "emu_probe_b";

    /// <summary>Each value is preceded by its tag, so the reader can prove it reads the right slot.</summary>
    public static ulong Tag(int index) => 0x5EED000000000000UL | (uint)index;

    /// <summary>Writes the probe; returns the array index of each value item (-1 for skipped items).</summary>
    public static Dictionary<ProbeItem, int> Write(
        string path, IReadOnlyList<OracleType> types, IReadOnlyList<string> spellings, IReadOnlyList<ProbeItem> items, string headerDir, bool disableStaticAsserts)
    {
        var sb = new StringBuilder();
        var line = 1;
        void Emit(string text)
        {
            sb.Append(text).Append('\n');
            line++;
        }

        Emit("/* Layout oracle probe: generated from type and member NAMES only. */");
        if (disableStaticAsserts)
            Emit("#define _Static_assert(...) /* the headers' own asserts failed for this ABI: see the test output */");
        foreach (var file in types.Select(t => t.File).Where(f => f.Length > 0).Distinct())
            Emit("#include \"" + Path.GetFullPath(Path.Combine(headerDir, file)).Replace("\\", "/") + "\"");

        var index = new Dictionary<ProbeItem, int>();
        Emit("const unsigned long long " + ValuesSymbol + "[] = {");
        var next = 0;
        foreach (var item in items.Where(i => !i.IsBitImage && i.Error is null))
        {
            item.Line = line;
            index[item] = next++;
            Emit("  0x" + Tag(index[item]).ToString("X16", System.Globalization.CultureInfo.InvariantCulture) + "ULL, (unsigned long long)(" + item.Expression.Replace("{T}", spellings[item.Type]) + "),");
        }
        Emit("  0x" + Sentinel.ToString("X16", System.Globalization.CultureInfo.InvariantCulture) + "ULL,");
        Emit("};");

        var bit = 0;
        foreach (var item in items.Where(i => i.IsBitImage && i.Error is null))
        {
            item.Line = line;
            index[item] = bit;
            Emit("const " + spellings[item.Type] + " " + BitImagePrefix + bit++ + " = { " + item.Expression + " = -1 };");
        }
        File.WriteAllText(path, sb.ToString());
        return index;
    }
}
