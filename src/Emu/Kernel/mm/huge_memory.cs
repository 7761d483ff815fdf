using System;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

// Stub: no THP deferred-split queue in Emu; folios are never queued on it.
public sealed unsafe partial class Kernel
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
