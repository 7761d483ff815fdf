using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Emu.Kernel;
using Emu.Upstream;
using NUnit.Framework;

namespace Emu.Tests.Upstream;

/// <summary>Every [Upstream] marker names a function that exists in 6.12.117 with the body it was written from.</summary>
public class MarkerTests
{
    private static IEnumerable<(MemberInfo Member, UpstreamAttribute Marker)> Markers() =>
        typeof(UpstreamAttribute).Assembly.GetTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).Prepend(t))
            .SelectMany(m => m.GetCustomAttributes<UpstreamAttribute>().Select(a => (m, a)));

    [Test]
    public void EveryMarkerMatchesThePinnedTree()
    {
        var tree = PinnedTree.Require();
        var problems = new List<string>();
        int checkedMarkers = 0;
        var sources = new Dictionary<string, string?>();
        foreach (var (member, marker) in Markers())
        {
            var where = $"{member.DeclaringType?.Name}.{member.Name} [{marker.File}:{marker.Function}]";
            checkedMarkers++;
            if (!sources.TryGetValue(marker.File, out var text))
            {
                var path = Path.Combine(tree, marker.File);
                sources[marker.File] = text = File.Exists(path) ? File.ReadAllText(path) : null;
            }
            if (text is null)
            {
                problems.Add($"{where}: no such upstream file");
                continue;
            }
            if (marker.BodyHash == UpstreamAttribute.Macro)
            {
                if (!System.Text.RegularExpressions.Regex.IsMatch(text, $@"#\s*define\s+{marker.Function}\b"))
                    problems.Add($"{where}: no such macro");
                continue;
            }
            var body = UpstreamSource.ExtractFunctionBody(text, marker.Function, marker.Definition);
            if (body is null)
                problems.Add($"{where}: no such function");
            else if (UpstreamSource.BodyHash(body) != marker.BodyHash)
                problems.Add($"{where}: marker {marker.BodyHash}, upstream {UpstreamSource.BodyHash(body)}");
        }
        Assert.That(problems, Is.Empty);
        // The generated page-flag accessors alone carry markers; nothing passes vacuously.
        Assert.That(checkedMarkers, Is.GreaterThan(100));
    }
}
