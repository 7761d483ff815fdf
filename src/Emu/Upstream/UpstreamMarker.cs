namespace Emu.Upstream;

/// <summary>
/// One <c>[Upstream]</c> marker: the upstream function (or macro) a C# member transliterates, the hash
/// of the body it was written from, and where the marker stands in Emu's source.
/// </summary>
/// <param name="File">upstream path, e.g. <c>mm/ksm.c</c></param>
/// <param name="Function">upstream function or macro name</param>
/// <param name="Hash">normalized-body hash (<see cref="UpstreamSource.BodyHash"/>) or <c>"macro"</c></param>
/// <param name="Definition">which definition in the file (1-based) when #ifdef branches define it more than once</param>
/// <param name="Stub">the member is a stub (config-off or not-supported version), not a transliteration</param>
/// <param name="Member">C# type and member, e.g. <c>Kernel.cmp_and_merge_page</c></param>
/// <param name="SourceFile">C# file relative to the repository, or <c>(generated)</c></param>
/// <param name="Line">1-based line of the marker in <paramref name="SourceFile"/> (0 when generated)</param>
public sealed record UpstreamMarker(
    string File,
    string Function,
    string Hash,
    int Definition,
    bool Stub,
    string Member,
    string SourceFile,
    int Line)
{
    /// <summary>True for a macro marker (no body hash).</summary>
    public bool IsMacro => Hash == Emu.Kernel.UpstreamAttribute.Macro;

    /// <summary><c>file:line</c> of the marker in Emu's source.</summary>
    public string Location => Line > 0 ? $"{SourceFile}:{Line}" : SourceFile;
}
