using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Emu.Patches;

/// <summary>A patch that cannot be read, with the 1-based line of the input where reading failed.</summary>
public sealed class PatchFormatException(int line, string message) : FormatException($"line {line}: {message}")
{
    /// <summary>1-based line of the patch text.</summary>
    public int Line { get; } = line;
}

/// <summary>What a hunk line does.</summary>
public enum HunkLineKind { Context, Removed, Added }

/// <summary>One line of a hunk, with its line numbers in the old and new file (0 where it has none).</summary>
/// <param name="Kind">context, removed or added</param>
/// <param name="Text">the line without its leading marker</param>
/// <param name="OldLine">1-based line in the old file (context and removed lines)</param>
/// <param name="NewLine">1-based line in the new file (context and added lines)</param>
/// <param name="PatchLine">1-based line of the patch text</param>
public sealed record HunkLine(HunkLineKind Kind, string Text, int OldLine, int NewLine, int PatchLine);

/// <summary>One <c>@@ -a,b +c,d @@ context</c> hunk.</summary>
/// <param name="HeaderContext">the text after the second <c>@@</c> (the nearest function line before the hunk, as diff guesses it)</param>
public sealed record Hunk(int OldStart, int OldCount, int NewStart, int NewCount, string HeaderContext, int PatchLine, IReadOnlyList<HunkLine> Lines);

/// <summary>The changes of one file. Paths have git's a/ and b/ prefixes removed; /dev/null stays.</summary>
public sealed record FileDiff(string OldPath, string NewPath, IReadOnlyList<Hunk> Hunks)
{
    /// <summary>The path to look the old text up under (the new path for a created file).</summary>
    public string Path => OldPath == "/dev/null" ? NewPath : OldPath;
}

/// <summary>One patch: an mbox message (or the whole input for a plain diff) and the files it changes.</summary>
/// <param name="Subject">the Subject header with its [PATCH ...] tag removed, or null for a plain diff</param>
/// <param name="MessageId">the Message-ID without angle brackets, or null</param>
public sealed record KernelPatch(string? Subject, string? MessageId, string? From, IReadOnlyList<FileDiff> Files);

/// <summary>
/// Reads <c>git format-patch</c> output, an mbox of several messages, or a plain unified diff
/// (<c>diff -u</c>, <c>git diff</c>). Hunk line counts are checked against the header, so a patch
/// cut short or mangled by a mailer is rejected with the line where it stops making sense.
/// </summary>
public static partial class PatchParser
{
    [GeneratedRegex(@"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$")]
    private static partial Regex HunkHeader();

    [GeneratedRegex(@"^\s*\[[^\]]*PATCH[^\]]*\]\s*", RegexOptions.IgnoreCase)]
    private static partial Regex PatchTag();

