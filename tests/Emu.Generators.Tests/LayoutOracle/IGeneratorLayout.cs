using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Emu.Generators.CHeaders;
using Emu.Generators.Layout;
using Emu.LayoutOracle;

namespace Emu.Generators.Tests.LayoutOracle;

/// <summary>The one thing the corner-case oracle needs from the generator library.</summary>
internal interface IGeneratorLayout
{
    /// <summary>
    /// Parses every <c>.h</c> under <paramref name="headerDir"/> (no force-includes, no extra defines)
    /// and lays out every complete top-level struct/union for <paramref name="abi"/> (x86_64, i386,
    /// aarch64, arm), exactly as the manifest would: absolute offsets, File relative to headerDir.
    /// </summary>
    IReadOnlyList<OracleType>? LayOut(string headerDir, string abi);
}

/// <summary>The generator's front end and layout engine, run directly on a header directory.</summary>
internal sealed class GeneratorLayoutAdapter : IGeneratorLayout
{
    public IReadOnlyList<OracleType>? LayOut(string headerDir, string abi)
    {
        var info = abi switch
        {
            "x86_64" => AbiInfo.X86_64,
            "i386" => AbiInfo.I386,
            "aarch64" => AbiInfo.AArch64,
            "arm" => AbiInfo.Arm,
            _ => throw new ArgumentOutOfRangeException(nameof(abi)),
        };
        var root = Path.GetFullPath(headerDir);
        var files = Directory.GetFiles(root, "*.h", SearchOption.AllDirectories)
            .Select(f => new HeaderFile(Path.GetRelativePath(root, f).Replace('\\', '/'), f, File.ReadAllText(f)))
            .ToList();
        var set = HeaderFrontEnd.Compile(files, info, out var program);
        var errors = program.Diagnostics.Concat(set.Diagnostics).Where(d => d.IsError).ToList();
        if (errors.Count > 0)
            throw new InvalidOperationException("generator diagnostics:\n" + string.Join("\n", errors));
        return set.Types.Select(t => ToOracle(t, t.Location.File)).ToList();
    }

    private static OracleType ToOracle(TypeLayoutModel t, string file) =>
        new(t.Name, t.IsUnion, t.Size, t.Align,
            t.Members.Select(m => new OracleMember(m.Name, m.TypeName, m.Offset, m.Size, m.BitOffset, m.BitWidth,
                m.Anonymous is null ? null : ToOracle(m.Anonymous, file))).ToList(),
            file);
}
