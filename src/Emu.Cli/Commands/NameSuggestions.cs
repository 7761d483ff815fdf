using System;
using System.Collections.Generic;
using System.Linq;

namespace Emu.Cli.Commands;

/// <summary>"Did you mean" candidates for a mistyped type name.</summary>
internal static class NameSuggestions
{
    /// <summary>Up to <paramref name="max"/> names that contain the query or are a few edits away, closest first.</summary>
    public static IReadOnlyList<string> Closest(string query, IEnumerable<string> candidates, int max = 5)
    {
        int limit = Math.Max(2, query.Length / 3);
        return candidates
            .Select(c => (Name: c, Score: Score(query, c)))
            .Where(x => x.Score <= limit || x.Name.Contains(query, StringComparison.OrdinalIgnoreCase))
            .OrderBy(x => x.Score)
            .ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(max)
            .Select(x => x.Name)
            .ToList();
    }

    private static int Score(string a, string b) =>
        b.Contains(a, StringComparison.OrdinalIgnoreCase) ? b.Length - a.Length == 0 ? 0 : 1 : Levenshtein(a.ToLowerInvariant(), b.ToLowerInvariant());

    private static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
