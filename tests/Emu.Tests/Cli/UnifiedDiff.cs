using System;
using System.Text;
using DiffPlex;

namespace Emu.Tests.Cli;

/// <summary>A unified diff (3 lines of context) of two texts, for readable oracle mismatches.</summary>
internal static class UnifiedDiff
{
    public static string Create(string expected, string actual, string expectedLabel, string actualLabel, int context = 3)
    {
        var result = new Differ().CreateLineDiffs(expected, actual, ignoreWhitespace: false);
        var a = result.PiecesOld;
        var b = result.PiecesNew;
        var sb = new StringBuilder();
        sb.Append("--- ").AppendLine(expectedLabel);
        sb.Append("+++ ").AppendLine(actualLabel);
        int i = 0;
        while (i < result.DiffBlocks.Count)
        {
            // Merge blocks whose context windows touch into one hunk.
            int j = i;
            while (j + 1 < result.DiffBlocks.Count &&
                   result.DiffBlocks[j + 1].DeleteStartA - (result.DiffBlocks[j].DeleteStartA + result.DiffBlocks[j].DeleteCountA) <= 2 * context)
                j++;
            var first = result.DiffBlocks[i];
            var last = result.DiffBlocks[j];
            int startA = Math.Max(0, first.DeleteStartA - context);
            int startB = Math.Max(0, first.InsertStartB - context);
            int endA = Math.Min(a.Length, last.DeleteStartA + last.DeleteCountA + context);
            int endB = Math.Min(b.Length, last.InsertStartB + last.InsertCountB + context);
            sb.Append($"@@ -{startA + 1},{endA - startA} +{startB + 1},{endB - startB} @@\n");
            int posA = startA;
            for (int k = i; k <= j; k++)
            {
                var block = result.DiffBlocks[k];
                for (; posA < block.DeleteStartA; posA++)
                    sb.Append(' ').Append(a[posA]).Append('\n');
                for (int d = 0; d < block.DeleteCountA; d++)
                    sb.Append('-').Append(a[block.DeleteStartA + d]).Append('\n');
                for (int n = 0; n < block.InsertCountB; n++)
                    sb.Append('+').Append(b[block.InsertStartB + n]).Append('\n');
                posA = block.DeleteStartA + block.DeleteCountA;
            }
            for (; posA < endA; posA++)
                sb.Append(' ').Append(a[posA]).Append('\n');
            i = j + 1;
        }
        return sb.ToString();
    }
}
