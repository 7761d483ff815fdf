using System.Collections.Generic;
using Emu.Kernel;
using Emu.Tests.Kernel.Locking;
using NUnit.Framework;
using static Emu.Kernel.KernelConstants;
using K_ = Emu.Kernel.Kernel;

namespace Emu.Tests.Vma;

/// <summary>
/// mm/vma.c split and merge on anonymous VMAs (no anon_vma yet, so no rmap involved).
/// Expectations from the C: vma_modify() splits off the parts outside [start, end) with
/// split_vma(), so changing the flags of a middle range leaves three VMAs; changing them back
/// makes vma_merge_existing_range() take the merge_both path (prev absorbs vma and next);
/// vma_merge_new_range() expands prev over an adjacent new range when can_vma_merge_after()
/// holds (same flags, pgoff continuity), and joins prev and next when the range fills the gap.
/// </summary>
public unsafe class VmaMergeTests
{
    private Machine _machine = null!;
    private NativeStructs _mem = null!;
    private mm_struct* _mm;
    private K_ K => _machine.Kernel;
    private const ulong Flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

    [SetUp]
    public void Create()
    {
        _machine = new Machine();
        _mem = new NativeStructs();
        _mm = _mem.New<mm_struct>();
        K.mt_init_flags(&_mm->mm_mt, (uint)(MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN | MT_FLAGS_USE_RCU));
        K.mmap_init_lock(_mm);
        K.mmap_write_lock(_mm);
    }

    [TearDown]
    public void Dispose()
    {
        var vmi = K_.VMA_ITERATOR(_mm, 0);
        vm_area_struct* vma;
        var all = new List<nint>();
        while ((vma = K.vma_next(&vmi)) != null) all.Add((nint)vma);
        foreach (var v in all) K.vm_area_free((vm_area_struct*)v);
        K.mmap_write_unlock(_mm);
        K.__mt_destroy(&_mm->mm_mt);
        _mem.Dispose();
        _machine.Dispose();
    }

    private vm_area_struct* Map(ulong start, ulong end, ulong flags = Flags)
    {
        var vma = K.vm_area_alloc(_mm);
        K_.vma_set_anonymous(vma);
        vma->vm_start = start;
        vma->vm_end = end;
        vma->vm_pgoff = start >> (int)PAGE_SHIFT;
        K_.vm_flags_init(vma, flags);
        Assert.That(K.vma_link(_mm, vma), Is.EqualTo(0));
        return vma;
    }

    private List<(ulong, ulong, ulong)> Layout()
    {
        var r = new List<(ulong, ulong, ulong)>();
        var vmi = K_.VMA_ITERATOR(_mm, 0);
        vm_area_struct* vma;
        while ((vma = K.vma_next(&vmi)) != null)
        {
            // The tree's slot must be exactly the VMA's range.
            Assert.That((K_.vma_iter_addr(&vmi), K_.vma_iter_end(&vmi)), Is.EqualTo((vma->vm_start, vma->vm_end)));
            r.Add((vma->vm_start, vma->vm_end, vma->vm_flags));
        }
        Assert.That(_mm->map_count, Is.EqualTo(r.Count), "map_count follows the tree");
        return r;
    }

    [Test]
    public void ModifyingTheMiddleSplitsIntoThreeAndRestoringMergesBack()
    {
        var vma = Map(0x100000, 0x110000);
        ulong ro = Flags & ~(ulong)VM_WRITE;

        var vmi = K_.VMA_ITERATOR(_mm, 0x104000);
        var res = K.vma_modify_flags(&vmi, vma, vma, 0x104000, 0x108000, ro);
        Assert.That(K_.IS_ERR(res), Is.False);
        // vma_modify returns the VMA covering exactly [start, end); the caller sets the flags.
        Assert.That((res->vm_start, res->vm_end), Is.EqualTo((0x104000UL, 0x108000UL)));
        Assert.That(res->vm_pgoff, Is.EqualTo(0x104UL), "pgoff follows the split (__split_vma)");
        K.vm_flags_reset(res, ro);
        Assert.That(Layout(), Is.EqualTo(new[] { (0x100000UL, 0x104000UL, Flags), (0x104000UL, 0x108000UL, ro), (0x108000UL, 0x110000UL, Flags) }));

        vm_area_struct* prev;
        var middle = K.find_vma_prev(_mm, 0x104000, &prev);
        vmi = K_.VMA_ITERATOR(_mm, 0x104000);
        K.vma_iter_load(&vmi);
        res = K.vma_modify_flags(&vmi, prev, middle, 0x104000, 0x108000, Flags);
        Assert.That(K_.IS_ERR(res), Is.False);
        Assert.That((nint)res, Is.EqualTo((nint)prev), "merge_both keeps prev");
        Assert.That(Layout(), Is.EqualTo(new[] { (0x100000UL, 0x110000UL, Flags) }));
        Assert.That(res->vm_pgoff, Is.EqualTo(0x100UL));
    }

