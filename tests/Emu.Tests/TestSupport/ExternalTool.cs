using System;
using System.Diagnostics;
using System.IO;
using NUnit.Framework;

namespace Emu.Tests.TestSupport;

/// <summary>Runs external tools (compilers, pahole) for the oracle tests.</summary>
internal static class ExternalTool
{
    /// <summary>True under CI (<c>CI=true</c>): a missing tool is then a failure, never a skip.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Result of one run.</summary>
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Full path of <paramref name="tool"/> on PATH, or null.</summary>
    public static string? Find(string tool)
    {
        if (Path.IsPathRooted(tool))
            return File.Exists(tool) ? tool : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>
    /// Returns the tool's path; when it is missing, fails under CI (setup must have installed it)
    /// and otherwise marks the test ignored with the reason, visibly.
    /// </summary>
    public static string Require(string tool, string installHint)
    {
        var path = Find(tool);
        if (path is not null)
            return path;
        var message = $"'{tool}' is not installed ({installHint}; tools/setup.sh installs it)";
        if (InCi)
            Assert.Fail(message);
        Assert.Ignore(message);
        return null!;
    }

    /// <summary>Runs a tool to completion and captures its output.</summary>
    public static Result Run(string file, string arguments, string? workingDirectory = null, int timeoutMs = 120_000)
    {
        var psi = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        using var p = System.Diagnostics.Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish in {timeoutMs} ms");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a tool and fails the test with its output when it exits non-zero.</summary>
    public static string RunChecked(string file, string arguments, string? workingDirectory = null)
    {
        var r = Run(file, arguments, workingDirectory);
        if (r.ExitCode != 0)
            Assert.Fail($"{file} {arguments} exited {r.ExitCode}:\n{r.Stderr}\n{r.Stdout}");
        return r.Stdout;
    }
}

/// <summary>Paths inside the repository, found from the test assembly's location.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Emu.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Emu.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root (holds Emu.sln).</summary>
    public static string Root => RootLazy.Value;

    /// <summary>The trimmed kernel headers.</summary>
    public static string Headers => Path.Combine(Root, "headers");

    /// <summary>A fresh scratch directory for one test.</summary>
    public static string Scratch(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "emu-tests", name + "-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
