// SPDX-License-Identifier: GPL-2.0-only
// Stub: mm/mlock.c. Emu has no mlock()/mlockall(), so no vma carries VM_LOCKED and no folio is
// ever mlocked; the entry points the LRU and rmap call throw if that ever changes, and the drain
// has nothing to drain.
using System;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    internal void mlock_folio(folio* folio) =>
        throw new NotSupportedException("Emu models no mlock: mlock_folio on a VM_LOCKED vma");

    internal void munlock_folio(folio* folio) =>
        throw new NotSupportedException("Emu models no mlock: munlock_folio on a VM_LOCKED vma");

    internal void mlock_new_folio(folio* folio) =>
        throw new NotSupportedException("Emu models no mlock: mlock_new_folio on a VM_LOCKED vma");

    /// <summary>The per-CPU mlock batch is always empty.</summary>
    internal void mlock_drain_local() { }
}
