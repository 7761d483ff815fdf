using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Emu.Selftests;
using Emu.Selftests.mm;
using NUnit.Framework;

namespace Emu.Tests.Gup.Cow;

/// <summary>
/// tools/testing/selftests/mm/cow.c on Emu (src/Emu/Selftests/mm/cow.cs), one NUnit case per
/// "[RUN] case ... with backing" line, the identity of a run (the result strings repeat). A correct
/// 6.12 kernel passes every case that runs; cow.c's skips (no swap, ...) are ignored with its own
/// message, and backings Emu lacks (memfd, tmpfile) must fail exactly as cow.c reports them.
/// </summary>
public class CowTests
{
    private static IEnumerable<TestCaseData> Runs() =>
        cow.Runs.Select(r => new TestCaseData(r.Case, r.Backing));

    [TestCaseSource(nameof(Runs))]
    public void Case(string desc, string backing) => AddressSpace.Run(() =>
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20 });
        var output = new StringWriter();
        var run = new cow().RunCase(machine, desc, backing, output);

        Assert.That(run.Results, Has.Count.EqualTo(1), "each case reports exactly one result:\n" + output);
        var result = run.Results[0];
        Assert.That(result.Run, Is.EqualTo($"[RUN] {desc} ... with {backing}"));
        if (result.Code == Kselftest.KSFT_SKIP)
            Assert.Ignore("cow.c skip: " + result.Message);
        if (backing is "memfd" or "tmpfile")
        {
            // cow.c run_with_memfd/run_with_tmpfile: the file cannot be created, a reported failure.
            Assert.That(result.Code, Is.EqualTo(Kselftest.KSFT_FAIL));
            Assert.That(result.Message, Is.EqualTo(backing == "memfd" ? "memfd_create() failed" : "tmpfile() failed"));
            Assert.Ignore($"Emu has no shmem/tmpfs files: cow.c reports \"{result.Message}\" for the {backing} backing");
        }
        Assert.That(result.Code, Is.EqualTo(Kselftest.KSFT_PASS), output.ToString());
        Assert.That(machine.Warnings, Is.Empty);
    });

    /// <summary>The whole program: kselftest.h's TAP with a plan matching what ran, cow.c's [RUN] lines in order.</summary>
    [Test]
    public void WholeProgramPrintsWellFormedTap() => AddressSpace.Run(() =>
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20 });
        var output = new StringWriter();
        var run = SelftestPrograms.Create("cow")!.Run(machine, Array.Empty<string>(), output);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.That(lines[0], Is.EqualTo("TAP version 13"));
        Assert.That(lines[1], Is.EqualTo($"1..{run.Plan}"));
        // cow.c main: 12 anon cases x (base page, swapped out base page) + 3 non-anon cases x
        // (shared zeropage, memfd, tmpfile), without THP or hugetlb sizes and without liburing.
        Assert.That(run.Plan, Is.EqualTo(12 * 2 + 3 * 3));

        var results = lines.Select(l => Regex.Match(l, @"^(not )?ok (\d+) ")).Where(m => m.Success).ToList();
        Assert.That(results.Select(m => int.Parse(m.Groups[2].Value)), Is.EqualTo(Enumerable.Range(1, (int)run.Plan)));

        var runs = lines.Where(l => l.StartsWith("# [RUN] ", StringComparison.Ordinal) && l.Contains(" ... with ")).ToList();
        Assert.That(runs, Is.EqualTo(cow.Runs.Select(r => $"# [RUN] {r.Case} ... with {r.Backing}")));

        int pass = lines.Count(l => Regex.IsMatch(l, @"^ok \d+ (?!# )"));
        int skip = lines.Count(l => Regex.IsMatch(l, @"^ok \d+ # SKIP "));
        int fail = lines.Count(l => Regex.IsMatch(l, @"^not ok \d+ (?!# )"));
        var totals = lines.Single(l => l.StartsWith("# Totals: ", StringComparison.Ordinal));
        Assert.That(totals, Is.EqualTo($"# Totals: pass:{pass} fail:{fail} xfail:0 xpass:0 skip:{skip} error:0"));
        Assert.That(pass + fail + skip, Is.EqualTo((int)run.Plan));
        Assert.That(lines, Has.None.StartsWith("# Planned tests != run tests"));

        // The only failures are the backings Emu lacks; then main() bails out with the count.
        var failed = run.Results.Where(r => r.Code == Kselftest.KSFT_FAIL).Select(r => r.Run).ToList();
        Assert.That(failed, Is.EqualTo(cow.Runs.Where(r => r.Backing is "memfd" or "tmpfile")
                                              .Select(r => $"[RUN] {r.Case} ... with {r.Backing}")));
        Assert.That(lines, Does.Contain($"Bail out! {fail} out of {run.Plan} tests failed"));
        Assert.That(run.ExitStatus, Is.EqualTo(Kselftest.KSFT_FAIL));
        Assert.That(machine.Warnings, Is.Empty);
    });
}
