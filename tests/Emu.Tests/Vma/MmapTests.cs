using System;
using System.Collections.Generic;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.KernelConstants;
using K_ = Emu.Kernel.Kernel;

namespace Emu.Tests.Vma;

/// <summary>
/// mm/mmap.c, arch/x86/mm/mmap.c and arch/x86/kernel/sys_x86_64.c on an mm from mm_alloc() (a pgd,
/// its maple tree and locks from mm_init), current for the test, released with mmput() as exit_mm
/// does. Expectations are computed from the C, cited per test.
/// </summary>
public unsafe class MmapTests
{
    private Machine _machine = null!;
    private mm_struct* _mm;
    private K_ K => _machine.Kernel;

    private const ulong RW = PROT_READ | PROT_WRITE;
    private const ulong Anon = MAP_PRIVATE | MAP_ANONYMOUS;

    [SetUp]
    public void Create()
    {
        _machine = new Machine();
        // A bare mm has no pgd, and munmap's unmap_vmas walks the page tables from mm->pgd.
        _mm = K.mm_alloc();
        K.current_mm = _mm;
        K.arch_pick_mmap_layout(_mm, null);
    }

    [TearDown]
    public void Dispose()
    {
        // exit_mm: current->mm = NULL, then mmput -> exit_mmap frees every VMA and page table.
        K.current_mm = null;
        K.mmput(_mm);
        Assert.That(_machine.Warnings, Is.Empty);
        _machine.Dispose();
    }

    private long Mmap(ulong addr, ulong len, ulong prot, ulong flags, ulong fd = unchecked((ulong)-1))
        => (long)K.ksys_mmap_pgoff(addr, len, prot, flags, fd, 0);

    private List<(ulong start, ulong end)> Vmas()
    {
        var r = new List<(ulong, ulong)>();
        K.mmap_read_lock(_mm);
        var vmi = K_.VMA_ITERATOR(_mm, 0);
        vm_area_struct* vma;
        while ((vma = K.vma_next(&vmi)) != null) r.Add((vma->vm_start, vma->vm_end));
        K.mmap_read_unlock(_mm);
        return r;
    }

    // arch/x86/mm/mmap.c mmap_base(): gap = 8 MiB stack rlimit + stack_guard_gap (256 pages) +
    // stack_maxrandom_size (0 without PF_RANDOMIZE) = 9 MiB < SIZE_128M, so gap = 128 MiB;
    // task_size = DEFAULT_MAP_WINDOW = (1 << 47) - 4096; rnd = 0.
    private const ulong MmapBase = ((1UL << 47) - 4096) - (128UL << 20);

    [Test]
    public void LayoutIsTopDownFromADeterministicMmapBase()
    {
        Assert.That(_mm->mmap_base, Is.EqualTo(MmapBase));
        Assert.That(MmapBase, Is.EqualTo(0x7ffff7fff000UL));
        // mmap_legacy_base = __TASK_UNMAPPED_BASE(task_size) = PAGE_ALIGN(task_size / 3).
        Assert.That(_mm->mmap_legacy_base, Is.EqualTo((((1UL << 47) - 4096) / 3 + 4095) & ~4095UL));
        Assert.That(K_.test_bit(MMF_TOPDOWN, &_mm->flags), Is.True);
    }

    [Test]
    public void AnonymousMappingsGoTopDownAndAdjacentOnesMergeIntoOneVma()
    {
        // unmapped_area_topdown: the highest gap below mmap_base: [base - len, base).
        long a = Mmap(0, 0x3000, RW, Anon);
        Assert.That(a, Is.EqualTo((long)(MmapBase - 0x3000)));
        long b = Mmap(0, 0x2000, RW, Anon);
        Assert.That(b, Is.EqualTo(a - 0x2000));
        // Same flags, anonymous, pgoff = addr >> PAGE_SHIFT on both (do_mmap MAP_PRIVATE), so
        // vma_merge_new_range's can_vma_merge_before holds: one VMA.
        Assert.That(Vmas(), Is.EqualTo(new[] { ((ulong)b, MmapBase) }));
        Assert.That(_mm->map_count, Is.EqualTo(1));
        // vm_stat_account: total_vm and data_vm (private writable) count 5 pages.
        Assert.That((_mm->total_vm, _mm->data_vm), Is.EqualTo((5UL, 5UL)));
        // A read-only mapping below does not merge (flags differ).
        long c = Mmap(0, 0x1000, PROT_READ, Anon);
        Assert.That(c, Is.EqualTo(b - 0x1000));
        Assert.That(Vmas().Count, Is.EqualTo(2));
        Assert.That((_mm->total_vm, _mm->data_vm), Is.EqualTo((6UL, 5UL)));
    }

