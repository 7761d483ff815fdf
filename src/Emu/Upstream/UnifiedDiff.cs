using System;
using System.Collections.Generic;
using System.Text;
using DiffPlex;

namespace Emu.Upstream;

/// <summary>A unified diff (<c>diff -u</c> format, 3 lines of context) between two texts, built on DiffPlex's line diff.</summary>
public static class UnifiedDiff
{
    public static string Create(string oldText, string newText, string oldName, string newName, int context = 3)
    {
        var result = new Differ().CreateLineDiffs(oldText.Replace("\r\n", "\n"), newText.Replace("\r\n", "\n"), ignoreWhitespace: false);
        var a = result.PiecesOld;
        var b = result.PiecesNew;
        var sb = new StringBuilder();
        if (result.DiffBlocks.Count == 0)
            return "";
        sb.Append("--- ").Append(oldName).Append('\n').Append("+++ ").Append(newName).Append('\n');
        // Group blocks whose context would overlap into one hunk.
        var blocks = result.DiffBlocks;
        int i = 0;
        while (i < blocks.Count)
        {
            int j = i;
            while (j + 1 < blocks.Count && blocks[j + 1].DeleteStartA - (blocks[j].DeleteStartA + blocks[j].DeleteCountA) <= 2 * context)
                j++;
            int aStart = Math.Max(0, blocks[i].DeleteStartA - context);
            int bStart = Math.Max(0, blocks[i].InsertStartB - context);
            int aEnd = Math.Min(a.Length, blocks[j].DeleteStartA + blocks[j].DeleteCountA + context);
            int bEnd = Math.Min(b.Length, blocks[j].InsertStartB + blocks[j].InsertCountB + context);
            sb.Append($"@@ -{Range(aStart, aEnd - aStart)} +{Range(bStart, bEnd - bStart)} @@\n");
            int pa = aStart;
            for (int k = i; k <= j; k++)
            {
                var blk = blocks[k];
                for (; pa < blk.DeleteStartA; pa++) sb.Append(' ').Append(a[pa]).Append('\n');
                for (int d = 0; d < blk.DeleteCountA; d++) sb.Append('-').Append(a[blk.DeleteStartA + d]).Append('\n');
                for (int n = 0; n < blk.InsertCountB; n++) sb.Append('+').Append(b[blk.InsertStartB + n]).Append('\n');
                pa = blk.DeleteStartA + blk.DeleteCountA;
            }
            for (; pa < aEnd; pa++) sb.Append(' ').Append(a[pa]).Append('\n');
            i = j + 1;
        }
        return sb.ToString();
    }

    private static string Range(int start, int count) => count == 1 ? $"{start + 1}" : $"{(count == 0 ? start : start + 1)},{count}";

}
