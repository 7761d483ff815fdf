using System;
using System.IO;
using Emu.Selftests;
using Emu.Selftests.mm;
using NUnit.Framework;

namespace Emu.Tests.Ksm;

/// <summary>
/// tools/testing/selftests/mm/ksm_tests.c (6.12.117), ported as <see cref="ksm_tests"/>, with the
/// invocations of run_vmtests.sh's "ksm" and "ksm_numa" categories (and the merge-type and timing
/// variants). Expectations from the C: each run plans 1 test and reports it with its description;
/// the checks pass on a correct kernel; -N skips without two NUMA nodes and -H without THP, both
/// absent on Emu.
/// </summary>
public class KsmTestsProgramTests
{
    private static (SelftestRun Run, string Output) RunProgram(params string[] args)
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 256UL << 20 });
        var output = new StringWriter { NewLine = "\n" };
        try
        {
            var run = new ksm_tests().Run(machine, args, output);
            Assert.That(machine.Warnings, Is.Empty, output.ToString());
            Assert.That(machine.Processes, Is.Empty, "the program exited");
            return (run, output.ToString());
        }
        catch (NotImplementedException e)
        {
            Assert.Ignore($"reaches a kernel stub not on main yet: {e.Message}\n{output}");
            throw;
        }
    }

    [TestCase("KSM merging", "-M", "-p", "10")]
    [TestCase("KSM merging", "-M", "-p", "10", "-t", "1")]
    [TestCase("KSM merging", "-M", "-p", "300")] // more than max_page_sharing (256): one leftover KSM page
    [TestCase("KSM unmerging", "-U")]
    [TestCase("KSM unmerging", "-U", "-t", "1")]
    [TestCase("KSM zero page merging", "-Z", "-p", "10", "-z", "0")]
    [TestCase("KSM zero page merging", "-Z", "-p", "10", "-z", "1")]
    [TestCase("KSM merge time", "-P", "-s", "100")]
    [TestCase("KSM unmerge time", "-D", "-s", "16")]
    [TestCase("KSM COW time", "-C")]
    // "-a w": mmap's PROT_WRITE kept, so allocate_memory's mprotect changes nothing (no
    // change_protection walk of the populated range).
    [TestCase("KSM merging", "-M", "-p", "10", "-a", "w")]
    [TestCase("KSM merging", "-M", "-p", "300", "-a", "w", "-t", "1")]
    [TestCase("KSM unmerging", "-U", "-a", "w")]
    [TestCase("KSM zero page merging", "-Z", "-p", "10", "-z", "0", "-a", "w")]
    [TestCase("KSM zero page merging", "-Z", "-p", "10", "-z", "1", "-a", "w")]
    [TestCase("KSM unmerge time", "-D", "-s", "4", "-a", "w")]
    public void Passes(string descr, params string[] args)
    {
        var (run, output) = RunProgram(args);
        Assert.That(output, Does.StartWith("TAP version 13\n1..1\n"));
        Assert.That(output, Does.Contain($"\nok 1 {descr}\n"), output);
        Assert.That(output, Does.EndWith("# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0\n"), output);
        Assert.That(run.ExitStatus, Is.EqualTo(Kselftest.KSFT_PASS));
    }

    [TestCase("KSM NUMA merging", "At least 2 NUMA nodes with memory must be available", "-N", "-m", "1")]
    [TestCase("KSM NUMA merging", "At least 2 NUMA nodes with memory must be available", "-N", "-m", "0")]
    [TestCase("KSM merge time with huge pages", "Transparent Hugepages not available", "-H", "-s", "100")]
    public void Skips(string descr, string why, params string[] args)
    {
        var (run, output) = RunProgram(args);
        Assert.That(output, Does.Contain($"# {why}\n"), output);
        Assert.That(output, Does.Contain($"\nok 1 # SKIP {descr}\n"), output);
        Assert.That(output, Does.EndWith("# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:1 error:0\n"), output);
        // ksft_finished: plan (1) == pass + xfail + skip -> ksft_exit_pass.
        Assert.That(run.ExitStatus, Is.EqualTo(Kselftest.KSFT_PASS));
    }

    [Test]
    public void BadOptionsFailAsTheCDoes()
    {
        var (run, output) = RunProgram("-p", "0");
        Assert.That(output, Does.Contain("Bail out! The number of pages must be greater than 0\n"));
        Assert.That(run.ExitStatus, Is.EqualTo(Kselftest.KSFT_FAIL));
        (run, output) = RunProgram("-P");
        Assert.That(output, Does.Contain("Bail out! Option '-s' is required\n"));
        Assert.That(run.ExitStatus, Is.EqualTo(Kselftest.KSFT_FAIL));
    }
}
