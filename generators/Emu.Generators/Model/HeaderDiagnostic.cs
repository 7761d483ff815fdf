namespace Emu.Generators.Model;

/// <summary>
/// A diagnostic as plain data (no Roslyn <c>Location</c>), so it can flow through the cached
/// pipeline; the generator turns it into a Roslyn diagnostic at the very end.
/// </summary>
internal sealed record HeaderDiagnostic(string Id, string Message, SourceLocation Location, bool IsError)
{
    public override string ToString() => $"{Location}: {(IsError ? "error" : "warning")} {Id}: {Message}";
}