    [Test]
    public void PmdMultipleLengthsAreThpAligned()
    {
        // __get_unmapped_area -> thp_get_unmapped_area_vmflags: len_pad = len + PMD_SIZE, the
        // top-down search gives base - len_pad, off_sub = (0 - ret) & (PMD_SIZE - 1).
        ulong len = 2UL << 20;
        long a = Mmap(0, len, RW, Anon);
        ulong ret = MmapBase - (len + (2UL << 20));
        ulong off_sub = (0 - ret) & ((2UL << 20) - 1);
        ulong want = off_sub == 0 ? ret + (2UL << 20) : ret + off_sub;
        Assert.That(a, Is.EqualTo((long)want));
        Assert.That(a & ((2L << 20) - 1), Is.Zero);
    }

    [Test]
    public void AHintThatIsFreeIsHonouredAndMapFixedNoReplaceRefusesOverlap()
    {
        // arch_get_unmapped_area_topdown: a free, valid hint is returned as is.
        long a = Mmap(0x10000000, 0x4000, RW, Anon);
        Assert.That(a, Is.EqualTo(0x10000000L));
        // do_mmap: MAP_FIXED_NOREPLACE over an existing VMA -> -EEXIST.
        Assert.That(Mmap(0x10002000, 0x1000, RW, Anon | MAP_FIXED_NOREPLACE), Is.EqualTo(-(long)EEXIST));
        // A hint below mmap_min_addr is raised to it (round_hint_to_min), if free.
        Assert.That(Mmap(0x1000, 0x1000, RW, Anon), Is.EqualTo(65536L));
    }

    [TestCase(0x10000000UL, 0UL, Anon, -EINVAL, TestName = "len 0: do_mmap -EINVAL")]
    [TestCase(0x10000001UL, 0x1000UL, Anon | MAP_FIXED, -EINVAL, TestName = "MAP_FIXED unaligned: __get_unmapped_area offset_in_page -EINVAL")]
    [TestCase(0x1000UL, 0x1000UL, Anon | MAP_FIXED, -EPERM, TestName = "MAP_FIXED below mmap_min_addr: cap_mmap_addr -EPERM")]
    [TestCase(0UL, ulong.MaxValue, Anon, -ENOMEM, TestName = "len overflows PAGE_ALIGN: do_mmap -ENOMEM")]
    [TestCase(0UL, 1UL << 48, Anon, -ENOMEM, TestName = "len > TASK_SIZE: __get_unmapped_area -ENOMEM")]
    [TestCase(0UL, 0x1000UL, (ulong)MAP_ANONYMOUS, -EINVAL, TestName = "no MAP_TYPE: do_mmap -EINVAL")]
    [TestCase(0UL, 0x1000UL, (ulong)(MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB), -EINVAL, TestName = "MAP_HUGETLB without hugetlb pools: hstate_sizelog NULL -EINVAL")]
    public void BadArgumentsGetLinuxErrnos(ulong addr, ulong len, ulong flags, int errno)
    {
        Assert.That(Mmap(addr, len, RW, flags), Is.EqualTo((long)errno));
        Assert.That(Vmas(), Is.Empty, "nothing half-done stays behind");
        Assert.That(_mm->total_vm, Is.Zero);
    }

    [Test]
    public void AFileMappingWithoutAnOpenFdIsEbadf()
    {
        // ksys_mmap_pgoff: without MAP_ANONYMOUS, fget(fd) fails -> -EBADF.
        Assert.That(Mmap(0, 0x1000, RW, MAP_PRIVATE, 3), Is.EqualTo(-(long)EBADF));
    }

    [TestCase(0x10000001UL, 0x1000UL, TestName = "munmap unaligned start: do_vmi_munmap -EINVAL")]
    [TestCase(0x10000000UL, 0UL, TestName = "munmap len 0: do_vmi_munmap -EINVAL")]
    [TestCase(0x7ffffffff000UL, 0x2000UL, TestName = "munmap past TASK_SIZE: do_vmi_munmap -EINVAL")]
    public void MunmapArgumentErrors(ulong start, ulong len)
    {
        Assert.That(K.__vm_munmap(start, len, true), Is.EqualTo(-EINVAL));
        Assert.That(K_.rwsem_is_locked(&_mm->mmap_lock), Is.False, "the lock is released on error");
    }

