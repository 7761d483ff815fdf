// SPDX-License-Identifier: GPL-2.0-only
// include/linux/pagevec.h: folio batches. folios[] is an array of pointers, generated as ulong.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/pagevec.h", "folio_batch_init", "a314623f3751973c")]
    internal static void folio_batch_init(folio_batch* fbatch)
    {
        fbatch->nr = 0;
        fbatch->i = 0;
        fbatch->percpu_pvec_drained = false;
    }

    [Upstream("include/linux/pagevec.h", "folio_batch_reinit", "0c94cc14d7ed3546")]
    internal static void folio_batch_reinit(folio_batch* fbatch)
    {
        fbatch->nr = 0;
        fbatch->i = 0;
    }

    [Upstream("include/linux/pagevec.h", "folio_batch_count", "239968bb346241a3")]
    internal static uint folio_batch_count(folio_batch* fbatch)
    {
        return fbatch->nr;
    }

    [Upstream("include/linux/pagevec.h", "folio_batch_space", "6d814bf31c9db067")]
    internal static uint folio_batch_space(folio_batch* fbatch)
    {
        return PAGEVEC_SIZE - (uint)fbatch->nr;
    }

    [Upstream("include/linux/pagevec.h", "folio_batch_add", "c9d2fbf8efe54167")]
    internal static uint folio_batch_add(folio_batch* fbatch, folio* folio)
    {
        fbatch->folios[fbatch->nr++] = (ulong)folio;
        return folio_batch_space(fbatch);
    }

    [Upstream("include/linux/pagevec.h", "folio_batch_next", "a1b4249e208df06a")]
    internal static folio* folio_batch_next(folio_batch* fbatch)
    {
        if (fbatch->i == fbatch->nr)
            return null;
        return (folio*)fbatch->folios[fbatch->i++];
    }

    [Upstream("include/linux/pagevec.h", "folio_batch_release", "b6a5b7cf82f55c7f")]
    internal void folio_batch_release(folio_batch* fbatch)
    {
        if (folio_batch_count(fbatch) != 0)
            __folio_batch_release(fbatch);
    }
}
