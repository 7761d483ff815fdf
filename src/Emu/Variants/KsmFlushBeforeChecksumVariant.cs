// SPDX-License-Identifier: GPL-2.0-only
// Variant: the compromise the review of 20240604042454.2012091-2-alexs@kernel.org ("mm/ksm: reduce the
// flush action for ksm merging page") pointed to, never posted as a patch: keep the flush in
// scan_get_next_rmap_item, where ksmd still holds the page and is about to checksum it ("leave the flushing
// there"), and drop only get_mergeable_page's flush, which precedes no read of the page content that
// write_protect_page's flush_cache_page would not precede anyway. It is also hunk 1 of that patch, so
// KsmReduceFlushVariant derives from it.
using Emu.Kernel;

namespace Emu.Variants;

[KernelPatch("mm/ksm: flush only before the checksum (review of the reduce-flush patch)", "(not posted) re: 20240604042454.2012091-2-alexs@kernel.org",
    Touches = ["mm/ksm.c:get_mergeable_page"])]
internal unsafe class KsmFlushBeforeChecksumVariant : Kernel.Kernel
{
    // mm/ksm.c get_mergeable_page: hunk(s) 1; baseline at src/Emu/Kernel/mm/ksm.cs:365
    internal override page* get_mergeable_page(ksm_rmap_item* rmap_item)
    {
        mm_struct* mm = rmap_item->mm;
        ulong addr = rmap_item->address;
        vm_area_struct* vma;
        page* page = null;
        folio_walk fw;
        folio* folio;

        mmap_read_lock(mm);
        vma = find_mergeable_vma(mm, addr);
        if (vma == null)
            goto @out;

        folio = folio_walk_start(&fw, vma, addr, 0);
        if (folio != null)
        {
            if (!folio_is_zone_device(folio) && folio_test_anon(folio))
            {
                folio_get(folio);
                page = fw.page;
            }
            folio_walk_end(&fw, vma);
        }
    @out:
        // patch: no flush here (the reduce-flush patch flushes in try_to_merge_one_page instead).
        mmap_read_unlock(mm);
        return page;
    }
}
