using System;

namespace Emu.Kernel;

/// <summary>
/// Marks C# that mirrors an upstream function (or macro) of Linux 6.12.117: the file, the name,
/// and <see cref="Emu.Upstream.UpstreamSource.BodyHash"/> of the body it was written from
/// ("macro" for a macro, which has no body to hash).
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Struct | AttributeTargets.Class | AttributeTargets.Field, AllowMultiple = true, Inherited = false)]
public sealed class UpstreamAttribute : Attribute
{
    /// <summary>The hash placeholder for macros.</summary>
    public const string Macro = "macro";

    public UpstreamAttribute(string file, string function, string bodyHash)
    {
        File = file;
        Function = function;
        BodyHash = bodyHash;
    }

    /// <summary>Path in the kernel tree, e.g. <c>mm/ksm.c</c>.</summary>
    public string File { get; }

    /// <summary>The upstream function or macro name.</summary>
    public string Function { get; }

    /// <summary>Which definition in the file (1-based) when #ifdef branches define the function more than once.</summary>
    public int Definition { get; init; } = 1;

    /// <summary>Hash of the normalized upstream body, or <see cref="Macro"/>.</summary>
    public string BodyHash { get; }
}
