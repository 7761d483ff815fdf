using System.Collections.Generic;
using Emu.LayoutOracle;

namespace Emu.Generators.Tests.LayoutOracle;

/// <summary>The one thing the corner-case oracle needs from the generator library.</summary>
internal interface IGeneratorLayout
{
    /// <summary>
    /// Parses every <c>.h</c> under <paramref name="headerDir"/> (no force-includes, no extra defines)
    /// and lays out every complete top-level struct/union for <paramref name="abi"/> (x86_64, i386,
    /// aarch64, arm), exactly as the manifest would: absolute offsets, File relative to headerDir.
    /// Returns null while the generator is not wired in.
    /// </summary>
    IReadOnlyList<OracleType>? LayOut(string headerDir, string abi);
}

/// <summary>Wiring point for the generator's layout engine (the lead fills this in).</summary>
internal sealed class GeneratorLayoutAdapter : IGeneratorLayout
{
    public IReadOnlyList<OracleType>? LayOut(string headerDir, string abi) => null;
}
