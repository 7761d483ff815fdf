using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Emu.Kernel;

namespace Emu.Upstream;

/// <summary>
/// Every <c>[Upstream]</c> marker of the Emu assembly. The table of hand-written markers is collected
/// at build time (generators/Emu.Generators/Markers); markers on members that another source generator
/// writes (the page-flag accessors the header generator emits) are invisible to that step, since
/// generators do not see each other's output, so they are added here by reflection, located as
/// <c>(generated)</c>.
/// </summary>
public static partial class UpstreamManifest
{
    private static partial UpstreamMarker[] SourceMarkers();

    private static readonly Lazy<IReadOnlyList<UpstreamMarker>> all = new(Build);

    /// <summary>All markers, ordered by upstream file, function and definition.</summary>
    public static IReadOnlyList<UpstreamMarker> All => all.Value;

    private static IReadOnlyList<UpstreamMarker> Build()
    {
        var source = SourceMarkers();
        // Per upstream key, the markers reflection finds beyond the table's are the generated ones.
        var counts = new Dictionary<(string, string, int, string), int>();
        foreach (var m in source)
            counts[(m.File, m.Function, m.Definition, m.Hash)] = counts.GetValueOrDefault((m.File, m.Function, m.Definition, m.Hash)) + 1;
        var generated = new List<UpstreamMarker>();
        foreach (var type in typeof(UpstreamAttribute).Assembly.GetTypes())
        {
            var members = type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Prepend<MemberInfo>(type);
            foreach (var member in members)
            foreach (var a in member.GetCustomAttributes<UpstreamAttribute>())
            {
                var key = (a.File, a.Function, a.Definition, a.BodyHash);
                if (counts.TryGetValue(key, out var n) && n > 0)
                {
                    counts[key] = n - 1;
                    continue;
                }
                var name = member is Type t ? t.Name : $"{member.DeclaringType?.Name}.{member.Name}";
                generated.Add(new UpstreamMarker(a.File, a.Function, a.BodyHash, a.Definition, false, name, "(generated)", 0));
            }
        }
        return source.Concat(generated)
            .OrderBy(m => m.File, StringComparer.Ordinal)
            .ThenBy(m => m.Function, StringComparer.Ordinal)
            .ThenBy(m => m.Definition)
            .ToArray();
    }
}
