using System;
using System.Linq;
using Emu.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Emu.Generators.Markers;

/// <summary>
/// Collects every <c>[Upstream]</c> marker of the compilation into <c>Emu.Upstream.UpstreamManifest</c>:
/// upstream file, function, hash, definition, stub flag, C# member and its file:line.
/// Pipeline: attribute syntax → per-member equatable models → one sorted table.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class MarkerGenerator : IIncrementalGenerator
{
    /// <summary>Names of the tracked pipeline steps.</summary>
    public static class Steps
    {
        public const string Markers = nameof(Markers);
        public const string Table = nameof(Table);
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var root = context.AnalyzerConfigOptionsProvider.Select(static (o, _) =>
            o.GlobalOptions.TryGetValue("build_property.EmuHeadersDir", out var d) && !string.IsNullOrWhiteSpace(d) ? RepositoryRoot(d) : null);

        var markers = context.SyntaxProvider
            .ForAttributeWithMetadataName(MarkerParser.AttributeName,
                static (_, _) => true,
                static (ctx, ct) => MarkerParser.Parse(ctx, ct))
            .WithTrackingName(Steps.Markers);

        var table = markers.Collect()
            .Select(static (all, _) => all.SelectMany(a => a).ToEquatableArray())
            .WithTrackingName(Steps.Table);

        // Only where the consuming type exists (the Emu assembly), so other projects stay untouched.
        var hasManifest = context.CompilationProvider
            .Select(static (c, _) => c.GetTypeByMetadataName("Emu.Upstream.UpstreamMarker") is not null);

        context.RegisterSourceOutput(table.Combine(root).Combine(hasManifest), static (spc, input) =>
        {
            if (!input.Right) return;
            spc.AddSource(MarkerEmitter.HintName, MarkerEmitter.Emit(input.Left.Left, input.Left.Right));
        });
    }

    // headers/ sits at the repository root.
    private static string RepositoryRoot(string headersDir)
    {
        var d = System.IO.Path.GetFullPath(headersDir).Replace('\\', '/').TrimEnd('/');
        int slash = d.LastIndexOf('/');
        return slash < 0 ? "" : d.Substring(0, slash + 1);
    }
}
