using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;

namespace Emu.Kernel;

// include/asm-generic/bug.h and printk: BUG() throws, WARN() is recorded on the machine, printk
// lines go to the kernel log. Caller file and line stand in for the kernel's __FILE__/__LINE__.
public unsafe partial class Kernel
{
    private readonly List<string> _log = new();
    private readonly List<KernelWarning> _warnings = new();
    private readonly HashSet<(string, int)> _warnedOnce = new();

    /// <summary>Lines printed by the kernel (printk), oldest first.</summary>
    internal IReadOnlyList<string> KernelLog { get { lock (_log) return _log.ToArray(); } }

    /// <summary>Every WARN that fired, in order.</summary>
    internal IReadOnlyList<KernelWarning> Warnings { get { lock (_log) return _warnings.ToArray(); } }

    internal void printk(string line)
    {
        lock (_log)
            _log.Add(line);
    }

    internal void pr_err(string line) => printk(line);

    internal void pr_warn(string line) => printk(line);

    internal void pr_alert(string line) => printk(line);

    internal void pr_info(string line) => printk(line);

    internal void pr_emerg(string text)
    {
        foreach (var line in text.Split('\n'))
            printk(line);
    }

    /// <summary>How many lines the log holds: a mark for <see cref="BUG"/> to quote what was printed after it.</summary>
    internal int LogMark { get { lock (_log) return _log.Count; } }

    [Upstream("include/asm-generic/bug.h", "BUG", UpstreamAttribute.Macro)]
    internal void BUG(int logMark = -1, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var text = $"kernel BUG at {Path.GetFileName(file)}:{line}!";
        pr_err(text);
        if (logMark >= 0)
        {
            // The dump printed since the mark, ending with the line just printed.
            lock (_log)
                text = string.Join("\n", _log.GetRange(logMark, _log.Count - logMark));
        }
        throw new KernelBugException(text);
    }

    [Upstream("include/asm-generic/bug.h", "BUG_ON", UpstreamAttribute.Macro)]
    internal void BUG_ON(bool condition, [CallerArgumentExpression(nameof(condition))] string expr = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (condition)
            BUG(-1, file, line);
    }

    [Upstream("include/asm-generic/bug.h", "WARN_ON", UpstreamAttribute.Macro)]
    internal bool WARN_ON(bool condition, [CallerArgumentExpression(nameof(condition))] string expr = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (condition)
            Warn(expr, null, file, line);
        return condition;
    }

    [Upstream("include/asm-generic/bug.h", "WARN_ON_ONCE", UpstreamAttribute.Macro)]
    internal bool WARN_ON_ONCE(bool condition, [CallerArgumentExpression(nameof(condition))] string expr = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (condition && FirstTime(file, line))
            Warn(expr, null, file, line);
        return condition;
    }

    [Upstream("include/asm-generic/bug.h", "WARN", UpstreamAttribute.Macro)]
    internal bool WARN(bool condition, string message, [CallerArgumentExpression(nameof(condition))] string expr = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (condition)
            Warn(expr, message, file, line);
        return condition;
    }

    [Upstream("include/asm-generic/bug.h", "WARN_ONCE", UpstreamAttribute.Macro)]
    internal bool WARN_ONCE(bool condition, string message, [CallerArgumentExpression(nameof(condition))] string expr = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (condition && FirstTime(file, line))
            Warn(expr, message, file, line);
        return condition;
    }

    private bool FirstTime(string file, int line)
    {
        lock (_log)
            return _warnedOnce.Add((file, line));
    }

    private void Warn(string expr, string? message, string file, int line)
    {
        var warning = new KernelWarning(expr, Path.GetFileName(file), line, message);
        lock (_log)
        {
            _warnings.Add(warning);
            _log.Add(warning.ToString());
        }
    }
}
