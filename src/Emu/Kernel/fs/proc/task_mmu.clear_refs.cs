// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 fs/proc/task_mmu.c: /proc/pid/clear_refs (clear_refs_write and
// its page walk, with CONFIG_MEM_SOFT_DIRTY's clear_soft_dirty/pte_is_pinned). Emu maps no PMD-level
// THP, so clear_soft_dirty_pmd's work and the huge-PMD branch of clear_refs_pte_range are not
// reachable: pmd_trans_huge_lock is modelled (null for a page-table PMD, NotSupportedException for a
// huge one). The file's copy_from_user is the caller's: clear_refs_write takes the written bytes.
// Also here: /proc/pid/pagemap's ioctl, which Emu does not implement (see pagemap_ioctl).
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

/// <summary>fs/proc/task_mmu.c enum clear_refs_types.</summary>
internal enum clear_refs_types
{
    CLEAR_REFS_ALL = 1,
    CLEAR_REFS_ANON,
    CLEAR_REFS_MAPPED,
    CLEAR_REFS_SOFT_DIRTY,
    CLEAR_REFS_MM_HIWATER_RSS,
    CLEAR_REFS_LAST,
}

/// <summary>fs/proc/task_mmu.c struct clear_refs_private.</summary>
internal struct clear_refs_private
{
    public clear_refs_types type;
}

public unsafe partial class Kernel
{
    // include/linux/mmu_notifier.h enum mmu_notifier_event: MMU_NOTIFY_SOFT_DIRTY.
    private const int MMU_NOTIFY_SOFT_DIRTY = 4;
    // fs/proc/internal.h
    private const int PROC_NUMBUF = 13;

    [Upstream("fs/proc/task_mmu.c", "pte_is_pinned", "454c0798427bbd1c")]
    private bool pte_is_pinned(vm_area_struct* vma, ulong addr, pte_t pte)
    {
        folio* folio;

        if (!pte_write(pte))
            return false;
        if (!is_cow_mapping(vma->vm_flags))
            return false;
        if (!test_bit(MMF_HAS_PINNED, &vma->vm_mm->flags))
            return false;
        folio = vm_normal_folio(vma, addr, pte);
        if (folio == null)
            return false;
        return folio_maybe_dma_pinned(folio);
    }

    [Upstream("fs/proc/task_mmu.c", "clear_soft_dirty", "6933d2822f8870a5")]
    private void clear_soft_dirty(vm_area_struct* vma, ulong addr, pte_t* pte)
    {
        // Soft-dirty tracking catches writes by faults: write-protect too.
        pte_t ptent = ptep_get(pte);

        if (pte_present(ptent))
        {
            pte_t old_pte;

            if (pte_is_pinned(vma, addr, ptent))
                return;
            old_pte = ptep_modify_prot_start(vma, addr, pte);
            ptent = pte_wrprotect(old_pte);
            ptent = pte_clear_soft_dirty(ptent);
            ptep_modify_prot_commit(vma, addr, pte, old_pte, ptent);
        }
        else if (is_swap_pte(ptent))
        {
            ptent = pte_swp_clear_soft_dirty(ptent);
            set_pte_at(vma->vm_mm, addr, pte, ptent);
        }
    }

    /// <summary>pmd_trans_huge_lock for Emu: no huge PMDs exist, so a PMD always points to a page table.</summary>
    private static spinlock* pmd_trans_huge_lock_model(pmd_t* pmd, vm_area_struct* vma)
    {
        if (pmd_trans_huge(*pmd))
            throw new System.NotSupportedException("THP: pmd_trans_huge_lock on a huge PMD (Emu maps no PMD THPs)");
        return null;
    }

    [Upstream("fs/proc/task_mmu.c", "clear_refs_pte_range", "e0c5935fd73e1223")]
    private int clear_refs_pte_range(pmd_t* pmd, ulong addr, ulong end, mm_walk* walk)
    {
        clear_refs_private* cp = (clear_refs_private*)walk->@private;
        vm_area_struct* vma = walk->vma;
        pte_t* pte;
        pte_t ptent;
        spinlock* ptl;
        folio* folio;

        ptl = pmd_trans_huge_lock_model(pmd, vma);
        if (ptl != null)
            return 0;

        pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
        if (pte == null)
        {
            walk->action = page_walk_action.ACTION_AGAIN;
            return 0;
        }
        for (; addr != end; pte++, addr += PAGE_SIZE)
        {
            ptent = ptep_get(pte);

            if (cp->type == clear_refs_types.CLEAR_REFS_SOFT_DIRTY)
            {
                clear_soft_dirty(vma, addr, pte);
                continue;
            }

            if (!pte_present(ptent))
                continue;

            folio = vm_normal_folio(vma, addr, ptent);
            if (folio == null)
                continue;

            // Clear the accessed and referenced bits.
            ptep_test_and_clear_young(vma, addr, pte);
            folio_test_clear_young(folio);
            folio_clear_referenced(folio);
        }
        pte_unmap_unlock(pte - 1, ptl);
        cond_resched();
        return 0;
    }

    [Upstream("fs/proc/task_mmu.c", "clear_refs_test_walk", "f055a82a3d40f357")]
    private int clear_refs_test_walk(ulong start, ulong end, mm_walk* walk)
    {
        clear_refs_private* cp = (clear_refs_private*)walk->@private;
        vm_area_struct* vma = walk->vma;

        if ((vma->vm_flags & VM_PFNMAP) != 0)
            return 1;

        // ANON skips file VMAs, MAPPED skips anonymous ones; ALL and SOFT_DIRTY take every VMA.
        if (cp->type == clear_refs_types.CLEAR_REFS_ANON && vma->vm_file != null)
            return 1;
        if (cp->type == clear_refs_types.CLEAR_REFS_MAPPED && vma->vm_file == null)
            return 1;
        return 0;
    }

