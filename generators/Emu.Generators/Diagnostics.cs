using System.Collections.Generic;
using Emu.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Emu.Generators;

/// <summary>The EMU diagnostics and their conversion from pipeline data to Roslyn diagnostics.</summary>
internal static class Diagnostics
{
    private static readonly Dictionary<string, string> Titles = new()
    {
        ["EMU001"] = "Unexpected character in header",
        ["EMU002"] = "Unterminated comment or literal",
        ["EMU003"] = "Header not found",
        ["EMU004"] = "Unbalanced conditional directive",
        ["EMU005"] = "Malformed macro definition",
        ["EMU006"] = "#error or #warning in header",
        ["EMU007"] = "Unsupported preprocessing directive",
        ["EMU008"] = "Invalid preprocessor expression",
        ["EMU009"] = "Invalid macro invocation",
        ["EMU010"] = "Construct skipped",
        ["EMU011"] = "Attribute ignored",
        ["EMU020"] = "Syntax error in header",
        ["EMU021"] = "Declaration declares nothing",
        ["EMU030"] = "Static assertion failed",
        ["EMU031"] = "Invalid constant expression or type",
        ["EMU034"] = "Conflicting typedef",
        ["EMU040"] = "Invalid page-flag declaration",
        ["EMU041"] = "Unknown page-flag policy",
        ["EMU042"] = "Page flag not in enum",
        ["EMU043"] = "Page-flag accessor redefined",
        ["EMU099"] = "Internal generator error",
    };

    private static readonly Dictionary<(string, bool), DiagnosticDescriptor> Cache = new();

    public static DiagnosticDescriptor Descriptor(string id, bool isError)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue((id, isError), out var d))
            {
                var title = Titles.TryGetValue(id, out var t) ? t : "Header problem";
                d = new DiagnosticDescriptor(id, title, "{0}", "Emu.Headers",
                    isError ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, isEnabledByDefault: true);
                Cache[(id, isError)] = d;
            }
            return d;
        }
    }

    /// <summary>Places a diagnostic at file:line:col inside the .h file.</summary>
    public static Diagnostic ToRoslyn(HeaderDiagnostic d, IReadOnlyDictionary<string, (string FullPath, SourceText? Text)> files)
    {
        var location = Location.None;
        if (!d.Location.IsNone && files.TryGetValue(d.Location.File, out var file))
        {
            var pos = new LinePosition(System.Math.Max(0, d.Location.Line - 1), System.Math.Max(0, d.Location.Column - 1));
            int offset = 0;
            if (file.Text is not null && pos.Line < file.Text.Lines.Count)
            {
                var line = file.Text.Lines[pos.Line];
                offset = System.Math.Min(line.Start + pos.Character, line.End);
            }
            location = Location.Create(file.FullPath, new TextSpan(offset, 0), new LinePositionSpan(pos, pos));
        }
        var message = location == Location.None && !d.Location.IsNone ? $"{d.Location}: {d.Message}" : d.Message;
        return Diagnostic.Create(Descriptor(d.Id, d.IsError), location, message);
    }
}
