using System;
using System.Collections.Generic;
using System.Linq;
using Emu.Generators.Emit;
using Emu.Generators.Layout;
using Emu.Generators.Model;

namespace Emu.Generators.CHeaders;

/// <summary>A header as the generator receives it: path relative to headers/ and its text.</summary>
internal sealed record HeaderFile(string Path, string FullPath, string Text);

/// <summary>A header's tokens: the per-file step, so editing one header re-lexes only that file.</summary>
internal sealed record LexedHeader(string Path, EquatableArray<Token> Tokens, EquatableArray<HeaderDiagnostic> Diagnostics);

/// <summary>Runs lexer, preprocessor and parser over the header set for one ABI.</summary>
internal static class HeaderFrontEnd
{
    /// <summary>kbuild force-includes linux/kconfig.h (<c>-include</c>); so does the generator, when present.</summary>
    public const string ForcedInclude = "linux/kconfig.h";

    public static LexedHeader Lex(HeaderFile file)
    {
        var diagnostics = new List<HeaderDiagnostic>();
        var tokens = Lexer.Tokenize(file.Path, file.Text, diagnostics);
        return new LexedHeader(file.Path, tokens.ToEquatableArray(), diagnostics.ToEquatableArray());
    }

    /// <summary>Preprocesses every header (sorted by path, after the forced include) as one translation unit and parses it.</summary>
    public static HeaderProgram Parse(IReadOnlyList<LexedHeader> headers, AbiInfo abi)
    {
        var diagnostics = new List<HeaderDiagnostic>();
        try
        {
            return ParseCore(headers, abi, diagnostics);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug here must surface as a diagnostic, never crash the compiler.
            diagnostics.Add(new HeaderDiagnostic("EMU099", $"internal error in the header front end: {ex.GetType().Name}: {ex.Message} at {FirstFrame(ex)}", SourceLocation.None, true));
            var empty = EquatableArray<RecordDecl>.Empty;
            return new HeaderProgram(abi.Name, empty, EquatableArray<TypedefDecl>.Empty, EquatableArray<EnumDecl>.Empty,
                EquatableArray<StaticAssertDecl>.Empty, EquatableArray<AccessorMacroUse>.Empty, EquatableArray<MacroConstant>.Empty,
                EquatableArray<FunctionDecl>.Empty, diagnostics.ToEquatableArray());
        }
    }

    internal static string FirstFrame(Exception ex) =>
        (ex.StackTrace ?? "").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "?";

    private static HeaderProgram ParseCore(IReadOnlyList<LexedHeader> headers, AbiInfo abi, List<HeaderDiagnostic> diagnostics)
    {
        var files = new Dictionary<string, IReadOnlyList<Token>>(StringComparer.Ordinal);
        foreach (var h in headers)
        {
            files[h.Path] = h.Tokens.AsImmutableArray();
            diagnostics.AddRange(h.Diagnostics);
        }
        var roots = new List<string>();
        if (files.ContainsKey(ForcedInclude))
            roots.Add(ForcedInclude);
        roots.AddRange(files.Keys.Where(p => p != ForcedInclude).OrderBy(p => p, StringComparer.Ordinal));

        var pp = new Preprocessor(files, abi.PredefinedMacros, PageFlagAccessors.MacroNames, diagnostics);
        var tokens = pp.Run(roots);
        var parsed = Parser.ParseTranslationUnit(tokens, diagnostics);

        var typedefNames = new HashSet<string>(parsed.Typedefs.Select(t => t.Name), StringComparer.Ordinal);
        var macros = new List<MacroConstant>();
        foreach (var (macro, expansion) in pp.DefinedConstants().OrderBy(m => m.macro.Location.File, StringComparer.Ordinal).ThenBy(m => m.macro.Location.Line))
        {
            var scratch = new List<HeaderDiagnostic>();
            var value = expansion.Count == 0 ? null : Parser.ParseStandaloneExpression(expansion, macro.Location, scratch, typedefNames);
            macros.Add(new MacroConstant(macro.Name, Lexer.Spell(expansion), value, macro.Location));
        }

        return new HeaderProgram(
            abi.Name,
            parsed.Records.ToEquatableArray(),
            parsed.Typedefs.ToEquatableArray(),
            parsed.Enums.ToEquatableArray(),
            parsed.StaticAsserts.ToEquatableArray(),
            pp.AccessorUses.ToEquatableArray(),
            macros.ToEquatableArray(),
            parsed.Functions.ToEquatableArray(),
            diagnostics.Distinct().ToEquatableArray());
    }

    /// <summary>Front end and layout in one call (tests, benchmarks, the CLI's future needs).</summary>
    public static LayoutSet Compile(IReadOnlyList<HeaderFile> headers, AbiInfo abi, out HeaderProgram program)
    {
        var lexed = headers.Select(Lex).ToList();
        program = Parse(lexed, abi);
        return new LayoutEngine(program, abi).Run();
    }
}
