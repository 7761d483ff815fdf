// SPDX-License-Identifier: GPL-2.0-only
// include/linux/mmap_lock.h with CONFIG_PER_VMA_LOCK (mm_lock_seq counts write sections) and
// CONFIG_TRACING, whose mmap_lock tracepoints are never enabled in Emu.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/mmap_lock.h", "__mmap_lock_trace_start_locking", "de9b4830e1b757d2")]
    internal static void __mmap_lock_trace_start_locking(mm_struct* mm, bool write)
    {
        // tracepoint_enabled(mmap_lock_start_locking) is false.
    }

    [Upstream("include/linux/mmap_lock.h", "__mmap_lock_trace_acquire_returned", "113d71e27c28beea")]
    internal static void __mmap_lock_trace_acquire_returned(mm_struct* mm, bool write, bool success)
    {
        // tracepoint_enabled(mmap_lock_acquire_returned) is false.
    }

    [Upstream("include/linux/mmap_lock.h", "__mmap_lock_trace_released", "192e28ab21bbff71")]
    internal static void __mmap_lock_trace_released(mm_struct* mm, bool write)
    {
        // tracepoint_enabled(mmap_lock_released) is false.
    }

    [Upstream("include/linux/mmap_lock.h", "mmap_assert_locked", "a412b0c483e95004")]
    internal void mmap_assert_locked(mm_struct* mm)
    {
        rwsem_assert_held(&mm->mmap_lock);
    }

    [Upstream("include/linux/mmap_lock.h", "mmap_assert_write_locked", "744607ad902f17d4")]
    internal void mmap_assert_write_locked(mm_struct* mm)
    {
        rwsem_assert_held_write(&mm->mmap_lock);
    }

    [Upstream("include/linux/mmap_lock.h", "mm_lock_seqcount_init", "9bb20afe92fb0c12")]
    internal static void mm_lock_seqcount_init(mm_struct* mm)
    {
        seqcount_init(&mm->mm_lock_seq);
    }

    [Upstream("include/linux/mmap_lock.h", "mm_lock_seqcount_begin", "e5abd73caf8eaf11")]
    internal static void mm_lock_seqcount_begin(mm_struct* mm)
    {
        do_raw_write_seqcount_begin(&mm->mm_lock_seq);
    }

    [Upstream("include/linux/mmap_lock.h", "mm_lock_seqcount_end", "f29514c99922fefb")]
    internal static void mm_lock_seqcount_end(mm_struct* mm)
    {
        // ASSERT_EXCLUSIVE_WRITER(mm->mm_lock_seq): KCSAN only.
        do_raw_write_seqcount_end(&mm->mm_lock_seq);
    }

    [Upstream("include/linux/mmap_lock.h", "mmap_init_lock", "ba7d57d8f501978d")]
    internal void mmap_init_lock(mm_struct* mm)
    {
        init_rwsem(&mm->mmap_lock);
        mm_lock_seqcount_init(mm);
    }

    [Upstream("include/linux/mmap_lock.h", "mmap_write_lock", "70976f22bcbe13d3")]
    internal void mmap_write_lock(mm_struct* mm)
    {
        __mmap_lock_trace_start_locking(mm, true);
        down_write(&mm->mmap_lock);
        mm_lock_seqcount_begin(mm);
        __mmap_lock_trace_acquire_returned(mm, true, true);
    }

    [Upstream("include/linux/mmap_lock.h", "mmap_write_lock_nested", "6b63946634c0f3bb")]
    internal void mmap_write_lock_nested(mm_struct* mm, uint subclass)
    {
        __mmap_lock_trace_start_locking(mm, true);
        down_write_nested(&mm->mmap_lock, subclass);
        mm_lock_seqcount_begin(mm);
        __mmap_lock_trace_acquire_returned(mm, true, true);
    }

    [Upstream("include/linux/mmap_lock.h", "mmap_write_lock_killable", "649bb146b80dc991")]
    internal int mmap_write_lock_killable(mm_struct* mm)
    {
        int ret;

        __mmap_lock_trace_start_locking(mm, true);
        ret = down_write_killable(&mm->mmap_lock);
        if (ret == 0)
            mm_lock_seqcount_begin(mm);
        __mmap_lock_trace_acquire_returned(mm, true, ret == 0);
        return ret;
    }

    // Called right before a write-locked mmap_lock is released or downgraded: ends every
    // per-VMA write lock at once.
    [Upstream("include/linux/mmap_lock.h", "vma_end_write_all", "1e54f55b97f61b5e")]
    internal void vma_end_write_all(mm_struct* mm)
    {
        mmap_assert_write_locked(mm);
        mm_lock_seqcount_end(mm);
    }

    [Upstream("include/linux/mmap_lock.h", "mmap_write_unlock", "321cd1002369e9ad")]
    internal void mmap_write_unlock(mm_struct* mm)
    {
        __mmap_lock_trace_released(mm, true);
        vma_end_write_all(mm);
        up_write(&mm->mmap_lock);
    }

    [Upstream("include/linux/mmap_lock.h", "mmap_write_downgrade", "f23659c9a7990a73")]
    internal void mmap_write_downgrade(mm_struct* mm)
    {
        __mmap_lock_trace_acquire_returned(mm, false, true);
        vma_end_write_all(mm);
        downgrade_write(&mm->mmap_lock);
    }

    [Upstream("include/linux/mmap_lock.h", "mmap_read_lock", "5b26a97dbd5dc7fa")]
    internal void mmap_read_lock(mm_struct* mm)
    {
        __mmap_lock_trace_start_locking(mm, false);
        down_read(&mm->mmap_lock);
        __mmap_lock_trace_acquire_returned(mm, false, true);
    }

    [Upstream("include/linux/mmap_lock.h", "mmap_read_lock_killable", "92392af9bb29daa0")]
    internal int mmap_read_lock_killable(mm_struct* mm)
    {
        int ret;

        __mmap_lock_trace_start_locking(mm, false);
        ret = down_read_killable(&mm->mmap_lock);
        __mmap_lock_trace_acquire_returned(mm, false, ret == 0);
        return ret;
    }

    [Upstream("include/linux/mmap_lock.h", "mmap_read_trylock", "7096948768859800")]
    internal bool mmap_read_trylock(mm_struct* mm)
    {
        bool ret;

        __mmap_lock_trace_start_locking(mm, false);
        ret = down_read_trylock(&mm->mmap_lock) != 0;
        __mmap_lock_trace_acquire_returned(mm, false, ret);
        return ret;
    }

    [Upstream("include/linux/mmap_lock.h", "mmap_read_unlock", "0da5309068051bec")]
    internal void mmap_read_unlock(mm_struct* mm)
    {
        __mmap_lock_trace_released(mm, false);
        up_read(&mm->mmap_lock);
    }

    [Upstream("include/linux/mmap_lock.h", "mmap_read_unlock_non_owner", "19326e1b3d630158")]
    internal void mmap_read_unlock_non_owner(mm_struct* mm)
    {
        __mmap_lock_trace_released(mm, false);
        up_read_non_owner(&mm->mmap_lock);
    }

    [Upstream("include/linux/mmap_lock.h", "mmap_lock_is_contended", "1fe1c6e3850574f4")]
    internal static bool mmap_lock_is_contended(mm_struct* mm)
    {
        return rwsem_is_contended(&mm->mmap_lock);
    }
}
