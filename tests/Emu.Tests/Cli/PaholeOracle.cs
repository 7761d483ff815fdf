using System.Collections.Generic;
using System.IO;
using System.Text;
using Emu.Layout;
using Emu.Tests.TestSupport;
using NUnit.Framework;

namespace Emu.Tests.Cli;

/// <summary>Compiles C with gcc -g and asks pahole for the layouts: the oracle for PaholeFormatter.</summary>
internal static class PaholeOracle
{
    /// <summary>gcc's flag selecting the ABI; only the ABIs this host's gcc can target.</summary>
    public static string GccMachineFlag(Abi abi) => abi switch
    {
        Abi.X86_64 => "-m64",
        Abi.I386 => "-m32",
        _ => throw new System.ArgumentOutOfRangeException(nameof(abi), "no gcc for this ABI on the host"),
    };

    /// <summary>Compiles <paramref name="source"/> and returns the object's path.</summary>
    public static string Compile(string source, Abi abi, string scratchName, string extraFlags = "")
    {
        var gcc = ExternalTool.Require("gcc", "apt-get install gcc gcc-multilib");
        var dir = RepoPaths.Scratch(scratchName);
        var c = Path.Combine(dir, "layouts.c");
        var o = Path.Combine(dir, "layouts.o");
        File.WriteAllText(c, source);
        ExternalTool.RunChecked(gcc,
            $"{GccMachineFlag(abi)} -g -O0 -c -std=gnu11 -ffreestanding -nostdinc -fno-eliminate-unused-debug-types {extraFlags} -o \"{o}\" \"{c}\"", dir);
        return o;
    }

    /// <summary>What <c>pahole -C name</c> prints for the object.</summary>
    public static string Pahole(string obj, string name)
    {
        var pahole = ExternalTool.Require("pahole", "apt-get install dwarves");
        return ExternalTool.RunChecked(pahole, $"-C {name} \"{obj}\"");
    }

    /// <summary>Compares formatter output with pahole's for each type; one failure lists every mismatch as a unified diff.</summary>
    public static void AssertSame(string obj, IEnumerable<TypeLayout> types, Abi abi, IReadOnlyDictionary<string, TypeLayout>? known = null)
    {
        var failures = new StringBuilder();
        int compared = 0;
        foreach (var t in types)
        {
            var expected = Pahole(obj, t.Name);
            var actual = known is null ? PaholeFormatter.Format(t, abi) : PaholeFormatter.Format(t, abi, known);
            compared++;
            if (expected == actual)
                continue;
            failures.AppendLine($"== {t.Keyword} {t.Name} ({abi.ToName()}) differs from pahole:");
            failures.AppendLine(expected.Length == 0
                ? "pahole printed nothing (is the type emitted in DWARF?)"
                : UnifiedDiff.Create(expected, actual, $"pahole -C {t.Name} ({abi.ToName()})", "PaholeFormatter"));
        }
        Assert.That(compared, Is.GreaterThan(0), "no types compared");
        if (failures.Length > 0)
            Assert.Fail(failures.ToString());
    }
}
