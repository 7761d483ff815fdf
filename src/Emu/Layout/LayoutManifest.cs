using System;
using System.Collections.Generic;

namespace Emu.Layout;

/// <summary>
/// Sizes and offsets of every header struct for every ABI, emitted at build time by the
/// generator (the generated half of this partial class fills <see cref="Build"/>).
/// </summary>
public static partial class LayoutManifest
{
    private static readonly Dictionary<Abi, IReadOnlyDictionary<string, TypeLayout>> Cache = new();

    /// <summary>All top-level types laid out for <paramref name="abi"/>, keyed by <see cref="TypeLayout.Name"/>.</summary>
    public static IReadOnlyDictionary<string, TypeLayout> For(Abi abi)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(abi, out var types))
            {
                var map = new Dictionary<string, TypeLayout>(StringComparer.Ordinal);
                foreach (var t in Build(abi))
                    map[t.Name] = t;
                Cache[abi] = types = map;
            }
            return types;
        }
    }

    /// <summary>Finds a type by <c>page</c>, <c>struct page</c> or <c>union foo</c>; null when absent.</summary>
    public static TypeLayout? Find(Abi abi, string name)
    {
        var key = name.Trim();
        foreach (var prefix in new[] { "struct ", "union " })
            if (key.StartsWith(prefix, StringComparison.Ordinal))
                key = key.Substring(prefix.Length).Trim();
        return For(abi).TryGetValue(key, out var t) ? t : null;
    }

    private static partial IEnumerable<TypeLayout> Build(Abi abi);
}
