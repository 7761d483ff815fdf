// SPDX-License-Identifier: GPL-2.0-only
// mm/internal.h: the GUP rule for when a read-only pin must first unshare the page.
// The internal FOLL_* flags and INTERNAL_GUP_FLAGS come from headers/mm/internal.h.
using System.Threading;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/internal.h", "gup_must_unshare", "f87f9d0f3888b52d")]
    internal static bool gup_must_unshare(vm_area_struct* vma, uint flags, page* page)
    {
        // A write fault already unshares, and FOLL_GET references do not care: only R/O pins.
        if ((flags & (FOLL_WRITE | FOLL_PIN)) != FOLL_PIN)
            return false;
        if (!PageAnon(page))
        {
            // Page-cache pages: only a longterm R/O pin of a private (COW) mapping unshares.
            if ((flags & FOLL_LONGTERM) == 0)
                return false;

            // GUP-fast has no VMA: let the slow path decide.
            if (vma == null)
                return true;

            return is_cow_mapping(vma->vm_flags);
        }

        // GUP-fast reads PageAnonExclusive after the PTE: pair with the clearing side.
        // CONFIG_HAVE_GUP_FAST=y.
        Interlocked.MemoryBarrier(); // smp_rmb()

        // An anonymous page that is not exclusive may be shared with a child: unshare first.
        return !PageAnonExclusive(page);
    }
}
