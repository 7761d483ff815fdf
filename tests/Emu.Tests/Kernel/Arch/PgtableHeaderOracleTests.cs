using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Emu.Kernel;
using Emu.Tests.TestSupport;
using NUnit.Framework;
using static Emu.Kernel.Kernel;
using KC = Emu.Kernel.KernelConstants;

namespace Emu.Tests.Kernel.Arch;

/// <summary>
/// gcc as the oracle for the page-table macros of headers/ (upstream text, trimmed): a program
/// built from those headers prints the constants, the PAGE_* protections and the x86_64 swap-entry
/// macros; the generated constants and the C# transliterations must print the same.
/// </summary>
[Category("Oracle")]
public unsafe class PgtableHeaderOracleTests
{
    private static readonly string[] Constants =
    {
        "__PHYSICAL_MASK", "PHYSICAL_PAGE_MASK", "PHYSICAL_PMD_PAGE_MASK", "PHYSICAL_PUD_PAGE_MASK",
        "PTE_PFN_MASK", "PTE_FLAGS_MASK", "_COMMON_PAGE_CHG_MASK", "_PAGE_CHG_MASK", "_HPAGE_CHG_MASK",
        "_PAGE_DIRTY_BITS", "_PAGE_SAVED_DIRTY", "_PAGE_SWP_EXCLUSIVE", "_PAGE_SWP_SOFT_DIRTY", "_PAGE_SWP_UFFD_WP",
        "_PAGE_KNL_ERRATUM_MASK", "_KERNPG_TABLE", "_PAGE_TABLE", "PGD_ALLOWED_BITS", "PFN_PTE_SHIFT",
        "SWP_TYPE_BITS", "SWP_OFFSET_FIRST_BIT", "SWP_OFFSET_SHIFT", "MAX_SWAPFILES", "SWP_HWPOISON",
        "SWP_MIGRATION_READ", "SWP_MIGRATION_READ_EXCLUSIVE", "SWP_MIGRATION_WRITE", "SWP_PTE_MARKER",
        "SWP_TYPE_SHIFT", "SWP_OFFSET_MASK", "PTE_MARKER_UFFD_WP", "PTE_MARKER_POISONED", "PTE_MARKER_MASK",
        "PMD_ORDER", "PUD_ORDER", "PUD_SHIFT", "PMD_SHIFT", "PTRS_PER_PTE", "X86_FEATURE_LA57", "X86_FEATURE_SHSTK",
        "X86_FEATURE_PTI", "NCAPINTS",
    };

    private static readonly (string Name, pgprot Value)[] Protections =
    {
        ("PAGE_NONE", PAGE_NONE), ("PAGE_SHARED", PAGE_SHARED), ("PAGE_SHARED_EXEC", PAGE_SHARED_EXEC),
        ("PAGE_COPY_NOEXEC", PAGE_COPY_NOEXEC), ("PAGE_COPY_EXEC", PAGE_COPY_EXEC), ("PAGE_COPY", PAGE_COPY),
        ("PAGE_READONLY", PAGE_READONLY), ("PAGE_READONLY_EXEC", PAGE_READONLY_EXEC),
    };

    private static List<(ulong Type, ulong Offset)> SwapSamples()
    {
        var rng = new Random(2);
        var samples = new List<(ulong, ulong)> { (0, 0), (31, 0), (0, ulong.MaxValue), (17, (1UL << 50) - 1), (5, 1UL << 50) };
        for (int i = 0; i < 200; i++)
            samples.Add(((ulong)rng.Next(0, 32), (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40)));
        return samples;
    }

    private static Dictionary<string, ulong> RunOracle(List<(ulong Type, ulong Offset)> swaps)
    {
        var gcc = ExternalTool.Require("gcc", "apt-get install gcc");
        var dir = RepoPaths.Scratch("pgtable-oracle");
        var src = new System.Text.StringBuilder();
        src.AppendLine("int printf(const char *, ...);");
        src.AppendLine("#include <linux/mm_types.h>");
        src.AppendLine("#include <linux/pgtable.h>");
        src.AppendLine("#include <linux/swapops.h>");
        src.AppendLine("#include <asm/cpufeatures.h>");
        src.AppendLine("#define OUT(n, v) printf(\"%s %llu\\n\", n, (unsigned long long)(v))");
        src.AppendLine("int main(void) {");
        foreach (var c in Constants)
            src.AppendLine($"\tOUT(\"{c}\", {c});");
        foreach (var (name, _) in Protections)
            src.AppendLine($"\tOUT(\"{name}\", pgprot_val({name}));");
        for (int i = 0; i < swaps.Count; i++)
        {
            var (type, offset) = swaps[i];
            src.AppendLine($"\t{{ swp_entry_t e = __swp_entry({type}UL, {offset}UL);");
            src.AppendLine($"\t  OUT(\"swp{i}\", e.val); OUT(\"type{i}\", __swp_type(e)); OUT(\"offset{i}\", __swp_offset(e)); }}");
        }
        src.AppendLine("\treturn 0;\n}");
        var cFile = Path.Combine(dir, "oracle.c");
        var exe = Path.Combine(dir, "oracle");
        File.WriteAllText(cFile, src.ToString());
        ExternalTool.RunChecked(gcc, $"-std=gnu11 -nostdinc -include linux/kconfig.h -I \"{RepoPaths.Headers}\" -w -o \"{exe}\" \"{cFile}\"");
        var output = ExternalTool.RunChecked(exe, "");
        Directory.Delete(dir, recursive: true);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .ToDictionary(f => f[0], f => ulong.Parse(f[1], CultureInfo.InvariantCulture));
    }

    private static ulong Generated(string name)
    {
        var field = typeof(KC).GetField(name) ?? throw new AssertionException($"KernelConstants has no {name}");
        return field.GetValue(null) switch
        {
            int i => (ulong)(long)i,
            uint u => u,
            long l => (ulong)l,
            ulong ul => ul,
            var v => throw new AssertionException($"{name}: unexpected {v?.GetType()}"),
        };
    }

    [Test]
    public void ConstantsProtectionsAndSwapMacrosMatchGcc()
    {
        var swaps = SwapSamples();
        var gcc = RunOracle(swaps);
        Assert.Multiple(() =>
        {
            foreach (var c in Constants)
                Assert.That(Generated(c), Is.EqualTo(gcc[c]), c);
            foreach (var (name, value) in Protections)
                Assert.That(pgprot_val(value), Is.EqualTo(gcc[name]), name);
            for (int i = 0; i < swaps.Count; i++)
            {
                var (type, offset) = swaps[i];
                var e = __swp_entry(type, offset);
                Assert.That(e.val, Is.EqualTo(gcc["swp" + i]), $"__swp_entry({type}, {offset:x})");
                Assert.That(__swp_type(e), Is.EqualTo(gcc["type" + i]));
                Assert.That(__swp_offset(e), Is.EqualTo(gcc["offset" + i]));
            }
        });
    }
}
