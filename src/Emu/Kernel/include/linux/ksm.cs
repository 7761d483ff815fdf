// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/linux/ksm.h (CONFIG_KSM): the inlines the rest
// of mm calls (fork, exec, exit, zero-page accounting).
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/ksm.h", "is_ksm_zero_pte", UpstreamAttribute.Macro)]
    internal bool is_ksm_zero_pte(pte_t pte) => is_zero_pfn(pte_pfn(pte)) && pte_dirty(pte);

    [Upstream("include/linux/ksm.h", "ksm_map_zero_page", "a3a6274f7bd8b5f0")]
    internal void ksm_map_zero_page(mm_struct* mm)
    {
        fixed (atomic64_t* v = &ksm_zero_pages)
            atomic_long_inc(v);
        atomic_long_inc(&mm->ksm_zero_pages);
    }

    [Upstream("include/linux/ksm.h", "ksm_might_unmap_zero_page", "08e784cd57e55346")]
    internal void ksm_might_unmap_zero_page(mm_struct* mm, pte_t pte)
    {
        if (is_ksm_zero_pte(pte))
        {
            fixed (atomic64_t* v = &ksm_zero_pages)
                atomic_long_dec(v);
            atomic_long_dec(&mm->ksm_zero_pages);
        }
    }

    [Upstream("include/linux/ksm.h", "mm_ksm_zero_pages", "6325b79af4426f0a")]
    internal static long mm_ksm_zero_pages(mm_struct* mm)
    {
        return atomic_long_read(&mm->ksm_zero_pages);
    }

    [Upstream("include/linux/ksm.h", "ksm_fork", "0dbedfe5b6a8d389")]
    internal void ksm_fork(mm_struct* mm, mm_struct* oldmm)
    {
        // Best effort: a child that cannot be enrolled just is not scanned.
        if (test_bit(MMF_VM_MERGEABLE, &oldmm->flags))
        {
            long nr_ksm_zero_pages = atomic_long_read(&mm->ksm_zero_pages);

            mm->ksm_merging_pages = 0;
            mm->ksm_rmap_items = 0;
            fixed (atomic64_t* v = &ksm_zero_pages)
                atomic_long_add(nr_ksm_zero_pages, v);
            __ksm_enter(mm);
        }
    }

    [Upstream("include/linux/ksm.h", "ksm_execve", "7480cc0b7e58ae61")]
    internal int ksm_execve(mm_struct* mm)
    {
        if (test_bit(MMF_VM_MERGE_ANY, &mm->flags))
            return __ksm_enter(mm);

        return 0;
    }

    [Upstream("include/linux/ksm.h", "ksm_exit", "444d4f46034529d5")]
    internal void ksm_exit(mm_struct* mm)
    {
        if (test_bit(MMF_VM_MERGEABLE, &mm->flags))
            __ksm_exit(mm);
    }
}
