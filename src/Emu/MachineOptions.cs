namespace Emu;

/// <summary>How to build a <see cref="Machine"/>.</summary>
public sealed record MachineOptions
{
    /// <summary>The largest emulated RAM (64 GiB).</summary>
    public const ulong MaxMemoryBytes = 64UL << 30;

    /// <summary>Emulated RAM in bytes: a positive multiple of 4 KiB, at most 64 GiB. Default 256 MiB.</summary>
    public ulong MemoryBytes { get; init; } = 256UL << 20;

    /// <summary>Seed for everything the machine decides pseudo-randomly.</summary>
    public ulong Seed { get; init; }
}
