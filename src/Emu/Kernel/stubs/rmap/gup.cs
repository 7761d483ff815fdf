// SPDX-License-Identifier: GPL-2.0-only
// Stub(gup): include/linux/mm.h's folio_needs_cow_for_dma, until the gup area lands on main.
// The body is upstream's (trivial and right).
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(gup)
    internal bool folio_needs_cow_for_dma(vm_area_struct* vma, folio* folio)
    {
        // Only called from fork with write_protect_seq held for writing (odd).
        VM_BUG_ON((vma->vm_mm->write_protect_seq.sequence & 1) == 0);

        if (!test_bit(MMF_HAS_PINNED, &vma->vm_mm->flags))
            return false;

        return folio_maybe_dma_pinned(folio);
    }
}
