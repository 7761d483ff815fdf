// SPDX-License-Identifier: GPL-2.0-only
// Stub: mm/vmscan.c. Emu runs no reclaim; MGLRU is off (see include/linux/mm_inline.cs), so its
// look-around is never reached.
using System;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    internal bool lru_gen_look_around(page_vma_mapped_walk* pvmw) =>
        throw new NotSupportedException("Emu runs without MGLRU: lru_gen_look_around");
}
