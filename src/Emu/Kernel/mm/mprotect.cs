// SPDX-License-Identifier: GPL-2.0-only
// mm/mprotect.c: mprotect(2). do_mprotect_pkey and mprotect_fixup are transliterated; the PTE
// rewrite (change_protection and its page-table walk, change_pte_range) is NOT yet: it is the
// visible stub change_protection below, which throws unless the range has no page tables at
// all. The boot CPU has no OSPKE, so pkeys are always 0 and only pkey -1/0 are "allocated".
using System;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>
    /// Not transliterated yet (vma area): mm/mprotect.c change_protection. Nothing to do when
    /// the mm has no page tables; anything else throws.
    /// </summary>
    internal long change_protection(mmu_gather* tlb, vm_area_struct* vma, ulong start, ulong end, ulong cp_flags)
    {
        if (vma->vm_mm->pgd == null)
            return 0;
        throw new NotImplementedException("change_protection: mm/mprotect.c's PTE walk is not transliterated yet");
    }

    [Upstream("include/linux/mm.h", "MM_CP_TRY_CHANGE_WRITABLE", UpstreamAttribute.Macro)]
    internal const uint MM_CP_TRY_CHANGE_WRITABLE = 1U << 0;

    /// <summary>include/linux/mman.h default: x86 defines none.</summary>
    [Upstream("include/linux/mman.h", "arch_validate_prot", "92e8e692fd9182fe")]
    internal static bool arch_validate_prot(ulong prot, ulong addr)
    {
        return (prot & ~(ulong)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)) == 0;
    }

    [Upstream("arch/x86/include/asm/pkeys.h", "arch_override_mprotect_pkey", "a79582c8e51a0f30")]
    internal static int arch_override_mprotect_pkey(vm_area_struct* vma, int prot, int pkey)
    {
        // No OSPKE on Emu's boot CPU.
        return 0;
    }

    /// <summary>arch/x86/include/asm/pkeys.h: pkey 0 is always allocated; pkey_alloc does not exist in Emu.</summary>
    internal static bool mm_pkey_is_allocated(mm_struct* mm, int pkey)
    {
        return pkey == 0;
    }

    [Upstream("mm/mprotect.c", "mprotect_fixup", "a9e4ed312bfa66ff")]
    internal int mprotect_fixup(vma_iterator* vmi, mmu_gather* tlb, vm_area_struct* vma, vm_area_struct** pprev,
        ulong start, ulong end, ulong newflags)
    {
        mm_struct* mm = vma->vm_mm;
        ulong oldflags = vma->vm_flags;
        long nrpages = (long)((end - start) >> (int)PAGE_SHIFT);
        uint mm_cp_flags = 0;
        ulong charged = 0;
        int error;

        if (!can_modify_vma(vma))
            return -EPERM;

        if (newflags == oldflags)
        {
            *pprev = vma;
            return 0;
        }

        // The L1TF PFN check only concerns VM_PFNMAP/VM_MIXEDMAP, which Emu cannot create.
        if ((vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP)) != 0 &&
            (newflags & VM_ACCESS_FLAGS) == 0)
            throw new NotSupportedException("mprotect_fixup: PROT_NONE on a PFN mapping");

        // Becoming writable charges a private mapping; dropping write can uncharge only
        // anonymous memory that has no anon_vma yet.
        if ((newflags & VM_WRITE) != 0)
        {
            if (!may_expand_vm(mm, newflags, (ulong)nrpages) &&
                may_expand_vm(mm, oldflags, (ulong)nrpages))
                return -ENOMEM;
            if ((oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB |
                VM_SHARED | VM_NORESERVE)) == 0)
            {
                charged = (ulong)nrpages;
                if (security_vm_enough_memory_mm(mm, (long)charged) != 0)
                    return -ENOMEM;
                newflags |= VM_ACCOUNT;
            }
        }
        else if ((oldflags & VM_ACCOUNT) != 0 && vma_is_anonymous(vma) &&
                 vma->anon_vma == null)
        {
            newflags &= ~(ulong)VM_ACCOUNT;
        }

        vma = vma_modify_flags(vmi, *pprev, vma, start, end, newflags);
        if (IS_ERR(vma))
        {
            error = (int)PTR_ERR(vma);
            goto fail;
        }

        *pprev = vma;

        vma_start_write(vma);
        vm_flags_reset(vma, newflags);
        if (vma_wants_manual_pte_write_upgrade(vma))
            mm_cp_flags |= MM_CP_TRY_CHANGE_WRITABLE;
        vma_set_page_prot(vma);

        change_protection(tlb, vma, start, end, mm_cp_flags);

        if ((oldflags & VM_ACCOUNT) != 0 && (newflags & VM_ACCOUNT) == 0)
            vm_unacct_memory(nrpages);

        // A locked private mapping becoming writable is COWed now rather than on first write.
        if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) == VM_LOCKED &&
            (newflags & VM_WRITE) != 0)
        {
            throw new NotSupportedException("mprotect_fixup: populate_vma_page_range (mlock is not modelled)");
        }

        vm_stat_account(mm, oldflags, -nrpages);
        vm_stat_account(mm, newflags, nrpages);
        return 0;

    fail:
        vm_unacct_memory((long)charged);
        return error;
    }

    [Upstream("mm/mprotect.c", "do_mprotect_pkey", "81131863c6279589")]
    internal int do_mprotect_pkey(ulong start, ulong len, ulong prot, int pkey)
    {
        ulong nstart, end, tmp, reqprot;
        vm_area_struct* vma, prev;
        int error;
        ulong grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
        // READ_IMPLIES_EXEC is not in Emu's personality.
        bool rier = false;
        mmu_gather tlb;
        vma_iterator vmi;

        prot &= ~(ulong)(PROT_GROWSDOWN | PROT_GROWSUP);
        if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
            return -EINVAL;

        if ((start & ~PAGE_MASK) != 0)
            return -EINVAL;
        if (len == 0)
            return 0;
        len = PAGE_ALIGN(len);
        end = start + len;
        if (end <= start)
            return -ENOMEM;
        if (!arch_validate_prot(prot, start))
            return -EINVAL;

        reqprot = prot;

        if (mmap_write_lock_killable(current_mm) != 0)
            return -EINTR;

        // A pkey must have come from pkey_alloc().
        error = -EINVAL;
        if ((pkey != -1) && !mm_pkey_is_allocated(current_mm, pkey))
            goto @out;

        vma_iter_init(&vmi, current_mm, start);
        vma = vma_find(&vmi, end);
        error = -ENOMEM;
        if (vma == null)
            goto @out;

        if ((grows & PROT_GROWSDOWN) != 0)
        {
            if (vma->vm_start >= end)
                goto @out;
            start = vma->vm_start;
            error = -EINVAL;
            if ((vma->vm_flags & VM_GROWSDOWN) == 0)
                goto @out;
        }
        else
        {
            if (vma->vm_start > start)
                goto @out;
            if ((grows & PROT_GROWSUP) != 0)
            {
                end = vma->vm_end;
                error = -EINVAL;
                if ((vma->vm_flags & VM_GROWSUP) == 0)
                    goto @out;
            }
        }

        prev = vma_prev(&vmi);
        if (start > vma->vm_start)
            prev = vma;

        tlb_gather_mmu(&tlb, current_mm);
        nstart = start;
        tmp = vma->vm_start;
        while ((vma = vma_find(&vmi, end)) != null)
        {
            ulong mask_off_old_flags;
            ulong newflags;
            int new_vma_pkey;

            // A hole in the range ends the walk with -ENOMEM.
            if (vma->vm_start != tmp)
            {
                error = -ENOMEM;
                break;
            }

            if (rier && (vma->vm_flags & VM_MAYEXEC) != 0)
                prot |= PROT_EXEC;

            // Every call states r/w/x in full: what is not asked for is cleared.
            mask_off_old_flags = VM_ACCESS_FLAGS | VM_FLAGS_CLEAR;

            new_vma_pkey = arch_override_mprotect_pkey(vma, (int)prot, pkey);
            newflags = calc_vm_prot_bits(prot, (ulong)new_vma_pkey);
            newflags |= (vma->vm_flags & ~mask_off_old_flags);

            // VM_MAY* sit 4 bits above VM_*: asking for a right the VMA may not have.
            if (((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) != 0)
            {
                error = -EACCES;
                break;
            }

            if (map_deny_write_exec(vma->vm_flags, newflags))
            {
                error = -EACCES;
                break;
            }

            if (!arch_validate_flags(newflags))
            {
                error = -EINVAL;
                break;
            }

            error = security_file_mprotect(vma, reqprot, prot);
            if (error != 0)
                break;

            tmp = vma->vm_end;
            if (tmp > end)
                tmp = end;

            if (vm_ops_has_callbacks(vma))
                throw new NotSupportedException("do_mprotect_pkey: vm_ops->mprotect");

            error = mprotect_fixup(&vmi, &tlb, vma, &prev, nstart, tmp, newflags);
            if (error != 0)
                break;

            tmp = vma_iter_end(&vmi);
            nstart = tmp;
            prot = reqprot;
        }
        tlb_finish_mmu(&tlb);

        if (error == 0 && tmp < end)
            error = -ENOMEM;

    @out:
        mmap_write_unlock(current_mm);
        return error;
    }
}
