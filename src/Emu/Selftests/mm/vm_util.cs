// tools/testing/selftests/mm/vm_util.c (6.12.117): the helpers the ported mm selftests use, against
// Emu's process API. A file descriptor the C opens on /proc/self/pagemap is modelled as the process
// that opened it (the fd keeps naming that process's mm, also in a forked child, as /proc/self
// resolved at open time). open() of a sysfs/procfs file is Machine.Sysfs's read, which fails with
// ENOENT for files Emu does not have, as open() fails on a kernel without them. The C program's
// malloc heap and stack (for ioctl arguments and buffers the kernel fills) are a brk-like mapping
// in the program's process (MmSelftestProgram.malloc); pure host-side buffers stay managed arrays.
using System;
using System.Collections.Generic;
using static Emu.Kernel.KernelConstants;

namespace Emu.Selftests.mm;

using UpstreamAttribute = Emu.Kernel.UpstreamAttribute;

/// <summary>
/// A ported tools/testing/selftests/mm program: the process it runs as (<see cref="self"/>), its heap,
/// and vm_util.c's helpers.
/// </summary>
public abstract partial class MmSelftestProgram : SelftestProgram
{
    /// <summary>linux/fs.h PAGEMAP_SCAN: _IOWR('f', 16, struct pm_scan_arg), sizeof(struct pm_scan_arg) == 96.</summary>
    public const uint PAGEMAP_SCAN = (3u << 30) | (96u << 16) | ((uint)'f' << 8) | 16;

    // linux/fs.h PAGE_IS_* categories of struct page_region.
    protected const ulong PAGE_IS_WPALLOWED = 1 << 0, PAGE_IS_WRITTEN = 1 << 1, PAGE_IS_FILE = 1 << 2,
        PAGE_IS_PRESENT = 1 << 3, PAGE_IS_SWAPPED = 1 << 4, PAGE_IS_PFNZERO = 1 << 5, PAGE_IS_HUGE = 1 << 6,
        PAGE_IS_SOFT_DIRTY = 1 << 7;

    // vm_util.h PM_* bits of a pagemap entry.
    protected const ulong PM_SOFT_DIRTY = 1UL << 55, PM_MMAP_EXCLUSIVE = 1UL << 56, PM_UFFD_WP = 1UL << 57,
        PM_FILE = 1UL << 61, PM_SWAP = 1UL << 62, PM_PRESENT = 1UL << 63;

    private const string PMD_SIZE_FILE_PATH = "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size";

    // Where the brk-like heap sits: below the top-down mmap area, so test mappings never merge with it.
    private const ulong HeapBase = 0x5555_5555_0000UL, HeapSize = 64 * PAGE_SIZE;
    private ulong _brk;
    private int _live;

    /// <summary>The process the program runs as (the C program's own process).</summary>
    protected Process self { get; private set; } = null!;

    /// <summary>Starts the program's process with its heap.</summary>
    private void StartProcess(string comm)
    {
        self = Machine.Spawn(comm);
        self.Mmap(HeapSize, Protection.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, HeapBase);
        _brk = HeapBase;
        _live = 0;
    }

    /// <summary>
    /// Runs <paramref name="body"/> as the program's process: started with its heap, exited when the
    /// body returns or exits through ksft (an emulator failure propagates with the process left as is).
    /// </summary>
    protected int RunAsProcess(string comm, Func<int> body)
    {
        StartProcess(comm);
        int status;
        try
        {
            status = body();
        }
        catch (KselftestExitException)
        {
            ExitProcess();
            throw;
        }
        ExitProcess();
        return status;
    }

    /// <summary>exit() of the program's process.</summary>
    private void ExitProcess()
    {
        if (self is { IsAlive: true })
            self.Exit();
    }

    /// <summary>malloc() in the program's process: user memory the kernel can copy to and from.</summary>
    protected ulong malloc(ulong size)
    {
        ulong p = _brk;
        if (p + size > HeapBase + HeapSize)
            return 0;
        _brk += (size + 15) & ~15UL;
        _live++;
        return p;
    }

    /// <summary>free(); the heap is reused once nothing is allocated.</summary>
    protected void free(ulong p)
    {
        if (p != 0 && --_live == 0)
            _brk = HeapBase;
    }

    /// <summary>getpagesize().</summary>
    protected static ulong getpagesize() => PAGE_SIZE;