    [Test]
    public void MunmapOfAnEmptyRangeSucceedsAndUnlocks()
    {
        // do_vmi_munmap: no VMA in [start, end) -> 0, mmap_write_unlock when unlock.
        Assert.That(K.__vm_munmap(0x10000000, 0x1000, true), Is.EqualTo(0));
        Assert.That(K_.rwsem_is_locked(&_mm->mmap_lock), Is.False);
    }

    [Test]
    public void MunmapOfTheMiddleSplitsIntoTwo()
    {
        long a = Mmap(0x10000000, 0x5000, RW, Anon);
        Assert.That(a, Is.EqualTo(0x10000000L));
        int r = K.__vm_munmap(0x10001000, 0x2000, true);
        Assert.That(r, Is.EqualTo(0));
        // vms_gather_munmap_vmas splits at start (new below) and at end: [a, a+1p) and [a+3p, a+5p) remain.
        Assert.That(Vmas(), Is.EqualTo(new[] { (0x10000000UL, 0x10001000UL), (0x10003000UL, 0x10005000UL) }));
        Assert.That(_mm->total_vm, Is.EqualTo(3UL));
    }

    [TestCase(0x10000001UL, 0x1000UL, (ulong)PROT_READ, -1, -EINVAL, TestName = "mprotect unaligned start: -EINVAL")]
    [TestCase(0x10000000UL, 0UL, (ulong)PROT_READ, -1, 0, TestName = "mprotect len 0: 0")]
    [TestCase(0x10000000UL, 0x1000UL, (ulong)(PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP), -1, -EINVAL, TestName = "mprotect GROWSDOWN|GROWSUP: -EINVAL")]
    [TestCase(0x10000000UL, 0x1000UL, 0x10UL, -1, -EINVAL, TestName = "mprotect unknown prot bit: arch_validate_prot -EINVAL")]
    [TestCase(0xfffffffffffff000UL, 0x2000UL, (ulong)PROT_READ, -1, -ENOMEM, TestName = "mprotect end wraps: -ENOMEM")]
    [TestCase(0x20000000UL, 0x1000UL, (ulong)PROT_READ, -1, -ENOMEM, TestName = "mprotect unmapped range: vma_find NULL -ENOMEM")]
    [TestCase(0x0fff0000UL, 0x20000UL, (ulong)PROT_READ, -1, -ENOMEM, TestName = "mprotect range starting in a hole: vm_start > start -ENOMEM")]
    [TestCase(0x10000000UL, 0x1000UL, (ulong)PROT_READ, 5, -EINVAL, TestName = "mprotect unallocated pkey: -EINVAL")]
    public void MprotectArgumentErrors(ulong start, ulong len, ulong prot, int pkey, int errno)
    {
        Assert.That(Mmap(0x10000000, 0x4000, RW, Anon), Is.EqualTo(0x10000000L));
        Assert.That(K.do_mprotect_pkey(start, len, prot, pkey), Is.EqualTo(errno));
        Assert.That(Vmas(), Is.EqualTo(new[] { (0x10000000UL, 0x10004000UL) }));
        Assert.That(K_.rwsem_is_locked(&_mm->mmap_lock), Is.False);
    }

    [Test]
    public void MprotectOfTheMiddleSplitsIntoThreeAndRestoringMerges()
    {
        Assert.That(Mmap(0x10000000, 0x5000, RW, Anon), Is.EqualTo(0x10000000L));
        // vma_modify splits at start and end (mm/vma.c), mprotect_fixup sets the new flags.
        Assert.That(K.do_mprotect_pkey(0x10001000, 0x2000, PROT_READ, -1), Is.EqualTo(0));
        Assert.That(Vmas(), Is.EqualTo(new[] { (0x10000000UL, 0x10001000UL), (0x10001000UL, 0x10003000UL), (0x10003000UL, 0x10005000UL) }));
        // Restoring the protection lets vma_merge_existing_range merge all three back.
        Assert.That(K.do_mprotect_pkey(0x10001000, 0x2000, RW, -1), Is.EqualTo(0));
        Assert.That(Vmas(), Is.EqualTo(new[] { (0x10000000UL, 0x10005000UL) }));
        Assert.That((_mm->total_vm, _mm->data_vm), Is.EqualTo((5UL, 5UL)));
    }
}
