using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Emu.Layout;
using Emu.LayoutOracle;
using Emu.Tests.TestSupport;
using NUnit.Framework;

namespace Emu.Tests.LayoutOracle;

/// <summary>
/// Every struct in the generated manifest, laid out by the real compilers for each ABI (gcc for
/// x86_64/i386, clang-14 for aarch64/armv7): every offset, bit offset, size and alignment must agree.
/// </summary>
[TestFixture]
[Category("Oracle")]
public class LayoutOracleTests
{
    private static readonly string[] KeyTypes = { "page", "folio", "ptdesc", "list_head" };

    private static IEnumerable<Abi> AllAbis() => Enum.GetValues<Abi>();

    [TestCaseSource(nameof(AllAbis))]
    public void ManifestMatchesCompiler(Abi abi)
    {
        var target = ProbeTarget.For(abi.ToName());
        var manifest = LayoutManifest.For(abi);
        foreach (var key in KeyTypes)
            Assert.That(manifest.ContainsKey(key), Is.True, $"manifest for {abi} lacks '{key}'");

        var types = ManifestOracleAdapter.Convert(manifest.Values);
        var scratch = RepoPaths.Scratch("layout-oracle-" + target.Abi);
        var result = LayoutOracleRunner.Run(types, target, ProbeOptions.Kernel(RepoPaths.Headers), scratch);

        TestContext.Out.WriteLine($"{abi}: {result.TypesCompared} types, {result.MembersCompared} members, {result.ValuesCompared} values compared ({result.ProbeSourcePath})");
        foreach (var s in result.Skipped)
            TestContext.Out.WriteLine("not nameable in C, skipped: " + s);
        foreach (var a in result.FailedHeaderAsserts)
            TestContext.Out.WriteLine("the headers' own static assertion fails for this ABI (disabled in the probe): " + a);
        Assert.Multiple(() =>
        {
            Assert.That(result.TypesCompared, Is.EqualTo(types.Count), "every manifest type must be probed");
            Assert.That(result.MembersCompared, Is.GreaterThan(0));
            Assert.That(result.Mismatches, Is.Empty,
                $"{result.Mismatches.Count} layout mismatches for {abi} (probe: {result.ProbeSourcePath}):\n" + string.Join("\n", result.Mismatches));
        });
        Directory.Delete(scratch, recursive: true); // kept for inspection when the test fails
    }
}
