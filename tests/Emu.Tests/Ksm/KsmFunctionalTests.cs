using System;
using System.IO;
using Emu.Selftests;
using Emu.Selftests.mm;
using NUnit.Framework;

namespace Emu.Tests.Ksm;

/// <summary>
/// tools/testing/selftests/mm/ksm_functional_tests.c (6.12.117), ported as the selftest program
/// <see cref="ksm_functional_tests"/>, run case by case on a fresh machine. The expectation is the
/// C's: a correct 6.12 kernel passes every case; test_unmerge_uffd_wp skips with the C's own
/// message when the userfaultfd syscall fails, as it does on Emu (userfaultfd is a stubbed
/// subsystem). A case that reaches a kernel stub of an area not on main yet is ignored visibly.
/// </summary>
public class KsmFunctionalTests
{
    private static readonly string[] Cases = ksm_functional_tests.Cases;

    private static (SelftestRun Run, string Output, Machine Machine) RunProgram(string? onlyCase)
    {
        var machine = new Machine(new MachineOptions { MemoryBytes = 256UL << 20 });
        var output = new StringWriter { NewLine = "\n" };
        try
        {
            var run = new ksm_functional_tests { OnlyCase = onlyCase }.Run(machine, [], output);
            return (run, output.ToString(), machine);
        }
        catch (NotImplementedException e)
        {
            machine.Dispose();
            Assert.Ignore($"reaches a kernel stub not on main yet: {e.Message}\n{output}");
            throw;
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Case(string name)
    {
        var (run, output, machine) = RunProgram(name);
        using (machine)
        {
            Assert.That(run.Results, Has.Count.EqualTo(1), output);
            var result = run.Results[0];
            Assert.That(result.Run, Is.EqualTo($"# [RUN] {name}".Substring(2)), output);
            if (name == "test_unmerge_uffd_wp")
            {
                Assert.That(result.Code, Is.EqualTo(Kselftest.KSFT_SKIP), output);
                Assert.That(result.Message, Is.EqualTo("__NR_userfaultfd failed"), output);
            }
            else
            {
                Assert.That(result.Code, Is.EqualTo(Kselftest.KSFT_PASS), output);
            }
            Assert.That(run.ExitStatus, Is.EqualTo(Kselftest.KSFT_PASS), output);
            Assert.That(machine.Warnings, Is.Empty, output);
        }
    }

    /// <summary>main() as run_vmtests.sh runs it: plan 9 (8 + the uffd-wp case on x86_64), 8 pass, 1 skip.</summary>
    [Test]
    public void WholeProgram()
    {
        var (run, output, machine) = RunProgram(null);
        using (machine)
        {
            Assert.That(output, Does.StartWith("TAP version 13\n1..9\n"));
            Assert.That(output, Does.EndWith("# Totals: pass:8 fail:0 xfail:0 xpass:0 skip:1 error:0\n"), output);
            Assert.That(run.ExitStatus, Is.EqualTo(Kselftest.KSFT_PASS), output);
            Assert.That(machine.Processes, Is.Empty, "the program and its children exited");
        }
    }
}
