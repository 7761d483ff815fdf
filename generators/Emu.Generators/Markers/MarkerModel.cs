namespace Emu.Generators.Markers;

/// <summary>
/// One <c>[Upstream(file, function, hash)]</c> marker as the pipeline caches it: plain strings and
/// numbers only, so an edit elsewhere in a file leaves an unchanged marker's model equal.
/// </summary>
internal sealed record MarkerModel(
    string File,
    string Function,
    string Hash,
    int Definition,
    bool Stub,
    string Member,
    string SourcePath,
    int Line);
