// tools/testing/selftests/mm/cow.c (6.12.117) ported to Emu's process API: main() and every path it
// takes on a kernel that advertises what Emu has (no THP: read_pmd_pagesize() is 0; no hugetlb
// sizes; built without liburing, so the io_uring cases do not exist).
//
// Forked children: in the C a child runs concurrently and meets the parent at the comm pipes. Here a
// child_fn runs the child's part up to its "child_ready" write right after fork() and returns the
// rest, which runs when the parent writes "parent_ready"; children that only wait run nothing until
// the parent lets them exit. That is the only interleaving the pipes allow, so the pipes themselves
// are not modelled. exit(status) of a child is its continuation's return value (& 0xff, WEXITSTATUS).
//
// Not ported (unreachable without THP/hugetlb, and throwing NotSupportedException if reached):
// do_run_with_thp and its run_with_*thp* wrappers, run_with_hugetlb, run_with_huge_zeropage,
// run_with_memfd_hugetlb, do_test_anon_thp_collapse. memfd_create() and tmpfile() fail on Emu (it
// has no shmem or file-backed mappings), so those backings report cow.c's "... failed" results.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using static Emu.Kernel.KernelConstants;

#pragma warning disable CS8981 // the program is named as its C file

namespace Emu.Selftests.mm;

using UpstreamAttribute = Emu.Kernel.UpstreamAttribute;

/// <summary>tools/testing/selftests/mm/cow.c: COW and GUP-pin correctness of private mappings.</summary>
public sealed class cow : MmSelftestProgram
{
    public override string Name => "cow";

    private ulong pagesize;
    private Process pagemap_fd = null!;
    private ulong pmdsize;
    private int nr_thpsizes;
    private readonly ulong[] thpsizes = new ulong[20];
    private int nr_hugetlbsizes;
    private readonly ulong[] hugetlbsizes = new ulong[10];
    private bool gup_fd_open;
    private bool has_huge_zeropage;

    private delegate void test_fn(ulong mem, ulong size, bool hugetlb);
    private delegate void non_anon_test_fn(ulong mem, ulong smem, ulong size);

    /// <summary>A forked child's code: runs up to its "child_ready" write and returns the rest (its exit status).</summary>
    private delegate Func<int> child_fn(Process child, ulong mem, ulong size);

    private readonly record struct test_case(string desc, test_fn fn);
    private readonly record struct non_anon_test_case(string desc, non_anon_test_fn fn);

    [Upstream("tools/testing/selftests/mm/cow.c", "sz2ord", "2a0d1160beb67505")]
    private int sz2ord(ulong size) => System.Numerics.BitOperations.TrailingZeroCount(size / pagesize);

