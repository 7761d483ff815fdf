// SPDX-License-Identifier: GPL-2.0-only
// mm/util.c: the mmap entry (vm_mmap_pgoff) and commit accounting (__vm_enough_memory).
// No swap exists in Emu (total_swap_pages is 0).
using System;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/util.c", "vm_mmap_pgoff", "9f81bfb08ea795ba")]
    internal ulong vm_mmap_pgoff(void* file, ulong addr, ulong len, ulong prot, ulong flag, ulong pgoff)
    {
        ulong ret;
        mm_struct* mm = current_mm;
        ulong populate;
        list_head uf;
        INIT_LIST_HEAD(&uf);

        ret = (ulong)(long)security_mmap_file(file, prot, flag);
        if (ret == 0)
        {
            if (mmap_write_lock_killable(mm) != 0)
                return unchecked((ulong)-EINTR);
            ret = do_mmap(file, addr, len, prot, flag, 0, pgoff, &populate,
                &uf);
            mmap_write_unlock(mm);
            userfaultfd_unmap_complete(mm, &uf);
            if (populate != 0)
                mm_populate(ret, populate);
        }
        return ret;
    }

    /// <summary>OVERCOMMIT_GUESS (Debian's default) and ALWAYS as upstream; NEVER needs vm_commit_limit, not modelled.</summary>
    [Upstream("mm/util.c", "__vm_enough_memory", "d26cc14b1915edb6")]
    internal int __vm_enough_memory(mm_struct* mm, long pages, int cap_sys_admin)
    {
        vm_acct_memory(pages);

        if (sysctl_overcommit_memory == OVERCOMMIT_ALWAYS)
            return 0;

        if (sysctl_overcommit_memory == OVERCOMMIT_GUESS)
        {
            // totalram_pages(): the machine's RAM in pages (max_pfn); total_swap_pages is 0: no swap.
            if (pages > (long)max_pfn)
                goto error;
            return 0;
        }

        throw new NotSupportedException("__vm_enough_memory: OVERCOMMIT_NEVER (vm_commit_limit) is not modelled");
    error:
        pr_warn($"__vm_enough_memory: pid: 1, comm: emu, bytes: {(ulong)pages << (int)PAGE_SHIFT} not enough memory for the allocation");
        vm_unacct_memory(pages);

        return -ENOMEM;
    }
}
