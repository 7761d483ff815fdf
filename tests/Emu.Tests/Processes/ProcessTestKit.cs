using static Emu.Kernel.KernelConstants;

namespace Emu.Tests.Processes;

/// <summary>What the process-level tests share: a checked machine, anonymous mappings, pagemap bits.</summary>
internal static class ProcessTestKit
{
    public const ulong Page = PAGE_SIZE;

    // /proc/pid/pagemap entry bits (fs/proc/task_mmu.c PM_*).
    public const ulong PmPresent = 1UL << 63, PmExclusive = 1UL << 56, PmPfnMask = (1UL << 55) - 1;

    /// <summary>A 64 MiB machine with the invariant checker on.</summary>
    public static Machine NewMachine() => new(new MachineOptions { MemoryBytes = 64UL << 20, CheckInvariants = true });

    /// <summary>mmap of <paramref name="pages"/> private anonymous read-write pages.</summary>
    public static ulong Anon(Emu.Process p, ulong pages) =>
        p.Mmap(pages * Page, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);

    public static ulong PfnAt(Emu.Process p, ulong addr) => p.ReadPagemap(addr) & PmPfnMask;

    public static byte ReadByte(Emu.Process p, ulong addr)
    {
        var b = new byte[1];
        p.Read(addr, b);
        return b[0];
    }
}
