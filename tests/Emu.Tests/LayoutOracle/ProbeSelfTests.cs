using System.Collections.Generic;
using System.IO;
using System.Linq;
using Emu.LayoutOracle;
using Emu.Tests.TestSupport;
using NUnit.Framework;

namespace Emu.Tests.LayoutOracle;

/// <summary>
/// The oracle itself must not be vacuous: a skeleton layout whose every number is -1 (no real
/// layout has one) must produce one mismatch per compared value, and a misspelled member must be
/// reported as rejected, not silently dropped.
/// </summary>
[TestFixture]
[Category("Oracle")]
public class ProbeSelfTests
{
    private static IEnumerable<string> Abis() => ProbeTarget.AllAbis;

    private static OracleMember M(string? name, string type = "int", int? width = null, OracleType? inline = null) =>
        new(name, type, -1, -1, -1, width, inline);

    private static OracleType Inline(bool union, params OracleMember[] members) => new("", union, -1, -1, members, "");

    private static IReadOnlyList<OracleType> Skeleton() => new[]
    {
        new OracleType("nest_anon", false, -1, -1, new[]
        {
            M("a"),
            M(null, "union", null, Inline(true, M(null, "struct", null, Inline(false, M("b"), M(null, "union", null, Inline(true, M("c"), M("d"))))), M("e"))),
            M("g", "struct { char f; }", null, Inline(false, M("f"))),
            M("arr", "struct { int h; char i; }[3]", null, Inline(false, M("h"), M("i"))),
        }, "aggregates.h"),
        new OracleType("atomic_like_t", false, -1, -1, new[] { M("counter") }, "aggregates.h"),
        new OracleType("fx_flex", false, -1, -1, new[] { M("n"), M("c"), M("data", "long[]") }, "aggregates.h"),
        new OracleType("bf_in_anon", false, -1, -1, new[]
        {
            M("x"),
            M(null, "union", null, Inline(true, M(null, "struct", null, Inline(false, M("lo", "unsigned int", -1), M("hi", "unsigned int", -1))), M("all"))),
            M("flags", "struct { ... }", null, Inline(false, M("f1", "unsigned char", -1), M("f2", "unsigned char", -1), M("f3", "unsigned short", -1))),
        }, "bitfields.h"),
    };

    [TestCaseSource(nameof(Abis))]
    public void EveryWrongNumberIsReported(string abi)
    {
        var target = ProbeTarget.For(abi);
        var scratch = RepoPaths.Scratch("oracle-self-" + abi);
        var result = LayoutOracleRunner.Run(Skeleton(), target, ProbeOptions.Plain(OracleHeaders), scratch);
        Assert.Multiple(() =>
        {
            Assert.That(result.Mismatches.Where(m => m.Error is not null), Is.Empty);
            Assert.That(result.TypesCompared, Is.EqualTo(4));
            Assert.That(result.ValuesCompared, Is.GreaterThan(50));
            Assert.That(result.Mismatches, Has.Count.EqualTo(result.ValuesCompared));
        });
        Directory.Delete(scratch, recursive: true);
    }

    [TestCaseSource(nameof(Abis))]
    public void UnknownNamesAreRejectedNotDropped(string abi)
    {
        var types = new[]
        {
            new OracleType("nest_anon", false, -1, -1, new[] { M("no_such_member") }, "aggregates.h"),
            new OracleType("no_such_type", false, -1, -1, new[] { M("x") }, "aggregates.h"),
        };
        var scratch = RepoPaths.Scratch("oracle-reject-" + abi);
        var result = LayoutOracleRunner.Run(types, ProbeTarget.For(abi), ProbeOptions.Plain(OracleHeaders), scratch);
        Assert.Multiple(() =>
        {
            Assert.That(result.Mismatches.Where(m => m.Member == "no_such_member" && m.Error is not null), Is.Not.Empty);
            Assert.That(result.Mismatches.Where(m => m.Type.EndsWith("no_such_type", System.StringComparison.Ordinal) && m.Error is not null), Is.Not.Empty);
            Assert.That(result.TypesCompared, Is.EqualTo(1));
        });
        Directory.Delete(scratch, recursive: true);
    }

    internal static string OracleHeaders => Path.Combine(RepoPaths.Root, "tests", "Emu.Tests", "OracleHeaders");
}
