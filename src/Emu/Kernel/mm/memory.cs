// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/memory.c, in upstream order; split by topic:
// memory.cs (page-table allocation), memory.fault.cs (faults), memory.fork.cs (copy_page_range),
// memory.zap.cs (unmap and free_pgtables).
// x86_64 with 4 levels: the p4d level is folded at run time (no LA57), so __p4d_alloc never runs
// (pgd_none() is false) and p4d_offset() returns the pgd entry itself.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // Hooks a freshly allocated pte table under *pmd unless someone else already did; in that case
    // the caller's table stays in *pte for it to free.
    [Upstream("mm/memory.c", "pmd_install", "bc28eed46d8397a8")]
    internal void pmd_install(mm_struct* mm, pmd_t* pmd, page** pte)
    {
        spinlock* ptl = pmd_lock(mm, pmd);

        if (pmd_none(*pmd))
        {
            mm_inc_nr_ptes(mm);
            // smp_wmb(): the table's zeroing and lock init are visible before the entry is.
            System.Threading.Interlocked.MemoryBarrier();
            pmd_populate(mm, pmd, *pte);
            *pte = null;
        }
        spin_unlock(ptl);
    }

    [Upstream("mm/memory.c", "__pte_alloc", "6f7ffc88d46ae79a")]
    internal int __pte_alloc(mm_struct* mm, pmd_t* pmd)
    {
        page* @new = pte_alloc_one(mm);
        if (@new == null)
            return -KernelConstants.ENOMEM;

        pmd_install(mm, pmd, &@new);
        if (@new != null)
            pte_free(mm, @new);
        return 0;
    }

    [Upstream("mm/memory.c", "__p4d_alloc", "0060e87a3b9d0b73")]
    internal int __p4d_alloc(mm_struct* mm, pgd_t* pgd, ulong address)
    {
        p4d_t* @new = p4d_alloc_one(mm, address);
        if (@new == null)
            return -KernelConstants.ENOMEM;

        spin_lock(&mm->page_table_lock);
        if (pgd_present(*pgd))
        {
            p4d_free(mm, @new);
        }
        else
        {
            System.Threading.Interlocked.MemoryBarrier(); // smp_wmb(), as in pmd_install
            pgd_populate(mm, pgd, @new);
        }
        spin_unlock(&mm->page_table_lock);
        return 0;
    }

    [Upstream("mm/memory.c", "__pud_alloc", "6cf3f548c649264b")]
    internal int __pud_alloc(mm_struct* mm, p4d_t* p4d, ulong address)
    {
        pud_t* @new = pud_alloc_one(mm, address);
        if (@new == null)
            return -KernelConstants.ENOMEM;

        spin_lock(&mm->page_table_lock);
        if (!p4d_present(*p4d))
        {
            mm_inc_nr_puds(mm);
            System.Threading.Interlocked.MemoryBarrier(); // smp_wmb(), as in pmd_install
            p4d_populate(mm, p4d, @new);
        }
        else
            pud_free(mm, @new);
        spin_unlock(&mm->page_table_lock);
        return 0;
    }

    [Upstream("mm/memory.c", "__pmd_alloc", "063a3c30921d9844")]
    internal int __pmd_alloc(mm_struct* mm, pud_t* pud, ulong address)
    {
        spinlock* ptl;
        pmd_t* @new = pmd_alloc_one(mm, address);
        if (@new == null)
            return -KernelConstants.ENOMEM;

        ptl = pud_lock(mm, pud);
        if (!pud_present(*pud))
        {
            mm_inc_nr_pmds(mm);
            System.Threading.Interlocked.MemoryBarrier(); // smp_wmb(), as in pmd_install
            pud_populate(mm, pud, @new);
        }
        else
        {
            pmd_free(mm, @new);
        }
        spin_unlock(ptl);
        return 0;
    }
}
