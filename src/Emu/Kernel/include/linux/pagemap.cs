// SPDX-License-Identifier: GPL-2.0-only
// include/linux/pagemap.h: folio and page offsets in their mapping, and the folio lock.
// Emu has no waiters on the folio lock (nothing sleeps on PG_locked), so folio_unlock has no
// wake-up to do.
using System;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>Emu has no address_space objects: only a null mapping (anon, or none) gets here.</summary>
    [Upstream("include/linux/pagemap.h", "mapping_unevictable", "ad0c3c03805f9cd0")]
    internal static bool mapping_unevictable(void* mapping)
    {
        if (mapping != null)
            throw new NotSupportedException("Emu has no address_space: mapping_unevictable on a file mapping");
        return false;
    }

    [Upstream("include/linux/pagemap.h", "page_to_pgoff", "71dd2ed21164d700")]
    internal static ulong page_to_pgoff(page* page)
    {
        page* head;

        if (!PageTransTail(page))
            return page->index;

        head = compound_head(page);
        // Tail pages have no index of their own.
        return head->index + (ulong)(page - head);
    }

    [Upstream("include/linux/pagemap.h", "folio_pgoff", "23bb7d8bfad16d3d")]
    internal static ulong folio_pgoff(folio* folio)
    {
        return folio->index;
    }

    [Upstream("include/linux/pagemap.h", "linear_page_index", "daf10a3b43e2233a")]
    internal static ulong linear_page_index(vm_area_struct* vma, ulong address)
    {
        ulong pgoff;
        pgoff = (address - vma->vm_start) >> PAGE_SHIFT;
        pgoff += vma->vm_pgoff;
        return pgoff;
    }

    [Upstream("include/linux/pagemap.h", "folio_trylock", "3b330de3559a3813")]
    internal static bool folio_trylock(folio* folio)
    {
        return !test_and_set_bit_lock(PG_locked, &folio->flags);
    }

    /// <summary>mm/filemap.c folio_unlock: PG_waiters is never set in Emu, so there is no one to wake.</summary>
    internal void folio_unlock(folio* folio)
    {
        VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
        clear_bit_unlock(PG_locked, &folio->flags);
        if (folio_test_waiters(folio))
            throw new NotSupportedException("Emu has no folio lock waiters: folio_wake_bit");
    }

    [Upstream("include/linux/page-flags.h", "PageTransTail", "dda6c8c13d17d372")]
    internal static bool PageTransTail(page* page)
    {
        return PageTail(page);
    }
}
