using System;
using System.Collections.Generic;
using System.Linq;
using Emu.Kernel;

namespace Emu.Tests.Gup.Cow;

/// <summary>
/// The start of the port of tools/testing/selftests/mm/cow.c (6.12.117) to Emu's process API:
/// the base-page anonymous cases and the shared-zeropage cases, with cow.c's result strings.
/// A forked child in cow.c runs concurrently and meets the parent at pipes; here the child's
/// part before its "ready" write runs right after Fork(), and the rest after the parent's write,
/// which is the only order the pipes allow. Results are kselftest's pass/fail/skip/xfail.
/// </summary>
internal sealed class CowPort
{
    public enum Result { Pass, Fail, Skip, XFail }

    public readonly List<(Result Result, string Message)> Results = new();
    public readonly List<string> Log = new();
    private readonly Process _p;
    private readonly ulong _pagesize = global::Emu.Kernel.KernelConstants.PAGE_SIZE;

    public CowPort(Process p) => _p = p;

    private void ksft_test_result_pass(string msg) => Results.Add((Result.Pass, msg));
    private void ksft_test_result_fail(string msg) => Results.Add((Result.Fail, msg));
    private void ksft_test_result_skip(string msg) => Results.Add((Result.Skip, msg));
    private void ksft_test_result_xfail(string msg) => Results.Add((Result.XFail, msg));
    private void ksft_test_result(bool ok, string msg) => Results.Add((ok ? Result.Pass : Result.Fail, msg));
    private void ksft_print_msg(string msg) => Log.Add("# " + msg);

    /// <summary>The child half of a cow.c child_fn: runs up to its "ready" write, returns the rest.</summary>
    public delegate Func<int> ChildFn(Process child, ulong mem, ulong size);

