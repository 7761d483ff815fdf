using System;
using static Emu.Kernel.KernelConstants;

namespace Emu;

// The /proc/pid files the mm selftests use besides pagemap: mem (forced access through GUP),
// clear_refs, and pagemap's ioctl.
public sealed unsafe partial class Process
{
    /// <summary>
    /// write(2) of <paramref name="data"/> at offset <paramref name="address"/> of /proc/pid/mem (fs/proc/base.c
    /// mem_rw): GUP with FOLL_WRITE | FOLL_FORCE, so it writes read-only private mappings too (breaking
    /// COW, as ptrace pokes do). Returns the bytes written, which may be fewer than asked when the range
    /// runs into an inaccessible page; nothing written at all is EIO.
    /// </summary>
    public int WriteMem(ulong address, ReadOnlySpan<byte> data) => MemRw(address, data, write: true);

    /// <summary>read(2) of /proc/pid/mem at offset <paramref name="address"/>; see <see cref="WriteMem"/>.</summary>
    public int ReadMem(ulong address, Span<byte> buffer) => MemRw(address, buffer, write: false);

    private int MemRw(ulong address, ReadOnlySpan<byte> data, bool write)
    {
        ThrowIfExited();
        if (data.Length == 0)
            return 0;
        long ret;
        fixed (byte* p = data)
        {
            ulong pos = address;
            using var entry = _machine.EnterKernel(this);
            // mem_open took a reference on the mm (proc_mem_open); mem_rw drops what it takes itself.
            Kernel.Kernel.mmgrab(Mm);
            ret = entry.Kernel.mem_rw(Mm, p, (ulong)data.Length, &pos, write);
            entry.Kernel.mmdrop(Mm);
            entry.Complete();
        }
        return (int)LinuxErrorException.Check(ret, write ? "write(/proc/pid/mem)" : "read(/proc/pid/mem)");
    }

    /// <summary>
    /// write(2) of <paramref name="value"/> to /proc/pid/clear_refs (fs/proc/task_mmu.c clear_refs_write):
    /// "1" to "3" clear referenced/young bits, "4" clears soft-dirty bits (write-protecting the PTEs),
    /// "5" resets the peak RSS. Returns the count written; bad input throws EINVAL.
    /// </summary>
    public int ClearRefs(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = System.Text.Encoding.ASCII.GetBytes(value);
        return (int)Syscall("write(/proc/pid/clear_refs)", k => k.clear_refs_write(Mm, bytes));
    }

    /// <summary>
    /// ioctl(2) on /proc/pid/pagemap. Emu implements no pagemap ioctl (PAGEMAP_SCAN), so every command
    /// fails with ENOTTY, as on a kernel without it.
    /// </summary>
    public long PagemapIoctl(uint cmd, ulong arg) =>
        Syscall("ioctl(/proc/pid/pagemap)", k => Kernel.Kernel.pagemap_ioctl(Mm, cmd, arg));
}
