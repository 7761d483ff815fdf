using System;
using System.Collections.Generic;
using NUnit.Framework;
using static Emu.Kernel.KernelConstants;

namespace Emu.Tests.Processes;

/// <summary>
/// Every process entry point with bad arguments returns Linux's errno (the 6.12.117 check that
/// rejects it is named per case), and leaves the machine consistent (the invariant checker runs
/// after each call; the mapping made for the case still reads back).
/// </summary>
public class ProcessErrnoTests
{
    private const ulong Page = PAGE_SIZE;
    private const MapFlags Anon = MapFlags.Private | MapFlags.Anonymous;

    /// <summary>A case: what to call on a process that has <c>mapped</c> (4 RW pages), and the errno, or 0 for success.</summary>
    public sealed record Case(string Name, Action<Emu.Process, ulong> Call, int Errno)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Case> Cases()
    {
        // ksys_mmap_pgoff / do_mmap / __get_unmapped_area
        yield return new("mmap length 0: do_mmap `if (!len)`", (p, _) => p.Mmap(0, Protection.ReadWrite, Anon), EINVAL);
        yield return new("mmap length ~0: PAGE_ALIGN wraps to 0 in do_mmap", (p, _) => p.Mmap(ulong.MaxValue, Protection.ReadWrite, Anon), ENOMEM);
        yield return new("mmap longer than TASK_SIZE: __get_unmapped_area", (p, _) => p.Mmap(1UL << 47, Protection.ReadWrite, Anon), ENOMEM);
        yield return new("mmap MAP_FIXED unaligned: __get_unmapped_area offset_in_page", (p, m) => p.Mmap(Page, Protection.ReadWrite, Anon | MapFlags.Fixed, m + 1), EINVAL);
        yield return new("mmap MAP_FIXED beyond TASK_SIZE - len: __get_unmapped_area", (p, _) => p.Mmap(2 * Page, Protection.ReadWrite, Anon | MapFlags.Fixed, (1UL << 47) - Page * 2), ENOMEM);
        yield return new("mmap without MAP_PRIVATE/MAP_SHARED: do_mmap MAP_TYPE switch", (p, _) => p.Mmap(Page, Protection.ReadWrite, MapFlags.Anonymous), EINVAL);
        yield return new("mmap of a file without one: ksys_mmap_pgoff fget(-1)", (p, _) => p.Mmap(Page, Protection.ReadWrite, MapFlags.Private), EBADF);
        yield return new("mmap MAP_FIXED_NOREPLACE over a mapping: do_mmap", (p, m) => p.Mmap(Page, Protection.ReadWrite, Anon | MapFlags.FixedNoReplace, m), EEXIST);
        yield return new("mmap unaligned hint without MAP_FIXED is rounded", (p, _) => p.Mmap(Page, Protection.ReadWrite, Anon, 0x10000001), 0);
        // __vm_munmap / do_vmi_munmap
        yield return new("munmap unaligned: do_vmi_munmap offset_in_page", (p, m) => p.Munmap(m + 1, Page), EINVAL);
        yield return new("munmap length 0: do_vmi_munmap end == start", (p, m) => p.Munmap(m, 0), EINVAL);
        yield return new("munmap beyond TASK_SIZE: do_vmi_munmap", (p, _) => p.Munmap(1UL << 47, Page), EINVAL);
        yield return new("munmap length past TASK_SIZE: do_vmi_munmap len > TASK_SIZE-start", (p, m) => p.Munmap(m, 1UL << 47), EINVAL);
        yield return new("munmap of nothing mapped succeeds", (p, _) => p.Munmap(0x10000000, Page), 0);
        // do_mprotect_pkey
        yield return new("mprotect unaligned: do_mprotect_pkey start & ~PAGE_MASK", (p, m) => p.Mprotect(m + 1, Page, Protection.Read), EINVAL);
        yield return new("mprotect length 0 succeeds", (p, m) => p.Mprotect(m, 0, Protection.Read), 0);
        yield return new("mprotect wrapping end: do_mprotect_pkey end <= start", (p, m) => p.Mprotect(m, ulong.MaxValue - m, Protection.Read), ENOMEM);
        yield return new("mprotect unknown prot bit: arch_validate_prot", (p, m) => p.Mprotect(m, Page, (Protection)0x10), EINVAL);
        yield return new("mprotect GROWSDOWN|GROWSUP: do_mprotect_pkey", (p, m) => p.Mprotect(m, Page, Protection.Read | Protection.GrowsDown | Protection.GrowsUp), EINVAL);
        yield return new("mprotect of nothing mapped: vma_find fails", (p, _) => p.Mprotect(0x10000000, Page, Protection.Read), ENOMEM);
        yield return new("mprotect running into a hole: do_mprotect_pkey", (p, m) => p.Mprotect(m, 8 * Page, Protection.Read), ENOMEM);
        // do_madvise
        yield return new("madvise unknown advice: madvise_behavior_valid", (p, m) => p.Madvise(m, Page, (Advice)5), EINVAL);
        yield return new("madvise unaligned: do_madvise PAGE_ALIGNED", (p, m) => p.Madvise(m + 1, Page, Advice.DontNeed), EINVAL);
        yield return new("madvise length rounds to 0: do_madvise len_in && !len", (p, m) => p.Madvise(m, ulong.MaxValue, Advice.DontNeed), EINVAL);
        yield return new("madvise length 0 succeeds", (p, m) => p.Madvise(m, 0, Advice.DontNeed), 0);
        yield return new("madvise of nothing mapped: madvise_walk_vmas unmapped_error", (p, _) => p.Madvise(0x10000000, Page, Advice.DontNeed), ENOMEM);
        yield return new("madvise running into a hole: ENOMEM after advising what is mapped", (p, m) => p.Madvise(m, 8 * Page, Advice.DontNeed), ENOMEM);
        yield return new("madvise wrapping end: do_madvise end < start", (p, m) => p.Madvise(m, ulong.MaxValue - 2 * Page + 1, Advice.DontNeed), EINVAL);
        yield return new("madvise MADV_HWPOISON unprivileged: madvise_inject_error capable()", (p, m) => p.Madvise(m, Page, Advice.HwPoison), EPERM);
        yield return new("madvise MADV_COLLAPSE without THP: madvise_collapse thp_vma_allowable_order", (p, m) => p.Madvise(m, Page, Advice.Collapse), EINVAL);
        yield return new("madvise POPULATE_WRITE of a read-only mapping: __get_user_pages FOLL_MADV_POPULATE check_vma_flags", (p, _) => p.Madvise(p.Mmap(Page, Protection.Read, Anon), Page, Advice.PopulateWrite), EINVAL);
        yield return new("madvise MADV_REMOVE of anonymous memory: madvise_remove !f", (p, m) => p.Madvise(m, Page, Advice.Remove), EINVAL);
    }

