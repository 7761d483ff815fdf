namespace Emu;

/// <summary>How to build a <see cref="Machine"/>.</summary>
public sealed record MachineOptions
{
    /// <summary>The largest emulated RAM (64 GiB).</summary>
    public const ulong MaxMemoryBytes = 64UL << 30;

    /// <summary>Emulated RAM in bytes: a positive multiple of 4 KiB, at most 64 GiB. Default 256 MiB.</summary>
    public ulong MemoryBytes { get; init; } = 256UL << 20;

    /// <summary>The architecture model the kernel runs on.</summary>
    public ArchModel Arch { get; init; } = ArchModel.X86_64;

    /// <summary>Seed for everything the machine decides pseudo-randomly.</summary>
    public ulong Seed { get; init; }

    /// <summary>Dirty 64-byte lines the aliasing D-cache holds before it evicts (<see cref="ArchModel.AliasingVipt"/> only). Default 512 (32 KiB).</summary>
    public int DCacheLines { get; init; } = 512;

    /// <summary>Cache colours (way size / page size) of the aliasing D-cache; a power of two. Default 4.</summary>
    public int DCacheColours { get; init; } = 4;

    /// <summary>Kernel patches under review to run instead of the baseline (<see cref="Variants.KernelVariants.Names"/>); empty: the baseline.</summary>
    public System.Collections.Generic.IReadOnlyList<string> Variants { get; init; } = [];

    /// <summary>Run the invariant checker after every process API call (slow; tests turn it on).</summary>
    public bool CheckInvariants { get; init; }
}

/// <summary>Which architecture's behaviour the machine models.</summary>
public enum ArchModel
{
    /// <summary>x86_64: 4-level page tables, PIPT caches (the flush_* hooks do nothing).</summary>
    X86_64,

    /// <summary>
    /// x86_64's page tables and kernel, with an aliasing VIPT write-back D-cache between user accesses and
    /// memory, as on ARMv6 / mips R4K / parisc (Arch/CacheModels/AliasingDCache.cs has the rules).
    /// </summary>
    AliasingVipt,
}