    // ops->pmd_entry / ops->test_walk targets (see mm/pagewalk.cs for the function-pointer convention).
    private static int clear_refs_pte_range_thunk(Kernel k, pmd_t* pmd, ulong addr, ulong end, mm_walk* walk)
        => k.clear_refs_pte_range(pmd, addr, end, walk);
    private static int clear_refs_test_walk_thunk(Kernel k, ulong start, ulong end, mm_walk* walk)
        => k.clear_refs_test_walk(start, end, walk);

    // static const struct mm_walk_ops clear_refs_walk_ops: built on first use.
    private mm_walk_ops* clear_refs_walk_ops_;

    private mm_walk_ops* clear_refs_walk_ops
    {
        get
        {
            if (clear_refs_walk_ops_ == null)
            {
                var ops = AllocateGlobal<mm_walk_ops>("clear_refs_walk_ops");
                ops->pmd_entry = (delegate*<Kernel, pmd_t*, ulong, ulong, mm_walk*, int>)&clear_refs_pte_range_thunk;
                ops->test_walk = (delegate*<Kernel, ulong, ulong, mm_walk*, int>)&clear_refs_test_walk_thunk;
                ops->walk_lock = page_walk_lock.PGWALK_WRLOCK;
                clear_refs_walk_ops_ = ops;
            }
            return clear_refs_walk_ops_;
        }
    }

    /// <summary>
    /// write(2) of <paramref name="buf"/> to /proc/pid/clear_refs of the task whose mm is
    /// <paramref name="mm"/> (get_task_mm's result, null for a task without one): the count
    /// consumed, or a negative errno.
    /// </summary>
    [Upstream("fs/proc/task_mmu.c", "clear_refs_write", "9dea71f03c81548b")]
    internal long clear_refs_write(mm_struct* mm, System.ReadOnlySpan<byte> buf)
    {
        byte* buffer = stackalloc byte[PROC_NUMBUF];
        vm_area_struct* vma;
        clear_refs_types type;
        int itype;
        int rv;
        long count = buf.Length;

        new System.Span<byte>(buffer, PROC_NUMBUF).Clear();
        if (count > PROC_NUMBUF - 1)
            count = PROC_NUMBUF - 1;
        buf[..(int)count].CopyTo(new System.Span<byte>(buffer, (int)count));
        rv = kstrtoint(strstrip(buffer), 10, &itype);
        if (rv < 0)
            return rv;
        type = (clear_refs_types)itype;
        if (type < clear_refs_types.CLEAR_REFS_ALL || type >= clear_refs_types.CLEAR_REFS_LAST)
            return -EINVAL;

        if (mm != null)
        {
            vma_iterator vmi;
            vma_iter_init(&vmi, mm, 0); // VMA_ITERATOR
            mmu_notifier_range range;
            clear_refs_private cp = new() { type = type };

            if (mmap_write_lock_killable(mm) != 0)
            {
                count = -EINTR;
                goto out_mm;
            }
            if (type == clear_refs_types.CLEAR_REFS_MM_HIWATER_RSS)
            {
                // "5": the peak RSS restarts from the current RSS.
                reset_mm_hiwater_rss(mm);
                goto out_unlock;
            }

            if (type == clear_refs_types.CLEAR_REFS_SOFT_DIRTY)
            {
                while ((vma = vma_next(&vmi)) != null) // for_each_vma
                {
                    if ((vma->vm_flags & VM_SOFTDIRTY) == 0)
                        continue;
                    vm_flags_clear(vma, VM_SOFTDIRTY);
                    vma_set_page_prot(vma);
                }

                inc_tlb_flush_pending(mm);
                mmu_notifier_range_init(&range, MMU_NOTIFY_SOFT_DIRTY, 0, mm, 0, ulong.MaxValue);
                mmu_notifier_invalidate_range_start(&range);
            }
            walk_page_range(mm, 0, ulong.MaxValue, clear_refs_walk_ops, &cp);
            if (type == clear_refs_types.CLEAR_REFS_SOFT_DIRTY)
            {
                mmu_notifier_invalidate_range_end(&range);
                flush_tlb_mm(mm);
                dec_tlb_flush_pending(mm);
            }
        out_unlock:
            mmap_write_unlock(mm);
        out_mm:;
        }

        return count;
    }

    /// <summary>strstrip() (lib/string_helpers.c strim): trailing whitespace cut, leading skipped.</summary>
    private static byte* strstrip(byte* s)
    {
        int size = 0;
        while (s[size] != 0)
            size++;
        if (size == 0)
            return s;
        byte* end = s + size - 1;
        while (end >= s && IsSpace(*end))
            end--;
        *(end + 1) = 0;
        while (IsSpace(*s))
            s++;
        return s;

        static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';
    }

    [Upstream("include/linux/mm.h", "reset_mm_hiwater_rss", "fafeba79dceda7bd")]
    private void reset_mm_hiwater_rss(mm_struct* mm) => mm->hiwater_rss = get_mm_rss(mm);

    /// <summary>
    /// ioctl(2) on /proc/pid/pagemap. Emu does not implement PAGEMAP_SCAN (pagemap_scan_*), so the
    /// file has no ioctl operation and vfs_ioctl answers -ENOTTY for every command, as kernels before
    /// the ioctl existed do; callers (vm_util.c's pagemap_scan_supported) then fall back to read().
    /// </summary>
    internal static long pagemap_ioctl(mm_struct* mm, uint cmd, ulong arg) => -ENOTTY;
}
