// tools/testing/selftests/mm/ksm_tests.c (6.12.117) ported to Emu: the program runs as an
// emulated process ("self"), sysfs through machine.Sysfs, libc through ksm_selftest.cs.
// Emu's environment as the program sees it: libnuma reports NUMA available with one node
// (numa_available() = 0, numa_max_node() = 0, as on a 1-node CONFIG_NUMA kernel), so -N skips
// with its "At least 2 NUMA nodes" message; THP is a stubbed subsystem with no sysfs directory,
// so thp_is_enabled() is false and -H skips. Timings (-P, -D, -C) use the host's monotonic clock:
// they report what Emu took.
using System;
using Emu.Kernel;

namespace Emu.Selftests.mm;

/// <summary>KSM merging/unmerging/zero-page checks and merge/unmerge/COW timing, one per invocation.</summary>
public sealed class ksm_tests : KsmSelftestProgram
{
    private const string KSM_SYSFS_PATH = "/sys/kernel/mm/ksm/";
    private const int KSM_SCAN_LIMIT_SEC_DEFAULT = 120;
    private const long KSM_PAGE_COUNT_DEFAULT = 10L;
    private const string KSM_PROT_STR_DEFAULT = "rw";
    private const bool KSM_USE_ZERO_PAGES_DEFAULT = false;
    private const bool KSM_MERGE_ACROSS_NODES_DEFAULT = true;
    private const int KSM_MERGE_TYPE_DEFAULT = 0;
    private const ulong MB = 1UL << 20;

    private static string KSM_FP(string s) => KSM_SYSFS_PATH + s;

    private struct ksm_sysfs
    {
        public ulong max_page_sharing;
        public ulong merge_across_nodes;
        public ulong pages_to_scan;
        public ulong run;
        public ulong sleep_millisecs;
        public ulong stable_node_chains_prune_millisecs;
        public ulong use_zero_pages;
    }

    private const int KSM_MERGE_MADVISE = 0, KSM_MERGE_PRCTL = 1, KSM_MERGE_LAST = KSM_MERGE_PRCTL;

    private enum ksm_test_name
    {
        CHECK_KSM_MERGE,
        CHECK_KSM_UNMERGE,
        CHECK_KSM_GET_MERGE_TYPE,
        CHECK_KSM_ZERO_PAGE_MERGE,
        CHECK_KSM_NUMA_MERGE,
        KSM_MERGE_TIME,
        KSM_MERGE_TIME_HUGE_PAGES,
        KSM_UNMERGE_TIME,
        KSM_COW_TIME,
    }

    private int debug;

