using System;
using System.Collections.Generic;
using System.Text;

namespace Emu.Generators.Tests.Robustness;

/// <summary>Seeded mutations of header text: truncation, deleted and duplicated spans, random bytes, swapped lines.</summary>
internal sealed class HeaderMutator
{
    private static readonly string[] Junk = { "{", "}", "(", ")", ";", "#", "\"", "'", "\\", "/*", "*/", "##", "#if 1\n", "#endif\n", "#define X(", ":", "[", "]", ",", "...", "\u00e9", "\0", "@", "`", "0x", "1ULL<<99", "sizeof(", "__attribute__((", "struct", "union", "enum", "typedef" };

    private readonly Random _random;

    public HeaderMutator(int seed) => _random = new Random(seed);

    public (string Kind, string Text) Mutate(string text)
    {
        if (text.Length == 0)
            return ("insert", Junk[_random.Next(Junk.Length)]);
        int at = _random.Next(text.Length);
        switch (_random.Next(7))
        {
            case 0:
                return ("truncate", text.Substring(0, at));
            case 1:
                return ("delete", text.Remove(at, Math.Min(text.Length - at, 1 + _random.Next(40))));
            case 2:
            {
                int len = Math.Min(text.Length - at, 1 + _random.Next(200));
                return ("duplicate", text.Insert(at, text.Substring(at, len)));
            }
            case 3:
            {
                var bytes = new StringBuilder();
                for (int i = 0, n = 1 + _random.Next(8); i < n; i++)
                    bytes.Append((char)_random.Next(0, 256));
                return ("random bytes", text.Insert(at, bytes.ToString()));
            }
            case 4:
                return ("junk token", text.Insert(at, Junk[_random.Next(Junk.Length)]));
            case 5:
            {
                var lines = new List<string>(text.Split('\n'));
                int a = _random.Next(lines.Count), b = _random.Next(lines.Count);
                (lines[a], lines[b]) = (lines[b], lines[a]);
                return ("swap lines", string.Join("\n", lines));
            }
            default:
            {
                // Delete one whole token-ish word: the mutation most like a real editing slip.
                int start = at;
                while (start > 0 && char.IsLetterOrDigit(text[start - 1])) start--;
                int end = at;
                while (end < text.Length && char.IsLetterOrDigit(text[end])) end++;
                return ("delete word", text.Remove(start, Math.Max(1, end - start)));
            }
        }
    }

    public int Pick(int count) => _random.Next(count);
}
