using System;

namespace Emu;

/// <summary>mmap/mprotect protection bits (uapi/asm-generic/mman-common.h PROT_*).</summary>
[Flags]
public enum Protection : ulong
{
    None = 0x0,
    Read = 0x1,
    Write = 0x2,
    Exec = 0x4,
    ReadWrite = Read | Write,
    GrowsDown = 0x01000000,
    GrowsUp = 0x02000000,
}

/// <summary>mmap flags (uapi/asm-generic/mman-common.h, mman.h and x86's MAP_32BIT).</summary>
[Flags]
public enum MapFlags : ulong
{
    Shared = 0x01,
    Private = 0x02,
    SharedValidate = 0x03,
    Fixed = 0x10,
    Anonymous = 0x20,
    Bit32 = 0x40,
    GrowsDown = 0x0100,
    DenyWrite = 0x0800,
    Executable = 0x1000,
    Locked = 0x2000,
    NoReserve = 0x4000,
    Populate = 0x8000,
    NonBlock = 0x10000,
    Stack = 0x20000,
    HugeTlb = 0x40000,
    Sync = 0x80000,
    FixedNoReplace = 0x100000,
    Uninitialized = 0x4000000,
}

/// <summary>madvise advice (uapi/asm-generic/mman-common.h MADV_*).</summary>
public enum Advice
{
    Normal = 0,
    Random = 1,
    Sequential = 2,
    WillNeed = 3,
    DontNeed = 4,
    Free = 8,
    Remove = 9,
    DontFork = 10,
    DoFork = 11,
    Mergeable = 12,
    Unmergeable = 13,
    HugePage = 14,
    NoHugePage = 15,
    DontDump = 16,
    DoDump = 17,
    WipeOnFork = 18,
    KeepOnFork = 19,
    Cold = 20,
    PageOut = 21,
    PopulateRead = 22,
    PopulateWrite = 23,
    DontNeedLocked = 24,
    Collapse = 25,
    HwPoison = 100,
    SoftOffline = 101,
}
