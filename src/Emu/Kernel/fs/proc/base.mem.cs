// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 fs/proc/base.c: /proc/pid/mem reads and writes (mem_rw) with
// proc_mem_foll_force under CONFIG_PROC_MEM_ALWAYS_FORCE (Debian's choice: FOLL_FORCE always).
// Model: the file's mm is passed in (mem_open's grab), the user buffer is a kernel one (the
// caller's copy_from_user/copy_to_user), and the position is the caller's.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("fs/proc/base.c", "proc_mem_foll_force", "6fe170674bd57a94")]
    private static bool proc_mem_foll_force(mm_struct* mm) =>
        // proc_mem_force_override is PROC_MEM_FORCE_ALWAYS with CONFIG_PROC_MEM_ALWAYS_FORCE.
        true;

    [Upstream("fs/proc/base.c", "mem_rw", "8ccabc9787b36a49")]
    internal long mem_rw(mm_struct* mm, byte* buf, ulong count, ulong* ppos, bool write)
    {
        ulong addr = *ppos;
        long copied;
        byte* page;
        uint flags;

        if (mm == null)
            return 0;

        page = (byte*)__get_free_pages(GFP_KERNEL, 0); // __get_free_page
        if (page == null)
            return -ENOMEM;

        copied = 0;
        if (!mmget_not_zero(mm))
            goto free;

        flags = write ? (uint)FOLL_WRITE : 0;
        if (proc_mem_foll_force(mm))
            flags |= (uint)FOLL_FORCE;

        while (count > 0)
        {
            ulong this_len = System.Math.Min(count, PAGE_SIZE);

            if (write)
                System.Buffer.MemoryCopy(buf, page, this_len, this_len);

            this_len = (ulong)access_remote_vm(mm, addr, page, (int)this_len, flags);
            if (this_len == 0)
            {
                if (copied == 0)
                    copied = -EIO;
                break;
            }

            if (!write)
                System.Buffer.MemoryCopy(page, buf, this_len, this_len);

            buf += this_len;
            addr += this_len;
            copied += (long)this_len;
            count -= this_len;
        }
        *ppos = addr;

        mmput(mm);
    free:
        free_page((ulong)page);
        return copied;
    }
}
