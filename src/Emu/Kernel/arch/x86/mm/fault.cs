// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 arch/x86/mm/fault.c: the user-mode page fault path. Emu's
// faults come only from user accesses of emulated processes (Mmu), so user_mode(regs) is true and
// there are no pt_regs; the kernel-mode branches (oops, fixups, SMAP, vsyscall, kprobes, errata)
// are left out. A signal is recorded in current_fault_signal for the caller to deliver.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

/// <summary>A signal force_sig_fault() would send to the current task.</summary>
internal readonly record struct FaultSignal(int Signo, int Code, ulong Address);

public unsafe partial class Kernel
{
    // uapi/asm-generic/signal.h and siginfo.h values.
    internal const int SIGKILL = 9, SIGBUS = 7, SIGSEGV = 11;
    internal const int SEGV_MAPERR = 1, SEGV_ACCERR = 2, SEGV_PKUERR = 4, BUS_ADRERR = 2;

    /// <summary>What the last fault delivered to the current task (null: nothing).</summary>
    internal FaultSignal? current_fault_signal;

    /// <summary>force_sig_fault(): Emu records the signal; the process API raises it.</summary>
    internal void force_sig_fault(int sig, int code, ulong addr) =>
        current_fault_signal = new FaultSignal(sig, code, addr);

    [Upstream("arch/x86/mm/fault.c", "__bad_area_nosemaphore", "70029bbc28bedc42")]
    private void __bad_area_nosemaphore(ulong error_code, ulong address, uint pkey, int si_code)
    {
        // user_mode(regs) and X86_PF_USER hold for every Emu fault; no prefetch, errata or vDSO.
        pr_info($"{current_comm}: segfault at {address:x} error {error_code:x}");
        force_sig_fault(SIGSEGV, si_code, address);
    }

    [Upstream("arch/x86/mm/fault.c", "bad_area_nosemaphore", "a995522865b10a91")]
    private void bad_area_nosemaphore(ulong error_code, ulong address) =>
        __bad_area_nosemaphore(error_code, address, 0, SEGV_MAPERR);

    [Upstream("arch/x86/mm/fault.c", "__bad_area", "515989cbe6d97cc3")]
    private void __bad_area(ulong error_code, ulong address, mm_struct* mm, vm_area_struct* vma, uint pkey, int si_code)
    {
        if (mm != null)
            mmap_read_unlock(mm);
        else
            vma_end_read(vma);

        __bad_area_nosemaphore(error_code, address, pkey, si_code);
    }

    [Upstream("arch/x86/mm/fault.c", "bad_area_access_from_pkeys", "c3dcc4cba07b9aa0")]
    private bool bad_area_access_from_pkeys(ulong error_code, vm_area_struct* vma)
    {
        if (!cpu_feature_enabled(X86_FEATURE_OSPKE))
            return false;
        if ((error_code & X86_PF_PK) != 0)
            return true;
        return false;
    }

    [Upstream("arch/x86/mm/fault.c", "bad_area_access_error", "b54563376e769af5")]
    private void bad_area_access_error(ulong error_code, ulong address, mm_struct* mm, vm_area_struct* vma)
    {
        if (bad_area_access_from_pkeys(error_code, vma))
            __bad_area(error_code, address, mm, vma, 0, SEGV_PKUERR);
        else
            __bad_area(error_code, address, mm, vma, 0, SEGV_ACCERR);
    }

    [Upstream("arch/x86/mm/fault.c", "do_sigbus", "92c2cc53e141823b")]
    private void do_sigbus(ulong error_code, ulong address, uint fault)
    {
        if ((fault & (VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE)) != 0)
        {
            pr_err($"MCE: Killing {current_comm} due to hardware memory corruption fault at {address:x}");
            force_sig_fault(SIGBUS, BUS_ADRERR, address);
            return;
        }
        force_sig_fault(SIGBUS, BUS_ADRERR, address);
    }

