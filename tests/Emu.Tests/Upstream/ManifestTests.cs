using System.IO;
using System.Linq;
using System.Reflection;
using Emu.Kernel;
using Emu.Upstream;
using NUnit.Framework;

namespace Emu.Tests.Upstream;

/// <summary>The build-time marker manifest: complete, and each entry points at its marker in the C# source.</summary>
public class ManifestTests
{
    private static string RepositoryRoot() => Path.GetDirectoryName(StructDrift.FindHeaders(TestContext.CurrentContext.TestDirectory)!)!;

    [Test]
    public void HoldsEveryMarkerReflectionSees()
    {
        var reflected = typeof(UpstreamAttribute).Assembly.GetTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).Prepend(t))
            .SelectMany(m => m.GetCustomAttributes<UpstreamAttribute>())
            .Select(a => (a.File, a.Function, a.Definition, a.BodyHash))
            .OrderBy(x => x).ToList();
        var manifest = UpstreamManifest.All.Select(m => (m.File, m.Function, m.Definition, m.Hash)).OrderBy(x => x).ToList();
        Assert.That(manifest, Is.EqualTo(reflected));
    }

    [Test]
    public void EachSourceMarkerSitsAtItsFileAndLine()
    {
        var root = RepositoryRoot();
        var source = UpstreamManifest.All.Where(m => m.Line > 0).ToList();
        Assert.That(source, Has.Count.GreaterThan(500));
        foreach (var m in source)
        {
            var lines = File.ReadAllLines(Path.Combine(root, m.SourceFile));
            Assert.That(lines[m.Line - 1], Does.Contain($"[Upstream(\"{m.File}\", \"{m.Function}\""), m.Location);
        }
    }

    [Test]
    public void StubsAreFlaggedAndTransliterationsAreNot()
    {
        // src/Emu/Kernel/mm/swap_state.cs says "Stub:" above its class; lib/rbtree.cs is a line-by-line transliteration.
        Assert.That(UpstreamManifest.All.Single(m => m.Function == "swap_address_space").Stub, Is.True);
        Assert.That(UpstreamManifest.All.Where(m => m.File == "lib/rbtree.c").Select(m => m.Stub), Is.All.False);
    }
}
