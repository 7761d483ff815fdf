// SPDX-License-Identifier: GPL-2.0-only
// include/linux/mm.h: the VMA iterator and lookup inlines. for_each_vma(vmi, vma) reads in C# as
// `while ((vma = vma_next(&vmi)) != null)`, for_each_vma_range(vmi, vma, end) as
// `while ((vma = vma_find(&vmi, end)) != null)`.
using static Emu.Kernel.KernelConstants;
using gfp_t = uint;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/mm.h", "vma_find", "11a4e2d6adae683f")]
    internal vm_area_struct* vma_find(vma_iterator* vmi, ulong max)
    {
        return (vm_area_struct*)mas_find(&vmi->mas, max - 1);
    }

    [Upstream("include/linux/mm.h", "vma_next", "76c6522967b4313f")]
    internal vm_area_struct* vma_next(vma_iterator* vmi)
    {
        // mas_find, not mas_next: a fresh iterator must return the VMA at its start.
        return (vm_area_struct*)mas_find(&vmi->mas, ulong.MaxValue);
    }

    [Upstream("include/linux/mm.h", "vma_iter_next_range", "729e184c64b4d947")]
    internal vm_area_struct* vma_iter_next_range(vma_iterator* vmi)
    {
        return (vm_area_struct*)mas_next_range(&vmi->mas, ulong.MaxValue);
    }

    [Upstream("include/linux/mm.h", "vma_prev", "195b69c2e5577bd4")]
    internal vm_area_struct* vma_prev(vma_iterator* vmi)
    {
        return (vm_area_struct*)mas_prev(&vmi->mas, 0);
    }

    [Upstream("include/linux/mm.h", "vma_iter_clear_gfp", "0a2155648adacee6")]
    internal int vma_iter_clear_gfp(vma_iterator* vmi, ulong start, ulong end, gfp_t gfp)
    {
        __mas_set_range(&vmi->mas, start, end - 1);
        mas_store_gfp(&vmi->mas, null, gfp);
        if (mas_is_err(&vmi->mas))
            return -ENOMEM;

        return 0;
    }

    [Upstream("include/linux/mm.h", "vma_iter_free", "560d035d853b9df6")]
    internal void vma_iter_free(vma_iterator* vmi)
    {
        mas_destroy(&vmi->mas);
    }

    [Upstream("include/linux/mm.h", "vma_iter_bulk_store", "23d5c0fa0a0f9406")]
    internal int vma_iter_bulk_store(vma_iterator* vmi, vm_area_struct* vma)
    {
        vmi->mas.index = vma->vm_start;
        vmi->mas.last = vma->vm_end - 1;
        mas_store(&vmi->mas, vma);
        if (mas_is_err(&vmi->mas))
            return -ENOMEM;

        return 0;
    }

    [Upstream("include/linux/mm.h", "vma_iter_invalidate", "734b098a3a3d45b3")]
    internal static void vma_iter_invalidate(vma_iterator* vmi)
    {
        mas_pause(&vmi->mas);
    }

    [Upstream("include/linux/mm.h", "vma_iter_set", "baa2533ef47b480c")]
    internal void vma_iter_set(vma_iterator* vmi, ulong addr)
    {
        mas_set(&vmi->mas, addr);
    }

    [Upstream("include/linux/mm.h", "vma_lookup", "0ea0a8b0816900c1")]
    internal vm_area_struct* vma_lookup(mm_struct* mm, ulong addr)
    {
        return (vm_area_struct*)mtree_load(&mm->mm_mt, addr);
    }

    [Upstream("include/linux/mm.h", "stack_guard_start_gap", "7b124c08d8dbc475")]
    internal ulong stack_guard_start_gap(vm_area_struct* vma)
    {
        if ((vma->vm_flags & VM_GROWSDOWN) != 0)
            return stack_guard_gap;

        // Shadow stacks keep one guard page below.
        if ((vma->vm_flags & VM_SHADOW_STACK) != 0)
            return PAGE_SIZE;

        return 0;
    }

    [Upstream("include/linux/mm.h", "vm_start_gap", "34acff94940733c9")]
    internal ulong vm_start_gap(vm_area_struct* vma)
    {
        ulong gap = stack_guard_start_gap(vma);
        ulong vm_start = vma->vm_start;

        vm_start -= gap;
        if (vm_start > vma->vm_start)
            vm_start = 0;
        return vm_start;
    }

    [Upstream("include/linux/mm.h", "vm_end_gap", "e04ff5c9663f4733")]
    internal ulong vm_end_gap(vm_area_struct* vma)
    {
        ulong vm_end = vma->vm_end;

        if ((vma->vm_flags & VM_GROWSUP) != 0)
        {
            vm_end += stack_guard_gap;
            if (vm_end < vma->vm_end)
                vm_end = unchecked((ulong)-(long)PAGE_SIZE);
        }
        return vm_end;
    }

    [Upstream("include/linux/mm.h", "find_exact_vma", "3cbf1fb8ff1cf0d0")]
    internal vm_area_struct* find_exact_vma(mm_struct* mm, ulong vm_start, ulong vm_end)
    {
        vm_area_struct* vma = vma_lookup(mm, vm_start);

        if (vma != null && (vma->vm_start != vm_start || vma->vm_end != vm_end))
            vma = null;

        return vma;
    }

    [Upstream("include/linux/mm.h", "range_in_vma", "e6ef46c9beeab88f")]
    internal static bool range_in_vma(vm_area_struct* vma, ulong start, ulong end)
    {
        return vma != null && vma->vm_start <= start && end <= vma->vm_end;
    }

    /// <summary>mm/mmap.c's vma_dummy_vm_ops: an ops table with no callbacks (what vma_init installs).</summary>
    internal void* vma_dummy_vm_ops = (void*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(256);

    /// <summary>
    /// Emu has no files, special mappings or drivers: the only ops a VMA can carry are NULL
    /// (anonymous) and vma_dummy_vm_ops, neither of which has callbacks. Any other table would
    /// need the file/driver subsystems.
    /// </summary>
    internal bool vm_ops_has_callbacks(vm_area_struct* vma)
    {
        if (vma->vm_ops == null || vma->vm_ops == vma_dummy_vm_ops)
            return false;
        throw new System.NotSupportedException("vm_operations_struct callbacks: Emu has no file or special mappings");
    }

    /// <summary>Emu has no files: a VMA with vm_file set cannot exist.</summary>
    internal static System.NotSupportedException no_files(string where) =>
        new($"{where}: Emu has no files (vm_file is always NULL)");

    [Upstream("include/linux/mm.h", "vma_numab_state_init", "630ac4548e6aefad")]
    internal static void vma_numab_state_init(vm_area_struct* vma)
    {
        vma->numab_state = null;
    }

    [Upstream("include/linux/mm.h", "vma_numab_state_free", "90bf30145c3fb011")]
    internal void vma_numab_state_free(vm_area_struct* vma)
    {
        kfree(vma->numab_state);
    }

    [Upstream("include/linux/mm.h", "__is_vma_write_locked", "ff0db1c63e56cbcc")]
    internal bool __is_vma_write_locked(vm_area_struct* vma, uint* mm_lock_seq)
    {
        mmap_assert_write_locked(vma->vm_mm);

        // Under the mmap write lock neither sequence can change under us.
        *mm_lock_seq = vma->vm_mm->mm_lock_seq.sequence;
        return (vma->vm_lock_seq == *mm_lock_seq);
    }

    [Upstream("include/linux/mm.h", "vma_start_write", "6c1bd4618d5443ec")]
    internal void vma_start_write(vm_area_struct* vma)
    {
        uint mm_lock_seq;

        if (__is_vma_write_locked(vma, &mm_lock_seq))
            return;

        down_write(&vma->vm_lock->@lock);
        System.Threading.Volatile.Write(ref vma->vm_lock_seq, mm_lock_seq);
        up_write(&vma->vm_lock->@lock);
    }

    [Upstream("include/linux/mm.h", "vma_assert_write_locked", "9edba8f1c27817b7")]
    internal void vma_assert_write_locked(vm_area_struct* vma)
    {
        uint mm_lock_seq;

        VM_BUG_ON_VMA(!__is_vma_write_locked(vma, &mm_lock_seq), vma);
    }

    [Upstream("include/linux/mm.h", "vma_mark_detached", "b544dbd25051920d")]
    internal void vma_mark_detached(vm_area_struct* vma, bool detached)
    {
        // Detaching needs the VMA write-locked.
        if (detached)
            vma_assert_write_locked(vma);
        vma->detached = detached;
    }

    [Upstream("include/linux/mm.h", "vma_init", "d732516f340f323c")]
    internal void vma_init(vm_area_struct* vma, mm_struct* mm)
    {
        memset(vma, 0, (nuint)sizeof(vm_area_struct));
        vma->vm_mm = mm;
        vma->vm_ops = vma_dummy_vm_ops;
        INIT_LIST_HEAD(&vma->anon_vma_chain);
        vma_mark_detached(vma, false);
        vma_numab_state_init(vma);
    }

    [Upstream("include/linux/mm.h", "vm_flags_init", "1e3ae02dc2ffb6d7")]
    internal static void vm_flags_init(vm_area_struct* vma, ulong flags)
    {
        vma->__vm_flags = flags;
    }

    [Upstream("include/linux/mm.h", "vm_flags_reset", "f2b25fe2d5606618")]
    internal void vm_flags_reset(vm_area_struct* vma, ulong flags)
    {
        vma_assert_write_locked(vma);
        vm_flags_init(vma, flags);
    }

    [Upstream("include/linux/mm.h", "vm_flags_reset_once", "18e319e8da89a109")]
    internal void vm_flags_reset_once(vm_area_struct* vma, ulong flags)
    {
        vma_assert_write_locked(vma);
        System.Threading.Volatile.Write(ref vma->__vm_flags, flags);
    }

    [Upstream("include/linux/mm.h", "vm_flags_set", "c47d10c499e55514")]
    internal void vm_flags_set(vm_area_struct* vma, ulong flags)
    {
        vma_start_write(vma);
        vma->__vm_flags |= flags;
    }

    [Upstream("include/linux/mm.h", "vm_flags_clear", "7f383a1c6ec8bdf7")]
    internal void vm_flags_clear(vm_area_struct* vma, ulong flags)
    {
        vma_start_write(vma);
        vma->__vm_flags &= ~flags;
    }

    [Upstream("include/linux/mm.h", "__vm_flags_mod", "e8a35bca3631877c")]
    internal static void __vm_flags_mod(vm_area_struct* vma, ulong set, ulong clear)
    {
        vm_flags_init(vma, (vma->vm_flags | set) & ~clear);
    }

    [Upstream("include/linux/mm.h", "vm_flags_mod", "f6262f277212047d")]
    internal void vm_flags_mod(vm_area_struct* vma, ulong set, ulong clear)
    {
        vma_start_write(vma);
        __vm_flags_mod(vma, set, clear);
    }

    [Upstream("include/linux/mm.h", "vma_set_anonymous", "27c58355dd5daf69")]
    internal static void vma_set_anonymous(vm_area_struct* vma)
    {
        vma->vm_ops = null;
    }

    [Upstream("include/linux/mm.h", "is_shared_maywrite", "88cbbe738c483df9")]
    internal static bool is_shared_maywrite(ulong vm_flags)
    {
        return (vm_flags & (VM_SHARED | VM_MAYWRITE)) ==
            (VM_SHARED | VM_MAYWRITE);
    }

    [Upstream("include/linux/mm.h", "vma_is_shared_maywrite", "bbbd5f5f3ec7849f")]
    internal static bool vma_is_shared_maywrite(vm_area_struct* vma)
    {
        return is_shared_maywrite(vma->vm_flags);
    }

    [Upstream("include/linux/mm.h", "PAGE_ALIGN", UpstreamAttribute.Macro)]
    internal static ulong PAGE_ALIGN(ulong addr) => (addr + PAGE_SIZE - 1) & PAGE_MASK;

    [Upstream("include/linux/mm.h", "offset_in_page", UpstreamAttribute.Macro)]
    internal static ulong offset_in_page(ulong p) => p & ~PAGE_MASK;

    [Upstream("include/linux/mm.h", "update_hiwater_vm", "220c5df94d1e20cc")]
    internal static void update_hiwater_vm(mm_struct* mm)
    {
        if (mm->hiwater_vm < mm->total_vm)
            mm->hiwater_vm = mm->total_vm;
    }

    /// <summary>CONFIG_NUMA: the VMA's policy (always NULL in Emu, see include/linux/mempolicy.cs).</summary>
    [Upstream("include/linux/mm_types.h", "vma_policy", UpstreamAttribute.Macro)]
    internal static void* vma_policy(vm_area_struct* vma) => vma->vm_policy;

    /// <summary>CONFIG_ANON_VMA_NAME is not set: no names.</summary>
    [Upstream("include/linux/mm_types.h", "anon_vma_name", "7a8fc66661d1d37a")]
    internal static void* anon_vma_name(vm_area_struct* vma)
    {
        return null;
    }

    [Upstream("include/linux/mm_inline.h", "anon_vma_name_get", "44136fa355b3678a", Definition = 2)]
    internal static void anon_vma_name_get(void* anon_name) { }

    [Upstream("include/linux/mm_inline.h", "anon_vma_name_put", "44136fa355b3678a", Definition = 2)]
    internal static void anon_vma_name_put(void* anon_name) { }

    [Upstream("include/linux/mm_inline.h", "dup_anon_vma_name", "44136fa355b3678a", Definition = 2)]
    internal static void dup_anon_vma_name(vm_area_struct* orig_vma, vm_area_struct* new_vma) { }

    [Upstream("include/linux/mm_inline.h", "free_anon_vma_name", "44136fa355b3678a", Definition = 2)]
    internal static void free_anon_vma_name(vm_area_struct* vma) { }

    [Upstream("include/linux/mm_inline.h", "anon_vma_name_eq", "b48df3a0d50249a5", Definition = 2)]
    internal static bool anon_vma_name_eq(void* anon_name1, void* anon_name2)
    {
        return true;
    }
}