    [Upstream("tools/testing/selftests/mm/cow.c", "detect_thp_sizes", "fb288c942c87a437")]
    private int detect_thp_sizes(ulong[] sizes, int max)
    {
        int count = 0;
        ulong orders;
        ulong kb;
        int i;

        // No THP at all.
        if (pmdsize == 0)
            return 0;

        orders = 1UL << sz2ord(pmdsize);
        orders |= thp_supported_orders();

        for (i = 0; orders != 0 && count < max; i++)
        {
            if ((orders & (1UL << i)) == 0)
                continue;
            orders &= ~(1UL << i);
            kb = (pagesize >> 10) << i;
            sizes[count++] = kb * 1024;
            ksft.ksft_print_msg($"[INFO] detected THP size: {kb} KiB\n");
        }

        return count;
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "detect_huge_zeropage", "03933d4607e9c4be")]
    private void detect_huge_zeropage()
    {
        string buf;
        try
        {
            buf = Machine.Sysfs.Read("/sys/kernel/mm/transparent_hugepage/use_zero_page");
        }
        catch (LinuxErrorException)
        {
            return;
        }
        // pread of at most 15 bytes; a full buffer is not trusted.
        if (buf.Length > 0 && buf.Length < 15)
        {
            ulong enabled = strtoul(buf);
            if (enabled == 1)
            {
                has_huge_zeropage = true;
                ksft.ksft_print_msg("[INFO] huge zeropage is enabled\n");
            }
        }
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "range_is_swapped", "e6f0c94f149d61b9")]
    private bool range_is_swapped(ulong addr, ulong size)
    {
        for (; size != 0; addr += pagesize, size -= pagesize)
            if (!pagemap_is_swapped(pagemap_fd, addr))
                return false;
        return true;
    }

    /// <summary>memcmp of two equally long buffers (only zero/non-zero matters to the callers).</summary>
    private static int memcmp(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceCompareTo(b);

    private byte[] ReadUser(Process p, ulong addr, ulong size)
    {
        var buf = new byte[size];
        p.Read(addr, buf);
        return buf;
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "child_memcmp_fn", "d7fd55d063b4cebc")]
    private Func<int> child_memcmp_fn(Process child, ulong mem, ulong size)
    {
        // Keep the original content.
        byte[] old = ReadUser(child, mem, size);

        // child_ready; the rest runs once the parent modified the page.
        return () => memcmp(old, ReadUser(child, mem, size));
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "child_vmsplice_memcmp_fn", "bd06518382a508b0")]
    private Func<int> child_vmsplice_memcmp_fn(Process child, ulong mem, ulong size)
    {
        ulong transferred;
        byte[] old, @new;
        SplicedPipe fds;

        old = new byte[size];
        @new = new byte[size];

        // Keep the original content.
        child.Read(mem, old);

        // vmsplice(): the pipe takes R/O references to the pages.
        try
        {
            fds = child.Vmsplice(mem, size);
        }
        catch (LinuxErrorException e)
        {
            return () => -e.Errno;
        }
        transferred = fds.Length;
        if (transferred == 0)
            return () => -EINVAL;

        // Drop the mapping: only the pipe references the pages now.
        try
        {
            child.Munmap(mem, size);
        }
        catch (LinuxErrorException e)
        {
            return () => -e.Errno;
        }

        // child_ready; the rest runs once the parent modified its copy.
        return () =>
        {
            for (ulong total = 0, cur; total < transferred; total += cur)
                cur = (ulong)fds.Read(@new.AsSpan((int)total, (int)(transferred - total)));
            fds.Dispose();
            return memcmp(old.AsSpan(0, (int)transferred), @new.AsSpan(0, (int)transferred));
        };
    }

    /// <summary>wait() for a child whose remaining code is <paramref name="rest"/>: runs it, exits the child, returns WEXITSTATUS.</summary>
    private static int RunChildToExit(Process child, Func<int>? rest)
    {
        int status = rest?.Invoke() ?? 0;
        if (child.IsAlive)
            child.Exit();
        return status & 0xff;
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "do_test_cow_in_parent", "e98cb593d0c2b2f8")]
    private void do_test_cow_in_parent(ulong mem, ulong size, bool do_mprotect, child_fn fn, bool xfail)
    {
        int ret;

        Process child;
        try
        {
            child = self.Fork();
        }
        catch (LinuxErrorException)
        {
            ksft.ksft_test_result_fail("fork() failed\n");
            return;
        }
        // The child runs until it signals child_ready.
        Func<int> rest = fn(child, mem, size);

        if (do_mprotect)
        {
            // Going R/O and back lets mprotect map the page writable without a write fault.
            bool failed = false;
            try { self.Mprotect(mem, size, Protection.Read); } catch (LinuxErrorException) { failed = true; }
            try { self.Mprotect(mem, size, Protection.ReadWrite); } catch (LinuxErrorException) { failed = true; }
            if (failed)
            {
                ksft.ksft_test_result_fail("mprotect() failed\n");
                RunChildToExit(child, rest);
                return;
            }
        }

        // Modify the page, then parent_ready.
        self.Fill(mem, size, 0xff);

        ret = RunChildToExit(child, rest);

        if (ret == 0)
            ksft.ksft_test_result_pass("No leak from parent into child\n");
        else if (xfail)
            // Known to leak with hugetlb (upstream flags these as expected failures).
            ksft.ksft_test_result_xfail("Leak from parent into child\n");
        else
            ksft.ksft_test_result_fail("Leak from parent into child\n");
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "test_cow_in_parent", "9e3bfe72f348ebfa")]
    private void test_cow_in_parent(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_cow_in_parent(mem, size, false, child_memcmp_fn, false);

    [Upstream("tools/testing/selftests/mm/cow.c", "test_cow_in_parent_mprotect", "90eb0230f5ce95ce")]
    private void test_cow_in_parent_mprotect(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_cow_in_parent(mem, size, true, child_memcmp_fn, false);

    [Upstream("tools/testing/selftests/mm/cow.c", "test_vmsplice_in_child", "217dc9c40f3e12f4")]
    private void test_vmsplice_in_child(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_cow_in_parent(mem, size, false, child_vmsplice_memcmp_fn, is_hugetlb);

    [Upstream("tools/testing/selftests/mm/cow.c", "test_vmsplice_in_child_mprotect", "c3201e6f3e131b07")]
    private void test_vmsplice_in_child_mprotect(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_cow_in_parent(mem, size, true, child_vmsplice_memcmp_fn, is_hugetlb);

    [Upstream("tools/testing/selftests/mm/cow.c", "do_test_vmsplice_in_parent", "b88d44e91dbe5300")]
    private void do_test_vmsplice_in_parent(ulong mem, ulong size, bool before_fork, bool xfail)
    {
        ulong transferred = 0;
        byte[] old, @new;
        SplicedPipe? fds = null;
        Process child;

        old = new byte[size];
        @new = new byte[size];

        self.Read(mem, old);

        if (before_fork)
        {
            fds = Vmsplice(mem, size, out transferred);
            if (fds == null || transferred == 0)
            {
                ksft.ksft_test_result_fail("vmsplice() failed\n");
                goto close_pipe;
            }
        }

        try
        {
            child = self.Fork();
        }
        catch (LinuxErrorException)
        {
            ksft.ksft_test_result_fail("fork() failed\n");
            goto close_pipe;
        }
        // The child signals child_ready at once and waits for parent_ready; its rest:
        Func<int> rest = () =>
        {
            // Modify the page in the child.
            child.Fill(mem, size, 0xff);
            return 0;
        };

        if (!before_fork)
        {
            fds = Vmsplice(mem, size, out transferred);
            if (fds == null || transferred == 0)
            {
                ksft.ksft_test_result_fail("vmsplice() failed\n");
                // The C waits for a child that never gets parent_ready; here it just exits.
                RunChildToExit(child, null);
                goto close_pipe;
            }
        }

        try
        {
            self.Munmap(mem, size);
        }
        catch (LinuxErrorException)
        {
            ksft.ksft_test_result_fail("munmap() failed\n");
            RunChildToExit(child, null);
            goto close_pipe;
        }
        // parent_ready, then wait until the child is done writing.
        RunChildToExit(child, rest);

        // Read the pipe: it must hold the old values.
        for (ulong total = 0, cur; total < transferred; total += cur)
            cur = (ulong)fds!.Read(@new.AsSpan((int)total, (int)(transferred - total)));

        if (memcmp(old.AsSpan(0, (int)transferred), @new.AsSpan(0, (int)transferred)) == 0)
            ksft.ksft_test_result_pass("No leak from child into parent\n");
        else if (xfail)
            // Known to leak with hugetlb (upstream flags these as expected failures).
            ksft.ksft_test_result_xfail("Leak from child into parent\n");
        else
            ksft.ksft_test_result_fail("Leak from child into parent\n");
    close_pipe:
        fds?.Dispose();
    }

    /// <summary>pipe() + vmsplice(fds[1], {mem, size}, 1, 0): the pipe, or null when vmsplice failed.</summary>
    private SplicedPipe? Vmsplice(ulong mem, ulong size, out ulong transferred)
    {
        transferred = 0;
        try
        {
            var pipe = self.Vmsplice(mem, size);
            transferred = pipe.Length;
            return pipe;
        }
        catch (LinuxErrorException)
        {
            return null;
        }
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "test_vmsplice_before_fork", "e2c7760ac626a6a2")]
    private void test_vmsplice_before_fork(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_vmsplice_in_parent(mem, size, true, is_hugetlb);

    [Upstream("tools/testing/selftests/mm/cow.c", "test_vmsplice_after_fork", "618032ee53ad7096")]
    private void test_vmsplice_after_fork(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_vmsplice_in_parent(mem, size, false, is_hugetlb);

    private enum ro_pin_test
    {
        RO_PIN_TEST,
        RO_PIN_TEST_SHARED,
        RO_PIN_TEST_PREVIOUSLY_SHARED,
        RO_PIN_TEST_RO_EXCLUSIVE,
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "do_test_ro_pin", "66c3221e4b21eb23")]
    private void do_test_ro_pin(ulong mem, ulong size, ro_pin_test test, bool fast)
    {
        // struct pin_longterm_test { __u64 addr; __u64 size; __u32 flags; } on the C stack.
        ulong args;
        Process? child = null;
        ulong tmp;
        bool ret;

        if (!gup_fd_open)
        {
            ksft.ksft_test_result_skip("gup_test not available\n");
            return;
        }

        tmp = malloc(size);
        if (tmp == 0)
        {
            ksft.ksft_test_result_fail("malloc() failed\n");
            return;
        }
        args = malloc(24);

        switch (test)
        {
            case ro_pin_test.RO_PIN_TEST:
                break;
            case ro_pin_test.RO_PIN_TEST_SHARED:
            case ro_pin_test.RO_PIN_TEST_PREVIOUSLY_SHARED:
                // Share the (unpinned) pages with a child that only waits.
                try
                {
                    child = self.Fork();
                }
                catch (LinuxErrorException)
                {
                    ksft.ksft_test_result_fail("fork() failed\n");
                    goto close_comm_pipes;
                }

                if (test == ro_pin_test.RO_PIN_TEST_PREVIOUSLY_SHARED)
                {
                    // The child quits: the pages stay mapped R/O here but are no longer shared.
                    RunChildToExit(child, null);
                    child = null;
                }
                break;
            case ro_pin_test.RO_PIN_TEST_RO_EXCLUSIVE:
                // Map the page R/O; clearing soft-dirty keeps mprotect() from mapping it R/W again.
                bool failed = false;
                try { self.Mprotect(mem, size, Protection.Read); } catch (LinuxErrorException) { failed = true; }
                clear_softdirty();
                try { self.Mprotect(mem, size, Protection.ReadWrite); } catch (LinuxErrorException) { failed = true; }
                if (failed)
                {
                    ksft.ksft_test_result_fail("mprotect() failed\n");
                    goto close_comm_pipes;
                }
                break;
        }

        // A R/O pin: must unshare.
        Span<byte> a = stackalloc byte[24];
        BitConverter.TryWriteBytes(a[0..], mem);
        BitConverter.TryWriteBytes(a[8..], size);
        BitConverter.TryWriteBytes(a[16..], fast ? Process.PIN_LONGTERM_TEST_FLAG_USE_FAST : 0u);
        self.Write(args, a);
        try
        {
            self.GupTestIoctl(Process.PIN_LONGTERM_TEST_START, args);
        }
        catch (LinuxErrorException e)
        {
            if (e.Errno == EINVAL)
                ksft.ksft_test_result_skip("PIN_LONGTERM_TEST_START failed\n");
            else
                ksft.ksft_test_result_fail("PIN_LONGTERM_TEST_START failed\n");
            goto wait;
        }

        // Modify the page.
        self.Fill(mem, size, 0xff);

        // Read the content back through the pins into tmp: it must show the modification.
        Span<byte> tmp_val = stackalloc byte[8];
        BitConverter.TryWriteBytes(tmp_val, tmp);
        self.Write(args, tmp_val);
        try
        {
            self.GupTestIoctl(Process.PIN_LONGTERM_TEST_READ, args);
            ret = true;
        }
        catch (LinuxErrorException)
        {
            ret = false;
        }
        if (!ret)
            ksft.ksft_test_result_fail("PIN_LONGTERM_TEST_READ failed\n");
        else
            ksft.ksft_test_result(memcmp(ReadUser(self, mem, size), ReadUser(self, tmp, size)) == 0,
                                  "Longterm R/O pin is reliable\n");

        try
        {
            self.GupTestIoctl(Process.PIN_LONGTERM_TEST_STOP, 0);
        }
        catch (LinuxErrorException)
        {
            ksft.ksft_print_msg("[INFO] PIN_LONGTERM_TEST_STOP failed\n");
        }
    wait:
        switch (test)
        {
            case ro_pin_test.RO_PIN_TEST_SHARED:
                // parent_ready; wait().
                RunChildToExit(child!, null);
                break;
            default:
                break;
        }
    close_comm_pipes:
        free(args);
        free(tmp);
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "test_ro_pin_on_shared", "34dd8d08cfd3f4dc")]
    private void test_ro_pin_on_shared(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_ro_pin(mem, size, ro_pin_test.RO_PIN_TEST_SHARED, false);

    [Upstream("tools/testing/selftests/mm/cow.c", "test_ro_fast_pin_on_shared", "c89deeb1deb64821")]
    private void test_ro_fast_pin_on_shared(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_ro_pin(mem, size, ro_pin_test.RO_PIN_TEST_SHARED, true);

    [Upstream("tools/testing/selftests/mm/cow.c", "test_ro_pin_on_ro_previously_shared", "be468809378c63a9")]
    private void test_ro_pin_on_ro_previously_shared(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_ro_pin(mem, size, ro_pin_test.RO_PIN_TEST_PREVIOUSLY_SHARED, false);

    [Upstream("tools/testing/selftests/mm/cow.c", "test_ro_fast_pin_on_ro_previously_shared", "bb3c16be9d62ee0d")]
    private void test_ro_fast_pin_on_ro_previously_shared(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_ro_pin(mem, size, ro_pin_test.RO_PIN_TEST_PREVIOUSLY_SHARED, true);

    [Upstream("tools/testing/selftests/mm/cow.c", "test_ro_pin_on_ro_exclusive", "4138203aeb3f2a4f")]
    private void test_ro_pin_on_ro_exclusive(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_ro_pin(mem, size, ro_pin_test.RO_PIN_TEST_RO_EXCLUSIVE, false);

    [Upstream("tools/testing/selftests/mm/cow.c", "test_ro_fast_pin_on_ro_exclusive", "e73b2fc75fbb44bb")]
    private void test_ro_fast_pin_on_ro_exclusive(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_ro_pin(mem, size, ro_pin_test.RO_PIN_TEST_RO_EXCLUSIVE, true);

    /// <summary>mmap(NULL, size, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), or 0 for MAP_FAILED.</summary>
    private ulong MmapAnon(ulong size, Protection prot)
    {
        try
        {
            return self.Mmap(size, prot, MapFlags.Private | MapFlags.Anonymous);
        }
        catch (LinuxErrorException)
        {
            return 0;
        }
    }

    /// <summary>madvise(); false with <paramref name="errno"/> set when it fails.</summary>
    private bool madvise(ulong addr, ulong size, Advice advice, out int errno)
    {
        errno = 0;
        try
        {
            self.Madvise(addr, size, advice);
            return true;
        }
        catch (LinuxErrorException e)
        {
            errno = e.Errno;
            return false;
        }
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "do_run_with_base_page", "5728b9b0296d6bac")]
    private void do_run_with_base_page(test_fn fn, bool swapout)
    {
        ulong mem;

        mem = MmapAnon(pagesize, Protection.ReadWrite);
        if (mem == 0)
        {
            ksft.ksft_test_result_fail("mmap() failed\n");
            return;
        }

        // A kernel without THP rejects the advice with EINVAL: fine.
        if (!madvise(mem, pagesize, Advice.NoHugePage, out int errno) && errno != EINVAL)
        {
            ksft.ksft_test_result_fail("MADV_NOHUGEPAGE failed\n");
            goto munmap;
        }

        // Populate a base page.
        self.Fill(mem, pagesize, 1);

        if (swapout)
        {
            madvise(mem, pagesize, Advice.PageOut, out _);
            if (!pagemap_is_swapped(pagemap_fd, mem))
            {
                ksft.ksft_test_result_skip("MADV_PAGEOUT did not work, is swap enabled?\n");
                goto munmap;
            }
        }

        fn(mem, pagesize, false);
    munmap:
        Munmap(mem, pagesize);
    }

    /// <summary>munmap() whose result the C ignores; the mapping may already be gone (vmsplice cases unmap it).</summary>
    private void Munmap(ulong addr, ulong size)
    {
        try
        {
            self.Munmap(addr, size);
        }
        catch (LinuxErrorException)
        {
        }
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "run_with_base_page", "e9c9d546a298d651")]
    private void run_with_base_page(test_fn fn, string desc)
    {
        ksft.ksft_print_msg($"[RUN] {desc} ... with base page\n");
        do_run_with_base_page(fn, false);
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "run_with_base_page_swap", "f549e5f64e00a328")]
    private void run_with_base_page_swap(test_fn fn, string desc)
    {
        ksft.ksft_print_msg($"[RUN] {desc} ... with swapped out base page\n");
        do_run_with_base_page(fn, true);
    }

    // THP and hugetlb backings: only reached when THP or hugetlb sizes were detected (never on Emu).
    private static NotSupportedException NoHuge(string fn) =>
        new($"cow.c {fn}: Emu has no transparent or hugetlb pages (this backing is not ported)");

    private void run_with_thp(test_fn fn, string desc, ulong size) => throw NoHuge(nameof(run_with_thp));
    private void run_with_thp_swap(test_fn fn, string desc, ulong size) => throw NoHuge(nameof(run_with_thp_swap));
    private void run_with_pte_mapped_thp(test_fn fn, string desc, ulong size) => throw NoHuge(nameof(run_with_pte_mapped_thp));
    private void run_with_pte_mapped_thp_swap(test_fn fn, string desc, ulong size) => throw NoHuge(nameof(run_with_pte_mapped_thp_swap));
    private void run_with_single_pte_of_thp(test_fn fn, string desc, ulong size) => throw NoHuge(nameof(run_with_single_pte_of_thp));
    private void run_with_single_pte_of_thp_swap(test_fn fn, string desc, ulong size) => throw NoHuge(nameof(run_with_single_pte_of_thp_swap));
    private void run_with_partial_mremap_thp(test_fn fn, string desc, ulong size) => throw NoHuge(nameof(run_with_partial_mremap_thp));
    private void run_with_partial_shared_thp(test_fn fn, string desc, ulong size) => throw NoHuge(nameof(run_with_partial_shared_thp));
    private void run_with_hugetlb(test_fn fn, string desc, ulong hugetlbsize) => throw NoHuge(nameof(run_with_hugetlb));
    private void do_run_with_thp_pmd(test_fn fn, ulong thpsize) => throw NoHuge("do_run_with_thp");
    private void test_anon_thp_collapse(ulong mem, ulong size, bool is_hugetlb) => throw NoHuge("do_test_anon_thp_collapse");

    [Upstream("tools/testing/selftests/mm/cow.c", "run_with_huge_zeropage", "a4b859cb58dc4691")]
    private void run_with_huge_zeropage(non_anon_test_fn fn, string desc)
    {
        ksft.ksft_print_msg($"[RUN] {desc} ... with huge zeropage\n");

        if (!has_huge_zeropage)
        {
            ksft.ksft_test_result_skip("Huge zeropage not enabled\n");
            return;
        }
        // The PMD-aligned mappings and MADV_HUGEPAGE: THP only.
        throw NoHuge(nameof(run_with_huge_zeropage));
    }
    private void run_with_memfd_hugetlb(non_anon_test_fn fn, string desc, ulong hugetlbsize) => throw NoHuge(nameof(run_with_memfd_hugetlb));

    /// <summary>cow.c anon_test_cases[] (built without liburing: no io_uring cases).</summary>
    private test_case[] anon_test_cases =>
    [
        new("Basic COW after fork()", test_cow_in_parent),
        new("Basic COW after fork() with mprotect() optimization", test_cow_in_parent_mprotect),
        new("vmsplice() + unmap in child", test_vmsplice_in_child),
        new("vmsplice() + unmap in child with mprotect() optimization", test_vmsplice_in_child_mprotect),
        new("vmsplice() before fork(), unmap in parent after fork()", test_vmsplice_before_fork),
        new("vmsplice() + unmap in parent after fork()", test_vmsplice_after_fork),
        new("R/O GUP pin on R/O-mapped shared page", test_ro_pin_on_shared),
        new("R/O GUP-fast pin on R/O-mapped shared page", test_ro_fast_pin_on_shared),
        new("R/O GUP pin on R/O-mapped previously-shared page", test_ro_pin_on_ro_previously_shared),
        new("R/O GUP-fast pin on R/O-mapped previously-shared page", test_ro_fast_pin_on_ro_previously_shared),
        new("R/O GUP pin on R/O-mapped exclusive page", test_ro_pin_on_ro_exclusive),
        new("R/O GUP-fast pin on R/O-mapped exclusive page", test_ro_fast_pin_on_ro_exclusive),
    ];

    [Upstream("tools/testing/selftests/mm/cow.c", "run_anon_test_case", "73249b8443ee65d1")]
    private void run_anon_test_case(test_case test_case)
    {
        int i;

        run_with_base_page(test_case.fn, test_case.desc);
        run_with_base_page_swap(test_case.fn, test_case.desc);
        for (i = 0; i < nr_thpsizes; i++)
        {
            ulong size = thpsizes[i];
            thp_settings settings = thp_current_settings().Clone();

            settings.hugepages[sz2ord(pmdsize)] = thp_enabled.THP_NEVER;
            settings.hugepages[sz2ord(size)] = thp_enabled.THP_ALWAYS;
            thp_push_settings(settings);

            if (size == pmdsize)
            {
                run_with_thp(test_case.fn, test_case.desc, size);
                run_with_thp_swap(test_case.fn, test_case.desc, size);
            }

            run_with_pte_mapped_thp(test_case.fn, test_case.desc, size);
            run_with_pte_mapped_thp_swap(test_case.fn, test_case.desc, size);
            run_with_single_pte_of_thp(test_case.fn, test_case.desc, size);
            run_with_single_pte_of_thp_swap(test_case.fn, test_case.desc, size);
            run_with_partial_mremap_thp(test_case.fn, test_case.desc, size);
            run_with_partial_shared_thp(test_case.fn, test_case.desc, size);

            thp_pop_settings();
        }
        for (i = 0; i < nr_hugetlbsizes; i++)
            run_with_hugetlb(test_case.fn, test_case.desc, hugetlbsizes[i]);
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "run_anon_test_cases", "c1e588507fa4f10b")]
    private void run_anon_test_cases()
    {
        ksft.ksft_print_msg("[INFO] Anonymous memory tests in private mappings\n");

        foreach (var test_case in anon_test_cases)
            run_anon_test_case(test_case);
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "tests_per_anon_test_case", "fb54b589167e1761")]
    private int tests_per_anon_test_case()
    {
        int tests = 2 + nr_hugetlbsizes;

        tests += 6 * nr_thpsizes;
        if (pmdsize != 0)
            tests += 2;
        return tests;
    }

    /// <summary>cow.c anon_thp_test_cases[] (run only with a PMD-sized THP).</summary>
    private test_case[] anon_thp_test_cases =>
    [
        new("Basic COW after fork() when collapsing before fork()", test_anon_thp_collapse),
        new("Basic COW after fork() when collapsing after fork() (fully shared)", test_anon_thp_collapse),
        new("Basic COW after fork() when collapsing after fork() (lower shared)", test_anon_thp_collapse),
        new("Basic COW after fork() when collapsing after fork() (upper shared)", test_anon_thp_collapse),
    ];

    [Upstream("tools/testing/selftests/mm/cow.c", "run_anon_thp_test_cases", "e6b2a94a1a9cb8bb")]
    private void run_anon_thp_test_cases()
    {
        if (pmdsize == 0)
            return;

        ksft.ksft_print_msg("[INFO] Anonymous THP tests\n");

        foreach (var test_case in anon_thp_test_cases)
        {
            ksft.ksft_print_msg($"[RUN] {test_case.desc}\n");
            do_run_with_thp_pmd(test_case.fn, pmdsize);
        }
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "tests_per_anon_thp_test_case", "73a3fddb992b61a3")]
    private int tests_per_anon_thp_test_case() => pmdsize != 0 ? 1 : 0;

    [Upstream("tools/testing/selftests/mm/cow.c", "test_cow", "b2da90224874a4d4")]
    private void test_cow(ulong mem, ulong smem, ulong size)
    {
        // Keep the original content.
        byte[] old = ReadUser(self, smem, size);

        // Modify the page.
        self.Fill(mem, size, 0xff);

        // The other mapping must still show the old values.
        ksft.ksft_test_result(memcmp(ReadUser(self, smem, size), old) == 0, "Other mapping not modified\n");
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "test_ro_pin", "04d69fdcf0aa4cf3")]
    private void test_ro_pin(ulong mem, ulong smem, ulong size) =>
        do_test_ro_pin(mem, size, ro_pin_test.RO_PIN_TEST, false);

    [Upstream("tools/testing/selftests/mm/cow.c", "test_ro_fast_pin", "8e97a692bb4788bc")]
    private void test_ro_fast_pin(ulong mem, ulong smem, ulong size) =>
        do_test_ro_pin(mem, size, ro_pin_test.RO_PIN_TEST, true);

    [Upstream("tools/testing/selftests/mm/cow.c", "run_with_zeropage", "bd70295744da20d3")]
    private void run_with_zeropage(non_anon_test_fn fn, string desc)
    {
        ulong mem, smem;

        ksft.ksft_print_msg($"[RUN] {desc} ... with shared zeropage\n");

        mem = MmapAnon(pagesize, Protection.ReadWrite);
        if (mem == 0)
        {
            ksft.ksft_test_result_fail("mmap() failed\n");
            return;
        }

        smem = MmapAnon(pagesize, Protection.Read);
        if (smem == 0)
        {
            ksft.ksft_test_result_fail("mmap() failed\n");
            goto munmap;
        }

        // Read both so that both map the shared zeropage.
        Span<byte> tmp = stackalloc byte[1];
        self.Read(mem, tmp);
        self.Read(smem, tmp);

        fn(mem, smem, pagesize);
    munmap:
        Munmap(mem, pagesize);
        if (smem != 0)
            Munmap(smem, pagesize);
    }

    /// <summary>
    /// memfd_create(): Emu has no shmem/tmpfs files, so the syscall fails with ENOSYS, as on a kernel
    /// built without CONFIG_MEMFD_CREATE.
    /// </summary>
    private static int memfd_create(string name, uint flags) => -1;

    /// <summary>tmpfile(): the C library cannot create a file; Emu models no filesystem.</summary>
    private static object? tmpfile() => null;

    [Upstream("tools/testing/selftests/mm/cow.c", "run_with_memfd", "4cbfc23511120764")]
    private void run_with_memfd(non_anon_test_fn fn, string desc)
    {
        ksft.ksft_print_msg($"[RUN] {desc} ... with memfd\n");

        int fd = memfd_create("test", 0);
        if (fd < 0)
        {
            ksft.ksft_test_result_fail("memfd_create() failed\n");
            return;
        }
        // fallocate and the private/shared file mappings: unreachable without memfd.
        throw new NotSupportedException("cow.c run_with_memfd: Emu has no file-backed mappings");
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "run_with_tmpfile", "480e5f19a4176e4f")]
    private void run_with_tmpfile(non_anon_test_fn fn, string desc)
    {
        ksft.ksft_print_msg($"[RUN] {desc} ... with tmpfile\n");

        object? file = tmpfile();
        if (file == null)
        {
            ksft.ksft_test_result_fail("tmpfile() failed\n");
            return;
        }
        // fileno, fallocate and the file mappings: unreachable without files.
        throw new NotSupportedException("cow.c run_with_tmpfile: Emu has no file-backed mappings");
    }

    /// <summary>cow.c non_anon_test_cases[].</summary>
    private non_anon_test_case[] non_anon_test_cases =>
    [
        new("Basic COW", test_cow),
        new("R/O longterm GUP pin", test_ro_pin),
        new("R/O longterm GUP-fast pin", test_ro_fast_pin),
    ];

    [Upstream("tools/testing/selftests/mm/cow.c", "run_non_anon_test_case", "44469abd8232cbf4")]
    private void run_non_anon_test_case(non_anon_test_case test_case)
    {
        int i;

        run_with_zeropage(test_case.fn, test_case.desc);
        run_with_memfd(test_case.fn, test_case.desc);
        run_with_tmpfile(test_case.fn, test_case.desc);
        if (pmdsize != 0)
            run_with_huge_zeropage(test_case.fn, test_case.desc);
        for (i = 0; i < nr_hugetlbsizes; i++)
            run_with_memfd_hugetlb(test_case.fn, test_case.desc, hugetlbsizes[i]);
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "run_non_anon_test_cases", "608bfb3d9a961a48")]
    private void run_non_anon_test_cases()
    {
        ksft.ksft_print_msg("[RUN] Non-anonymous memory tests in private mappings\n");

        foreach (var test_case in non_anon_test_cases)
            run_non_anon_test_case(test_case);
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "tests_per_non_anon_test_case", "5c92b4f201a65d2e")]
    private int tests_per_non_anon_test_case()
    {
        int tests = 3 + nr_hugetlbsizes;

        if (pmdsize != 0)
            tests += 1;
        return tests;
    }

    /// <summary>main()'s detection and setup around the plan line, before the runs.</summary>
    private void setup(bool print_plan)
    {
        pagesize = getpagesize();
        pmdsize = read_pmd_pagesize();
        if (pmdsize != 0)
        {
            // THP only.
            var default_settings = new thp_settings();
            thp_read_settings(default_settings);
            default_settings.hugepages[sz2ord(pmdsize)] = thp_enabled.THP_INHERIT;
            thp_save_settings();
            thp_push_settings(default_settings);

            ksft.ksft_print_msg($"[INFO] detected PMD size: {pmdsize / 1024} KiB\n");
            nr_thpsizes = detect_thp_sizes(thpsizes, thpsizes.Length);
        }
        nr_hugetlbsizes = detect_hugetlb_page_sizes(hugetlbsizes, hugetlbsizes.Length);
        detect_huge_zeropage();

        if (print_plan)
            ksft.ksft_set_plan((uint)(anon_test_cases.Length * tests_per_anon_test_case() +
                                      anon_thp_test_cases.Length * tests_per_anon_thp_test_case() +
                                      non_anon_test_cases.Length * tests_per_non_anon_test_case()));

        // open("/sys/kernel/debug/gup_test", O_RDWR): Emu always has the gup_test device.
        gup_fd_open = true;
        // open("/proc/self/pagemap", O_RDONLY)
        pagemap_fd = self;
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "main", "e2b9aea2fe50ffbb")]
    protected override int Main(string[] args) => RunAsProcess(Name, () =>
    {
        int err;

        ksft.ksft_print_header();

        setup(print_plan: true);

        run_anon_test_cases();
        run_anon_thp_test_cases();
        run_non_anon_test_cases();

        if (pmdsize != 0)
            // THP only.
            thp_restore_settings();

        err = (int)ksft.ksft_get_fail_cnt();
        if (err != 0)
            ksft.ksft_exit_fail_msg($"{err} out of {ksft.ksft_test_num()} tests failed\n");
        ksft.ksft_exit_pass();
        return 0;
    });

    /// <summary>
    /// The (case, backing) of every "[RUN] case ... with backing" line main() prints on a kernel that
    /// advertises what Emu has (no THP, no hugetlb, no liburing), in order.
    /// </summary>
    public static IReadOnlyList<(string Case, string Backing)> Runs
    {
        get
        {
            var p = new cow();
            var runs = new List<(string, string)>();
            foreach (var c in p.anon_test_cases)
            {
                runs.Add((c.desc, "base page"));
                runs.Add((c.desc, "swapped out base page"));
            }
            foreach (var c in p.non_anon_test_cases)
            {
                runs.Add((c.desc, "shared zeropage"));
                runs.Add((c.desc, "memfd"));
                runs.Add((c.desc, "tmpfile"));
            }
            return runs;
        }
    }

    /// <summary>
    /// Runs one case with one backing as main() runs it (same detection first, no plan line), printing
    /// its "[RUN]" line and its result.
    /// </summary>
    public SelftestRun RunCase(Machine machine, string desc, string backing, TextWriter output) =>
        Run(machine, output, () => RunAsProcess(Name, () =>
        {
            setup(print_plan: false);
            var anon = anon_test_cases.FirstOrDefault(c => c.desc == desc);
            var nonAnon = non_anon_test_cases.FirstOrDefault(c => c.desc == desc);
            switch (backing)
            {
                case "base page" when anon.fn != null: run_with_base_page(anon.fn, desc); break;
                case "swapped out base page" when anon.fn != null: run_with_base_page_swap(anon.fn, desc); break;
                case "shared zeropage" when nonAnon.fn != null: run_with_zeropage(nonAnon.fn, desc); break;
                case "memfd" when nonAnon.fn != null: run_with_memfd(nonAnon.fn, desc); break;
                case "tmpfile" when nonAnon.fn != null: run_with_tmpfile(nonAnon.fn, desc); break;
                default: throw new ArgumentException($"cow.c runs no \"{desc}\" with \"{backing}\" on Emu");
            }
            return ksft.ksft_get_fail_cnt() == 0 ? 0 : 1;
        }));
}
