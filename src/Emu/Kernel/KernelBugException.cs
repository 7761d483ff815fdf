using System;

namespace Emu.Kernel;

/// <summary>
/// A BUG()/BUG_ON()/VM_BUG_ON*() fired in the emulated kernel: the machine's kernel state is no
/// longer trustworthy. The message is the oops text: where it fired and any dump printed for it.
/// </summary>
public sealed class KernelBugException : Exception
{
    public KernelBugException(string message) : base(message)
    {
    }
}

/// <summary>A WARN_ON*() that fired: the condition text and where, as the kernel's splat names it.</summary>
public sealed record KernelWarning(string Condition, string File, int Line, string? Message)
{
    public override string ToString() =>
        $"WARNING: at {File}:{Line}: {Condition}{(Message is null ? "" : ": " + Message)}";
}
