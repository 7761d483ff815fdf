using System;
using System.Threading;
using Emu.Kernel;
using static Emu.Kernel.KernelConstants;

namespace Emu.Arch.X86_64;

/// <summary>
/// The x86_64 MMU as a user-mode access sees it: a 4-level walk from the mm's PGD that needs
/// PRESENT and USER at every level (and RW at every level for a store), sets ACCESSED on each
/// entry it uses and DIRTY on the final one for a store, and otherwise raises #PF with the
/// hardware's error code. No TLB is modelled: every access walks.
/// </summary>
internal static unsafe class Mmu
{
    /// <summary>Most faults one access may take on a page before Emu calls it a livelock.</summary>
    private const int MaxFaultsPerPage = 8;

    /// <summary>The lowest non-canonical user address (arch/x86 TASK_SIZE_MAX with 4-level paging).</summary>
    internal const ulong TaskSizeMax = (1UL << 47) - PAGE_SIZE;

    /// <summary>Copies between <paramref name="buffer"/> and user memory, faulting into the kernel as the CPU would.</summary>
    public static void Access(Kernel.Kernel k, ulong address, Span<byte> buffer, bool write)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            ulong addr = address + (ulong)done;
            if (addr < address)
                Signal(k, addr, "address wraps", Emu.Signal.SIGSEGV);
            int n = (int)Math.Min((ulong)(buffer.Length - done), PAGE_SIZE - (addr & ~PAGE_MASK));
            byte* p = Translate(k, addr, write);
            if (p == null)
                throw new InvalidOperationException($"the kernel handled a fault at 0x{addr:x} but the page is still not accessible");
            var user = new Span<byte>(p, n);
            if (k.arch_dcache is { } dcache)
            {
                // An aliasing VIPT cache sits between the access and memory (Arch/CacheModels).
                ulong pfn = (ulong)(p - k.PAGE_OFFSET) >> PAGE_SHIFT;
                int offset = (int)(addr & ~PAGE_MASK);
                if (write)
                    dcache.UserStore(pfn, addr, offset, buffer.Slice(done, n));
                else
                    dcache.UserLoad(pfn, addr, offset, buffer.Slice(done, n));
            }
            else if (write)
                buffer.Slice(done, n).CopyTo(user);
            else
                user.CopyTo(buffer.Slice(done, n));
            done += n;
        }
    }

    /// <summary>The direct-map address of user <paramref name="addr"/>, after whatever faults it takes.</summary>
    private static byte* Translate(Kernel.Kernel k, ulong addr, bool write)
    {
        if (addr >= TaskSizeMax)
            // do_kern_addr_fault() for a user-mode access ends in bad_area_nosemaphore().
            Signal(k, addr, "kernel address from user mode", Emu.Signal.SIGSEGV);
        for (int attempt = 0; attempt < MaxFaultsPerPage; attempt++)
        {
            byte* p = Walk(k, addr, write, out ulong errorCode);
            if (p != null)
                return p;
            k.do_user_addr_fault(errorCode, addr);
            if (k.current_fault_signal is { } sig)
                Signal(k, sig.Address, $"signal {sig.Signo} code {sig.Code}", (Emu.Signal)sig.Signo);
        }
        return null;
    }

    private static void Signal(Kernel.Kernel k, ulong addr, string why, Emu.Signal signal) =>
        throw new EmulatedSignalException(signal, addr, why);

    /// <summary>One hardware walk: the frame address on success, or null with the #PF error code.</summary>
    private static byte* Walk(Kernel.Kernel k, ulong addr, bool write, out ulong errorCode)
    {
        errorCode = X86_PF_USER | (write ? (ulong)X86_PF_WRITE : 0);
        mm_struct* mm = k.current_mm;
        ulong* table = (ulong*)mm->pgd;
        // PGD, P4D (folded: the PGD entry serves), PUD, PMD, PTE: each level's index sits 9 bits below the last (39, 30, 21, 12).
        for (int level = 0; level < 4; level++)
        {
            int shift = 39 - 9 * level;
            ulong* entry = table + ((addr >> shift) & 511);
            ulong e = Volatile.Read(ref *entry);
            if ((e & _PAGE_PRESENT) == 0)
                return null;
            if ((e & _PAGE_USER) == 0 || (write && (e & _PAGE_RW) == 0))
            {
                errorCode |= X86_PF_PROT;
                return null;
            }
            bool leaf = level == 3 || (level > 0 && (e & _PAGE_PSE) != 0);
            ulong set = _PAGE_ACCESSED | (leaf && write ? _PAGE_DIRTY : 0);
            if ((e & set) != set)
                Interlocked.Or(ref *entry, set);
            ulong phys = e & PTE_PFN_MASK;
            if (leaf)
            {
                ulong offset = addr & ((1UL << shift) - 1);
                if (level < 3)
                    phys &= ~((1UL << shift) - 1);
                return (byte*)k.__va(phys + offset);
            }
            table = (ulong*)k.__va(phys);
        }
        return null;
    }
}
