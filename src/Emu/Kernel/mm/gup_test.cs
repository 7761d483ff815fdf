// SPDX-License-Identifier: GPL-2.0-only
// mm/gup_test.c: the PIN_LONGTERM_TEST_START/STOP/READ ioctls of /sys/kernel/debug/gup_test that
// tools/testing/selftests/mm/cow.c and gup_longterm.c use to hold a longterm pin. One global slot
// per machine (kernel fields). The benchmark ioctls (GUP_FAST_BENCHMARK ...) are not modelled.
// copy_from_user/copy_to_user are models: they go through the MMU as a user access would and
// return the bytes not copied when the access faults (the kernel's exception-table fixup).
using System;
using System.Runtime.InteropServices;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // _IOW('g', 7, struct pin_longterm_test), _IO('g', 8), _IOW('g', 9, __u64).
    internal const uint PIN_LONGTERM_TEST_START = (1u << 30) | (24u << 16) | ('g' << 8) | 7;
    internal const uint PIN_LONGTERM_TEST_STOP = ('g' << 8) | 8;
    internal const uint PIN_LONGTERM_TEST_READ = (1u << 30) | (8u << 16) | ('g' << 8) | 9;

    private readonly object pin_longterm_test_mutex = new();
    private page** pin_longterm_test_pages;
    private ulong pin_longterm_test_nr_pages;

    // Model of copy_from_user: returns how many bytes could not be copied.
    internal ulong copy_from_user(void* to, ulong from, ulong n)
    {
        try
        {
            Emu.Arch.X86_64.Mmu.Access(this, from, new Span<byte>(to, (int)n), write: false);
            return 0;
        }
        catch (global::Emu.EmulatedSignalException)
        {
            return n;
        }
    }

    // Model of copy_to_user, as copy_from_user.
    internal ulong copy_to_user(ulong to, void* from, ulong n)
    {
        try
        {
            Emu.Arch.X86_64.Mmu.Access(this, to, new Span<byte>(from, (int)n), write: true);
            return 0;
        }
        catch (global::Emu.EmulatedSignalException)
        {
            return n;
        }
    }

    [Upstream("mm/gup_test.c", "pin_longterm_test_stop", "5a988f2eb0babb9c")]
    internal void pin_longterm_test_stop()
    {
        if (pin_longterm_test_pages != null)
        {
            if (pin_longterm_test_nr_pages != 0)
                unpin_user_pages(pin_longterm_test_pages,
                                 pin_longterm_test_nr_pages);
            NativeMemory.Free(pin_longterm_test_pages); // kvfree
            pin_longterm_test_pages = null;
            pin_longterm_test_nr_pages = 0;
        }
    }

    [Upstream("mm/gup_test.c", "pin_longterm_test_start", "d1b11a9aaf4d70fe")]
    internal int pin_longterm_test_start(ulong arg)
    {
        long nr_pages, cur_pages, addr, remaining_pages;
        int gup_flags = FOLL_LONGTERM;
        pin_longterm_test args;
        page** pages;
        int ret = 0;
        bool fast;

        // One pin set at a time.
        if (pin_longterm_test_pages != null)
            return -EINVAL;

        if (copy_from_user(&args, arg, (ulong)sizeof(pin_longterm_test)) != 0)
            return -EFAULT;

        if ((args.flags &
             ~(uint)(PIN_LONGTERM_TEST_FLAG_USE_WRITE | PIN_LONGTERM_TEST_FLAG_USE_FAST)) != 0)
            return -EINVAL;
        if (((args.addr | args.size) & (PAGE_SIZE - 1)) != 0) // !IS_ALIGNED(args.addr | args.size, PAGE_SIZE)
            return -EINVAL;
        if (args.size > long.MaxValue)
            return -EINVAL;
        nr_pages = (long)(args.size / PAGE_SIZE);
        if (nr_pages == 0)
            return -EINVAL;

        pages = (page**)NativeMemory.AllocZeroed((nuint)nr_pages, (nuint)sizeof(void*)); // kvcalloc
        if (pages == null)
            return -ENOMEM;

        if ((args.flags & PIN_LONGTERM_TEST_FLAG_USE_WRITE) != 0)
            gup_flags |= FOLL_WRITE;
        fast = (args.flags & PIN_LONGTERM_TEST_FLAG_USE_FAST) != 0;

        // pin_user_pages() wants the mmap lock held; GUP-fast takes what it needs itself.
        if (!fast && mmap_read_lock_killable(current_mm) != 0)
        {
            NativeMemory.Free(pages);
            return -EINTR;
        }

        pin_longterm_test_pages = pages;
        pin_longterm_test_nr_pages = 0;

        while (nr_pages - (long)pin_longterm_test_nr_pages != 0)
        {
            remaining_pages = nr_pages - (long)pin_longterm_test_nr_pages;
            addr = (long)(args.addr + pin_longterm_test_nr_pages * PAGE_SIZE);

            if (fast)
                cur_pages = pin_user_pages_fast((ulong)addr, (int)remaining_pages,
                                                (uint)gup_flags, pages);
            else
                cur_pages = pin_user_pages((ulong)addr, (ulong)remaining_pages,
                                           (uint)gup_flags, pages);
            if (cur_pages < 0)
            {
                pin_longterm_test_stop();
                ret = (int)cur_pages;
                break;
            }
            pin_longterm_test_nr_pages += (ulong)cur_pages;
            pages += cur_pages;
        }

        if (!fast)
            mmap_read_unlock(current_mm);
        return ret;
    }

    [Upstream("mm/gup_test.c", "pin_longterm_test_read", "b9c197bd458b8a6e")]
    internal int pin_longterm_test_read(ulong arg)
    {
        ulong user_addr;
        ulong i;

        if (pin_longterm_test_pages == null)
            return -EINVAL;

        if (copy_from_user(&user_addr, arg, sizeof(ulong)) != 0)
            return -EFAULT;

        for (i = 0; i < pin_longterm_test_nr_pages; i++)
        {
            void* addr = page_address(pin_longterm_test_pages[i]); // kmap_local_page: no highmem
            ulong ret;

            ret = copy_to_user(user_addr, addr,
                               PAGE_SIZE);
            // kunmap_local(addr)
            if (ret != 0)
                return -EFAULT;
            user_addr += PAGE_SIZE;
        }
        return 0;
    }

    [Upstream("mm/gup_test.c", "pin_longterm_test_ioctl", "fc154c468fe0e219")]
    internal int pin_longterm_test_ioctl(uint cmd, ulong arg)
    {
        int ret = -EINVAL;

        // mutex_lock_killable(&pin_longterm_test_mutex): Emu's kernel entry is already serialized.
        lock (pin_longterm_test_mutex)
        {
            switch (cmd)
            {
                case PIN_LONGTERM_TEST_START:
                    ret = pin_longterm_test_start(arg);
                    break;
                case PIN_LONGTERM_TEST_STOP:
                    pin_longterm_test_stop();
                    ret = 0;
                    break;
                case PIN_LONGTERM_TEST_READ:
                    ret = pin_longterm_test_read(arg);
                    break;
            }
        }
        return ret;
    }

    // The PIN_LONGTERM_TEST part of gup_test_ioctl: every other command is a benchmark or basic
    // test Emu does not model, answered -EINVAL as an unknown command would be.
    internal int gup_test_ioctl(uint cmd, ulong arg)
    {
        switch (cmd)
        {
            case PIN_LONGTERM_TEST_START:
            case PIN_LONGTERM_TEST_STOP:
            case PIN_LONGTERM_TEST_READ:
                return pin_longterm_test_ioctl(cmd, arg);
            default:
                return -EINVAL;
        }
    }

    [Upstream("mm/gup_test.c", "gup_test_release", "65176e8a17cdcdff")]
    internal int gup_test_release(void* inode, void* file)
    {
        pin_longterm_test_stop();

        return 0;
    }
}