    public override string Name => "ksm_tests";

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "ksm_write_sysfs", "f8a7d25dc8fa254c")]
    private int ksm_write_sysfs(string file_path, ulong val)
    {
        if (!file_exists(file_path))
        {
            Console.Error.WriteLine($"f {file_path}");
            perror("fopen");
            return 1;
        }
        // fprintf(f, "%lu") then fclose: one write of the digits.
        if (write_file(file_path, val.ToString()) < 0)
        {
            perror("fprintf");
            return 1;
        }

        return 0;
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "ksm_read_sysfs", "771b261bb8ebd955")]
    private int ksm_read_sysfs(string file_path, out ulong val)
    {
        val = 0;
        string? text = read_file(file_path);
        if (text == null)
        {
            Console.Error.WriteLine($"f {file_path}");
            perror("fopen");
            return 1;
        }
        // fscanf("%lu"): a negative number wraps, as strtoul does.
        string t = text.Trim();
        if (t.Length == 0 || !(char.IsAsciiDigit(t[0]) || ((t[0] == '-' || t[0] == '+') && t.Length > 1 && char.IsAsciiDigit(t[1]))))
        {
            perror("fscanf");
            return 1;
        }
        val = unchecked((ulong)strtol(t));

        return 0;
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "ksm_print_sysfs", "c0a1345ec1549c57")]
    private void ksm_print_sysfs()
    {
        ulong max_page_sharing, pages_sharing, pages_shared;
        ulong full_scans, pages_unshared, pages_volatile;
        ulong stable_node_chains, stable_node_dups;
        long general_profit;

        if (ksm_read_sysfs(KSM_FP("pages_shared"), out pages_shared) != 0 ||
            ksm_read_sysfs(KSM_FP("pages_sharing"), out pages_sharing) != 0 ||
            ksm_read_sysfs(KSM_FP("max_page_sharing"), out max_page_sharing) != 0 ||
            ksm_read_sysfs(KSM_FP("full_scans"), out full_scans) != 0 ||
            ksm_read_sysfs(KSM_FP("pages_unshared"), out pages_unshared) != 0 ||
            ksm_read_sysfs(KSM_FP("pages_volatile"), out pages_volatile) != 0 ||
            ksm_read_sysfs(KSM_FP("stable_node_chains"), out stable_node_chains) != 0 ||
            ksm_read_sysfs(KSM_FP("stable_node_dups"), out stable_node_dups) != 0 ||
            ksm_read_sysfs(KSM_FP("general_profit"), out ulong profit) != 0)
            return;
        general_profit = unchecked((long)profit);

        stdout.Write($"pages_shared      : {pages_shared}\n");
        stdout.Write($"pages_sharing     : {pages_sharing}\n");
        stdout.Write($"max_page_sharing  : {max_page_sharing}\n");
        stdout.Write($"full_scans        : {full_scans}\n");
        stdout.Write($"pages_unshared    : {pages_unshared}\n");
        stdout.Write($"pages_volatile    : {pages_volatile}\n");
        stdout.Write($"stable_node_chains: {stable_node_chains}\n");
        stdout.Write($"stable_node_dups  : {stable_node_dups}\n");
        stdout.Write($"general_profit    : {general_profit}\n");
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "ksm_print_procfs", "5328e88ff4f55752")]
    private void ksm_print_procfs()
    {
        string file_name = proc_self("ksm_stat");
        string? text = read_file(file_name);

        if (text == null)
        {
            Console.Error.WriteLine("f /proc/self/ksm_stat");
            perror("fopen");
            return;
        }

        stdout.Write(text);
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "str_to_prot", "6304501f8859bf9f")]
    private static Protection str_to_prot(string prot_str)
    {
        Protection prot = 0;

        if (prot_str.Contains('r'))
            prot |= Protection.Read;
        if (prot_str.Contains('w'))
            prot |= Protection.Write;
        if (prot_str.Contains('x'))
            prot |= Protection.Exec;

        return prot;
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "print_help", "6ba1d85eade0c837")]
    private void print_help()
    {
        stdout.Write("usage: ksm_tests [-h] <test type> [-a prot] [-p page_count] [-l timeout]\n" +
                     "[-z use_zero_pages] [-m merge_across_nodes] [-s size]\n");

        stdout.Write("Supported <test type>:\n" +
                     " -M (page merging)\n" +
                     " -Z (zero pages merging)\n" +
                     " -N (merging of pages in different NUMA nodes)\n" +
                     " -U (page unmerging)\n" +
                     " -P evaluate merging time and speed.\n" +
                     "    For this test, the size of duplicated memory area (in MiB)\n" +
                     "    must be provided using -s option\n" +
                     " -H evaluate merging time and speed of area allocated mostly with huge pages\n" +
                     "    For this test, the size of duplicated memory area (in MiB)\n" +
                     "    must be provided using -s option\n" +
                     " -D evaluate unmerging time and speed when disabling KSM.\n" +
                     "    For this test, the size of duplicated memory area (in MiB)\n" +
                     "    must be provided using -s option\n" +
                     " -C evaluate the time required to break COW of merged pages.\n\n");

        stdout.Write(" -a: specify the access protections of pages.\n" +
                     "     <prot> must be of the form [rwx].\n" +
                     $"     Default: {KSM_PROT_STR_DEFAULT}\n");
        stdout.Write(" -p: specify the number of pages to test.\n" +
                     $"     Default: {KSM_PAGE_COUNT_DEFAULT}\n");
        stdout.Write(" -l: limit the maximum running time (in seconds) for a test.\n" +
                     $"     Default: {KSM_SCAN_LIMIT_SEC_DEFAULT} seconds\n");
        stdout.Write(" -z: change use_zero_pages tunable\n" +
                     $"     Default: {(KSM_USE_ZERO_PAGES_DEFAULT ? 1 : 0)}\n");
        stdout.Write(" -m: change merge_across_nodes tunable\n" +
                     $"     Default: {(KSM_MERGE_ACROSS_NODES_DEFAULT ? 1 : 0)}\n");
        stdout.Write(" -d: turn debugging output on\n");
        stdout.Write(" -s: the size of duplicated memory area (in MiB)\n");
        stdout.Write(" -t: KSM merge type\n" +
                     "     Default: 0\n" +
                     "     0: madvise merging\n" +
                     "     1: prctl merging\n");

        exit(0);
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "allocate_memory", "24729def86d0547f")]
    private ulong allocate_memory(ulong ptr, Protection prot, MapFlags mapping, byte data, ulong map_size)
    {
        ulong map_ptr = mmap(ptr, map_size, Protection.Write, mapping);

        // The C tests for NULL, which mmap never returns; MAP_FAILED is what fails.
        if (map_ptr == 0 || map_ptr == MAP_FAILED)
        {
            ksft_perror("mmap");
            return 0;
        }
        memset(map_ptr, data, map_size);
        if (mprotect(map_ptr, map_size, prot) != 0)
        {
            ksft_perror("mprotect");
            munmap(map_ptr, map_size);
            return 0;
        }

        return map_ptr;
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "ksm_do_scan", "06ab93618d506e3f")]
    private int ksm_do_scan(int scan_count, long start_time, int timeout)
    {
        long cur_time;
        ulong cur_scan, init_scan;

        if (ksm_read_sysfs(KSM_FP("full_scans"), out init_scan) != 0)
            return 1;
        cur_scan = init_scan;

        while (cur_scan < init_scan + (ulong)scan_count)
        {
            if (ksm_read_sysfs(KSM_FP("full_scans"), out cur_scan) != 0)
                return 1;
            cur_time = clock_gettime_ns();
            if ((cur_time - start_time) / NSEC_PER_SEC > timeout)
            {
                ksft.ksft_print_msg("Scan time limit exceeded\n");
                return 1;
            }
            // Emu: ksmd runs while the program polls; when it cannot run, the C would spin
            // until the time limit: the port gives up at once with the same message.
            if (cur_scan < init_scan + (ulong)scan_count && !ksmd_runs_meanwhile())
            {
                ksft.ksft_print_msg("Scan time limit exceeded\n");
                return 1;
            }
        }

        return 0;
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "ksm_merge_pages", "b49c55484832fa98")]
    private int ksm_merge_pages(int merge_type, ulong addr, ulong size, long start_time, int timeout)
    {
        if (merge_type == KSM_MERGE_MADVISE)
        {
            if (madvise(addr, size, Advice.Mergeable) != 0)
            {
                ksft_perror("madvise");
                return 1;
            }
        }
        else if (merge_type == KSM_MERGE_PRCTL)
        {
            if (prctl(PR_SET_MEMORY_MERGE, 1, 0, 0, 0) != 0)
            {
                ksft_perror("prctl");
                return 1;
            }
        }

        if (ksm_write_sysfs(KSM_FP("run"), 1) != 0)
            return 1;

        // Merging takes two full scans.
        if (ksm_do_scan(2, start_time, timeout) != 0)
            return 1;

        return 0;
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "ksm_unmerge_pages", "c725625ee740f4da")]
    private int ksm_unmerge_pages(ulong addr, ulong size, long start_time, int timeout)
    {
        if (madvise(addr, size, Advice.Unmergeable) != 0)
        {
            ksft_perror("madvise");
            return 1;
        }
        return 0;
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "assert_ksm_pages_count", "7f292e10379ef3f8")]
    private bool assert_ksm_pages_count(long dupl_page_count)
    {
        ulong max_page_sharing, pages_sharing, pages_shared;

        if (ksm_read_sysfs(KSM_FP("pages_shared"), out pages_shared) != 0 ||
            ksm_read_sysfs(KSM_FP("pages_sharing"), out pages_sharing) != 0 ||
            ksm_read_sysfs(KSM_FP("max_page_sharing"), out max_page_sharing) != 0)
            return false;

        if (debug != 0)
        {
            ksm_print_sysfs();
            ksm_print_procfs();
        }

        // One KSM page holds at most max_page_sharing mappings, and a leftover single page
        // cannot merge with itself: a remainder of 1 counts as none.
        ulong dupl = (ulong)dupl_page_count;
        if (dupl % max_page_sharing == 1 || dupl % max_page_sharing == 0)
        {
            if (pages_shared == dupl / max_page_sharing &&
                pages_sharing == pages_shared * (max_page_sharing - 1))
                return true;
        }
        else
        {
            if (pages_shared == (dupl / max_page_sharing + 1) &&
                pages_sharing == dupl - pages_shared)
                return true;
        }

        return false;
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "ksm_save_def", "7a8829de981de883")]
    private int ksm_save_def(out ksm_sysfs ksm_sysfs)
    {
        ksm_sysfs = default;
        if (ksm_read_sysfs(KSM_FP("max_page_sharing"), out ksm_sysfs.max_page_sharing) != 0 ||
            (numa_available() != 0 ? 0 :
                ksm_read_sysfs(KSM_FP("merge_across_nodes"), out ksm_sysfs.merge_across_nodes)) != 0 ||
            ksm_read_sysfs(KSM_FP("sleep_millisecs"), out ksm_sysfs.sleep_millisecs) != 0 ||
            ksm_read_sysfs(KSM_FP("pages_to_scan"), out ksm_sysfs.pages_to_scan) != 0 ||
            ksm_read_sysfs(KSM_FP("run"), out ksm_sysfs.run) != 0 ||
            ksm_read_sysfs(KSM_FP("stable_node_chains_prune_millisecs"),
                           out ksm_sysfs.stable_node_chains_prune_millisecs) != 0 ||
            ksm_read_sysfs(KSM_FP("use_zero_pages"), out ksm_sysfs.use_zero_pages) != 0)
            return 1;

        return 0;
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "ksm_restore", "0356862726bd13ad")]
    private int ksm_restore(in ksm_sysfs ksm_sysfs)
    {
        if (ksm_write_sysfs(KSM_FP("max_page_sharing"), ksm_sysfs.max_page_sharing) != 0 ||
            (numa_available() != 0 ? 0 :
                ksm_write_sysfs(KSM_FP("merge_across_nodes"), ksm_sysfs.merge_across_nodes)) != 0 ||
            ksm_write_sysfs(KSM_FP("pages_to_scan"), ksm_sysfs.pages_to_scan) != 0 ||
            ksm_write_sysfs(KSM_FP("run"), ksm_sysfs.run) != 0 ||
            ksm_write_sysfs(KSM_FP("sleep_millisecs"), ksm_sysfs.sleep_millisecs) != 0 ||
            ksm_write_sysfs(KSM_FP("stable_node_chains_prune_millisecs"),
                            ksm_sysfs.stable_node_chains_prune_millisecs) != 0 ||
            ksm_write_sysfs(KSM_FP("use_zero_pages"), ksm_sysfs.use_zero_pages) != 0)
            return 1;

        return 0;
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "check_ksm_merge", "0cfcfa30ac8008ad")]
    private int check_ksm_merge(int merge_type, MapFlags mapping, Protection prot, long page_count, int timeout, ulong page_size)
    {
        ulong map_ptr;
        long start_time = clock_gettime_ns();

        // Identical pages, then merge them.
        map_ptr = allocate_memory(0, prot, mapping, (byte)'*', page_size * (ulong)page_count);
        if (map_ptr == 0)
            return Kselftest.KSFT_FAIL;

        if (ksm_merge_pages(merge_type, map_ptr, page_size * (ulong)page_count, start_time, timeout) != 0)
            goto err_out;

        // The counts must match.
        if (assert_ksm_pages_count(page_count))
        {
            munmap(map_ptr, page_size * (ulong)page_count);
            if (merge_type == KSM_MERGE_PRCTL)
                prctl(PR_SET_MEMORY_MERGE, 0, 0, 0, 0);
            return Kselftest.KSFT_PASS;
        }

    err_out:
        munmap(map_ptr, page_size * (ulong)page_count);
        return Kselftest.KSFT_FAIL;
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "check_ksm_unmerge", "d6f125174086f570")]
    private int check_ksm_unmerge(int merge_type, MapFlags mapping, Protection prot, int timeout, ulong page_size)
    {
        ulong map_ptr;
        long start_time = clock_gettime_ns();
        int page_count = 2;

        // Identical pages, then merge them.
        map_ptr = allocate_memory(0, prot, mapping, (byte)'*', page_size * (ulong)page_count);
        if (map_ptr == 0)
            return Kselftest.KSFT_FAIL;

        if (ksm_merge_pages(merge_type, map_ptr, page_size * (ulong)page_count, start_time, timeout) != 0)
            goto err_out;

        // One byte changed in each page: the write faults break the sharing.
        memset(map_ptr, (byte)'-', 1);
        memset(map_ptr + page_size, (byte)'+', 1);

        // One more scan lets KSM see the change.
        if (ksm_do_scan(1, start_time, timeout) != 0)
            goto err_out;

        // Nothing may still be merged.
        if (assert_ksm_pages_count(0))
        {
            munmap(map_ptr, page_size * (ulong)page_count);
            return Kselftest.KSFT_PASS;
        }

    err_out:
        munmap(map_ptr, page_size * (ulong)page_count);
        return Kselftest.KSFT_FAIL;
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "check_ksm_zero_page_merge", "fbabeb65cbc5ca7a")]
    private int check_ksm_zero_page_merge(int merge_type, MapFlags mapping, Protection prot, long page_count,
                                          int timeout, bool use_zero_pages, ulong page_size)
    {
        ulong map_ptr;
        long start_time = clock_gettime_ns();

        if (ksm_write_sysfs(KSM_FP("use_zero_pages"), use_zero_pages ? 1UL : 0UL) != 0)
            return Kselftest.KSFT_FAIL;

        // Zero-filled pages, then merge them.
        map_ptr = allocate_memory(0, prot, mapping, 0, page_size * (ulong)page_count);
        if (map_ptr == 0)
            return Kselftest.KSFT_FAIL;

        if (ksm_merge_pages(merge_type, map_ptr, page_size * (ulong)page_count, start_time, timeout) != 0)
            goto err_out;

        // With use_zero_pages they map the kernel's zero page (no KSM page); without, they merge as any page.
        if (use_zero_pages && !assert_ksm_pages_count(0))
            goto err_out;
        else if (!use_zero_pages && !assert_ksm_pages_count(page_count))
            goto err_out;

        munmap(map_ptr, page_size * (ulong)page_count);
        return Kselftest.KSFT_PASS;

    err_out:
        munmap(map_ptr, page_size * (ulong)page_count);
        return Kselftest.KSFT_FAIL;
    }

    // libnuma on Emu's one-node machine.
    private static int numa_available() => 0;
    private static int numa_max_node() => 0;
    private long numa_node_size(int node) => node == 0 ? (long)(Machine.PageFrames * KernelConstants.PAGE_SIZE) : -1;

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "get_next_mem_node", "2033d28e0bfca3c5")]
    private int get_next_mem_node(int node)
    {
        long node_size;
        int mem_node = 0;
        int i, max_node = numa_max_node();

        for (i = node + 1; i <= max_node + node; i++)
        {
            mem_node = i % (max_node + 1);
            node_size = numa_node_size(mem_node);
            if (node_size > 0)
                return mem_node;
        }
        return -ENODEV;
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "get_first_mem_node", "799f274649fdb304")]
    private int get_first_mem_node() => get_next_mem_node(numa_max_node());

    // Past the node check it needs two nodes, which Emu does not have: not ported further.
    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "check_ksm_numa_merge", "caa4e4737f86e77e")]
    private int check_ksm_numa_merge(int merge_type, MapFlags mapping, Protection prot, int timeout,
                                     bool merge_across_nodes, ulong page_size)
    {
        int first_node, second_node;

        if (numa_available() < 0)
        {
            ksft.ksft_print_msg("NUMA support not enabled\n");
            return Kselftest.KSFT_SKIP;
        }
        first_node = get_first_mem_node();
        second_node = get_next_mem_node(first_node);

        if (second_node < 0)
        {
            ksft.ksft_print_msg("At least 2 NUMA nodes with memory must be available\n");
            return Kselftest.KSFT_SKIP;
        }
        throw new NotSupportedException("NUMA: a second memory node");
    }

    // thp_settings.c thp_is_enabled: no /sys/kernel/mm/transparent_hugepage in Emu (THP stubbed).
    private bool thp_is_enabled() => file_exists("/sys/kernel/mm/transparent_hugepage/enabled");

    // Past the THP check it needs THP, a stubbed subsystem: not ported further.
    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "ksm_merge_hugepages_time", "6128bd9c26f5c0b0")]
    private int ksm_merge_hugepages_time(int merge_type, MapFlags mapping, Protection prot, int timeout, ulong map_size)
    {
        if (!thp_is_enabled())
        {
            ksft.ksft_print_msg("Transparent Hugepages not available\n");
            return Kselftest.KSFT_SKIP;
        }
        throw new NotSupportedException("THP: MADV_HUGEPAGE mappings");
    }

    private void print_time_and_speed(ulong map_size, long scan_time_ns)
    {
        ksft.ksft_print_msg($"Total size:    {map_size / MB} MiB\n");
        ksft.ksft_print_msg($"Total time:    {scan_time_ns / NSEC_PER_SEC}.{scan_time_ns % NSEC_PER_SEC:D9} s\n");
        ksft.ksft_print_msg($"Average speed:  {(map_size / MB) / ((double)scan_time_ns / NSEC_PER_SEC):F3} MiB/s\n");
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "ksm_merge_time", "bee919d45aaa8fed")]
    private int ksm_merge_time(int merge_type, MapFlags mapping, Protection prot, int timeout, ulong map_size)
    {
        ulong map_ptr;
        long start_time, end_time;
        long scan_time_ns;

        map_size *= MB;

        map_ptr = allocate_memory(0, prot, mapping, (byte)'*', map_size);
        if (map_ptr == 0)
            return Kselftest.KSFT_FAIL;

        start_time = clock_gettime_ns();
        if (ksm_merge_pages(merge_type, map_ptr, map_size, start_time, timeout) != 0)
            goto err_out;
        end_time = clock_gettime_ns();

        scan_time_ns = end_time - start_time;
        print_time_and_speed(map_size, scan_time_ns);

        munmap(map_ptr, map_size);
        return Kselftest.KSFT_PASS;

    err_out:
        munmap(map_ptr, map_size);
        return Kselftest.KSFT_FAIL;
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "ksm_unmerge_time", "d52dd8f694fdb462")]
    private int ksm_unmerge_time(int merge_type, MapFlags mapping, Protection prot, int timeout, ulong map_size)
    {
        ulong map_ptr;
        long start_time, end_time;
        long scan_time_ns;

        map_size *= MB;

        map_ptr = allocate_memory(0, prot, mapping, (byte)'*', map_size);
        if (map_ptr == 0)
            return Kselftest.KSFT_FAIL;
        start_time = clock_gettime_ns();
        if (ksm_merge_pages(merge_type, map_ptr, map_size, start_time, timeout) != 0)
            goto err_out;

        start_time = clock_gettime_ns();
        if (ksm_unmerge_pages(map_ptr, map_size, start_time, timeout) != 0)
            goto err_out;
        end_time = clock_gettime_ns();

        scan_time_ns = end_time - start_time;
        print_time_and_speed(map_size, scan_time_ns);

        munmap(map_ptr, map_size);
        return Kselftest.KSFT_PASS;

    err_out:
        munmap(map_ptr, map_size);
        return Kselftest.KSFT_FAIL;
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "ksm_cow_time", "58bdcc0ef8021a96")]
    private int ksm_cow_time(int merge_type, MapFlags mapping, Protection prot, int timeout, ulong page_size)
    {
        ulong map_ptr;
        long start_time, end_time;
        long cow_time_ns;

        // Fewer than 2 * page_size pages, so each pair's fill length is distinct.
        ulong page_count = 4000;

        map_ptr = allocate_memory(0, prot, mapping, (byte)'*', page_size * page_count);
        if (map_ptr == 0)
            return Kselftest.KSFT_FAIL;

        start_time = clock_gettime_ns();
        for (ulong i = 0; i < page_count - 1; i = i + 2)
            memset(map_ptr + page_size * i, (byte)'-', 1);
        end_time = clock_gettime_ns();

        cow_time_ns = end_time - start_time;

        ksft.ksft_print_msg($"Total size:    {(page_size * page_count) / MB} MiB\n\n");
        ksft.ksft_print_msg("Not merged pages:\n");
        ksft.ksft_print_msg($"Total time:     {cow_time_ns / NSEC_PER_SEC}.{cow_time_ns % NSEC_PER_SEC:D9} s\n");
        ksft.ksft_print_msg($"Average speed:  {((page_size * (page_count / 2)) / MB) / ((double)cow_time_ns / NSEC_PER_SEC):F3} MiB/s\n\n");

        // 2000 pairs of identical pages.
        for (ulong i = 0; i < page_count - 1; i = i + 2)
        {
            memset(map_ptr + page_size * i, (byte)'+', i / 2 + 1);
            memset(map_ptr + page_size * (i + 1), (byte)'+', i / 2 + 1);
        }
        if (ksm_merge_pages(merge_type, map_ptr, page_size * page_count, start_time, timeout) != 0)
            goto err_out;

        start_time = clock_gettime_ns();
        for (ulong i = 0; i < page_count - 1; i = i + 2)
            memset(map_ptr + page_size * i, (byte)'-', 1);
        end_time = clock_gettime_ns();

        cow_time_ns = end_time - start_time;

        ksft.ksft_print_msg("Merged pages:\n");
        ksft.ksft_print_msg($"Total time:     {cow_time_ns / NSEC_PER_SEC}.{cow_time_ns % NSEC_PER_SEC:D9} s\n");
        ksft.ksft_print_msg($"Average speed:  {((page_size * (page_count / 2)) / MB) / ((double)cow_time_ns / NSEC_PER_SEC):F3} MiB/s\n");

        munmap(map_ptr, page_size * page_count);
        return Kselftest.KSFT_PASS;

    err_out:
        munmap(map_ptr, page_size * page_count);
        return Kselftest.KSFT_FAIL;
    }

    [Upstream("tools/testing/selftests/mm/ksm_tests.c", "main", "4ca314487ae590ad")]
    protected override int main(string[] argv)
    {
        int ret = Kselftest.KSFT_FAIL, opt;
        Protection prot = 0;
        int ksm_scan_limit_sec = KSM_SCAN_LIMIT_SEC_DEFAULT;
        int merge_type = KSM_MERGE_TYPE_DEFAULT;
        long page_count = KSM_PAGE_COUNT_DEFAULT;
        ulong page_size = (ulong)getpagesize();
        ksm_sysfs ksm_sysfs_old;
        ksm_test_name test_name = ksm_test_name.CHECK_KSM_MERGE;
        bool use_zero_pages = KSM_USE_ZERO_PAGES_DEFAULT;
        bool merge_across_nodes = KSM_MERGE_ACROSS_NODES_DEFAULT;
        long size_MB = 0;
        string test_descr = "KSM merging";

        ksft.ksft_print_header();
        ksft.ksft_set_plan(1);

        var g = new Getopt(argv, "dha:p:l:z:m:s:t:MUZNPCHD");
        while ((opt = g.getopt()) != -1)
        {
            string optarg = g.optarg ?? "";
            switch (opt)
            {
                case 'a':
                    prot = str_to_prot(optarg);
                    break;
                case 'p':
                    page_count = strtol(optarg);
                    if (page_count <= 0)
                        ksft.ksft_exit_fail_msg("The number of pages must be greater than 0\n");
                    break;
                case 'l':
                    ksm_scan_limit_sec = (int)strtol(optarg);
                    if (ksm_scan_limit_sec <= 0)
                        ksft.ksft_exit_fail_msg("Timeout value must be greater than 0\n");
                    break;
                case 'h':
                    print_help();
                    break;
                case 'z':
                    use_zero_pages = optarg != "0";
                    break;
                case 'm':
                    merge_across_nodes = optarg != "0";
                    break;
                case 'd':
                    debug = 1;
                    break;
                case 's':
                    size_MB = (int)strtol(optarg);
                    if (size_MB <= 0)
                        ksft.ksft_exit_fail_msg("Size must be greater than 0\n");
                    break;
                case 't':
                    {
                        int tmp = (int)strtol(optarg);

                        if (tmp < 0 || tmp > KSM_MERGE_LAST)
                            ksft.ksft_exit_fail_msg("Invalid merge type\n");
                        merge_type = tmp;
                    }
                    break;
                case 'M':
                    break;
                case 'U':
                    test_name = ksm_test_name.CHECK_KSM_UNMERGE;
                    break;
                case 'Z':
                    test_name = ksm_test_name.CHECK_KSM_ZERO_PAGE_MERGE;
                    break;
                case 'N':
                    test_name = ksm_test_name.CHECK_KSM_NUMA_MERGE;
                    break;
                case 'P':
                    test_name = ksm_test_name.KSM_MERGE_TIME;
                    break;
                case 'H':
                    test_name = ksm_test_name.KSM_MERGE_TIME_HUGE_PAGES;
                    break;
                case 'D':
                    test_name = ksm_test_name.KSM_UNMERGE_TIME;
                    break;
                case 'C':
                    test_name = ksm_test_name.KSM_COW_TIME;
                    break;
                default:
                    ksft.ksft_exit_fail_msg("Unknown option\n");
                    break;
            }
        }

        if (prot == 0)
            prot = str_to_prot(KSM_PROT_STR_DEFAULT);

        if (!file_exists(KSM_FP("run")))
            ksft.ksft_exit_skip("Config KSM not enabled\n");

        if (ksm_save_def(out ksm_sysfs_old) != 0)
            ksft.ksft_exit_fail_msg("Cannot save default tunables\n");

        if (ksm_write_sysfs(KSM_FP("run"), 2) != 0 ||
            ksm_write_sysfs(KSM_FP("sleep_millisecs"), 0) != 0 ||
            (numa_available() != 0 ? 0 :
                ksm_write_sysfs(KSM_FP("merge_across_nodes"), 1)) != 0 ||
            ksm_write_sysfs(KSM_FP("pages_to_scan"), (ulong)page_count) != 0)
            ksft.ksft_exit_fail_msg("Cannot set up KSM tunables\n");

        const MapFlags anon = MapFlags.Private | MapFlags.Anonymous;
        switch (test_name)
        {
            case ksm_test_name.CHECK_KSM_MERGE:
                test_descr = "KSM merging";
                ret = check_ksm_merge(merge_type, anon, prot, page_count, ksm_scan_limit_sec, page_size);
                break;
            case ksm_test_name.CHECK_KSM_UNMERGE:
                test_descr = "KSM unmerging";
                ret = check_ksm_unmerge(merge_type, anon, prot, ksm_scan_limit_sec, page_size);
                break;
            case ksm_test_name.CHECK_KSM_ZERO_PAGE_MERGE:
                test_descr = "KSM zero page merging";
                ret = check_ksm_zero_page_merge(merge_type, anon, prot, page_count, ksm_scan_limit_sec, use_zero_pages, page_size);
                break;
            case ksm_test_name.CHECK_KSM_NUMA_MERGE:
                test_descr = "KSM NUMA merging";
                ret = check_ksm_numa_merge(merge_type, anon, prot, ksm_scan_limit_sec, merge_across_nodes, page_size);
                break;
            case ksm_test_name.KSM_MERGE_TIME:
                if (size_MB == 0)
                    ksft.ksft_exit_fail_msg("Option '-s' is required\n");
                test_descr = "KSM merge time";
                ret = ksm_merge_time(merge_type, anon, prot, ksm_scan_limit_sec, (ulong)size_MB);
                break;
            case ksm_test_name.KSM_MERGE_TIME_HUGE_PAGES:
                if (size_MB == 0)
                    ksft.ksft_exit_fail_msg("Option '-s' is required\n");
                test_descr = "KSM merge time with huge pages";
                ret = ksm_merge_hugepages_time(merge_type, anon, prot, ksm_scan_limit_sec, (ulong)size_MB);
                break;
            case ksm_test_name.KSM_UNMERGE_TIME:
                if (size_MB == 0)
                    ksft.ksft_exit_fail_msg("Option '-s' is required\n");
                test_descr = "KSM unmerge time";
                ret = ksm_unmerge_time(merge_type, anon, prot, ksm_scan_limit_sec, (ulong)size_MB);
                break;
            case ksm_test_name.KSM_COW_TIME:
                test_descr = "KSM COW time";
                ret = ksm_cow_time(merge_type, anon, prot, ksm_scan_limit_sec, page_size);
                break;
        }

        if (ksm_restore(ksm_sysfs_old) != 0)
            ksft.ksft_print_msg("Cannot restore default tunables\n");

        ksft.ksft_test_result_report(ret, $"{test_descr}\n");

        ksft.ksft_finished();
        return 0;
    }
}
