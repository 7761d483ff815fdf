using System;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

// Stub: no THP deferred-split queue in Emu; folios are never queued on it.
public unsafe partial class Kernel
{
    [Upstream("mm/internal.h", "folio_unqueue_deferred_split", "133e09fa6576966e")]
    internal bool folio_unqueue_deferred_split(folio* folio)
    {
        if (folio_order(folio) <= 1 || !folio_test_large_rmappable(folio))
            return false;
        if (list_empty(&folio->_deferred_list))
            return false;
        throw new NotSupportedException("Emu has no THP deferred split queue: __folio_unqueue_deferred_split");
    }
}

// Stub: the THP deferred split queue (mm/huge_memory.c). Partially unmapping a large anon folio
// would queue it; Emu has no queue or shrinker yet.
public unsafe partial class Kernel
{
    internal void deferred_split_folio(folio* folio, bool partially_mapped) =>
        throw new NotSupportedException("Emu has no THP deferred split queue: deferred_split_folio of a partially unmapped large folio");
}
