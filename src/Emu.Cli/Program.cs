using System.CommandLine;
using Emu.Cli.Commands;

namespace Emu.Cli;

/// <summary>Entry point of the <c>emu</c> tool.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static int Main(string[] args) => BuildRootCommand().Parse(args).Invoke();

    /// <summary>
    /// The root command with every subcommand registered. Each subcommand lives in its own file
    /// under Commands/ and exposes a <c>Create()</c> factory; tests invoke this tree in-process.
    /// </summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("Emu: a Linux 6.12 kernel-mm emulator");
        root.Subcommands.Add(LayoutCommand.Create());
        root.Subcommands.Add(UpstreamCommand.Create());
        root.Subcommands.Add(SelftestCommand.Create());
        root.Subcommands.Add(PatchCommand.Create());
        root.Subcommands.Add(RegressCommand.Create());
        return root;
    }
}