    [Test]
    public void ModifyingOneEndMergesItIntoTheNeighbour()
    {
        var a = Map(0x100000, 0x104000, Flags & ~(ulong)VM_WRITE);
        var b = Map(0x104000, 0x110000);
        Assert.That(Layout().Count, Is.EqualTo(2));
        // Make b's first 16 KiB read-only: merge_left grows a, b shrinks from the left.
        var vmi = K_.VMA_ITERATOR(_mm, 0x104000);
        K.vma_iter_load(&vmi);
        var res = K.vma_modify_flags(&vmi, a, b, 0x104000, 0x108000, Flags & ~(ulong)VM_WRITE);
        Assert.That((nint)res, Is.EqualTo((nint)a));
        Assert.That(Layout(), Is.EqualTo(new[] { (0x100000UL, 0x108000UL, Flags & ~(ulong)VM_WRITE), (0x108000UL, 0x110000UL, Flags) }));
        Assert.That(b->vm_pgoff, Is.EqualTo(0x108UL), "adjust->vm_pgoff += PHYS_PFN(adj_start)");
    }

    [Test]
    public void ANewRangeFillingTheGapJoinsBothNeighbours()
    {
        var a = Map(0x100000, 0x104000);
        var c = Map(0x108000, 0x10c000);
        var vmi = K_.VMA_ITERATOR(_mm, 0x104000);
        var vmg = K_.VMG_STATE(_mm, &vmi, 0x104000, 0x108000, Flags, 0x104);
        vmg.prev = a;
        vmg.next = c;
        var res = K.vma_merge_new_range(&vmg);
        Assert.That((nint)res, Is.EqualTo((nint)a));
        Assert.That(vmg.state, Is.EqualTo(vma_merge_state.VMA_MERGE_SUCCESS));
        Assert.That(Layout(), Is.EqualTo(new[] { (0x100000UL, 0x10c000UL, Flags) }));
    }

    [Test]
    public void ANewRangeWithOtherFlagsOrAPgoffJumpDoesNotMerge()
    {
        var a = Map(0x100000, 0x104000);
        var vmi = K_.VMA_ITERATOR(_mm, 0x104000);
        var vmg = K_.VMG_STATE(_mm, &vmi, 0x104000, 0x108000, Flags | VM_EXEC, 0x104);
        vmg.prev = a;
        Assert.That((nint)K.vma_merge_new_range(&vmg), Is.EqualTo((nint)0));
        Assert.That(vmg.state, Is.EqualTo(vma_merge_state.VMA_MERGE_NOMERGE));
        vmg = K_.VMG_STATE(_mm, &vmi, 0x104000, 0x108000, Flags, 0x999);
        vmg.prev = a;
        Assert.That((nint)K.vma_merge_new_range(&vmg), Is.EqualTo((nint)0));
        Assert.That(Layout().Count, Is.EqualTo(1));
    }

    [Test]
    public void SplitVmaRefusesAtMaxMapCount()
    {
        var a = Map(0x100000, 0x110000);
        K.sysctl_max_map_count = 1;
        var vmi = K_.VMA_ITERATOR(_mm, 0x104000);
        // mm/vma.c split_vma: map_count >= sysctl_max_map_count -> -ENOMEM.
        Assert.That(K.split_vma(&vmi, a, 0x104000, 1), Is.EqualTo(-ENOMEM));
        Assert.That(Layout().Count, Is.EqualTo(1));
    }
}
