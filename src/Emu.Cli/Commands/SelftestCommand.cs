using System;
using System.CommandLine;
using System.Linq;
using Emu.Selftests;

namespace Emu.Cli.Commands;

/// <summary>
/// <c>emu selftest NAME [--memory MIB] [-- ARGS...]</c>: runs a ported tools/testing/selftests/mm program on a
/// fresh machine and prints its kselftest TAP exactly as the C program does; the exit status is the program's.
/// </summary>
internal static class SelftestCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "the selftest program, e.g. cow", Arity = ArgumentArity.ZeroOrOne };
        var args = new Argument<string[]>("args") { Description = "the program's own arguments (after --)", Arity = ArgumentArity.ZeroOrMore };
        var memory = new Option<ulong>("--memory") { Description = "emulated RAM in MiB", DefaultValueFactory = _ => 256 };
        var command = new Command("selftest", "run a ported kernel mm selftest and print its TAP") { name, args, memory };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var program = parse.GetValue(name);
            var run = program is null ? null : SelftestPrograms.Create(program);
            if (run is null)
            {
                var error = parse.InvocationConfiguration.Error;
                if (program is not null)
                    error.WriteLine($"emu: no selftest named '{program}'");
                error.WriteLine("selftests: " + string.Join(" ", SelftestPrograms.Names));
                return 2;
            }
            using var machine = new Machine(new MachineOptions { MemoryBytes = parse.GetValue(memory) << 20 });
            return run.Run(machine, parse.GetValue(args) ?? Array.Empty<string>(), output).ExitStatus;
        });
        return command;
    }
}
