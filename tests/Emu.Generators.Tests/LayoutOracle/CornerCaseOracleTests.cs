using System.Collections.Generic;
using System.IO;
using System.Linq;
using Emu.LayoutOracle;
using Emu.Tests.TestSupport;
using NUnit.Framework;

namespace Emu.Generators.Tests.LayoutOracle;

/// <summary>
/// The generator's layout engine on synthetic ABI corner cases (tests/Emu.Tests/OracleHeaders),
/// checked against gcc/clang for each ABI like the kernel headers are.
/// </summary>
[TestFixture]
[Category("Oracle")]
public class CornerCaseOracleTests
{
    // Names only: which definitions the headers hold. Every number comes from the compilers.
    private static readonly string[] ExpectedTypes =
    {
        "bf_basic", "bf_zero", "bf_unnamed", "bf_signed", "bf_bool", "bf_cross", "bf_long", "bf_mixed_types",
        "bf_union", "bf_in_anon", "bf_enum", "bf_packed", "bf_packed_member",
        "pk_struct", "pk_prefix", "pk_member", "pk_aligned", "al_struct", "al_member", "al_member_in_packed",
        "al_member_lower", "al_typedef", "al_anon_t", "al_biggest", "pk_nested", "al_array_member",
        "fx_flex", "fx_flex_char", "nest_anon", "elem", "arr_of_struct", "scalars", "ll_double", "un_mixed",
        "enums", "atomic_like_t", "uses_typedef",
    };

    private static IEnumerable<string> Abis() => ProbeTarget.AllAbis;

    private static string OracleHeaders => Path.Combine(RepoPaths.Root, "tests", "Emu.Tests", "OracleHeaders");

    [TestCaseSource(nameof(Abis))]
    public void GeneratorMatchesCompilerOnCornerCases(string abi)
    {
        var target = ProbeTarget.For(abi);
        var types = new GeneratorLayoutAdapter().LayOut(OracleHeaders, abi);
        if (types is null)
        {
            const string message = "GeneratorLayoutAdapter is not wired to the generator's layout engine yet";
            if (ExternalTool.InCi)
                Assert.Fail(message);
            Assert.Ignore(message);
            return;
        }

        var names = types.Select(t => t.Name).ToHashSet();
        var scratch = RepoPaths.Scratch("layout-oracle-" + target.Abi);
        var result = LayoutOracleRunner.Run(types, target, ProbeOptions.Plain(OracleHeaders), scratch);
        foreach (var s in result.Skipped)
            TestContext.Out.WriteLine("not nameable in C, skipped: " + s);
        foreach (var a in result.FailedHeaderAsserts)
            TestContext.Out.WriteLine("the headers' own static assertion fails for this ABI (disabled in the probe): " + a);
        Assert.Multiple(() =>
        {
            Assert.That(ExpectedTypes.Where(n => !names.Contains(n)), Is.Empty, "types the generator did not lay out");
            Assert.That(result.TypesCompared, Is.EqualTo(types.Count), "every laid-out type must be probed");
            Assert.That(result.MembersCompared, Is.GreaterThan(0));
            Assert.That(result.Mismatches, Is.Empty,
                $"{result.Mismatches.Count} layout mismatches for {abi} (probe: {result.ProbeSourcePath}):\n" + string.Join("\n", result.Mismatches));
        });
        Directory.Delete(scratch, recursive: true); // kept for inspection when the test fails
    }
}
