// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 kernel/fork.c: the mm_struct life cycle (mm_alloc, mm_init,
// dup_mm/dup_mmap, mmput/__mmput, __mmdrop, check_mm) in upstream order.
// Emu has no tasks (see arch/x86/include/asm/current.cs), no files, no user namespaces, no LDT and
// no per-CPU lazy TLB mms; what those pieces do for an anonymous-only process is written inline
// below as models that say so. Not modelled subsystems (uprobes, userfaultfd, khugepaged,
// mempolicy) do what they do when nothing is registered, in one place each (include/linux/*.cs).
using System;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>The mm_struct slab (mm_cachep), made by mm_cache_init on first use.</summary>
    internal kmem_cache? mm_cachep;

    // NAMED_ARRAY_INDEX names, for check_mm's report.
    private static readonly string[] resident_page_types =
        ["MM_FILEPAGES", "MM_ANONPAGES", "MM_SWAPENTS", "MM_SHMEMPAGES"];

    // dup_mm_exe_file: Emu maps no files, so the child's exe_file is NULL like the parent's.
    private static void dup_mm_exe_file(mm_struct* mm, mm_struct* oldmm)
    {
        mm->exe_file = null;
    }

    [Upstream("kernel/fork.c", "dup_mmap", "10f6bcdcebf654a0")]
    internal int dup_mmap(mm_struct* mm, mm_struct* oldmm)
    {
        vm_area_struct* mpnt, tmp = null;
        int retval;
        ulong charge = 0;
        vma_iterator vmi = VMA_ITERATOR(mm, 0);

        if (mmap_write_lock_killable(oldmm) != 0)
            return -EINTR;
        flush_cache_dup_mm(oldmm);
        uprobe_dup_mmap(oldmm, mm);
        // The child is not visible to anyone yet: no deadlock with the parent's lock.
        mmap_write_lock_nested(mm, SINGLE_DEPTH_NESTING);

        dup_mm_exe_file(mm, oldmm);

        mm->total_vm = oldmm->total_vm;
        mm->data_vm = oldmm->data_vm;
        mm->exec_vm = oldmm->exec_vm;
        mm->stack_vm = oldmm->stack_vm;

        // The child's tree starts as a copy of the parent's; each entry is replaced below.
        retval = __mt_dup(&oldmm->mm_mt, &mm->mm_mt, GFP_KERNEL);
        if (retval != 0)
            goto @out;

        mt_clear_in_rcu(vmi.mas.tree);
        // for_each_vma(vmi, mpnt)
        while ((mpnt = vma_next(&vmi)) != null)
        {
            vma_start_write(mpnt);
            if ((mpnt->vm_flags & VM_DONTCOPY) != 0)
            {
                retval = vma_iter_clear_gfp(&vmi, mpnt->vm_start,
                                            mpnt->vm_end, GFP_KERNEL);
                if (retval != 0)
                    goto loop_out;

                vm_stat_account(mm, mpnt->vm_flags, -(long)vma_pages(mpnt));
                continue;
            }
            charge = 0;
            if (fatal_signal_pending())
            {
                retval = -EINTR;
                goto loop_out;
            }
            if ((mpnt->vm_flags & VM_ACCOUNT) != 0)
            {
                ulong len = vma_pages(mpnt);

                if (security_vm_enough_memory_mm(oldmm, (long)len) != 0)
                    goto fail_nomem;
                charge = len;
            }
            tmp = vm_area_dup(mpnt);
            if (tmp == null)
                goto fail_nomem;

            if ((tmp->vm_flags & VM_PFNMAP) != 0)
                throw new NotSupportedException("Emu has no VM_PFNMAP mappings: untrack_pfn_clear");

            retval = vma_dup_policy(mpnt, tmp);
            if (retval != 0)
                goto fail_nomem_policy;
            tmp->vm_mm = mm;
            retval = dup_userfaultfd(tmp, null);
            if (retval != 0)
                goto fail_nomem_anon_vma_fork;
            if ((tmp->vm_flags & VM_WIPEONFORK) != 0)
            {
                // The child starts with nothing here: no anon_vma until its first fault.
                tmp->anon_vma = null;
            }
            else if (anon_vma_fork(tmp, mpnt) != 0)
                goto fail_nomem_anon_vma_fork;
            vm_flags_clear(tmp, VM_LOCKED_MASK);
            if (is_vm_hugetlb_page(tmp))
                throw new NotSupportedException("Emu has no HugeTLB: hugetlb_dup_vma_private");

            // __mt_dup made room for every entry: this store cannot fail.
            vma_iter_bulk_store(&vmi, tmp);

            mm->map_count++;

            if (tmp->vm_ops != null)
                throw new NotSupportedException("Emu has no vm_operations_struct mappings: vm_ops->open");

            if (tmp->vm_file != null)
                throw new NotSupportedException("Emu maps no files: the file branch of dup_mmap");

            if ((tmp->vm_flags & VM_WIPEONFORK) == 0)
                retval = copy_page_range(tmp, mpnt);

            if (retval != 0)
            {
                mpnt = vma_next(&vmi);
                goto loop_out;
            }
        }
        retval = arch_dup_mmap(oldmm, mm);
    loop_out:
        vma_iter_free(&vmi);
        if (retval == 0)
        {
            mt_set_in_rcu(vmi.mas.tree);
            ksm_fork(mm, oldmm);
            khugepaged_fork(mm, oldmm);
        }
        else
        {
            // Mark where copying stopped, so exit_mmap() tears down only what was duplicated.
            if (mpnt != null)
            {
                mas_set_range(&vmi.mas, mpnt->vm_start, mpnt->vm_end - 1);
                mas_store(&vmi.mas, XA_ZERO_ENTRY);
                set_bit(MMF_OOM_SKIP, &mm->flags);
            }
            set_bit(MMF_UNSTABLE, &mm->flags);
        }
    @out:
        mmap_write_unlock(mm);
        flush_tlb_mm(oldmm);
        mmap_write_unlock(oldmm);
        if (retval == 0)
            dup_userfaultfd_complete(null);
        else
            dup_userfaultfd_fail(null);
        return retval;

    fail_nomem_anon_vma_fork:
        mpol_put(vma_policy(tmp));
    fail_nomem_policy:
        vm_area_free(tmp);
    fail_nomem:
        retval = -ENOMEM;
        vm_unacct_memory((long)charge);
        goto loop_out;
    }

    [Upstream("kernel/fork.c", "mm_alloc_pgd", "7aae1e9c3012da47")]
    internal int mm_alloc_pgd(mm_struct* mm)
    {
        mm->pgd = pgd_alloc(mm);
        if (mm->pgd == null)
            return -ENOMEM;
        return 0;
    }

    [Upstream("kernel/fork.c", "mm_free_pgd", "adc99013336e8d7d")]
    internal void mm_free_pgd(mm_struct* mm)
    {
        pgd_free(mm, mm->pgd);
    }

    // Counters or page tables left at the final drop mean something leaked or was counted twice.
    [Upstream("kernel/fork.c", "check_mm", "0ec2b7fb2115b4f0")]
    internal void check_mm(mm_struct* mm)
    {
        int i;

        for (i = 0; i < NR_MM_COUNTERS; i++)
        {
            long x = percpu_counter_sum(&mm->rss_stat[i]);

            if (x != 0)
                pr_alert($"BUG: Bad rss-counter state mm:{(ulong)mm:x16} type:{resident_page_types[i]} val:{x}");
        }

        if (mm_pgtables_bytes(mm) != 0)
            pr_alert($"BUG: non-zero pgtables_bytes on freeing mm: {(long)mm_pgtables_bytes(mm)}");

        // CONFIG_SPLIT_PMD_PTLOCKS=y: no mm->pmd_huge_pte to check.
    }

    [Upstream("kernel/fork.c", "allocate_mm", UpstreamAttribute.Macro)]
    internal mm_struct* allocate_mm()
    {
        if (mm_cachep == null)
            mm_cache_init(); // Emu boots fork.c's caches on first use
        return (mm_struct*)kmem_cache_alloc(mm_cachep!, GFP_KERNEL);
    }

    [Upstream("kernel/fork.c", "free_mm", UpstreamAttribute.Macro)]
    internal void free_mm(mm_struct* mm) => kmem_cache_free(mm_cachep!, mm);

    // Without CONFIG_MMU_LAZY_TLB_SHOOTDOWN (x86): lazy users hold mm_count, nothing to shoot.
    [Upstream("kernel/fork.c", "cleanup_lazy_tlbs", "7f4a04fb39759f68")]
    internal static void cleanup_lazy_tlbs(mm_struct* mm)
    {
        return;
    }

    [Upstream("kernel/fork.c", "__mmdrop", "95e163b9fe383d83")]
    internal void __mmdrop(mm_struct* mm)
    {
        BUG_ON(mm == init_mm_ptr);
        WARN_ON_ONCE(mm == current_mm);

        cleanup_lazy_tlbs(mm);

        mm_free_pgd(mm);
        destroy_context(mm);
        mmu_notifier_subscriptions_destroy(mm);
        check_mm(mm);
        // put_user_ns: no user namespaces. mm_pasid_drop: no IOMMU SVA binding.
        mm_destroy_cid(mm);
        percpu_counter_destroy_many(&mm->rss_stat[0], NR_MM_COUNTERS);

        free_mm(mm);
    }

    [Upstream("kernel/fork.c", "mm_init_aio", "db43bb2a59207cae")]
    internal void mm_init_aio(mm_struct* mm)
    {
        spin_lock_init(&mm->ioctx_lock);
        mm->ioctx_table = null;
    }

    [Upstream("kernel/fork.c", "mm_init_owner", "87ec30a983c167e6")]
    internal static void mm_init_owner(mm_struct* mm, void* p)
    {
        mm->owner = null; // p: Emu has no task_struct to point at
    }

    [Upstream("kernel/fork.c", "mm_init_uprobes_state", "8fa30c1f5d7d8137")]
    internal static void mm_init_uprobes_state(mm_struct* mm)
    {
        mm->uprobes_state.xol_area = null;
    }

    /// <summary>kernel/fork.c's default_dump_filter (MMF_DUMP_FILTER_DEFAULT).</summary>
    internal ulong default_dump_filter = MMF_DUMP_FILTER_DEFAULT;

    // p and user_ns: Emu has no tasks or namespaces (null).
    [Upstream("kernel/fork.c", "mm_init", "af4ac6fcb6b8f8b8")]
    internal mm_struct* mm_init(mm_struct* mm, void* p, void* user_ns)
    {
        mt_init_flags(&mm->mm_mt, MM_MT_FLAGS);
        mt_set_external_lock(&mm->mm_mt, &mm->mmap_lock);
        atomic_set(&mm->mm_users, 1);
        atomic_set(&mm->mm_count, 1);
        seqcount_init(&mm->write_protect_seq);
        mmap_init_lock(mm);
        INIT_LIST_HEAD(&mm->mmlist);
        mm_pgtables_bytes_init(mm);
        mm->map_count = 0;
        mm->locked_vm = 0;
        atomic_long_set(&mm->pinned_vm, 0);
        new Span<byte>(&mm->rss_stat, sizeof(mm_struct.__rss_stat_array)).Clear();
        spin_lock_init(&mm->page_table_lock);
        spin_lock_init(&mm->arg_lock);
        mm_init_cpumask(mm);
        mm_init_aio(mm);
        mm_init_owner(mm, p);
        mm_pasid_init(mm);
        mm->exe_file = null;
        mmu_notifier_subscriptions_init(mm);
        init_tlb_flush_pending(mm);
        mm_init_uprobes_state(mm);
        hugetlb_count_init(mm);
        atomic_long_set(&mm->futex_unique_id, 0);

        if (current_mm != null)
        {
            mm->flags = mmf_init_flags(current_mm->flags);
            mm->def_flags = current_mm->def_flags & VM_INIT_DEF_MASK;
        }
        else
        {
            mm->flags = default_dump_filter;
            mm->def_flags = 0;
        }

        if (mm_alloc_pgd(mm) != 0)
            goto fail_nopgd;

        if (init_new_context(p, mm) != 0)
            goto fail_nocontext;

        if (mm_alloc_cid(mm) != 0)
            goto fail_cid;

        if (percpu_counter_init_many(&mm->rss_stat[0], 0, GFP_KERNEL_ACCOUNT,
                                     NR_MM_COUNTERS) != 0)
            goto fail_pcpu;

        mm->user_ns = null; // get_user_ns(user_ns)
        lru_gen_init_mm(mm);
        return mm;

    fail_pcpu:
        mm_destroy_cid(mm);
    fail_cid:
        destroy_context(mm);
    fail_nocontext:
        mm_free_pgd(mm);
    fail_nopgd:
        free_mm(mm);
        return null;
    }

    [Upstream("kernel/fork.c", "mm_alloc", "717bce02731d3274")]
    internal mm_struct* mm_alloc()
    {
        mm_struct* mm;

        mm = allocate_mm();
        if (mm == null)
            return null;

        new Span<byte>(mm, sizeof(mm_struct)).Clear();
        return mm_init(mm, null, null);
    }

    // The address space goes (exit_mmap); the struct stays until the last mmdrop.
    [Upstream("kernel/fork.c", "__mmput", "46f2fdf63a97861e")]
    internal void __mmput(mm_struct* mm)
    {
        VM_BUG_ON(atomic_read(&mm->mm_users) != 0);

        uprobe_clear_state(mm);
        // exit_aio: no AIO contexts.
        ksm_exit(mm);
        khugepaged_exit(mm);
        exit_mmap(mm);
        // mm_put_huge_zero_folio: THP off. set_mm_exe_file(mm, NULL): no files.
        if (!list_empty(&mm->mmlist))
            throw new NotSupportedException("Emu has no swap: an mm on mmlist (mmlist_lock)");
        // mm->binfmt: no binaries are loaded.
        lru_gen_del_mm(mm);
        mmdrop(mm);
    }

    [Upstream("kernel/fork.c", "mmput", "9d554c0296f9e94e")]
    internal void mmput(mm_struct* mm)
    {
        might_sleep();

        if (atomic_dec_and_test(&mm->mm_users))
            __mmput(mm);
    }

    // tsk: Emu has no task_struct (null).
    [Upstream("kernel/fork.c", "dup_mm", "c2404376d58e6c76")]
    internal mm_struct* dup_mm(void* tsk,
                               mm_struct* oldmm)
    {
        mm_struct* mm;
        int err = 0;

        mm = allocate_mm();
        if (mm == null)
            goto fail_nomem;

        Buffer.MemoryCopy(oldmm, mm, sizeof(mm_struct), sizeof(mm_struct));

        if (mm_init(mm, tsk, mm->user_ns) == null)
            goto fail_nomem;

        uprobe_start_dup_mmap();
        err = dup_mmap(mm, oldmm);
        if (err != 0)
            goto free_pt;
        uprobe_end_dup_mmap();

        mm->hiwater_rss = get_mm_rss(mm);
        mm->hiwater_vm = mm->total_vm;

        // mm->binfmt is NULL: no module to pin.
        return mm;

    free_pt:
        mm->binfmt = null;
        mm_init_owner(mm, null);
        mmput(mm);
        if (err != 0)
            uprobe_end_dup_mmap();

    fail_nomem:
        return null;
    }

    // mm_size adds cpumask_size() and mm_cid_size() for the trailing cpu_bitmap: one CPU's worth.
    [Upstream("kernel/fork.c", "mm_cache_init", "66fab9288e469146")]
    internal void mm_cache_init()
    {
        uint mm_size;

        mm_size = (uint)((ulong)sizeof(mm_struct) + cpumask_size() + mm_cid_size());

        mm_cachep = kmem_cache_create("mm_struct",
                                      mm_size, ARCH_MIN_MMSTRUCT_ALIGN,
                                      SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT,
                                      null);
    }

    // ---- models of the task/arch pieces mm_init and __mmdrop call ----

    // ARCH_MIN_MMSTRUCT_ALIGN: x86 does not define it; the generic value is 0.
    private const uint ARCH_MIN_MMSTRUCT_ALIGN = 0;

    // cpumask_size(): BITS_TO_LONGS(nr_cpu_ids) longs.
    private static ulong cpumask_size() => (ulong)((nr_cpu_ids + 63) / 64) * sizeof(ulong);

    [Upstream("include/linux/mm_types.h", "mm_cid_size", "9003a6f31d4edf24")]
    internal static uint mm_cid_size()
    {
        return (uint)cpumask_size();
    }

    // Pending fatal signal of current: Emu delivers no signals.
    private static bool fatal_signal_pending() => false;

    [Upstream("include/linux/mm_types.h", "mm_init_cpumask", "5afa4db9249e35da")]
    internal static void mm_init_cpumask(mm_struct* mm)
    {
        ulong cpu_bitmap = (ulong)mm;

        cpu_bitmap += (ulong)offsetof.mm_struct.cpu_bitmap;
        new Span<byte>((void*)cpu_bitmap, (int)cpumask_size()).Clear(); // cpumask_clear
    }

    // mm_alloc_cid (CONFIG_SCHED_MM_CID): the per-CPU concurrency-id slots and the cid mask
    // after cpu_bitmap. Model: one CPU's slot, with mm_init_cid's values (MM_CID_UNSET, time 0).
    private int mm_alloc_cid(mm_struct* mm)
    {
        mm->pcpu_cid = (mm_cid*)kzalloc((nuint)(sizeof(mm_cid) * nr_cpu_ids), GFP_KERNEL);
        if (mm->pcpu_cid == null)
            return -ENOMEM;
        mm->mm_cid_next_scan = 0; // jiffies + msecs_to_jiffies(MM_CID_SCAN_DELAY): no clock
        for (int i = 0; i < nr_cpu_ids; i++)
        {
            mm->pcpu_cid[i].cid = unchecked((int)MM_CID_UNSET);
            mm->pcpu_cid[i].time = 0;
        }
        new Span<byte>((byte*)mm + offsetof.mm_struct.cpu_bitmap + (int)cpumask_size(), (int)cpumask_size()).Clear();
        return 0;
    }

    private void mm_destroy_cid(mm_struct* mm)
    {
        kfree(mm->pcpu_cid);
        mm->pcpu_cid = null;
    }

    // x86 init_new_context: a fresh context id and TLB generation; no LDT, and the emulated CPU
    // has no OSPKE (protection keys) and no LAM (untag mask).
    private long last_mm_ctx_id = 1;

    private int init_new_context(void* tsk, mm_struct* mm)
    {
        mutex_init(&mm->context.@lock);

        mm->context.ctx_id = (ulong)System.Threading.Interlocked.Increment(ref last_mm_ctx_id);
        atomic_long_set(&mm->context.tlb_gen, 0);
        mm->context.next_trim_cpumask = 0; // jiffies + HZ: no clock
        init_rwsem(&mm->context.ldt_usr_sem);
        mm->context.ldt = null;
        return 0;
    }

    // x86 destroy_context: only the LDT, which Emu never creates.
    private static void destroy_context(mm_struct* mm)
    {
    }

    [Upstream("include/linux/iommu.h", "mm_pasid_init", "295351d300416bcf")]
    internal static void mm_pasid_init(mm_struct* mm)
    {
        mm->iommu_mm = null;
    }

    [Upstream("include/linux/mm_inline.h", "init_tlb_flush_pending", "c4bc70acbe713e52")]
    internal static void init_tlb_flush_pending(mm_struct* mm)
    {
        atomic_set(&mm->tlb_flush_pending, 0);
    }

    [Upstream("include/linux/hugetlb.h", "hugetlb_count_init", "73c1c7b2a632bf64")]
    internal static void hugetlb_count_init(mm_struct* mm)
    {
        atomic_long_set(&mm->hugetlb_usage, 0);
    }

    [Upstream("include/linux/mm_types.h", "lru_gen_init_mm", "e5343f928904f4f4")]
    internal static void lru_gen_init_mm(mm_struct* mm)
    {
        INIT_LIST_HEAD(&mm->lru_gen.list);
        mm->lru_gen.bitmap = 0;
        mm->lru_gen.memcg = null;
    }

    // lru_gen_del_mm (mm/vmscan.c): an mm joins the mm list on first exec/switch, which Emu does
    // not do, so there is nothing to remove.
    private static void lru_gen_del_mm(mm_struct* mm)
    {
        if (!list_empty(&mm->lru_gen.list))
            throw new NotSupportedException("Emu never adds an mm to the lru_gen mm list");
    }

    // x86 arch_dup_mmap: ldt_dup_context and the pkey map; neither exists in Emu.
    private static int arch_dup_mmap(mm_struct* oldmm, mm_struct* mm)
    {
        return 0;
    }

    // flush_tlb_mm: Emu models no TLB (see tlbflush.cs).
    internal static void flush_tlb_mm(mm_struct* mm)
    {
        flush_tlb_mm_range(mm, 0, ulong.MaxValue, PAGE_SHIFT, false);
    }
}
