using System;
using System.Linq;
using NUnit.Framework;
using static Emu.Kernel.KernelConstants;

namespace Emu.Tests.Gup;

/// <summary>
/// The /proc/pid files the mm selftests drive GUP and soft-dirty through: mem (fs/proc/base.c mem_rw
/// over mm/memory.c __access_remote_vm, FOLL_FORCE under CONFIG_PROC_MEM_ALWAYS_FORCE), clear_refs
/// (fs/proc/task_mmu.c clear_refs_write) and pagemap's ioctl. Expectations from the 6.12 C, cited.
/// </summary>
public class ProcFilesTests
{
    private const ulong Page = PAGE_SIZE;
    private const ulong SoftDirty = 1UL << 55, Exclusive = 1UL << 56, Present = 1UL << 63;

    private static Machine NewMachine() => new(new MachineOptions { MemoryBytes = 64UL << 20 });

    [Test]
    public void ForcedWriteToAReadOnlyPrivateMappingLandsInAnExclusiveCopy() => AddressSpace.Run(() =>
    {
        using var machine = NewMachine();
        var p = machine.Spawn();
        ulong mem = p.Mmap(Page, Protection.Read, MapFlags.Private | MapFlags.Anonymous);
        Span<byte> b = stackalloc byte[3];
        p.Read(mem, b); // the shared zero page (memory.c do_anonymous_page, read fault)
        Assert.That(AddressSpace.Pfn(p, mem), Is.EqualTo(machine.Kernel.zero_pfn));

        // gup.c check_vma_flags: FOLL_WRITE on !VM_WRITE is allowed with FOLL_FORCE in a COW mapping;
        // follow_page_pte -> can_follow_write_pte is false for the zero page -> faultin_page(write) ->
        // memory.c do_wp_page -> wp_page_copy: a new exclusive anon page, mapped without write access.
        Assert.That(p.WriteMem(mem, "abc"u8), Is.EqualTo(3));
        p.Read(mem, b);
        Assert.That(b.ToArray(), Is.EqualTo("abc"u8.ToArray()));
        ulong pme = p.ReadPagemap(mem);
        Assert.That(pme & Present, Is.Not.Zero);
        Assert.That(pme & Exclusive, Is.Not.Zero);
        Assert.That(AddressSpace.Pfn(p, mem), Is.Not.EqualTo(machine.Kernel.zero_pfn));
        // The PTE stays read-only (maybe_mkwrite needs VM_WRITE): an ordinary store still faults.
        Assert.Throws<EmulatedSignalException>(() => p.Write(mem, "x"u8));
        // A later forced write reuses the exclusive page: can_follow_write_pte (anon exclusive,
        // VM_SOFTDIRTY still set so soft-dirty tracking is off for the VMA).
        ulong pfn = AddressSpace.Pfn(p, mem)!.Value;
        Assert.That(p.WriteMem(mem + 1, "Z"u8), Is.EqualTo(1));
        Assert.That(AddressSpace.Pfn(p, mem), Is.EqualTo(pfn));
        p.Read(mem, b);
        Assert.That(b.ToArray(), Is.EqualTo("aZc"u8.ToArray()));
        Assert.That(machine.Warnings, Is.Empty);
    });

