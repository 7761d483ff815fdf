using System;

namespace Emu.Variants;

/// <summary>
/// Marks a kernel variant: a class deriving from the kernel (or from the variant of the patch before it in
/// the same series) that overrides exactly the transliterated functions a patch under review changes.
/// </summary>
/// <param name="subject">the patch's subject, without the [PATCH] tag</param>
/// <param name="messageId">its Message-ID, without angle brackets</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class KernelPatchAttribute(string subject, string messageId) : Attribute
{
    public string Subject { get; } = subject;
    public string MessageId { get; } = messageId;

    /// <summary>The upstream functions the patch changes, as <c>file:function</c>.</summary>
    public string[] Touches { get; init; } = [];
}
