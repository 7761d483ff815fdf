using System;
using System.Collections.Generic;
using Emu.Tests.TestSupport;

namespace Emu.LayoutOracle;

/// <summary>The compiler and target flags that are the layout authority for one ABI.</summary>
/// <param name="Abi">x86_64, i386, aarch64 or arm (Emu.Layout.AbiNames spelling).</param>
internal sealed record ProbeTarget(string Abi, string Compiler, IReadOnlyList<string> TargetFlags, bool IsClang)
{
    /// <summary>gcc for x86_64 and i386 (-m32), clang-14 cross targets for aarch64 and armv7; missing tools skip (fail under CI).</summary>
    public static ProbeTarget For(string abi) => abi switch
    {
        "x86_64" => new(abi, ExternalTool.Require("gcc", "apt-get install gcc"), new[] { "-m64" }, false),
        "i386" => new(abi, ExternalTool.Require("gcc", "apt-get install gcc gcc-multilib"), new[] { "-m32" }, false),
        "aarch64" => new(abi, ExternalTool.Require("clang-14", "apt-get install clang-14"), new[] { "--target=aarch64-linux-gnu" }, true),
        "arm" => new(abi, ExternalTool.Require("clang-14", "apt-get install clang-14"), new[] { "--target=armv7-linux-gnueabihf" }, true),
        _ => throw new ArgumentOutOfRangeException(nameof(abi), abi, "unknown ABI"),
    };

    /// <summary>The four ABIs, in Emu.Layout.Abi order.</summary>
    public static IReadOnlyList<string> AllAbis { get; } = new[] { "x86_64", "i386", "aarch64", "arm" };
}

/// <summary>How the probe sees the headers: include directories, force-included files, extra defines.</summary>
/// <param name="HeaderDir">Directory that <see cref="OracleType.File"/> paths are relative to.</param>
/// <param name="IncludeDirs">-I directories (usually just the header directory).</param>
/// <param name="ForceIncludes">-include files, e.g. linux/kconfig.h as kbuild does.</param>
/// <param name="Defines">-D values, e.g. __KERNEL__.</param>
internal sealed record ProbeOptions(
    string HeaderDir,
    IReadOnlyList<string> IncludeDirs,
    IReadOnlyList<string> ForceIncludes,
    IReadOnlyList<string> Defines)
{
    /// <summary>The kbuild-like view of the trimmed kernel headers.</summary>
    public static ProbeOptions Kernel(string headerDir) =>
        new(headerDir, new[] { headerDir }, new[] { "linux/kconfig.h" }, new[] { "__KERNEL__" });

    /// <summary>Plain self-contained headers (the synthetic corner cases).</summary>
    public static ProbeOptions Plain(string headerDir) =>
        new(headerDir, new[] { headerDir }, Array.Empty<string>(), Array.Empty<string>());
}
