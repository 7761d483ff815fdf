using System;
using static Emu.Kernel.KernelConstants;

namespace Emu;

/// <summary>
/// How pages are taken by <see cref="Process.Pin"/> and <see cref="Process.Get"/>: the FOLL_*
/// flags a caller may pass to get_user_pages/pin_user_pages (include/linux/mm_types.h), plus
/// <see cref="Fast"/>, which picks the GUP-fast entry point.
/// </summary>
[Flags]
public enum PinFlags : uint
{
    None = 0,
    /// <summary>FOLL_WRITE: the caller will write to the pages (breaks COW first).</summary>
    Write = FOLL_WRITE,
    /// <summary>FOLL_FORCE: as ptrace, may read unreadable and write read-only private mappings.</summary>
    Force = FOLL_FORCE,
    /// <summary>FOLL_NOFAULT: never fault pages in; stop at the first one not present.</summary>
    NoFault = FOLL_NOFAULT,
    /// <summary>FOLL_LONGTERM: the pin may last indefinitely (only with pins).</summary>
    Longterm = FOLL_LONGTERM,
    /// <summary>FOLL_HONOR_NUMA_FAULT: NUMA-hinting entries fault instead of being followed.</summary>
    HonorNumaFault = FOLL_HONOR_NUMA_FAULT,
    /// <summary>Use pin_user_pages_fast/get_user_pages_fast (lockless walk, then the slow path).</summary>
    Fast = 1u << 31,
}
