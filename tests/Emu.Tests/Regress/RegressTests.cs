using System.IO;
using System.Linq;
using Emu.Cli;
using Emu.Regress;
using NUnit.Framework;

namespace Emu.Tests.Regress;

/// <summary>The regression runner on the built-in scenarios.</summary>
[TestFixture]
public sealed class RegressTests
{
    // asm-generic/cacheflush.h: every flush hook is empty on x86, and the patch only moves flush calls, so on
    // x86_64 the variant must execute the same algorithm: every counter equal, seed by seed.
    [Test]
    public void OnX86BaselineAndKsmFlushVariantAreIdenticalInEveryCounter([Values(1UL, 2UL, 3UL)] ulong seed)
    {
        foreach (var s in BuiltinScenarios.All)
        {
            var b = RegressRunner.RunOne(s, RegressRunner.Baseline, ArchModel.X86_64, seed);
            var v = RegressRunner.RunOne(s, "KsmReduceFlush", ArchModel.X86_64, seed);
            Assert.That(b.Bug, Is.Null, s.Name);
            Assert.That(v.Counters, Is.EqualTo(b.Counters), s.Name);
            Assert.That(b.IntegrityErrors, Is.Zero, s.Name);
            Assert.That(b.StaleChecksums, Is.Zero, "x86_64 has no cache between user and memory");
        }
    }

    // The baseline flushes the user alias in scan_get_next_rmap_item before calc_checksum (mm/ksm.c), so on the
    // aliasing model no baseline checksum reads stale memory; every merge still compares flushed pages
    // (write_protect_page's flush_cache_page runs before pages_identical), so user data stays intact.
    [Test]
    public void OnTheAliasingModelTheBaselineNeverChecksumsStaleContent([Values(1UL, 2UL)] ulong seed)
    {
        foreach (var s in BuiltinScenarios.All)
        {
            var b = RegressRunner.RunOne(s, RegressRunner.Baseline, ArchModel.AliasingVipt, seed);
            Assert.That(b.Bug, Is.Null, s.Name);
            Assert.That(b.StaleChecksums, Is.Zero, s.Name);
            Assert.That(b.PagesIdenticalFailures, Is.Zero, s.Name);
            Assert.That(b.IntegrityErrors, Is.Zero, s.Name);
        }
    }

    [Test]
    public void RegressCommandJsonHasEveryRunAndExitsZeroWithoutRegressions()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Program.BuildRootCommand().Parse(["regress", "--json", "--seeds", "1", "--scenario", "steady-duplicates"])
            .Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        Assert.That(exit, Is.EqualTo(0), error.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(output.ToString());
        // 1 scenario x 2 arch models x (baseline + 1 variant) x 1 seed.
        Assert.That(doc.RootElement.GetProperty("runs").GetArrayLength(), Is.EqualTo(4));
        Assert.That(doc.RootElement.GetProperty("regressions").GetArrayLength(), Is.Zero);
    }

    [Test]
    public void RegressionsAreIntegrityErrorsWarnsOrBugsTheBaselineDoesNotHave()
    {
        RunResult R(string kernel, int bad, int warns, string? bug) => new("s", kernel, ArchModel.AliasingVipt, 1,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, warns, bug, bad, [], default);
        Assert.That(RegressRunner.Regressions([R("baseline", 0, 0, null), R("v", 0, 0, null)]), Is.Empty);
        Assert.That(RegressRunner.Regressions([R("baseline", 1, 1, "x"), R("v", 1, 1, "y")]), Is.Empty);
        Assert.That(RegressRunner.Regressions([R("baseline", 0, 0, null), R("v", 2, 0, null)]).Single().What, Does.StartWith("data integrity"));
        Assert.That(RegressRunner.Regressions([R("baseline", 0, 0, null), R("v", 0, 1, null)]).Single().What, Does.Contain("WARN"));
        Assert.That(RegressRunner.Regressions([R("baseline", 0, 0, null), R("v", 0, 0, "boom")]).Single().What, Does.StartWith("BUG"));
    }
}
