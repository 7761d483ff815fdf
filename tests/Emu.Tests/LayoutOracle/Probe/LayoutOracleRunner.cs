using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Emu.Tests.TestSupport;
using NUnit.Framework;

namespace Emu.LayoutOracle;

/// <summary>
/// Compares layouts under test with what the target's compiler does: one probe.c per ABI, compiled
/// once with -c (plus a recompile per round of rejected probes), numbers read from the object file.
/// </summary>
internal static class LayoutOracleRunner
{
    private const int MaxPasses = 8;
    private static readonly Regex Diagnostic = new(@"^(?<file>.*?):(?<line>\d+):(?:\d+:)? (?:fatal )?error: (?<msg>.*)$", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    public static OracleResult Run(IReadOnlyList<OracleType> types, ProbeTarget target, ProbeOptions options, string scratchDir)
    {
        var skipped = new List<string>();
        var items = ProbeItems.Build(types, skipped);
        // Tag spelling first; a type whose sizeof is rejected that way is retried as a typedef name.
        var spellings = types.Select(t => (t.IsUnion ? "union " : "struct ") + t.Name).ToArray();
        var retried = new bool[types.Count];
        var source = Path.Combine(scratchDir, "probe.c");
        var obj = Path.Combine(scratchDir, "probe.o");
        Dictionary<ProbeItem, int>? index = null;
        var headerAsserts = new List<string>();

        for (var pass = 0; ; pass++)
        {
            index = ProbeSource.Write(source, types, spellings, items, options.HeaderDir, headerAsserts.Count > 0);
            var r = ExternalTool.Run(target.Compiler, Arguments(target, options, source, obj), scratchDir);
            if (r.ExitCode == 0)
                break;
            var byLine = items.Where(i => i.Error is null).ToDictionary(i => i.Line);
            var rejected = new List<(ProbeItem Item, string Message)>();
            var inHeaders = new List<string>();
            foreach (Match m in Diagnostic.Matches(r.Stderr))
            {
                var inProbe = Path.GetFileName(m.Groups["file"].Value) == "probe.c";
                if (inProbe && byLine.TryGetValue(int.Parse(m.Groups["line"].Value), out var item))
                    rejected.Add((item!, m.Groups["msg"].Value.Trim()));
                else
                    inHeaders.Add(m.Value.Trim());
            }
            // The headers' own _Static_asserts may fail for an ABI they were not configured for (e.g. a
            // 64-bit config under -m32); they are reported, then disabled so the layouts can still be compared.
            if (inHeaders.Count > 0 && headerAsserts.Count == 0 && inHeaders.All(IsStaticAssertFailure))
            {
                headerAsserts.AddRange(inHeaders);
                continue;
            }
            if (inHeaders.Count > 0)
                Assert.Fail($"[{target.Abi}] the headers do not compile ({target.Compiler}):\n{Clip(r.Stderr)}");
            if (rejected.Count == 0 || pass == MaxPasses)
                Assert.Fail($"[{target.Abi}] probe did not compile after {pass + 1} passes ({source}):\n{Clip(r.Stderr)}");
            var respell = rejected.Where(x => x.Item.Member.Length == 0 && x.Item.Quantity == "size" && !retried[x.Item.Type])
                .Select(x => x.Item.Type).ToHashSet();
            foreach (var (item, message) in rejected)
                if (!respell.Contains(item.Type))
                    item.Error ??= message;
            foreach (var t in respell)
            {
                retried[t] = true;
                spellings[t] = types[t].Name;
            }
        }

        var symbols = ElfObjects.ReadSymbols(obj, "emu_probe_");
        return Compare(target.Abi, spellings, items, index, symbols, skipped, headerAsserts, source);
    }

    private static OracleResult Compare(
        string abi, IReadOnlyList<string> spellings, List<ProbeItem> items, Dictionary<ProbeItem, int> index,
        Dictionary<string, byte[]> symbols, List<string> skipped, List<string> headerAsserts, string source)
    {
        var values = symbols[ProbeSource.ValuesSymbol];
        var count = items.Count(i => !i.IsBitImage && i.Error is null);
        ulong Slot(int i) => BinaryPrimitives.ReadUInt64LittleEndian(values.AsSpan(i * 8));
        if (values.Length != (2 * count + 1) * 8 || Slot(2 * count) != ProbeSource.Sentinel)
            Assert.Fail($"[{abi}] probe object does not hold {count} tagged values and the sentinel ({source})");

        var mismatches = new List<OracleMismatch>();
        var compared = 0;
        void Check(ProbeItem i, string quantity, long expected, long actual)
        {
            compared++;
            if (expected != actual)
                mismatches.Add(new OracleMismatch(abi, spellings[i.Type], i.Member, quantity, expected, actual, null));
        }

        foreach (var item in items)
        {
            if (item.Error is not null)
            {
                mismatches.Add(new OracleMismatch(abi, spellings[item.Type], item.Member, item.Quantity, item.Expected, null, item.Error));
                continue;
            }
            if (!item.IsBitImage)
            {
                var slot = index[item];
                if (Slot(2 * slot) != ProbeSource.Tag(slot))
                    Assert.Fail($"[{abi}] probe value {slot} is not where the reader expects it ({source})");
                Check(item, item.Quantity, item.Expected, (long)Slot(2 * slot + 1));
                continue;
            }
            var bits = SetBits(symbols[ProbeSource.BitImagePrefix + index[item]]);
            var bf = item.Bitfield!;
            if (bits.Count == 0 || bits[^1] - bits[0] + 1 != bits.Count)
            {
                mismatches.Add(new OracleMismatch(abi, spellings[item.Type], item.Member, "bitfield image", bf.BitOffset, null,
                    $"all-ones bitfield sets {bits.Count} non-contiguous bits"));
                continue;
            }
            Check(item, "bit offset", bf.BitOffset, bits[0]);
            Check(item, "bit width", bf.BitWidth ?? -1, bits.Count);
            Check(item, "offset (byte of first bit)", bf.Offset, bits[0] / 8);
        }

        var typesCompared = items.Where(i => i.Member.Length == 0 && i.Error is null).Select(i => i.Type).Distinct().Count();
        var membersCompared = items.Where(i => i.Member.Length > 0 && i.Error is null).Select(i => (i.Type, i.Member)).Distinct().Count();
        return new OracleResult(abi, typesCompared, membersCompared, compared, mismatches, skipped, headerAsserts, source);
    }

    /// <summary>Absolute bit numbers (byte * 8 + bit, LSB first: all four ABIs are little-endian) that are set.</summary>
    private static List<long> SetBits(byte[] image)
    {
        var bits = new List<long>();
        for (var b = 0; b < image.Length; b++)
            for (var k = 0; k < 8; k++)
                if ((image[b] & (1 << k)) != 0)
                    bits.Add(b * 8L + k);
        return bits;
    }

    private static string Arguments(ProbeTarget target, ProbeOptions options, string source, string obj)
    {
        var args = new List<string>(target.TargetFlags)
        {
            "-std=gnu11", "-nostdinc", "-w", "-O0", "-g0", "-c",
            target.IsClang ? "-ferror-limit=0" : "-fmax-errors=0",
            target.IsClang ? "-fno-color-diagnostics" : "-fdiagnostics-color=never",
        };
        args.AddRange(options.IncludeDirs.Select(d => "-I" + Quote(d)));
        args.AddRange(options.ForceIncludes.Select(f => "-include " + Quote(f)));
        args.AddRange(options.Defines.Select(d => "-D" + d));
        args.Add("-o " + Quote(obj));
        args.Add(Quote(source));
        return string.Join(" ", args);
    }

    private static bool IsStaticAssertFailure(string diagnostic) =>
        diagnostic.Contains("static assertion failed", StringComparison.Ordinal) || diagnostic.Contains("static_assert failed", StringComparison.Ordinal);

    private static string Quote(string s) => "\"" + s + "\"";

    private static string Clip(string s) => s.Length <= 6000 ? s : s.Substring(0, 6000) + "\n...";
}