    [Upstream("tools/testing/selftests/mm/vm_util.h", "psize", "46103c23d7c9ae87")]
    protected static ulong psize() => PAGE_SIZE;

    [Upstream("tools/testing/selftests/mm/vm_util.c", "pagemap_get_entry", "913aeb962a727ec4")]
    protected ulong pagemap_get_entry(Process fd, ulong start)
    {
        ulong entry = 0;
        try
        {
            // pread() of the 8-byte entry at start's page index.
            entry = fd.ReadPagemap(start);
        }
        catch (LinuxErrorException)
        {
            ksft.ksft_exit_fail_msg("reading pagemap failed\n");
        }
        return entry;
    }

    [Upstream("tools/testing/selftests/mm/vm_util.c", "__pagemap_scan_get_categories", "d4b7cbaead068bc5")]
    private long __pagemap_scan_get_categories(Process fd, ulong start, ulong r, out int errno)
    {
        // struct pm_scan_arg on the C stack; here in the program's heap.
        ulong argp = malloc(96);
        Span<ulong> arg = stackalloc ulong[12];
        arg[5] = r; // vec
        arg[6] = 1; // vec_len
        arg[1] = 0; // flags
        arg[2] = start;
        arg[3] = start + psize();
        arg[0] = 96; // size
        arg[7] = 0; // max_pages
        arg[8] = 0; // category_inverted
        arg[9] = 0; // category_mask
        arg[10] = PAGE_IS_WPALLOWED | PAGE_IS_WRITTEN | PAGE_IS_FILE |
                  PAGE_IS_PRESENT | PAGE_IS_SWAPPED | PAGE_IS_PFNZERO |
                  PAGE_IS_HUGE | PAGE_IS_SOFT_DIRTY; // category_anyof_mask
        arg[11] = arg[10]; // return_mask
        self.Write(argp, System.Runtime.InteropServices.MemoryMarshal.AsBytes(arg));
        long ret;
        errno = 0;
        try
        {
            ret = fd.PagemapIoctl(PAGEMAP_SCAN, argp);
        }
        catch (LinuxErrorException e)
        {
            errno = e.Errno;
            ret = -1;
        }
        free(argp);
        return ret;
    }

    [Upstream("tools/testing/selftests/mm/vm_util.c", "pagemap_scan_get_categories", "85aa7fbd514755c9")]
    private ulong pagemap_scan_get_categories(Process fd, ulong start)
    {
        ulong r = malloc(24);
        long ret = __pagemap_scan_get_categories(fd, start, r, out int errno);
        if (ret < 0)
            ksft.ksft_exit_fail_msg($"PAGEMAP_SCAN failed: {LinuxErrorException.NameOf(errno)}\n");
        ulong categories = 0;
        if (ret != 0)
        {
            Span<byte> region = stackalloc byte[24];
            self.Read(r, region);
            categories = BitConverter.ToUInt64(region[16..]);
        }
        free(r);
        return categories;
    }

    // The C's function-static "supported" cache, per run.
    private int _pagemapScanSupported = -1;

    [Upstream("tools/testing/selftests/mm/vm_util.c", "pagemap_scan_supported", "1e7b7b56f9068eba")]
    private bool pagemap_scan_supported(Process fd, ulong start)
    {
        if (_pagemapScanSupported != -1)
            return _pagemapScanSupported != 0;

        // An invalid vec address must make a kernel that has the ioctl fail with EFAULT.
        long ret = __pagemap_scan_get_categories(fd, start, ~0UL, out int errno);
        if (ret == 0)
            ksft.ksft_exit_fail_msg("PAGEMAP_SCAN succeeded unexpectedly\n");

        _pagemapScanSupported = errno == EFAULT ? 1 : 0;
        return _pagemapScanSupported != 0;
    }

    [Upstream("tools/testing/selftests/mm/vm_util.c", "page_entry_is", "783263c15002b970")]
    private bool page_entry_is(Process fd, ulong start, string desc, ulong pagemap_flags, ulong pagescan_flags)
    {
        bool m = (pagemap_get_entry(fd, start) & pagemap_flags) != 0;

        if (pagemap_scan_supported(fd, start))
        {
            bool s = (pagemap_scan_get_categories(fd, start) & pagescan_flags) != 0;

            if (m == s)
                return m;

            ksft.ksft_exit_fail_msg($"read and ioctl return unmatched results for {desc}: {(m ? 1 : 0)} {(s ? 1 : 0)}");
        }
        return m;
    }

