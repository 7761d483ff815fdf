// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/memory.c: copy_page_range and its per-level helpers (fork).
using System;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // Not yet transliterated (milestone M3).
    internal int copy_page_range(vm_area_struct* dst_vma, vm_area_struct* src_vma) =>
        throw new NotImplementedException("mm/memory.c copy_page_range: not transliterated yet");
}
