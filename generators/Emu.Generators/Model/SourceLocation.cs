namespace Emu.Generators.Model;

/// <summary>A position inside a header: path relative to <c>headers/</c>, 1-based line and column.</summary>
internal readonly record struct SourceLocation(string File, int Line, int Column)
{
    public static readonly SourceLocation None = new("", 0, 0);

    public bool IsNone => string.IsNullOrEmpty(File);

    public override string ToString() => $"{File}:{Line}:{Column}";
}
