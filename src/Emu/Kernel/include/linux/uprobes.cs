// SPDX-License-Identifier: GPL-2.0-only
// Stub of the uprobes subsystem (include/linux/uprobes.h, kernel/events/uprobes.c): Emu registers no
// uprobes, so the mm hooks do what they do with none registered: nothing.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    internal static void uprobe_start_dup_mmap() { }

    internal static void uprobe_end_dup_mmap() { }

    internal static void uprobe_dup_mmap(mm_struct* oldmm, mm_struct* newmm) { }

    internal static void uprobe_clear_state(mm_struct* mm) { }
}
