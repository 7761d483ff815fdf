// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/memory.c: access to another mm through GUP
// (__access_remote_vm, access_remote_vm), what /proc/pid/mem and ptrace use, with
// include/linux/mm.h's get_user_page_vma_remote. No VMA in Emu has vm_ops->access (no VM_IO or
// VM_PFNMAP mappings), so that branch copies nothing, as for a VMA without the op.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/mm.h", "get_user_page_vma_remote", "9af4cb739c7722a4")]
    internal page* get_user_page_vma_remote(mm_struct* mm, ulong addr, int gup_flags, vm_area_struct** vmap)
    {
        page* page;
        vm_area_struct* vma;
        long got;

        if (WARN_ON_ONCE((gup_flags & FOLL_NOWAIT) != 0))
            return ERR_PTR<page>(-EINVAL);

        got = get_user_pages_remote(mm, addr, 1, (uint)gup_flags, &page, null);

        if (got < 0)
            return ERR_PTR<page>(got);

        vma = vma_lookup(mm, addr);
        if (WARN_ON_ONCE(vma == null))
        {
            put_page(page);
            return ERR_PTR<page>(-EINVAL);
        }

        *vmap = vma;
        return page;
    }

    [Upstream("mm/memory.c", "__access_remote_vm", "0ed944cccda1f4a5")]
    private int __access_remote_vm(mm_struct* mm, ulong addr, byte* buf, int len, uint gup_flags)
    {
        byte* old_buf = buf;
        uint write = gup_flags & FOLL_WRITE;

        if (mmap_read_lock_killable(mm) != 0)
            return 0;

        addr = untagged_addr_remote(mm, addr);

        // Keeps __get_user_pages from warning about a missing VMA.
        if (vma_lookup(mm, addr) == null && expand_stack(mm, addr) == null)
            return 0;

        // Errors stop the copy; the caller sees how much was transferred.
        while (len != 0)
        {
            int bytes, offset;
            byte* maddr;
            vm_area_struct* vma = null;
            page* page = get_user_page_vma_remote(mm, addr, (int)gup_flags, &vma);

            if (IS_ERR(page))
            {
                // The stack may need to grow to reach addr.
                vma = vma_lookup(mm, addr);
                if (vma == null)
                {
                    vma = expand_stack(mm, addr);

                    // expand_stack dropped mmap_lock when it failed.
                    if (vma == null)
                        return (int)(buf - old_buf);

                    // It grew: try again.
                    continue;
                }

                // VM_IO | VM_PFNMAP VMAs would go through vm_ops->access (CONFIG_HAVE_IOREMAP_PROT).
                bytes = 0;
                if (bytes <= 0)
                    break;
            }
            else
            {
                bytes = len;
                offset = (int)(addr & (PAGE_SIZE - 1));
                if (bytes > (int)PAGE_SIZE - offset)
                    bytes = (int)PAGE_SIZE - offset;

                maddr = (byte*)kmap_local_page(page);
                if (write != 0)
                {
                    // copy_to_user_page: a plain copy on x86.
                    System.Buffer.MemoryCopy(buf, maddr + offset, bytes, bytes);
                    set_page_dirty_lock(page);
                }
                else
                {
                    // copy_from_user_page
                    System.Buffer.MemoryCopy(maddr + offset, buf, bytes, bytes);
                }
                // unmap_and_put_page
                put_page(page);
            }
            len -= bytes;
            buf += bytes;
            addr += (ulong)bytes;
        }
        mmap_read_unlock(mm);

        return (int)(buf - old_buf);
    }

    [Upstream("mm/memory.c", "access_remote_vm", "24585b17f23970cd")]
    internal int access_remote_vm(mm_struct* mm, ulong addr, byte* buf, int len, uint gup_flags) =>
        __access_remote_vm(mm, addr, buf, len, gup_flags);
}
