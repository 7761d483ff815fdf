using System;
using Emu.Kernel;
using static Emu.Kernel.KernelConstants;

namespace Emu;

/// <summary>
/// An emulated user process: an mm and the system calls that act on it. Every call enters the
/// machine's kernel under its entry lock with this process as the current task; user reads and
/// writes go through the MMU model, which raises page faults where the hardware would.
/// </summary>
public sealed unsafe partial class Process : IDisposable
{
    private readonly Machine _machine;

    internal Process(Machine machine, int pid, string comm, mm_struct* mm)
    {
        _machine = machine;
        Pid = pid;
        Comm = comm;
        Mm = mm;
    }

    /// <summary>The process id (unique per machine).</summary>
    public int Pid { get; }

    /// <summary>The task's comm, as the kernel prints it.</summary>
    public string Comm { get; }

    /// <summary>False once the process has exited.</summary>
    public bool IsAlive => Mm != null;

    public Machine Machine => _machine;

    /// <summary>The process's mm_struct (null after exit).</summary>
    internal mm_struct* Mm { get; private set; }

    /// <summary>mmap(2) of anonymous memory; returns the mapped address.</summary>
    public ulong Mmap(ulong length, Protection prot, MapFlags flags, ulong address = 0) =>
        (ulong)Syscall("mmap", k =>
            // ksys_mmap_pgoff returns an address or a negative errno in an unsigned long.
            (long)k.ksys_mmap_pgoff(address, length, (ulong)prot, (ulong)flags, unchecked((ulong)-1L), 0));

    /// <summary>munmap(2).</summary>
    public void Munmap(ulong address, ulong length) =>
        Syscall("munmap", k => k.__vm_munmap(address, length, true));

    /// <summary>mprotect(2).</summary>
    public void Mprotect(ulong address, ulong length, Protection prot) =>
        Syscall("mprotect", k => k.do_mprotect_pkey(address, length, (ulong)prot, -1));

    /// <summary>madvise(2).</summary>
    public void Madvise(ulong address, ulong length, Advice advice) =>
        Syscall("madvise", k => k.do_madvise(Mm, address, length, (int)advice));

    /// <summary>fork(2): a child whose mm is dup_mm() of this one.</summary>
    public Process Fork()
    {
        Process? child = null;
        Syscall("fork", k =>
        {
            mm_struct* mm = k.dup_mm(null, Mm);
            if (mm == null)
                return -ENOMEM;
            // The child is a task before the call returns, so the checker sees both.
            child = _machine.Adopt(Comm, mm);
            return 0;
        });
        return child!;
    }

    /// <summary>execve(2) of a new image: a fresh mm replaces this one (KSM's MMF_VM_MERGE_ANY survives, as ksm_execve keeps it).</summary>
    public void Exec()
    {
        Syscall("execve", k =>
        {
            var mm = k.mm_alloc();
            if (mm == null)
                return -ENOMEM;
            k.arch_pick_mmap_layout(mm, null);
            var old = Mm;
            // begin_new_exec(): the new mm is current from here on.
            k.current_mm = mm;
            Mm = mm;
            k.ksm_execve(mm);
            k.mmput(old);
            return 0;
        });
    }

    /// <summary>exit(2): the mm is released (exit_mm → mmput). Idempotent.</summary>
    public void Exit()
    {
        if (Mm == null)
            return;
        using (var entry = _machine.EnterKernel(this))
        {
            // exit_mm(): the task lets go of its mm (current->mm = NULL) before mmput.
            entry.Kernel.current_mm = null;
            entry.Kernel.mmput(Mm);
            Mm = null;
            entry.Complete();
        }
        _machine.Forget(this);
    }

    /// <summary>Copies user memory at <paramref name="address"/> into <paramref name="buffer"/>, faulting as needed.</summary>
    public void Read(ulong address, Span<byte> buffer) => Access(address, buffer, write: false);

    /// <summary>Stores <paramref name="data"/> at <paramref name="address"/>, faulting as needed.</summary>
    public void Write(ulong address, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
            Access(address, new Span<byte>(p, data.Length), write: true);
    }

    /// <summary>Stores <paramref name="length"/> copies of <paramref name="value"/> from <paramref name="address"/>.</summary>
    public void Fill(ulong address, ulong length, byte value)
    {
        Span<byte> chunk = stackalloc byte[(int)PAGE_SIZE];
        chunk.Fill(value);
        while (length > 0)
        {
            var n = (int)Math.Min(length, PAGE_SIZE - (address & ~PAGE_MASK));
            Write(address, chunk[..n]);
            address += (ulong)n;
            length -= (ulong)n;
        }
    }

    /// <summary>
    /// The /proc/pid/pagemap entry of the page holding <paramref name="address"/>, read with
    /// CAP_SYS_ADMIN (PFNs shown): PFN in bits 0-54, SOFT_DIRTY 55, MMAP_EXCLUSIVE 56, UFFD_WP 57,
    /// FILE 61, SWAP 62, PRESENT 63.
    /// </summary>
    public ulong ReadPagemap(ulong address)
    {
        ThrowIfExited();
        using var entry = _machine.EnterKernel(this);
        var k = entry.Kernel;
        k.mmap_read_lock(Mm);
        ulong pme = k.pagemap_read_entry(Mm, address & PAGE_MASK, show_pfn: true);
        k.mmap_read_unlock(Mm);
        entry.Complete();
        return pme;
    }

    /// <summary>Same as <see cref="Exit"/>.</summary>
    public void Dispose() => Exit();

    public override string ToString() => $"{Comm}[{Pid}]";

    private void Access(ulong address, Span<byte> buffer, bool write)
    {
        ThrowIfExited();
        using var entry = _machine.EnterKernel(this);
        try
        {
            Arch.X86_64.Mmu.Access(entry.Kernel, address, buffer, write);
        }
        catch (EmulatedSignalException)
        {
            // A signal is the kernel's normal answer to a bad access, not an oops.
            entry.Complete();
            throw;
        }
        entry.Complete();
    }

    private long Syscall(string name, Func<Kernel.Kernel, long> call)
    {
        ThrowIfExited();
        long ret;
        using (var entry = _machine.EnterKernel(this))
        {
            ret = call(entry.Kernel);
            entry.Complete();
        }
        return LinuxErrorException.Check(ret, name);
    }

    private void ThrowIfExited() => ObjectDisposedException.ThrowIf(Mm == null, this);
}
