// SPDX-License-Identifier: GPL-2.0-only
// Stubs: subsystems Emu does not model, as mm/gup.c reaches them (pagecache locking and dirtying,
// migration, THP, ZONE_DEVICE, HugeTLB, secretmem, fsdax, shmem). Where the config-off or
// anonymous-only answer is right it is given; where a path would need the subsystem it throws
// NotSupportedException naming the upstream function.
using System;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // stub(pagecache): include/linux/pagemap.h. No task ever waits on a folio lock in Emu:
    // taking a locked folio is a bug of the caller here.
    internal void folio_lock(folio* folio)
    {
        if (folio_test_locked(folio))
            throw new NotSupportedException("Emu does not model waiting on a locked folio: folio_lock");
        __folio_set_locked(folio);
    }

    // stub(pagecache): mm/page-writeback.c folio_mark_dirty, the anonymous branch (no mapping:
    // the flag alone); a folio with a mapping would need a_ops->dirty_folio.
    internal bool folio_mark_dirty(folio* folio)
    {
        if (folio_mapping(folio) != null)
            throw new NotSupportedException("Emu has no page cache: folio_mark_dirty of a mapped folio");
        if (!folio_test_dirty(folio))
            return !folio_test_set_dirty(folio);
        return false;
    }

    // stub(pagecache): mm/folio-compat.c
    internal bool set_page_dirty(page* page) => folio_mark_dirty(page_folio(page));

    // stub(migration): include/linux/migrate_mode.h values GUP passes.
    internal const int MIGRATE_SYNC = 2;
    internal const int MR_LONGTERM_PIN = 7;

    // stub(migration): mm/migrate.c. Never reached: every Emu folio is longterm-pinnable.
    internal int migrate_pages(list_head* from, void* get_new_folio, void* put_new_folio, ulong private_, int mode, int reason, uint* ret_succeeded)
        => throw new NotSupportedException("Emu has no page migration: migrate_pages");

    // stub(migration): mm/migrate.c
    internal void putback_movable_pages(list_head* l)
    {
        if (!list_empty(l))
            throw new NotSupportedException("Emu has no page migration: putback_movable_pages");
    }

    // stub(migration): mm/migrate_device.c
    internal int migrate_device_coherent_folio(folio* folio)
        => throw new NotSupportedException("Emu has no ZONE_DEVICE memory: migrate_device_coherent_folio");

    // stub(hugetlb): mm/hugetlb.c
    internal bool isolate_hugetlb(folio* folio, list_head* list)
        => throw new NotSupportedException("Emu has no HugeTLB: isolate_hugetlb");

    // stub(hugetlb): include/linux/hugetlb.h (x86 has no pgd leaves, so this is never reached).
    internal int pgd_write(pgd_t pgd)
    {
        BUG();
        return 0;
    }

    // stub(zone_device): include/linux/memremap.h. Emu has no ZONE_DEVICE pages.
    internal static bool is_device_coherent_page(page* page)
    {
        if (is_zone_device_page(page))
            throw new NotSupportedException("Emu has no ZONE_DEVICE memory: is_device_coherent_page");
        return false;
    }

    // stub(zone_device): mm/memremap.c
    internal void* get_dev_pagemap(ulong pfn, void* pgmap)
        => throw new NotSupportedException("Emu has no ZONE_DEVICE memory: get_dev_pagemap");

    // stub(zone_device): include/linux/memremap.h
    internal void put_dev_pagemap(void* pgmap)
        => throw new NotSupportedException("Emu has no ZONE_DEVICE memory: put_dev_pagemap");

    // stub(zone_device): mm/huge_memory.c follow_devmap_pmd
    internal page* follow_devmap_pmd(vm_area_struct* vma, ulong addr, pmd_t* pmd, int flags, void** pgmap)
        => throw new NotSupportedException("Emu has no ZONE_DEVICE memory: follow_devmap_pmd");

    // stub(thp): mm/huge_memory.c split_huge_pmd (Emu maps no PMD leaves).
    internal void split_huge_pmd(vm_area_struct* vma, pmd_t* pmd, ulong address)
        => throw new NotSupportedException("Emu has no THP: split_huge_pmd");

    // stub(secretmem): include/linux/secretmem.h; secretmem VMAs are file-backed and Emu has no files.
    internal static bool vma_is_secretmem(vm_area_struct* vma)
    {
        if (vma->vm_file != null)
            throw new NotSupportedException("Emu has no files: vma_is_secretmem of a file VMA");
        return false;
    }

    // stub(secretmem): mm/secretmem.c
    internal static bool secretmem_mapping(void* mapping)
        => throw new NotSupportedException("Emu has no files: secretmem_mapping");

    // stub(shmem): mm/shmem.c
    internal static bool shmem_mapping(void* mapping)
        => throw new NotSupportedException("Emu has no shmem: shmem_mapping");

    // stub(fsdax): include/linux/fs.h; DAX VMAs are file-backed.
    internal static bool vma_is_fsdax(vm_area_struct* vma)
    {
        if (vma->vm_file != null)
            throw new NotSupportedException("Emu has no files: vma_is_fsdax of a file VMA");
        return false;
    }

}

public unsafe partial class Kernel
{
    // stub(pagecache): mm/page-writeback.c set_page_dirty_lock (lock_page, set_page_dirty, unlock_page).
    internal int set_page_dirty_lock(page* page)
    {
        int ret;

        folio_lock(page_folio(page));
        ret = set_page_dirty(page) ? 1 : 0;
        folio_unlock(page_folio(page));
        return ret;
    }
}
