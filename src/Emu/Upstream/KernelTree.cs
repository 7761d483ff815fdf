using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Emu.Upstream;

/// <summary>
/// A kernel source tree on disk (Debian's linux-source, a git checkout ...), read lazily: file texts
/// are cached, and the whole tree is enumerated only when a function has to be looked for elsewhere.
/// </summary>
public sealed class KernelTree
{
    // Where Emu's upstream code and structs come from; tools/ and Documentation/ are not searched.
    private static readonly string[] SearchRoots = ["mm", "include", "lib", "kernel", "arch/x86"];

    private readonly ConcurrentDictionary<string, string?> texts = new(StringComparer.Ordinal);
    private readonly Lazy<string[]> allFiles;

    public KernelTree(string root)
    {
        Root = Path.GetFullPath(root);
        allFiles = new Lazy<string[]>(() => SearchRoots
            .Select(r => Path.Combine(Root, r))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".h", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToArray());
    }

    /// <summary>Absolute path of the tree.</summary>
    public string Root { get; }

    /// <summary>The text of <paramref name="file"/> (relative to the tree), or null when it does not exist.</summary>
    public string? Read(string file) => texts.GetOrAdd(file, f =>
    {
        var path = Path.Combine(Root, f);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    });

    /// <summary>Files other than <paramref name="except"/> that define function <paramref name="name"/>.</summary>
    public IReadOnlyList<string> FindFunction(string name, string except) =>
        Search(name, except, text => UpstreamSource.ExtractFunctionBody(text, name) is not null);

    /// <summary>Files other than <paramref name="except"/> that <c>#define</c> <paramref name="name"/>.</summary>
    public IReadOnlyList<string> FindMacro(string name, string except) =>
        Search(name, except, text => UpstreamSource.ExtractMacro(text, name) is not null);

    /// <summary>Files other than <paramref name="except"/> that define <c>struct <paramref name="name"/></c>.</summary>
    public IReadOnlyList<string> FindStruct(string name, string except) =>
        Search(name, except, text => CStructs.Find(text, name) is not null);

    private List<string> Search(string name, string except, Func<string, bool> defines)
    {
        var found = new List<string>();
        foreach (var f in allFiles.Value)
        {
            if (f == except) continue;
            var text = Read(f);
            if (text is not null && text.Contains(name, StringComparison.Ordinal) && defines(text))
                found.Add(f);
        }
        return found;
    }

    /// <summary>The tree tools/setup.sh unpacks: $EMU_LINUX_SRC or ~/.cache/emu/linux-source-6.12.</summary>
    public static string PinnedPath() =>
        Environment.GetEnvironmentVariable("EMU_LINUX_SRC") is { Length: > 0 } env
            ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "emu", "linux-source-6.12");
}
