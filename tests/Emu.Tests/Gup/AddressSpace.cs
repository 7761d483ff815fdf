using System;
using NUnit.Framework;

namespace Emu.Tests.Gup;

/// <summary>Runs a GUP scenario that needs processes, or ignores it visibly when it reaches an area that is still a stub.</summary>
internal static class AddressSpace
{
    public static void Run(Action scenario)
    {
        try
        {
            scenario();
        }
        catch (NotImplementedException e)
        {
            // Only cross-area stubs throw NotImplementedException (the brief's stub convention).
            Assert.Ignore($"reaches a stubbed area: {e.Message}");
        }
    }

    /// <summary>The pfn of a present pagemap entry (fs/proc/task_mmu.c: PM_PFRAME_MASK, bits 0-54), or null.</summary>
    public static ulong? Pfn(Process p, ulong address)
    {
        ulong e = p.ReadPagemap(address);
        return (e & (1UL << 63)) != 0 ? e & ((1UL << 55) - 1) : null;
    }
}