    [Upstream("arch/x86/mm/fault.c", "access_error", "8694166a90767e5c")]
    private static int access_error(ulong error_code, vm_area_struct* vma)
    {
        if ((error_code & X86_PF_PK) != 0)
            return 1;
        if ((error_code & X86_PF_SGX) != 0)
            return 1;
        // arch_vma_access_permitted(): always true without OSPKE.
        if ((error_code & X86_PF_SHSTK) != 0)
        {
            if ((vma->vm_flags & VM_SHADOW_STACK) == 0)
                return 1;
            if ((vma->vm_flags & VM_WRITE) == 0)
                return 1;
            return 0;
        }
        if ((error_code & X86_PF_WRITE) != 0)
        {
            if ((vma->vm_flags & VM_SHADOW_STACK) != 0)
                return 1;
            if ((vma->vm_flags & VM_WRITE) == 0)
                return 1;
            return 0;
        }
        if ((error_code & X86_PF_PROT) != 0)
            return 1;
        if (!vma_is_accessible(vma))
            return 1;
        return 0;
    }

    /// <summary>pagefault_out_of_memory(): the OOM killer would pick a victim; Emu kills the faulting task.</summary>
    private void pagefault_out_of_memory() => force_sig_fault(SIGKILL, 0, 0);

    [Upstream("arch/x86/mm/fault.c", "do_user_addr_fault", "95e98d6b6587f68e")]
    internal void do_user_addr_fault(ulong error_code, ulong address)
    {
        vm_area_struct* vma;
        mm_struct* mm = current_mm;
        uint fault;
        uint flags = FAULT_FLAG_DEFAULT;

        if (mm == null)
        {
            bad_area_nosemaphore(error_code, address);
            return;
        }

        if ((error_code & X86_PF_SHSTK) != 0)
            flags |= FAULT_FLAG_WRITE;
        if ((error_code & X86_PF_WRITE) != 0)
            flags |= FAULT_FLAG_WRITE;
        if ((error_code & X86_PF_INSTR) != 0)
            flags |= FAULT_FLAG_INSTRUCTION;
        flags |= FAULT_FLAG_USER;

        vma = lock_vma_under_rcu(mm, address);
        if (vma == null)
            goto lock_mmap;

        if (access_error(error_code, vma) != 0)
        {
            bad_area_access_error(error_code, address, null, vma);
            return;
        }
        fault = handle_mm_fault(vma, address, flags | FAULT_FLAG_VMA_LOCK, null);
        if ((fault & (VM_FAULT_RETRY | VM_FAULT_COMPLETED)) == 0)
            vma_end_read(vma);

        if ((fault & VM_FAULT_RETRY) == 0)
            goto done;
        if ((fault & VM_FAULT_MAJOR) != 0)
            flags |= FAULT_FLAG_TRIED;

    lock_mmap:
    retry:
        vma = lock_mm_and_find_vma(mm, address, null);
        if (vma == null)
        {
            bad_area_nosemaphore(error_code, address);
            return;
        }

        if (access_error(error_code, vma) != 0)
        {
            bad_area_access_error(error_code, address, mm, vma);
            return;
        }

        fault = handle_mm_fault(vma, address, flags, null);

        if ((fault & VM_FAULT_COMPLETED) != 0)
            return;

        if ((fault & VM_FAULT_RETRY) != 0)
        {
            flags |= FAULT_FLAG_TRIED;
            goto retry;
        }

        mmap_read_unlock(mm);
    done:
        if ((fault & VM_FAULT_ERROR) == 0)
            return;

        if ((fault & VM_FAULT_OOM) != 0)
        {
            pagefault_out_of_memory();
        }
        else
        {
            if ((fault & (VM_FAULT_SIGBUS | VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE)) != 0)
                do_sigbus(error_code, address, fault);
            else if ((fault & VM_FAULT_SIGSEGV) != 0)
                bad_area_nosemaphore(error_code, address);
            else
                BUG();
        }
    }
}