    /// <summary>Parses <paramref name="text"/>; throws <see cref="PatchFormatException"/> when it is malformed or holds no diff.</summary>
    public static IReadOnlyList<KernelPatch> Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (lines.Length > 0 && lines[^1].Length == 0)
            lines = lines[..^1];
        var patches = new List<KernelPatch>();
        // Message boundaries: mbox "From " lines at the start of a line that precede a header block.
        var starts = new List<int>();
        for (int i = 0; i < lines.Length; i++)
            if (lines[i].StartsWith("From ", StringComparison.Ordinal) && (i == 0 || lines[i - 1].Length == 0) && i + 1 < lines.Length && IsHeaderLine(lines[i + 1]))
                starts.Add(i);
        if (starts.Count == 0 || starts[0] != 0 && HasDiffBefore(lines, starts[0]))
            starts.Insert(0, 0);
        for (int s = 0; s < starts.Count; s++)
        {
            int end = s + 1 < starts.Count ? starts[s + 1] : lines.Length;
            var patch = ParseMessage(lines, starts[s], end);
            if (patch.Files.Count > 0)
                patches.Add(patch);
        }
        if (patches.Count == 0)
            throw new PatchFormatException(lines.Length == 0 ? 1 : lines.Length, "no diff found (expected '--- a/FILE', '+++ b/FILE' and '@@' hunks)");
        return patches;
    }

    private static bool IsHeaderLine(string l) => Regex.IsMatch(l, @"^[A-Za-z][A-Za-z0-9-]*: ");

    private static bool HasDiffBefore(string[] lines, int end)
    {
        for (int i = 0; i < end; i++)
            if (lines[i].StartsWith("@@ ", StringComparison.Ordinal) || lines[i].StartsWith("diff ", StringComparison.Ordinal))
                return true;
        return false;
    }

    private static KernelPatch ParseMessage(string[] lines, int start, int end)
    {
        int i = start;
        string? subject = null, messageId = null, from = null;
        if (lines[i].StartsWith("From ", StringComparison.Ordinal) || IsHeaderLine(lines[i]))
        {
            if (lines[i].StartsWith("From ", StringComparison.Ordinal) && !lines[i].StartsWith("From: ", StringComparison.Ordinal))
                i++;
            // RFC 822 headers, folded lines joined.
            var headers = new List<(string Name, StringBuilder Value)>();
            for (; i < end && lines[i].Length > 0; i++)
            {
                var l = lines[i];
                if ((l[0] == ' ' || l[0] == '\t') && headers.Count > 0)
                    headers[^1].Value.Append(' ').Append(l.Trim());
                else if (l.IndexOf(':') is > 0 and var colon)
                    headers.Add((l[..colon].Trim(), new StringBuilder(l[(colon + 1)..].Trim())));
                else
                    break;
            }
            foreach (var (name, value) in headers)
            {
                var v = value.ToString();
                switch (name.ToLowerInvariant())
                {
                    case "subject": subject = PatchTag().Replace(v, ""); break;
                    case "message-id": messageId = v.Trim().TrimStart('<').TrimEnd('>'); break;
                    case "from": from = v; break;
                }
            }
        }
        var files = new List<FileDiff>();
        while (i < end)
        {
            var l = lines[i];
            if (l.StartsWith("--- ", StringComparison.Ordinal) && i + 1 < end && lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal))
            {
                var oldPath = StripPath(l[4..]);
                var newPath = StripPath(lines[i + 1][4..]);
                i += 2;
                var hunks = new List<Hunk>();
                while (i < end && lines[i].StartsWith("@@", StringComparison.Ordinal))
                    hunks.Add(ParseHunk(lines, ref i, end));
                if (hunks.Count == 0)
                    throw new PatchFormatException(i + 1, $"'{Clip(i < end ? lines[i] : "end of input")}': expected a '@@ -a,b +c,d @@' hunk header after the file header of {newPath}");
                files.Add(new FileDiff(oldPath, newPath, hunks));
                continue;
            }
            if (l.StartsWith("@@", StringComparison.Ordinal))
                throw new PatchFormatException(i + 1, HunkHeader().IsMatch(l)
                    ? "hunk outside a file: no '--- a/FILE' / '+++ b/FILE' header before it"
                    : $"'{Clip(l)}': not a hunk header (expected '@@ -a,b +c,d @@')");
            if (l.StartsWith("+++ ", StringComparison.Ordinal))
                throw new PatchFormatException(i + 1, "'+++' file header without the '---' line before it");
            i++;
        }
        return new KernelPatch(subject, messageId, from, files);
    }

    private static Hunk ParseHunk(string[] lines, ref int i, int end)
    {
        int headerLine = i + 1;
        var m = HunkHeader().Match(lines[i]);
        if (!m.Success)
            throw new PatchFormatException(headerLine, $"'{Clip(lines[i])}': not a hunk header (expected '@@ -a,b +c,d @@')");
        int oldStart = Int(m.Groups[1], headerLine), oldCount = m.Groups[2].Success ? Int(m.Groups[2], headerLine) : 1;
        int newStart = Int(m.Groups[3], headerLine), newCount = m.Groups[4].Success ? Int(m.Groups[4], headerLine) : 1;
        var context = m.Groups[5].Value.Trim();
        i++;
        var body = new List<HunkLine>();
        int o = oldStart, n = newStart, seenOld = 0, seenNew = 0;
        while (seenOld < oldCount || seenNew < newCount)
        {
            if (i >= end)
                throw new PatchFormatException(i + 1,
                    $"hunk at line {headerLine} ends early: header promises {oldCount} old and {newCount} new lines, found {seenOld} and {seenNew}");
            var l = lines[i];
            // Mailers drop the space of an empty context line; git apply accepts that too.
            char kind = l.Length == 0 ? ' ' : l[0];
            switch (kind)
            {
                case ' ':
                    body.Add(new HunkLine(HunkLineKind.Context, l.Length == 0 ? "" : l[1..], o++, n++, i + 1));
                    seenOld++; seenNew++;
                    break;
                case '-':
                    body.Add(new HunkLine(HunkLineKind.Removed, l[1..], o++, 0, i + 1));
                    seenOld++;
                    break;
                case '+':
                    body.Add(new HunkLine(HunkLineKind.Added, l[1..], 0, n++, i + 1));
                    seenNew++;
                    break;
                case '\\':
                    break;
                default:
                    throw new PatchFormatException(i + 1,
                        $"'{Clip(l)}' inside the hunk at line {headerLine}: a hunk line starts with ' ', '-' or '+' (header promises {oldCount} old and {newCount} new lines, found {seenOld} and {seenNew})");
            }
            if (seenOld > oldCount || seenNew > newCount)
                throw new PatchFormatException(i + 1, $"hunk at line {headerLine} is longer than its header says ({oldCount} old, {newCount} new lines)");
            i++;
        }
        if (i < end && lines[i].StartsWith('\\'))
            i++;
        // A '+'/'-' line right after the counted lines means the header undercounts (format-patch's "-- " trailer is not one).
        if (i < end && lines[i].Length > 0 && (lines[i][0] == '+' || lines[i][0] == '-') && lines[i] != "-- " &&
            !lines[i].StartsWith("--- ", StringComparison.Ordinal) && !lines[i].StartsWith("+++ ", StringComparison.Ordinal))
            throw new PatchFormatException(i + 1, $"'{Clip(lines[i])}': hunk at line {headerLine} is longer than its header says ({oldCount} old, {newCount} new lines)");
        return new Hunk(oldStart, oldCount, newStart, newCount, context, headerLine, body);
    }

    private static int Int(Group g, int line) =>
        int.TryParse(g.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new PatchFormatException(line, $"hunk header number '{g.Value}' out of range");

    private static string StripPath(string p)
    {
        int tab = p.IndexOf('\t');
        if (tab >= 0) p = p[..tab];
        p = p.Trim();
        if (p == "/dev/null") return p;
        if (p.StartsWith("a/", StringComparison.Ordinal) || p.StartsWith("b/", StringComparison.Ordinal)) return p[2..];
        return p;
    }

    private static string Clip(string l) => l.Length > 60 ? l[..60] + "..." : l;
}
