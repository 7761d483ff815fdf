using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Emu.Selftests;

/// <summary>
/// A kernel selftest program ported to Emu: <see cref="Main"/> is the C program's main() against a
/// fresh machine, printing kselftest TAP through <see cref="ksft"/>.
/// </summary>
public abstract class SelftestProgram
{
    /// <summary>The TAP reporter of this run.</summary>
    protected Kselftest ksft { get; private set; } = null!;

    /// <summary>The program's standard output (printf), where the TAP goes too.</summary>
    protected TextWriter stdout { get; private set; } = TextWriter.Null;

    /// <summary>The machine the program runs on.</summary>
    protected Machine Machine { get; private set; } = null!;

    /// <summary>The program's file name under tools/testing/selftests/mm, without ".c".</summary>
    public abstract string Name { get; }

    /// <summary>main(argc, argv) of the C program; returns its exit status or exits through ksft.</summary>
    protected abstract int Main(string[] args);

    /// <summary>Runs the program on <paramref name="machine"/>, writing TAP to <paramref name="output"/>.</summary>
    public SelftestRun Run(Machine machine, string[] args, TextWriter output) => Run(machine, output, () => Main(args));

    /// <summary>Runs <paramref name="body"/> (main() or one of a port's per-case entry points) as this program.</summary>
    protected SelftestRun Run(Machine machine, TextWriter output, Func<int> body)
    {
        Machine = machine;
        stdout = output;
        ksft = new Kselftest(output);
        int status;
        try
        {
            status = body();
        }
        catch (KselftestExitException e)
        {
            status = e.Status;
        }
        return new SelftestRun(status, ksft.Results, ksft.ksft_plan);
    }
}

/// <summary>What a selftest run reported: exit status, results in order, and the plan it printed.</summary>
public sealed record SelftestRun(int ExitStatus, IReadOnlyList<KselftestResult> Results, uint Plan);

/// <summary>The selftest programs <c>emu selftest</c> can run, by name.</summary>
public static class SelftestPrograms
{
    private static readonly Dictionary<string, Func<SelftestProgram>> Programs = new(StringComparer.Ordinal)
    {
        ["cow"] = () => new mm.cow(),
        ["ksm_functional_tests"] = () => new mm.ksm_functional_tests(),
        ["ksm_tests"] = () => new mm.ksm_tests(),
    };

    /// <summary>Program names, sorted.</summary>
    public static IEnumerable<string> Names => Programs.Keys.OrderBy(n => n, StringComparer.Ordinal);

    /// <summary>A fresh instance of the named program, or null if Emu has no port of it.</summary>
    public static SelftestProgram? Create(string name) => Programs.TryGetValue(name, out var f) ? f() : null;
}