    [TestCaseSource(nameof(Cases))]
    public void Rejects_bad_arguments_with_linux_errno(Case c)
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 32UL << 20, CheckInvariants = true });
        var p = machine.Spawn();
        ulong mapped = p.Mmap(4 * Page, Protection.ReadWrite, Anon);
        p.Fill(mapped, 4 * Page, 0x5A);
        if (c.Errno == 0)
            Assert.DoesNotThrow(() => c.Call(p, mapped));
        else
        {
            var e = Assert.Throws<LinuxErrorException>(() => c.Call(p, mapped))!;
            Assert.That(e.Errno, Is.EqualTo(c.Errno), $"{e.Name} instead of {LinuxErrorException.NameOf(c.Errno)}");
        }
        // Whatever the call did, each page still reads as written, or as zeroes after a DONTNEED.
        var buf = new byte[Page];
        for (ulong i = 0; i < 4; i++)
        {
            p.Read(mapped + i * Page, buf);
            Assert.That(Array.TrueForAll(buf, b => b == 0x5A) || Array.TrueForAll(buf, b => b == 0), Is.True, $"page {i} corrupted");
        }
    }

    [Test]
    public void User_access_to_unmapped_memory_raises_SIGSEGV()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 32UL << 20, CheckInvariants = true });
        var p = machine.Spawn();
        var e = Assert.Throws<EmulatedSignalException>(() => p.Write(0x10000000, [1]))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Signal, Is.EqualTo(Signal.SIGSEGV), "bad_area_nosemaphore: no VMA");
            Assert.That(e.Address, Is.EqualTo(0x10000000UL));
        });
    }

    [Test]
    public void Write_to_a_read_only_mapping_raises_SIGSEGV()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 32UL << 20, CheckInvariants = true });
        var p = machine.Spawn();
        ulong a = p.Mmap(Page, Protection.Read, Anon);
        var buf = new byte[1];
        p.Read(a, buf);
        Assert.Throws<EmulatedSignalException>(() => p.Write(a, [1]), "access_error: X86_PF_WRITE without VM_WRITE");
        p.Mprotect(a, Page, Protection.ReadWrite);
        Assert.DoesNotThrow(() => p.Write(a, [1]));
        p.Mprotect(a, Page, Protection.None);
        Assert.Throws<EmulatedSignalException>(() => p.Read(a, buf), "access_error: !vma_is_accessible");
    }

    [Test]
    public void Calls_on_an_exited_process_are_refused()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 32UL << 20 });
        var p = machine.Spawn();
        p.Exit();
        Assert.Multiple(() =>
        {
            Assert.Throws<ObjectDisposedException>(() => p.Mmap(Page, Protection.Read, Anon));
            Assert.Throws<ObjectDisposedException>(() => p.Fork());
            Assert.DoesNotThrow(() => p.Exit(), "exit is idempotent");
        });
    }
}
