// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/pgtable-generic.c: clearing bad entries, ptep_clear_flush,
// __pte_offset_map (the lockless part of pte_offset_map*) and the _lock/_nolock variants over the
// split pte locks (include/linux/mm.ptdesc.cs). x86_64 overrides the access-flag and young helpers (see
// arch/x86/mm/pgtable.cs); it has no CONFIG_GUP_GET_PXX_LOW_HIGH and no CONFIG_HIGHPTE.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/pgtable-generic.c", "pgd_clear_bad", "4abb2ef8a505db5c")]
    internal void pgd_clear_bad(pgd_t* pgd)
    {
        pgd_ERROR(*pgd);
        pgd_clear(pgd);
    }

    [Upstream("mm/pgtable-generic.c", "p4d_clear_bad", "2c58a925d0b6d3ae")]
    internal void p4d_clear_bad(p4d_t* p4d)
    {
        p4d_ERROR(*p4d);
        p4d_clear(p4d);
    }

    [Upstream("mm/pgtable-generic.c", "pud_clear_bad", "6d55e261083912b3")]
    internal void pud_clear_bad(pud_t* pud)
    {
        pud_ERROR(*pud);
        pud_clear(pud);
    }

    [Upstream("mm/pgtable-generic.c", "pmd_clear_bad", "dec852299ec1b9ff")]
    internal void pmd_clear_bad(pmd_t* pmd)
    {
        pmd_ERROR(*pmd);
        pmd_clear(pmd);
    }

    // Only an entry the hardware may have cached needs the flush (a no-op in Emu, see tlbflush.cs).
    [Upstream("mm/pgtable-generic.c", "ptep_clear_flush", "1fc833c758887bfc")]
    internal static pte_t ptep_clear_flush(vm_area_struct* vma, ulong address,
                                           pte_t* ptep)
    {
        mm_struct* mm = (vma)->vm_mm;
        pte_t pte;
        pte = ptep_get_and_clear(mm, address, ptep);
        if (pte_accessible(mm, pte))
            flush_tlb_page(vma, address);
        return pte;
    }

    // The !CONFIG_GUP_GET_PXX_LOW_HIGH pair: a 64-bit pmd reads atomically, interrupts stay on.
    // Not marked: the marker tool hashes the first definition, the irq-saving variant.
    private static ulong pmdp_get_lockless_start() { return 0; }
    private static void pmdp_get_lockless_end(ulong irqflags) { }

    // The pte table under *pmd, or null when there is none (empty, a huge or migrating pmd, or bad).
    // On success the caller is inside rcu_read_lock() until pte_unmap().
    [Upstream("mm/pgtable-generic.c", "__pte_offset_map", "f9dc189c732fc74d")]
    internal pte_t* __pte_offset_map(pmd_t* pmd, ulong addr, pmd_t* pmdvalp)
    {
        ulong irqflags;
        pmd_t pmdval;

        rcu_read_lock();
        irqflags = pmdp_get_lockless_start();
        pmdval = pmdp_get_lockless(pmd);
        pmdp_get_lockless_end(irqflags);

        if (pmdvalp != null)
            *pmdvalp = pmdval;
        if (pmd_none(pmdval) || is_pmd_migration_entry(pmdval))
            goto nomap;
        if (pmd_trans_huge(pmdval) || pmd_devmap(pmdval))
            goto nomap;
        if (pmd_bad(pmdval))
        {
            pmd_clear_bad(pmd);
            goto nomap;
        }
        return __pte_map(&pmdval, addr);
    nomap:
        rcu_read_unlock();
        return null;
    }

    // The table under *pmd and the lock that guards it, without taking the lock: the caller
    // must recheck the entry once it holds ptl.
    [Upstream("mm/pgtable-generic.c", "pte_offset_map_nolock", "9f28323086842618")]
    internal pte_t* pte_offset_map_nolock(mm_struct* mm, pmd_t* pmd,
                                          ulong addr, spinlock** ptlp)
    {
        pmd_t pmdval;
        pte_t* pte;

        pte = __pte_offset_map(pmd, addr, &pmdval);
        if (pte != null)
            *ptlp = pte_lockptr(mm, &pmdval);
        return pte;
    }

    // Maps and locks; if *pmd changed before the lock was held, the table may be gone: retry.
    [Upstream("mm/pgtable-generic.c", "__pte_offset_map_lock", "f964f6ea2074d6e1")]
    internal pte_t* __pte_offset_map_lock(mm_struct* mm, pmd_t* pmd,
                                          ulong addr, spinlock** ptlp)
    {
        spinlock* ptl;
        pmd_t pmdval;
        pte_t* pte;
    again:
        pte = __pte_offset_map(pmd, addr, &pmdval);
        if (pte == null)
            return pte;
        ptl = pte_lockptr(mm, &pmdval);
        spin_lock(ptl);
        if (pmd_same(pmdval, pmdp_get_lockless(pmd)))
        {
            *ptlp = ptl;
            return pte;
        }
        pte_unmap_unlock(pte, ptl);
        goto again;
    }
}
