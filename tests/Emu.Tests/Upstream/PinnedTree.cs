using System;
using System.IO;
using Emu.Tests.TestSupport;
using NUnit.Framework;

namespace Emu.Tests.Upstream;

/// <summary>The Linux 6.12.117 tree tools/setup.sh unpacks; a test without it is ignored (failed under CI).</summary>
internal static class PinnedTree
{
    public static string Require()
    {
        var env = Environment.GetEnvironmentVariable("EMU_LINUX_SRC");
        var tree = env is { Length: > 0 } ? env : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "emu", "linux-source-6.12");
        if (!File.Exists(Path.Combine(tree, "mm", "ksm.c")))
        {
            var message = $"Linux 6.12.117 source not unpacked at {tree} (tools/setup.sh unpacks it)";
            if (ExternalTool.InCi) Assert.Fail(message);
            Assert.Ignore(message);
        }
        return tree;
    }
}
