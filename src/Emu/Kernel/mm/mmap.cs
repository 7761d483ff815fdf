// SPDX-License-Identifier: GPL-2.0-only
// mm/mmap.c: mmap/munmap, the unmapped-area search, VMA lookups, exit_mmap, accounting.
// Emu has no files: a file-backed do_mmap cannot be asked for (ksys_mmap_pgoff's fget fails
// with -EBADF, as for a closed fd), so the file branches throw (no_files). MAP_SHARED|MAP_ANONYMOUS
// needs shmem (shmem_zero_setup), which Emu does not have: that call is a visible stub that
// fails with -ENOMEM after the upstream checks, so nothing half-done stays behind.
// Resource limits are Debian's defaults for an unprivileged task (see rlimit()); no LSM is
// loaded (security_* return 0, security_mmap_addr checks mmap_min_addr as the capability
// module does for a task without CAP_SYS_RAWIO).
using System;
using static Emu.Kernel.KernelConstants;
using pgoff_t = ulong;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>mm/mmap.c's stack_guard_gap: 256 pages unless "stack_guard_gap=" says otherwise.</summary>
    internal ulong stack_guard_gap = 256UL << (int)KernelConstants.PAGE_SHIFT;

    [Upstream("mm/mmap.c", "find_vma_intersection", "c48dc96c0c87177f")]
    internal vm_area_struct* find_vma_intersection(mm_struct* mm, ulong start_addr, ulong end_addr)
    {
        ulong index = start_addr;

        mmap_assert_locked(mm);
        return (vm_area_struct*)mt_find(&mm->mm_mt, &index, end_addr - 1);
    }

    [Upstream("mm/mmap.c", "find_vma", "1763d4afb70db746")]
    internal vm_area_struct* find_vma(mm_struct* mm, ulong addr)
    {
        ulong index = addr;

        mmap_assert_locked(mm);
        return (vm_area_struct*)mt_find(&mm->mm_mt, &index, ulong.MaxValue);
    }

    [Upstream("mm/mmap.c", "find_vma_prev", "d78a1581fc1f9e29")]
    internal vm_area_struct* find_vma_prev(mm_struct* mm, ulong addr, vm_area_struct** pprev)
    {
        vm_area_struct* vma;
        vma_iterator vmi = VMA_ITERATOR(mm, addr);

        vma = vma_iter_load(&vmi);
        *pprev = vma_prev(&vmi);
        if (vma == null)
            vma = vma_next(&vmi);
        return vma;
    }

    [Upstream("include/uapi/asm-generic/errno.h", "EOVERFLOW", UpstreamAttribute.Macro)]
    internal const int EOVERFLOW = 75;

    [Upstream("include/uapi/asm-generic/errno.h", "EOPNOTSUPP", UpstreamAttribute.Macro)]
    internal const int EOPNOTSUPP = 95;

    [Upstream("include/uapi/asm-generic/resource.h", "RLIMIT_DATA", UpstreamAttribute.Macro)]
    internal const int RLIMIT_DATA = 2;

    [Upstream("include/uapi/asm-generic/resource.h", "RLIMIT_STACK", UpstreamAttribute.Macro)]
    internal const int RLIMIT_STACK = 3;

    [Upstream("include/uapi/asm-generic/resource.h", "RLIMIT_MEMLOCK", UpstreamAttribute.Macro)]
    internal const int RLIMIT_MEMLOCK = 8;

    [Upstream("include/uapi/asm-generic/resource.h", "RLIMIT_AS", UpstreamAttribute.Macro)]
    internal const int RLIMIT_AS = 9;

    [Upstream("include/uapi/linux/capability.h", "CAP_IPC_LOCK", UpstreamAttribute.Macro)]
    internal const int CAP_IPC_LOCK = 14;

    [Upstream("include/uapi/linux/capability.h", "CAP_SYS_ADMIN", UpstreamAttribute.Macro)]
    internal const int CAP_SYS_ADMIN = 21;

    /// <summary>mm/util.c's mmap_min_addr: CONFIG_DEFAULT_MMAP_MIN_ADDR (Debian: 65536).</summary>
    internal ulong mmap_min_addr = 65536;

    /// <summary>mm/util.c's sysctl_overcommit_memory: OVERCOMMIT_GUESS.</summary>
    internal int sysctl_overcommit_memory = OVERCOMMIT_GUESS;

    /// <summary>mm/mmap.c's ignore_rlimit_data (boot option, off).</summary>
    internal bool ignore_rlimit_data;

    /// <summary>
    /// include/linux/sched/signal.h's rlimit(): Emu's one task has Debian's default limits —
    /// RLIMIT_STACK 8 MiB (_STK_LIM), RLIMIT_MEMLOCK 8 MiB (MLOCK_LIMIT), everything else
    /// RLIM_INFINITY. Tests may change them through rlimits.
    /// </summary>
    internal readonly ulong[] rlimits = CreateRlimits();

    private static ulong[] CreateRlimits()
    {
        var r = new ulong[16];
        Array.Fill(r, ulong.MaxValue);
        r[RLIMIT_STACK] = 8UL * 1024 * 1024;
        r[RLIMIT_MEMLOCK] = 8UL * 1024 * 1024;
        return r;
    }

    internal ulong rlimit(int limit) => rlimits[limit];

    internal ulong rlimit_max(int limit) => ulong.MaxValue;

    /// <summary>Emu's task has no capabilities beyond what an unprivileged user has.</summary>
    internal static bool capable(int cap) => false;

    [Upstream("mm/mmap.c", "vma_set_page_prot", "4f71542db227aef9")]
    internal void vma_set_page_prot(vm_area_struct* vma)
    {
        ulong vm_flags = vma->vm_flags;
        pgprot vm_page_prot;

        vm_page_prot = vm_pgprot_modify(vma->vm_page_prot, vm_flags);
        if (vma_wants_writenotify(vma, vm_page_prot))
        {
            vm_flags &= ~(ulong)VM_SHARED;
            vm_page_prot = vm_pgprot_modify(vm_page_prot, vm_flags);
        }
        // Readers of vm_page_prot may not hold mmap_lock.
        System.Threading.Volatile.Write(ref vma->vm_page_prot.pgprot_, vm_page_prot.pgprot_);
    }

    [Upstream("mm/mmap.c", "round_hint_to_min", "1fa41296aed3efac")]
    private ulong round_hint_to_min(ulong hint)
    {
        hint &= PAGE_MASK;
        if ((hint != 0) &&
            (hint < mmap_min_addr))
            return PAGE_ALIGN(mmap_min_addr);
        return hint;
    }

    [Upstream("mm/mmap.c", "mlock_future_ok", "5831f537666bf4ab")]
    internal bool mlock_future_ok(mm_struct* mm, ulong flags, ulong bytes)
    {
        ulong locked_pages, limit_pages;

        if ((flags & VM_LOCKED) == 0 || capable(CAP_IPC_LOCK))
            return true;

        locked_pages = bytes >> (int)PAGE_SHIFT;
        locked_pages += mm->locked_vm;

        limit_pages = rlimit(RLIMIT_MEMLOCK);
        limit_pages >>= (int)PAGE_SHIFT;

        return locked_pages <= limit_pages;
    }

    /// <summary>file is always NULL in Emu (see the file comment); pkey is 0 without PKU.</summary>
    [Upstream("mm/mmap.c", "do_mmap", "76d9a30b28d41b05")]
    internal ulong do_mmap(void* file, ulong addr, ulong len, ulong prot, ulong flags, ulong vm_flags,
        ulong pgoff, ulong* populate, list_head* uf)
    {
        mm_struct* mm = current_mm;
        int pkey = 0;

        *populate = 0;

        if (len == 0)
            return unchecked((ulong)-EINVAL);

        // READ_IMPLIES_EXEC is not in Emu's personality.

        if ((flags & MAP_FIXED_NOREPLACE) != 0)
            flags |= MAP_FIXED;

        if ((flags & MAP_FIXED) == 0)
            addr = round_hint_to_min(addr);

        len = PAGE_ALIGN(len);
        if (len == 0)
            return unchecked((ulong)-ENOMEM);

        if ((pgoff + (len >> (int)PAGE_SHIFT)) < pgoff)
            return unchecked((ulong)-EOVERFLOW);

        if (mm->map_count > sysctl_max_map_count)
            return unchecked((ulong)-ENOMEM);

        if (prot == PROT_EXEC)
        {
            pkey = execute_only_pkey(mm);
            if (pkey < 0)
                pkey = 0;
        }

        vm_flags |= calc_vm_prot_bits(prot, (ulong)pkey) | calc_vm_flag_bits(file, flags) |
            mm->def_flags | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

        addr = __get_unmapped_area(file, addr, len, pgoff, flags, vm_flags);
        if (IS_ERR_VALUE(addr))
            return addr;

        if ((flags & MAP_FIXED_NOREPLACE) != 0)
        {
            if (find_vma_intersection(mm, addr, addr + len) != null)
                return unchecked((ulong)-EEXIST);
        }

        if ((flags & MAP_LOCKED) != 0)
            if (!can_do_mlock())
                return unchecked((ulong)-EPERM);

        if (!mlock_future_ok(mm, vm_flags, len))
            return unchecked((ulong)-EAGAIN);

        if (file != null)
        {
            throw no_files("do_mmap");
        }
        else
        {
            switch (flags & MAP_TYPE)
            {
                case MAP_SHARED:
                    if ((vm_flags & (VM_GROWSDOWN | VM_GROWSUP)) != 0)
                        return unchecked((ulong)-EINVAL);
                    // Anonymous shared memory ignores pgoff.
                    pgoff = 0;
                    vm_flags |= VM_SHARED | VM_MAYSHARE;
                    break;
                case MAP_DROPPABLE:
                    ulong droppable = VM_DROPPABLE;
                    if (droppable == VM_NONE)
                        return unchecked((ulong)-EOPNOTSUPP);
                    if ((flags & (MAP_LOCKED | MAP_HUGETLB)) != 0)
                        return unchecked((ulong)-EINVAL);
                    if ((vm_flags & (VM_GROWSDOWN | VM_GROWSUP)) != 0)
                        return unchecked((ulong)-EINVAL);

                    vm_flags |= VM_DROPPABLE;

                    // Droppable pages are never accounted, never inherited, never dumped.
                    vm_flags |= VM_NORESERVE;

                    vm_flags |= VM_WIPEONFORK | VM_DONTDUMP;
                    goto case MAP_PRIVATE;
                case MAP_PRIVATE:
                    // Private anonymous pages take their offset from the address, for rmap.
                    pgoff = addr >> (int)PAGE_SHIFT;
                    break;
                default:
                    return unchecked((ulong)-EINVAL);
            }
        }

        if ((flags & MAP_NORESERVE) != 0)
        {
            if (sysctl_overcommit_memory != OVERCOMMIT_NEVER)
                vm_flags |= VM_NORESERVE;
        }

        addr = mmap_region(file, addr, len, vm_flags, pgoff, uf);
        if (!IS_ERR_VALUE(addr) &&
            ((vm_flags & VM_LOCKED) != 0 ||
             (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE))
            *populate = len;
        return addr;
    }

    /// <summary>Emu has no file descriptors: without MAP_ANONYMOUS, fget() fails and the answer is -EBADF.</summary>
    [Upstream("mm/mmap.c", "ksys_mmap_pgoff", "9712626f03059251")]
    internal ulong ksys_mmap_pgoff(ulong addr, ulong len, ulong prot, ulong flags, ulong fd, ulong pgoff)
    {
        void* file = null;
        ulong retval;

        if ((flags & MAP_ANONYMOUS) == 0)
        {
            // fget(fd) finds no file.
            return unchecked((ulong)-EBADF);
        }
        else if ((flags & MAP_HUGETLB) != 0)
        {
            // hstate_sizelog() finds no hstate: Emu has no hugetlb pools.
            return unchecked((ulong)-EINVAL);
        }

        retval = vm_mmap_pgoff(file, addr, len, prot, flags, pgoff);
        return retval;
    }

    [Upstream("mm/mmap.c", "accountable_mapping", "abd767aad98a8115")]
    private static bool accountable_mapping(void* file, ulong vm_flags)
    {
        // Only private writable mappings that may need swap are charged.
        return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
    }

    [Upstream("mm/mmap.c", "unmapped_area", "cca4293cc681f520")]
    private ulong unmapped_area(vm_unmapped_area_info* info)
    {
        ulong length, gap;
        ulong low_limit, high_limit;
        vm_area_struct* tmp;
        vma_iterator vmi = VMA_ITERATOR(current_mm, 0);

        // Room for the alignment and the guard gap as well.
        length = info->length + info->align_mask + info->start_gap;
        if (length < info->length)
            return unchecked((ulong)-ENOMEM);

        low_limit = info->low_limit;
        if (low_limit < mmap_min_addr)
            low_limit = mmap_min_addr;
        high_limit = info->high_limit;
    retry:
        if (vma_iter_area_lowest(&vmi, low_limit, high_limit, length) != 0)
            return unchecked((ulong)-ENOMEM);

        gap = vma_iter_addr(&vmi) + info->start_gap;
        gap += (info->align_offset - gap) & info->align_mask;
        tmp = vma_next(&vmi);
        if (tmp != null && (tmp->vm_flags & VM_STARTGAP_FLAGS) != 0)
        {
            if (vm_start_gap(tmp) < gap + length - 1)
            {
                low_limit = tmp->vm_end;
                vma_iter_reset(&vmi);
                goto retry;
            }
        }
        else
        {
            tmp = vma_prev(&vmi);
            if (tmp != null && vm_end_gap(tmp) > gap)
            {
                low_limit = vm_end_gap(tmp);
                vma_iter_reset(&vmi);
                goto retry;
            }
        }

        return gap;
    }

    [Upstream("mm/mmap.c", "unmapped_area_topdown", "dd157af18c07b06d")]
    private ulong unmapped_area_topdown(vm_unmapped_area_info* info)
    {
        ulong length, gap, gap_end;
        ulong low_limit, high_limit;
        vm_area_struct* tmp;
        vma_iterator vmi = VMA_ITERATOR(current_mm, 0);

        length = info->length + info->align_mask + info->start_gap;
        if (length < info->length)
            return unchecked((ulong)-ENOMEM);

        low_limit = info->low_limit;
        if (low_limit < mmap_min_addr)
            low_limit = mmap_min_addr;
        high_limit = info->high_limit;
    retry:
        if (vma_iter_area_highest(&vmi, low_limit, high_limit, length) != 0)
            return unchecked((ulong)-ENOMEM);

        gap = vma_iter_end(&vmi) - info->length;
        gap -= (gap - info->align_offset) & info->align_mask;
        gap_end = vma_iter_end(&vmi);
        tmp = vma_next(&vmi);
        if (tmp != null && (tmp->vm_flags & VM_STARTGAP_FLAGS) != 0)
        {
            if (vm_start_gap(tmp) < gap_end)
            {
                high_limit = vm_start_gap(tmp);
                vma_iter_reset(&vmi);
                goto retry;
            }
        }
        else
        {
            tmp = vma_prev(&vmi);
            if (tmp != null && vm_end_gap(tmp) > gap)
            {
                high_limit = tmp->vm_start;
                vma_iter_reset(&vmi);
                goto retry;
            }
        }

        return gap;
    }

    [Upstream("mm/mmap.c", "vm_unmapped_area", "5eafd9ffe06bcb12")]
    internal ulong vm_unmapped_area(vm_unmapped_area_info* info)
    {
        ulong addr;

        if ((info->flags & VM_UNMAPPED_AREA_TOPDOWN) != 0)
            addr = unmapped_area_topdown(info);
        else
            addr = unmapped_area(info);

        return addr;
    }

    [Upstream("mm/mmap.c", "mm_get_unmapped_area_vmflags", "a8fbace69afa13fb")]
    internal ulong mm_get_unmapped_area_vmflags(mm_struct* mm, void* filp, ulong addr, ulong len, ulong pgoff,
        ulong flags, ulong vm_flags)
    {
        if (test_bit(MMF_TOPDOWN, &mm->flags))
            return arch_get_unmapped_area_topdown(filp, addr, len, pgoff,
                flags, vm_flags);
        return arch_get_unmapped_area(filp, addr, len, pgoff, flags, vm_flags);
    }

    [Upstream("mm/mmap.c", "__get_unmapped_area", "4123e7d79b9eb6d0")]
    internal ulong __get_unmapped_area(void* file, ulong addr, ulong len, ulong pgoff, ulong flags, ulong vm_flags)
    {
        bool get_area = false;

        ulong error = arch_mmap_check(addr, len, flags);
        if (error != 0)
            return error;

        if (len > TASK_SIZE)
            return unchecked((ulong)-ENOMEM);

        if (file != null)
        {
            throw no_files("__get_unmapped_area");
        }
        else if ((flags & MAP_SHARED) != 0)
        {
            // shmem_get_unmapped_area: Emu has no shmem; the default search is used.
            get_area = false;
        }

        if (file == null)
            pgoff = 0;

        if (get_area)
        {
            throw new NotSupportedException("get_unmapped_area hooks: no files or shmem in Emu");
        }
        else if (addr == 0 && (len & (PMD_SIZE - 1)) == 0)
        {
            // CONFIG_TRANSPARENT_HUGEPAGE: PMD-multiple lengths without a hint get PMD alignment.
            addr = thp_get_unmapped_area_vmflags(file, addr, len,
                pgoff, flags, vm_flags);
        }
        else
        {
            addr = mm_get_unmapped_area_vmflags(current_mm, file, addr, len,
                pgoff, flags, vm_flags);
        }
        if (IS_ERR_VALUE(addr))
            return addr;

        if (addr > TASK_SIZE - len)
            return unchecked((ulong)-ENOMEM);
        if (offset_in_page(addr) != 0)
            return unchecked((ulong)-EINVAL);

        error = (ulong)(long)security_mmap_addr(addr);
        return error != 0 ? error : addr;
    }

    [Upstream("mm/mmap.c", "mm_get_unmapped_area", "64ae551bb00aad46")]
    internal ulong mm_get_unmapped_area(mm_struct* mm, void* file, ulong addr, ulong len, ulong pgoff, ulong flags)
    {
        if (test_bit(MMF_TOPDOWN, &mm->flags))
            return arch_get_unmapped_area_topdown(file, addr, len, pgoff, flags, 0);
        return arch_get_unmapped_area(file, addr, len, pgoff, flags, 0);
    }

    [Upstream("mm/mmap.c", "do_munmap", "ea56f199c1b33d84")]
    internal int do_munmap(mm_struct* mm, ulong start, ulong len, list_head* uf)
    {
        vma_iterator vmi = VMA_ITERATOR(mm, start);

        return do_vmi_munmap(&vmi, mm, start, len, uf, false);
    }

    [Upstream("mm/mmap.c", "__mmap_region", "0e30975cadfb3be7")]
    private ulong __mmap_region(void* file, ulong addr, ulong len, ulong vm_flags, ulong pgoff, list_head* uf)
    {
        mm_struct* mm = current_mm;
        vm_area_struct* vma = null;
        pgoff_t pglen = PHYS_PFN(len);
        ulong charged = 0;
        vma_munmap_struct vms;
        ma_state mas_detach;
        maple_tree mt_detach;
        ulong end = addr + len;
        int error;
        vma_iterator vmi = VMA_ITERATOR(mm, addr);
        vma_merge_struct vmg = VMG_STATE(mm, &vmi, addr, end, vm_flags, pgoff);

        vmg.file = file;
        // Anything already mapped in the range is unmapped first (MAP_FIXED).
        vma = vma_find(&vmi, end);
        init_vma_munmap(&vms, &vmi, vma, addr, end, uf, /* unlock = */ false);
        if (vma != null)
        {
            mt_init_flags(&mt_detach, vmi.mas.tree->ma_flags & (uint)MT_FLAGS_LOCK_MASK);
            mt_on_stack(&mt_detach);
            mas_init(&mas_detach, &mt_detach, /* addr = */ 0);
            error = vms_gather_munmap_vmas(&vms, &mas_detach);
            if (error != 0)
                goto gather_failed;

            vmg.next = vms.next;
            vmg.prev = vms.prev;
            vma = null;
        }
        else
        {
            mas_detach = default;
            mt_detach = default;
            vmg.next = vma_iter_next_rewind(&vmi, &vmg.prev);
        }

        if (!may_expand_vm(mm, vm_flags, pglen - vms.nr_pages))
        {
            error = -ENOMEM;
            goto abort_munmap;
        }

        // Private writable memory is charged against the commit limit.
        if (accountable_mapping(file, vm_flags))
        {
            charged = pglen;
            charged -= vms.nr_accounted;
            if (charged != 0)
            {
                error = security_vm_enough_memory_mm(mm, (long)charged);
                if (error != 0)
                    goto abort_munmap;
            }

            vms.nr_accounted = 0;
            vm_flags |= VM_ACCOUNT;
            vmg.flags = vm_flags;
        }

        // Clear the old PTEs before a merge can make the range reachable again.
        vms_clean_up_area(&vms, &mas_detach);
        vma = vma_merge_new_range(&vmg);
        if (vma != null)
            goto expanded;

        vma = vm_area_alloc(mm);
        if (vma == null)
        {
            error = -ENOMEM;
            goto unacct_error;
        }

        vma_iter_config(&vmi, addr, end);
        vma_set_range(vma, addr, end, pgoff);
        vm_flags_init(vma, vm_flags);
        vma->vm_page_prot = vm_get_page_prot(vm_flags);

        if (vma_iter_prealloc(&vmi, vma) != 0)
        {
            error = -ENOMEM;
            goto free_vma;
        }

        if (file != null)
        {
            throw no_files("__mmap_region");
        }
        else if ((vm_flags & VM_SHARED) != 0)
        {
            error = shmem_zero_setup(vma);
            if (error != 0)
                goto free_iter_vma;
        }
        else
        {
            vma_set_anonymous(vma);
        }

        vma_start_write(vma);
        vma_iter_store(&vmi, vma);
        mm->map_count++;
        vma_link_file(vma);

        khugepaged_enter_vma(vma, vma->vm_flags);

        ksm_add_vma(vma);
    expanded:
        vms_complete_munmap_vmas(&vms, &mas_detach);

        vm_stat_account(mm, vm_flags, (long)pglen);
        if ((vm_flags & VM_LOCKED) != 0)
        {
            if (!vma_supports_mlock(vma))
                vm_flags_clear(vma, VM_LOCKED_MASK);
            else
                mm->locked_vm += pglen;
        }

        // A new mapping starts soft-dirty, so soft-dirty tracking sees it as written.
        vm_flags_set(vma, VM_SOFTDIRTY);

        vma_set_page_prot(vma);

        return addr;

    free_iter_vma:
        vma_iter_free(&vmi);
    free_vma:
        vm_area_free(vma);
    unacct_error:
        if (charged != 0)
            vm_unacct_memory((long)charged);

    abort_munmap:
        vms_abort_munmap_vmas(&vms, &mas_detach);
    gather_failed:
        return unchecked((ulong)(long)error);
    }

    [Upstream("mm/mmap.c", "mmap_region", "6ef0cc696768c6b6")]
    internal ulong mmap_region(void* file, ulong addr, ulong len, ulong vm_flags, ulong pgoff, list_head* uf)
    {
        ulong ret;

        // Memory-deny-write-execute (prctl MDWE).
        if (map_deny_write_exec(vm_flags, vm_flags))
            return unchecked((ulong)-EACCES);

        if (!arch_validate_flags(vm_flags))
            return unchecked((ulong)-EINVAL);

        if (file != null && is_shared_maywrite(vm_flags))
            throw no_files("mmap_region");

        ret = __mmap_region(file, addr, len, vm_flags, pgoff, uf);

        validate_mm(current_mm);
        return ret;
    }

    [Upstream("mm/mmap.c", "__vm_munmap", "94ca4cf4739d894c")]
    internal int __vm_munmap(ulong start, ulong len, bool unlock)
    {
        int ret;
        mm_struct* mm = current_mm;
        list_head uf;
        INIT_LIST_HEAD(&uf);
        vma_iterator vmi = VMA_ITERATOR(mm, start);

        if (mmap_write_lock_killable(mm) != 0)
            return -EINTR;

        ret = do_vmi_munmap(&vmi, mm, start, len, &uf, unlock);
        if (ret != 0 || !unlock)
            mmap_write_unlock(mm);

        userfaultfd_unmap_complete(mm, &uf);
        return ret;
    }

    [Upstream("mm/mmap.c", "vm_munmap", "53838fbc80827fe0")]
    internal int vm_munmap(ulong start, ulong len)
    {
        return __vm_munmap(start, len, false);
    }

    [Upstream("mm/mmap.c", "exit_mmap", "4f23b9a10fc5412d")]
    internal void exit_mmap(mm_struct* mm)
    {
        mmu_gather tlb;
        vm_area_struct* vma;
        ulong nr_accounted = 0;
        vma_iterator vmi = VMA_ITERATOR(mm, 0);
        int count = 0;

        // No MMU notifiers in Emu (mmu_notifier_release is empty).

        mmap_read_lock(mm);
        // arch_exit_mmap: x86 has no LDT or paravirt work for Emu's task.

        vma = vma_next(&vmi);
        if (vma == null || xa_is_zero(vma))
        {
            // dup_mmap may have stopped before the first VMA.
            mmap_read_unlock(mm);
            mmap_write_lock(mm);
            goto destroy;
        }

        lru_add_drain();
        flush_cache_mm(mm);
        tlb_gather_mmu_fullmm(&tlb, mm);
        unmap_vmas(&tlb, &vmi.mas, vma, 0, ulong.MaxValue, ulong.MaxValue, false);
        mmap_read_unlock(mm);

        set_bit(MMF_OOM_SKIP, &mm->flags);
        mmap_write_lock(mm);
        mt_clear_in_rcu(&mm->mm_mt);
        vma_iter_set(&vmi, vma->vm_end);
        free_pgtables(&tlb, &vmi.mas, vma, FIRST_USER_ADDRESS,
            USER_PGTABLES_CEILING, true);
        tlb_finish_mmu(&tlb);

        // Free every VMA; nothing can reach them any more.
        vma_iter_set(&vmi, vma->vm_end);
        do
        {
            if ((vma->vm_flags & VM_ACCOUNT) != 0)
                nr_accounted += vma_pages(vma);
            remove_vma(vma, /* unreachable = */ true);
            count++;
            vma = vma_next(&vmi);
        } while (vma != null && !xa_is_zero(vma));

        BUG_ON(count != mm->map_count);

    destroy:
        __mt_destroy(&mm->mm_mt);
        mmap_write_unlock(mm);
        vm_unacct_memory((long)nr_accounted);
    }

    [Upstream("mm/mmap.c", "may_expand_vm", "85ac05db744f95d2")]
    internal bool may_expand_vm(mm_struct* mm, ulong flags, ulong npages)
    {
        if (mm->total_vm + npages > rlimit(RLIMIT_AS) >> (int)PAGE_SHIFT)
            return false;

        if (is_data_mapping(flags) &&
            mm->data_vm + npages > rlimit(RLIMIT_DATA) >> (int)PAGE_SHIFT)
        {
            // Valgrind sets RLIMIT_DATA to 0 and relies on the hard limit.
            if (rlimit(RLIMIT_DATA) == 0 &&
                mm->data_vm + npages <= rlimit_max(RLIMIT_DATA) >> (int)PAGE_SHIFT)
                return true;

            pr_warn($"emu: VmData {(mm->data_vm + npages) << (int)PAGE_SHIFT} exceed data ulimit {rlimit(RLIMIT_DATA)}. Update limits{(ignore_rlimit_data ? "" : " or use boot option ignore_rlimit_data")}.");

            if (!ignore_rlimit_data)
                return false;
        }

        return true;
    }

    [Upstream("mm/mmap.c", "vm_stat_account", "edd4852869df6fe1")]
    internal void vm_stat_account(mm_struct* mm, ulong flags, long npages)
    {
        System.Threading.Volatile.Write(ref mm->total_vm, (ulong)((long)System.Threading.Volatile.Read(ref mm->total_vm) + npages));

        if (is_exec_mapping(flags))
            mm->exec_vm = (ulong)((long)mm->exec_vm + npages);
        else if (is_stack_mapping(flags))
            mm->stack_vm = (ulong)((long)mm->stack_vm + npages);
        else if (is_data_mapping(flags))
            mm->data_vm = (ulong)((long)mm->data_vm + npages);
    }
}