    [Upstream("tools/testing/selftests/mm/vm_util.c", "pagemap_is_softdirty", "7596068d53da767d")]
    protected bool pagemap_is_softdirty(Process fd, ulong start) =>
        page_entry_is(fd, start, "soft-dirty", PM_SOFT_DIRTY, PAGE_IS_SOFT_DIRTY);

    [Upstream("tools/testing/selftests/mm/vm_util.c", "pagemap_is_swapped", "901616aca854e7b9")]
    protected bool pagemap_is_swapped(Process fd, ulong start) =>
        page_entry_is(fd, start, "swap", PM_SWAP, PAGE_IS_SWAPPED);

    [Upstream("tools/testing/selftests/mm/vm_util.c", "pagemap_is_populated", "a4e3c51f483b685d")]
    protected bool pagemap_is_populated(Process fd, ulong start) =>
        page_entry_is(fd, start, "populated", PM_PRESENT | PM_SWAP, PAGE_IS_PRESENT | PAGE_IS_SWAPPED);

    [Upstream("tools/testing/selftests/mm/vm_util.c", "pagemap_get_pfn", "66a8e37ab1100773")]
    protected ulong pagemap_get_pfn(Process fd, ulong start)
    {
        ulong entry = pagemap_get_entry(fd, start);

        // Present entries carry the pfn in bits 0-54.
        if ((entry & PM_PRESENT) != 0)
            return entry & 0x007fffffffffffffUL;
        return ~0UL;
    }

    [Upstream("tools/testing/selftests/mm/vm_util.c", "clear_softdirty", "494e21075d56ecb1")]
    protected void clear_softdirty()
    {
        const string ctrl = "4";
        int ret;
        try
        {
            // open("/proc/self/clear_refs", O_WRONLY) + write(fd, "4", 1)
            ret = self.ClearRefs(ctrl);
        }
        catch (LinuxErrorException e) when (e.Errno == ENOENT)
        {
            ksft.ksft_exit_fail_msg("opening clear_refs failed\n");
            return;
        }
        catch (LinuxErrorException)
        {
            ret = -1;
        }
        if (ret != ctrl.Length)
            ksft.ksft_exit_fail_msg("writing clear_refs failed\n");
    }

    [Upstream("tools/testing/selftests/mm/vm_util.c", "read_pmd_pagesize", "6a247ae8c51e75c4")]
    protected ulong read_pmd_pagesize()
    {
        string buf;
        try
        {
            buf = Machine.Sysfs.Read(PMD_SIZE_FILE_PATH);
        }
        catch (LinuxErrorException)
        {
            // open() failed: no THP in this kernel.
            return 0;
        }
        if (buf.Length < 1)
            return 0;
        if (buf.Length > 19)
            buf = buf[..19];
        return strtoul(buf);
    }

    [Upstream("tools/testing/selftests/mm/vm_util.c", "detect_hugetlb_page_sizes", "04f0526f858961f4")]
    protected int detect_hugetlb_page_sizes(ulong[] sizes, int max)
    {
        // opendir("/sys/kernel/mm/hugepages/"): Emu has no hugetlb, so the directory does not exist.
        IEnumerator<string>? dir = HugepagesDirectory();
        int count = 0;

        if (dir == null)
            return 0;

        while (count < max)
        {
            if (!dir.MoveNext())
                break;
            string name = dir.Current;
            if (!name.StartsWith("hugepages-", StringComparison.Ordinal) || !name.EndsWith("kB", StringComparison.Ordinal) ||
                !ulong.TryParse(name["hugepages-".Length..^2], out ulong kb))
                continue;
            sizes[count++] = kb * 1024;
            ksft.ksft_print_msg($"[INFO] detected hugetlb page size: {kb} KiB\n");
        }
        dir.Dispose();
        return count;
    }

    /// <summary>The subdirectories of /sys/kernel/mm/hugepages, or null when it does not exist (always, on Emu).</summary>
    private static IEnumerator<string>? HugepagesDirectory() => null;

    /// <summary>strtoul(buf, NULL, 10): the leading decimal digits after blanks, 0 if none.</summary>
    protected static ulong strtoul(string buf)
    {
        int i = 0;
        while (i < buf.Length && char.IsWhiteSpace(buf[i]))
            i++;
        ulong v = 0;
        while (i < buf.Length && buf[i] is >= '0' and <= '9')
            v = unchecked(v * 10 + (ulong)(buf[i++] - '0'));
        return v;
    }
}