    [Test]
    public void ForcedWriteBreaksCowWithAForkedChild() => AddressSpace.Run(() =>
    {
        using var machine = NewMachine();
        var p = machine.Spawn();
        ulong mem = p.Mmap(Page, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        p.Fill(mem, Page, 0x11);
        using var child = p.Fork();
        ulong shared = AddressSpace.Pfn(p, mem)!.Value;
        // The page is shared R/O after fork; the write fault copies it for the writer (do_wp_page).
        Assert.That(p.WriteMem(mem, new byte[] { 0x22 }), Is.EqualTo(1));
        Span<byte> b = stackalloc byte[2];
        p.Read(mem, b);
        Assert.That(b.ToArray(), Is.EqualTo(new byte[] { 0x22, 0x11 }));
        child.Read(mem, b);
        Assert.That(b.ToArray(), Is.EqualTo(new byte[] { 0x11, 0x11 }));
        Assert.That(AddressSpace.Pfn(p, mem), Is.Not.EqualTo(shared));
        Assert.That(AddressSpace.Pfn(child, mem), Is.EqualTo(shared));
        Assert.That(machine.Warnings, Is.Empty);
    });

    [Test]
    public void MemAccessStopsAtAHole() => AddressSpace.Run(() =>
    {
        using var machine = NewMachine();
        var p = machine.Spawn();
        ulong mem = p.Mmap(2 * Page, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        p.Munmap(mem + Page, Page);
        // base.c mem_rw: nothing transferred -> -EIO (__access_remote_vm returns 0: no VMA and
        // expand_stack finds none to grow).
        var e = Assert.Throws<LinuxErrorException>(() => p.WriteMem(mem + Page, "abc"u8));
        Assert.That(e!.Name, Is.EqualTo("EIO"));
        e = Assert.Throws<LinuxErrorException>(() => p.ReadMem(mem + Page, new byte[4]));
        Assert.That(e!.Name, Is.EqualTo("EIO"));
        // A range running into the hole transfers the bytes before it (mem_rw returns copied).
        Assert.That(p.WriteMem(mem + Page - 8, new byte[16]), Is.EqualTo(8));
        Assert.That(p.ReadMem(mem + Page - 8, new byte[16]), Is.EqualTo(8));
        // PROT_NONE is readable and writable with FOLL_FORCE in a private mapping (gup.c check_vma_flags).
        ulong none = p.Mmap(Page, Protection.None, MapFlags.Private | MapFlags.Anonymous);
        Assert.That(p.WriteMem(none, "q"u8), Is.EqualTo(1));
        var r = new byte[1];
        Assert.That(p.ReadMem(none, r), Is.EqualTo(1));
        Assert.That(r[0], Is.EqualTo((byte)'q'));
        Assert.That(machine.Warnings, Is.Empty);
    });

    [Test]
    public void ClearRefsSoftDirtyWriteProtectsAndTheNextWriteMarksAgain() => AddressSpace.Run(() =>
    {
        using var machine = NewMachine();
        var p = machine.Spawn();
        ulong mem = p.Mmap(2 * Page, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        p.Fill(mem, 2 * Page, 5);
        ulong pfn = AddressSpace.Pfn(p, mem)!.Value;
        // mmap.c __mmap_region sets VM_SOFTDIRTY; pte_mkdirty sets _PAGE_SOFT_DIRTY on x86.
        Assert.That(p.ReadPagemap(mem) & SoftDirty, Is.Not.Zero);

        // task_mmu.c clear_refs_write "4": VM_SOFTDIRTY cleared, each PTE write-protected and cleaned.
        Assert.That(p.ClearRefs("4"), Is.EqualTo(1));
        Assert.That(p.ReadPagemap(mem) & SoftDirty, Is.Zero);
        Assert.That(p.ReadPagemap(mem + Page) & SoftDirty, Is.Zero);
        Assert.That(p.ReadPagemap(mem) & Present, Is.Not.Zero);

        // A read does not dirty; a write faults (write-protected) and reuses the exclusive page
        // (memory.c do_wp_page -> wp_page_reuse: pte_mkdirty sets soft-dirty again).
        Span<byte> b = stackalloc byte[1];
        p.Read(mem, b);
        Assert.That(p.ReadPagemap(mem) & SoftDirty, Is.Zero);
        p.Write(mem, "w"u8);
        Assert.That(p.ReadPagemap(mem) & SoftDirty, Is.Not.Zero);
        Assert.That(AddressSpace.Pfn(p, mem), Is.EqualTo(pfn));
        Assert.That(p.ReadPagemap(mem + Page) & SoftDirty, Is.Zero);
        Assert.That(machine.Warnings, Is.Empty);
    });

    [Test]
    public void ClearRefsSkipsAWritablePinnedPage() => AddressSpace.Run(() =>
    {
        using var machine = NewMachine();
        var p = machine.Spawn();
        ulong mem = p.Mmap(2 * Page, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        p.Fill(mem, 2 * Page, 5);
        using var pin = p.Pin(mem, 1, PinFlags.Write);
        // task_mmu.c pte_is_pinned: writable, COW mapping, MMF_HAS_PINNED, folio_maybe_dma_pinned ->
        // clear_soft_dirty leaves the PTE alone (the pin could not see later writes otherwise).
        Assert.That(p.ClearRefs("4"), Is.EqualTo(1));
        Assert.That(p.ReadPagemap(mem) & SoftDirty, Is.Not.Zero);
        Assert.That(p.ReadPagemap(mem + Page) & SoftDirty, Is.Zero);
        Assert.That(machine.Warnings, Is.Empty);
    });

    [TestCase("0", "EINVAL")]
    [TestCase("6", "EINVAL")]
    [TestCase("four", "EINVAL")]
    [TestCase("", "EINVAL")]
    // Only sizeof(buffer) - 1 = 12 bytes are read (PROC_NUMBUF 13): "000000000000" is 0.
    [TestCase("0000000000004", "EINVAL")]
    public void ClearRefsRejects(string value, string errno)
    {
        using var machine = NewMachine();
        var p = machine.Spawn();
        var e = Assert.Throws<LinuxErrorException>(() => p.ClearRefs(value));
        Assert.That(e!.Name, Is.EqualTo(errno));
    }

    [TestCase(" 4\n", 3)]
    [TestCase("00000000004", 11)]
    [TestCase("1", 1)]
    [TestCase("2", 1)]
    [TestCase("3", 1)]
    [TestCase("5", 1)]
    public void ClearRefsAcceptsAndReturnsTheCount(string value, int count) => AddressSpace.Run(() =>
    {
        using var machine = NewMachine();
        var p = machine.Spawn();
        ulong mem = p.Mmap(Page, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        p.Fill(mem, Page, 1);
        // clear_refs_write: kstrtoint(strstrip(buffer)) in 1..5; returns the count written.
        Assert.That(p.ClearRefs(value), Is.EqualTo(count));
        Assert.That(machine.Warnings, Is.Empty);
    });

    [Test]
    public void PagemapHasNoIoctl()
    {
        using var machine = NewMachine();
        var p = machine.Spawn();
        // vfs_ioctl without f_op->unlocked_ioctl: -ENOTTY (Emu implements no PAGEMAP_SCAN).
        var e = Assert.Throws<LinuxErrorException>(() => p.PagemapIoctl(Emu.Selftests.mm.MmSelftestProgram.PAGEMAP_SCAN, 0));
        Assert.That(e!.Name, Is.EqualTo("ENOTTY"));
    }
}