    [Upstream("tools/testing/selftests/mm/cow.c", "child_memcmp_fn", "d7fd55d063b4cebc")]
    public static Func<int> child_memcmp_fn(Process child, ulong mem, ulong size)
    {
        var old = new byte[size];
        // Backup the original content.
        child.Read(mem, old);
        // child_ready: the parent may now modify its copy.
        return () =>
        {
            var now = new byte[size];
            child.Read(mem, now);
            return old.AsSpan().SequenceCompareTo(now);
        };
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "child_vmsplice_memcmp_fn", "bd06518382a508b0")]
    public static Func<int> child_vmsplice_memcmp_fn(Process child, ulong mem, ulong size)
    {
        var old = new byte[size];
        var @new = new byte[size];
        child.Read(mem, old);
        // vmsplice the page into a pipe (R/O FOLL_GET), then drop the mapping: only the pipe holds it.
        SplicedPipe pipe;
        try { pipe = child.Vmsplice(mem, size); }
        catch (LinuxErrorException e) { return () => -e.Errno; }
        ulong transferred = pipe.Length;
        if (transferred == 0)
            return () => -global::Emu.Kernel.KernelConstants.EINVAL;
        child.Munmap(mem, size);
        return () =>
        {
            for (ulong total = 0, cur; total < transferred; total += cur)
                cur = (ulong)pipe.Read(@new.AsSpan((int)total, (int)(transferred - total)));
            pipe.Dispose();
            return old.AsSpan(0, (int)transferred).SequenceCompareTo(@new.AsSpan(0, (int)transferred));
        };
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "do_test_cow_in_parent", "e98cb593d0c2b2f8")]
    public void do_test_cow_in_parent(ulong mem, ulong size, bool do_mprotect, ChildFn fn, bool xfail)
    {
        var child = _p.Fork();
        var rest = fn(child, mem, size);
        int ret;

        if (do_mprotect)
        {
            // mprotect() back and forth lets the kernel map the page writable again without a fault.
            try
            {
                _p.Mprotect(mem, size, Protection.Read);
                _p.Mprotect(mem, size, Protection.ReadWrite);
            }
            catch (LinuxErrorException)
            {
                ksft_test_result_fail("mprotect() failed\n");
                rest();
                child.Exit();
                return;
            }
        }

        // Modify the page: the child must not see it.
        _p.Fill(mem, size, 0xff);
        ret = rest();
        child.Exit();

        if (ret == 0)
            ksft_test_result_pass("No leak from parent into child\n");
        else if (xfail)
            // With hugetlb, some vmsplice() tests are known to leak (upstream's xfail).
            ksft_test_result_xfail("Leak from parent into child\n");
        else
            ksft_test_result_fail("Leak from parent into child\n");
    }

    public void test_cow_in_parent(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_cow_in_parent(mem, size, false, child_memcmp_fn, false);

    public void test_cow_in_parent_mprotect(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_cow_in_parent(mem, size, true, child_memcmp_fn, false);

    public void test_vmsplice_in_child(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_cow_in_parent(mem, size, false, child_vmsplice_memcmp_fn, is_hugetlb);

    public void test_vmsplice_in_child_mprotect(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_cow_in_parent(mem, size, true, child_vmsplice_memcmp_fn, is_hugetlb);

    [Upstream("tools/testing/selftests/mm/cow.c", "do_test_vmsplice_in_parent", "b88d44e91dbe5300")]
    public void do_test_vmsplice_in_parent(ulong mem, ulong size, bool before_fork, bool xfail)
    {
        var old = new byte[size];
        var @new = new byte[size];
        SplicedPipe? pipe = null;
        ulong transferred = 0;

        _p.Read(mem, old);

        if (before_fork)
        {
            pipe = _p.Vmsplice(mem, size);
            transferred = pipe.Length;
            if (transferred == 0)
            {
                ksft_test_result_fail("vmsplice() failed\n");
                pipe.Dispose();
                return;
            }
        }

        var child = _p.Fork();
        // The child waits for the parent, then writes to its copy of the page.

        if (!before_fork)
        {
            pipe = _p.Vmsplice(mem, size);
            transferred = pipe.Length;
            if (transferred == 0)
            {
                ksft_test_result_fail("vmsplice() failed\n");
                child.Exit();
                pipe.Dispose();
                return;
            }
        }

        _p.Munmap(mem, size);
        // parent_ready: the child modifies the page and exits.
        child.Fill(mem, size, 0xff);
        child.Exit();

        for (ulong total = 0, cur; total < transferred; total += cur)
            cur = (ulong)pipe!.Read(@new.AsSpan((int)total, (int)(transferred - total)));
        pipe!.Dispose();

        if (old.AsSpan(0, (int)transferred).SequenceEqual(@new.AsSpan(0, (int)transferred)))
            ksft_test_result_pass("No leak from child into parent\n");
        else if (xfail)
            ksft_test_result_xfail("Leak from child into parent\n");
        else
            ksft_test_result_fail("Leak from child into parent\n");
    }

    public void test_vmsplice_before_fork(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_vmsplice_in_parent(mem, size, true, is_hugetlb);

    public void test_vmsplice_after_fork(ulong mem, ulong size, bool is_hugetlb) =>
        do_test_vmsplice_in_parent(mem, size, false, is_hugetlb);

    public enum ro_pin_test { RO_PIN_TEST, RO_PIN_TEST_SHARED, RO_PIN_TEST_PREVIOUSLY_SHARED, RO_PIN_TEST_RO_EXCLUSIVE }

    /// <summary>Scratch user memory for the ioctl arguments (cow.c keeps them on its stack) and the READ target.</summary>
    private ulong Scratch(ulong size) => _p.Mmap(size + _pagesize, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);

    [Upstream("tools/testing/selftests/mm/cow.c", "do_test_ro_pin", "66c3221e4b21eb23")]
    public void do_test_ro_pin(ulong mem, ulong size, ro_pin_test test, bool fast)
    {
        ulong tmp = Scratch(size), argsAddr = tmp + size;
        Process? child = null;

        switch (test)
        {
            case ro_pin_test.RO_PIN_TEST:
                break;
            case ro_pin_test.RO_PIN_TEST_SHARED:
            case ro_pin_test.RO_PIN_TEST_PREVIOUSLY_SHARED:
                // Share the pages with a child that only waits.
                child = _p.Fork();
                if (test == ro_pin_test.RO_PIN_TEST_PREVIOUSLY_SHARED)
                {
                    // The child exits: the pages are no longer shared, but may not be exclusive yet.
                    child.Exit();
                    child = null;
                }
                break;
            case ro_pin_test.RO_PIN_TEST_RO_EXCLUSIVE:
                // Map the exclusive page R/O and back without breaking COW; cow.c clears the
                // soft-dirty bits in between (clear_softdirty: /proc/self/clear_refs "4"), which
                // Emu does not emulate yet.
                ksft_test_result_skip("clear_refs (soft-dirty) is not emulated by Emu\n");
                _p.Munmap(tmp, size + _pagesize);
                return;
        }

        var args = new byte[24];
        BitConverter.TryWriteBytes(args.AsSpan(0), mem);
        BitConverter.TryWriteBytes(args.AsSpan(8), size);
        BitConverter.TryWriteBytes(args.AsSpan(16), fast ? Process.PIN_LONGTERM_TEST_FLAG_USE_FAST : 0u);
        _p.Write(argsAddr, args);
        try
        {
            _p.GupTestIoctl(Process.PIN_LONGTERM_TEST_START, argsAddr);
        }
        catch (LinuxErrorException e)
        {
            if (e.Errno == global::Emu.Kernel.KernelConstants.EINVAL)
                ksft_test_result_skip("PIN_LONGTERM_TEST_START failed\n");
            else
                ksft_test_result_fail("PIN_LONGTERM_TEST_START failed\n");
            goto wait;
        }

        // Modify the page: the R/O longterm pin must keep seeing what the process sees.
        _p.Fill(mem, size, 0xff);

        // Read back through the pins into tmp.
        BitConverter.TryWriteBytes(args.AsSpan(0, 8), tmp);
        _p.Write(argsAddr, args.AsSpan(0, 8));
        try
        {
            _p.GupTestIoctl(Process.PIN_LONGTERM_TEST_READ, argsAddr);
            var a = new byte[size];
            var b = new byte[size];
            _p.Read(mem, a);
            _p.Read(tmp, b);
            ksft_test_result(a.AsSpan().SequenceEqual(b), "Longterm R/O pin is reliable\n");
        }
        catch (LinuxErrorException)
        {
            ksft_test_result_fail("PIN_LONGTERM_TEST_READ failed\n");
        }

        try { _p.GupTestIoctl(Process.PIN_LONGTERM_TEST_STOP, 0); }
        catch (LinuxErrorException) { ksft_print_msg("[INFO] PIN_LONGTERM_TEST_STOP failed\n"); }
    wait:
        child?.Exit();
        _p.Munmap(tmp, size + _pagesize);
    }

    public void test_ro_pin_on_shared(ulong mem, ulong size, bool h) => do_test_ro_pin(mem, size, ro_pin_test.RO_PIN_TEST_SHARED, false);
    public void test_ro_fast_pin_on_shared(ulong mem, ulong size, bool h) => do_test_ro_pin(mem, size, ro_pin_test.RO_PIN_TEST_SHARED, true);
    public void test_ro_pin_on_ro_previously_shared(ulong mem, ulong size, bool h) => do_test_ro_pin(mem, size, ro_pin_test.RO_PIN_TEST_PREVIOUSLY_SHARED, false);
    public void test_ro_fast_pin_on_ro_previously_shared(ulong mem, ulong size, bool h) => do_test_ro_pin(mem, size, ro_pin_test.RO_PIN_TEST_PREVIOUSLY_SHARED, true);
    public void test_ro_pin_on_ro_exclusive(ulong mem, ulong size, bool h) => do_test_ro_pin(mem, size, ro_pin_test.RO_PIN_TEST_RO_EXCLUSIVE, false);
    public void test_ro_fast_pin_on_ro_exclusive(ulong mem, ulong size, bool h) => do_test_ro_pin(mem, size, ro_pin_test.RO_PIN_TEST_RO_EXCLUSIVE, true);

    [Upstream("tools/testing/selftests/mm/cow.c", "do_run_with_base_page", "5728b9b0296d6bac")]
    public void do_run_with_base_page(Action<ulong, ulong, bool> fn, bool swapout)
    {
        ulong mem;
        try
        {
            mem = _p.Mmap(_pagesize, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        }
        catch (LinuxErrorException)
        {
            ksft_test_result_fail("mmap() failed\n");
            return;
        }

        try
        {
            _p.Madvise(mem, _pagesize, Advice.NoHugePage);
        }
        catch (LinuxErrorException e) when (e.Name != "EINVAL")
        {
            // Kernels without THP reject the advice with EINVAL, which is fine.
            ksft_test_result_fail("MADV_NOHUGEPAGE failed\n");
            _p.Munmap(mem, _pagesize);
            return;
        }

        // Populate a base page.
        _p.Fill(mem, _pagesize, 1);

        if (swapout)
        {
            // MADV_PAGEOUT and swap are not modelled: cow.c's "is swap enabled?" skip.
            ksft_test_result_skip("MADV_PAGEOUT did not work, is swap enabled?\n");
            _p.Munmap(mem, _pagesize);
            return;
        }

        fn(mem, _pagesize, false);
        _p.Munmap(mem, _pagesize);
    }

    public void run_with_base_page(Action<ulong, ulong, bool> fn, string desc)
    {
        ksft_print_msg($"[RUN] {desc} ... with base page\n");
        do_run_with_base_page(fn, false);
    }

    public void run_with_base_page_swap(Action<ulong, ulong, bool> fn, string desc)
    {
        ksft_print_msg($"[RUN] {desc} ... with swapped out base page\n");
        do_run_with_base_page(fn, true);
    }

    [Upstream("tools/testing/selftests/mm/cow.c", "test_cow", "b2da90224874a4d4")]
    public void test_cow(ulong mem, ulong smem, ulong size)
    {
        var old = new byte[size];
        // Backup the original content of the other mapping, then write to ours.
        _p.Read(smem, old);
        _p.Fill(mem, size, 0xff);
        var now = new byte[size];
        _p.Read(smem, now);
        ksft_test_result(now.AsSpan().SequenceEqual(old), "Other mapping not modified\n");
    }

    public void test_ro_pin(ulong mem, ulong smem, ulong size) => do_test_ro_pin(mem, size, ro_pin_test.RO_PIN_TEST, false);
    public void test_ro_fast_pin(ulong mem, ulong smem, ulong size) => do_test_ro_pin(mem, size, ro_pin_test.RO_PIN_TEST, true);

    [Upstream("tools/testing/selftests/mm/cow.c", "run_with_zeropage", "bd70295744da20d3")]
    public void run_with_zeropage(Action<ulong, ulong, ulong> fn, string desc)
    {
        ksft_print_msg($"[RUN] {desc} ... with shared zeropage\n");
        ulong mem = _p.Mmap(_pagesize, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous);
        ulong smem = _p.Mmap(_pagesize, Protection.Read, MapFlags.Private | MapFlags.Anonymous);
        // Read from both mappings so both map the shared zeropage.
        Span<byte> tmp = stackalloc byte[1];
        _p.Read(mem, tmp);
        _p.Read(smem, tmp);
        fn(mem, smem, _pagesize);
        _p.Munmap(mem, _pagesize);
        _p.Munmap(smem, _pagesize);
    }

    /// <summary>cow.c anon_test_cases[] descriptions, in order, with this port's test functions.</summary>
    public IEnumerable<(string Desc, Action<ulong, ulong, bool>? Fn)> anon_test_cases() =>
    [
        ("Basic COW after fork()", test_cow_in_parent),
        ("Basic COW after fork() with mprotect() optimization", test_cow_in_parent_mprotect),
        ("vmsplice() + unmap in child", test_vmsplice_in_child),
        ("vmsplice() + unmap in child with mprotect() optimization", test_vmsplice_in_child_mprotect),
        ("vmsplice() before fork(), unmap in parent after fork()", test_vmsplice_before_fork),
        ("vmsplice() + unmap in parent after fork()", test_vmsplice_after_fork),
        ("R/O-mapping a page registered as iouring fixed buffer", null), // needs liburing
        ("fork() with an iouring fixed buffer", null),
        ("R/O GUP pin on R/O-mapped shared page", test_ro_pin_on_shared),
        ("R/O GUP-fast pin on R/O-mapped shared page", test_ro_fast_pin_on_shared),
        ("R/O GUP pin on R/O-mapped previously-shared page", test_ro_pin_on_ro_previously_shared),
        ("R/O GUP-fast pin on R/O-mapped previously-shared page", test_ro_fast_pin_on_ro_previously_shared),
        ("R/O GUP pin on R/O-mapped exclusive page", test_ro_pin_on_ro_exclusive),
        ("R/O GUP-fast pin on R/O-mapped exclusive page", test_ro_fast_pin_on_ro_exclusive),
    ];

    /// <summary>cow.c non_anon_test_cases[] that run with the shared zeropage.</summary>
    public IEnumerable<(string Desc, Action<ulong, ulong, ulong> Fn)> non_anon_test_cases() =>
    [
        ("Basic COW", test_cow),
        ("R/O longterm GUP pin", test_ro_pin),
        ("R/O longterm GUP-fast pin", test_ro_fast_pin),
    ];
}
