// The libc and kernel-interface surface the KSM selftest ports call (ksm_functional_tests.c,
// ksm_tests.c): mmap/munmap/mprotect/madvise/prctl returning -1 with errno as libc does, memset
// and stores into the program's process, fork/waitpid/execv/exit, the sysfs and /proc files,
// getopt, and the concurrent ksmd. This is a model of libc, not a transliteration; the test code
// that uses it is transliterated in the two program files.
//
// ksmd: on a real kernel ksmd runs while the test spins reading full_scans. Here the spin's
// every poll lets ksmd run one iteration of ksm_scan_thread (one batch of pages_to_scan, then
// its sleep on the virtual clock): a batch ends at a full-scan boundary (ksm_do_scan stops when
// scan_get_next_rmap_item wraps), so a wait for N more scans returns right at the boundary.
// When ksmd cannot run at all (run != 1 or no mm registered) nothing can change full_scans while
// the program spins, so where the C would spin forever the port fails the wait at once.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using Emu.Kernel;

namespace Emu.Selftests.mm;

/// <summary>A KSM selftest port: the C program's process ("self") and the libc calls it makes.</summary>
public abstract class KsmSelftestProgram : SelftestProgram
{
    protected const ulong MAP_FAILED = ulong.MaxValue;
    protected const int PR_SET_MEMORY_MERGE = 67, PR_GET_MEMORY_MERGE = 68;
    protected const int EINVAL = 22, ENOSYS = 38, ENODEV = 19;
    protected const long NSEC_PER_SEC = 1_000_000_000L;

    private readonly Dictionary<int, int> _exited = new();
    private Process? _execImage;

    /// <summary>The process the program runs as (a fork child while the child's code runs).</summary>
    protected Process self = null!;

    /// <summary>errno of the last failed call.</summary>
    protected int errno;

    /// <summary>The C's main(): argv[0] is the program name.</summary>
    protected abstract int main(string[] argv);

    protected sealed override int Main(string[] args)
    {
        self = _execImage ?? Machine.Spawn(Name);
        var argv = new string[args.Length + 1];
        argv[0] = "./" + Name;
        args.CopyTo(argv, 1);
        int status;
        try
        {
            status = main(argv);
        }
        catch (KselftestExitException)
        {
            // exit(): the process's mm goes away with it.
            self.Exit();
            throw;
        }
        // (Any other exception is Emu's: the machine may be unusable, so it is left as it is.)
        self.Exit();
        return status;
    }

    protected static int getpagesize() => (int)KernelConstants.PAGE_SIZE;

    protected ulong mmap(ulong addr, ulong length, Protection prot, MapFlags flags)
    {
        try
        {
            return self.Mmap(length, prot, flags, addr);
        }
        catch (LinuxErrorException e)
        {
            errno = e.Errno;
            return MAP_FAILED;
        }
    }

    protected int munmap(ulong addr, ulong length) => Call(() => self.Munmap(addr, length));

    protected int mprotect(ulong addr, ulong length, Protection prot) => Call(() => self.Mprotect(addr, length, prot));

    protected int madvise(ulong addr, ulong length, Advice advice) => Call(() => self.Madvise(addr, length, advice));

    /// <summary>prctl(2) for the two KSM options the tests use (other options: EINVAL, as the kernel).</summary>
    protected int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5)
    {
        if (arg3 != 0 || arg4 != 0 || arg5 != 0)
            return Fail(EINVAL);
        switch (option)
        {
            case PR_SET_MEMORY_MERGE:
                return Call(() => self.SetMemoryMerge(arg2 != 0));
            case PR_GET_MEMORY_MERGE:
                if (arg2 != 0)
                    return Fail(EINVAL);
                try
                {
                    return self.GetMemoryMerge() ? 1 : 0;
                }
                catch (LinuxErrorException e)
                {
                    return Fail(e.Errno);
                }
            default:
                return Fail(EINVAL);
        }
    }

    /// <summary>syscall(__NR_userfaultfd, flags): userfaultfd is a stubbed subsystem, as with CONFIG_USERFAULTFD=n (sys_ni_syscall).</summary>
    protected int userfaultfd(int flags) => Fail(ENOSYS);

    /// <summary>memset(addr, c, n) by the program: user stores that fault as they go.</summary>
    protected void memset(ulong addr, byte c, ulong n) => self.Fill(addr, n, c);

    /// <summary>*(unsigned int *)addr = value.</summary>
    protected void store_u32(ulong addr, uint value) => self.Write(addr, BitConverter.GetBytes(value));

    /// <summary>
    /// pwrite to /proc/self/mem (mem_rw -> access_remote_vm): a FOLL_FORCE|FOLL_WRITE GUP
    /// reference on the page, a copy into it, set_page_dirty_lock, put_page. Returns bytes written or -1.
    /// </summary>
    protected int proc_self_mem_write(ulong addr, ReadOnlySpan<byte> data)
    {
        ulong page = addr & ~(KernelConstants.PAGE_SIZE - 1);
        int offset = (int)(addr - page);
        if (offset + data.Length > (int)KernelConstants.PAGE_SIZE)
            throw new ArgumentOutOfRangeException(nameof(data), "one page at a time");
        try
        {
            using var pages = self.Get(page, 1, PinFlags.Write | PinFlags.Force);
            if (pages.Count != 1)
                return Fail(14); // EFAULT: access_remote_vm wrote nothing
            pages.WritePage(0, data, offset);
            pages.Release(dirty: true);
            return data.Length;
        }
        catch (LinuxErrorException e)
        {
            return Fail(e.Errno);
        }
    }

    /// <summary>/proc/self/pagemap's entry for addr (fs/proc/task_mmu.c pagemap_read).</summary>
    protected ulong pagemap_read_entry(ulong addr) => self.ReadPagemap(addr);

    /// <summary>Path of one of the program's /proc/self files.</summary>
    protected string proc_self(string file) => $"/proc/{self.Pid}/{file}";

    /// <summary>open() of a sysfs/procfs file: whether it exists.</summary>
    protected bool file_exists(string path)
    {
        try
        {
            _ = Machine.Sysfs.Read(path);
            return true;
        }
        catch (LinuxErrorException e)
        {
            errno = e.Errno;
            return false;
        }
    }

    /// <summary>pread of a sysfs/procfs file from offset 0: its text, or null with errno set.</summary>
    protected string? read_file(string path)
    {
        try
        {
            return Machine.Sysfs.Read(path);
        }
        catch (LinuxErrorException e)
        {
            errno = e.Errno;
            return null;
        }
    }

    /// <summary>write(2) of text to a sysfs file: bytes written or -1 with errno.</summary>
    protected int write_file(string path, string text)
    {
        try
        {
            Machine.Sysfs.Write(path, text);
            return text.Length;
        }
        catch (LinuxErrorException e)
        {
            return Fail(e.Errno);
        }
    }

    /// <summary>strtol(s, NULL, 10) / atol: leading blanks, sign, digits; 0 when none.</summary>
    protected static long strtol(string? s)
    {
        if (s == null)
            return 0;
        int i = 0;
        while (i < s.Length && char.IsWhiteSpace(s[i]))
            i++;
        int start = i;
        if (i < s.Length && (s[i] == '-' || s[i] == '+'))
            i++;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
            i++;
        return long.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : 0;
    }

    /// <summary>
    /// One poll of a loop that spins on a ksmd counter: ksmd runs one iteration meanwhile.
    /// False when ksmd cannot run, so the counter can never change (see the file comment).
    /// </summary>
    protected bool ksmd_runs_meanwhile()
    {
        if (!Machine.Ksm.ShouldRun)
            return false;
        Machine.Ksm.Step();
        return true;
    }

    /// <summary>clock_gettime(CLOCK_MONOTONIC_RAW) in ns: the host's clock, so timings report what Emu took.</summary>
    protected static long clock_gettime_ns() => (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));

    /// <summary>
    /// fork(): the child is a copy of self (dup_mm); <paramref name="child"/> is the code the
    /// child runs (its return value is its exit status, as returning from a forked branch into
    /// exit()). The child runs to completion before fork returns to the parent, one legal
    /// interleaving; waitpid collects its status. Returns the child's pid, or -1.
    /// </summary>
    protected int fork(Func<int> child)
    {
        Process parent = self, proc;
        try
        {
            proc = parent.Fork();
        }
        catch (LinuxErrorException e)
        {
            return Fail(e.Errno);
        }
        int status;
        self = proc;
        try
        {
            status = child();
        }
        catch (KselftestExitException e)
        {
            status = e.Status;
        }
        finally
        {
            self = parent;
        }
        proc.Exit();
        _exited[proc.Pid] = (status & 0xff) << 8;
        return proc.Pid;
    }

    protected int waitpid(int pid, out int wstatus, int options)
    {
        wstatus = 0;
        if (!_exited.Remove(pid, out wstatus))
            return Fail(10); // ECHILD
        return pid;
    }

    protected static int WEXITSTATUS(int status) => (status >> 8) & 0xff;

    protected static bool WIFEXITED(int status) => (status & 0x7f) == 0;

    /// <summary>exit(status): ends the program (or a fork child's code) from any depth.</summary>
    protected static void exit(int status) => throw new KselftestExitException(status);

    /// <summary>
    /// execv(path, argv) of the same program: self gets a fresh mm (ksm_execve keeps
    /// MMF_VM_MERGE_ANY) and a fresh image of the program runs main(argv), writing to the same
    /// stdout; its exit status ends the calling (child) code. Never returns.
    /// </summary>
    protected void execv(string path, string[] argv)
    {
        self.Exec();
        var image = (KsmSelftestProgram)SelftestPrograms.Create(Name)!;
        image._execImage = self;
        var run = image.Run(Machine, argv[1..], stdout);
        exit(run.ExitStatus);
    }

    /// <summary>A tiny strerror for the errnos these programs can see.</summary>
    protected static string strerror(int e) => e switch
    {
        1 => "Operation not permitted",
        2 => "No such file or directory",
        10 => "No child processes",
        11 => "Resource temporarily unavailable",
        12 => "Cannot allocate memory",
        13 => "Permission denied",
        14 => "Bad address",
        16 => "Device or resource busy",
        19 => "No such device",
        22 => "Invalid argument",
        34 => "Numerical result out of range",
        38 => "Function not implemented",
        _ => $"Unknown error {e}",
    };

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_perror", "d1dafd355cc35616")]
    protected void ksft_perror(string msg) => ksft.ksft_print_msg($"{msg}: {strerror(errno)} ({errno})\n");

    /// <summary>perror(msg) to stderr (not part of the TAP stream).</summary>
    protected void perror(string msg) => Console.Error.WriteLine($"{msg}: {strerror(errno)}");

    private int Call(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (LinuxErrorException e)
        {
            return Fail(e.Errno);
        }
    }

    private int Fail(int e)
    {
        errno = e;
        return -1;
    }
}

/// <summary>POSIX getopt(3) over argv, as the C programs loop on it: returns the option or -1.</summary>
public sealed class Getopt(string[] argv, string optstring)
{
    private int _next = 1, _char;

    public string? optarg { get; private set; }

    public int getopt()
    {
        optarg = null;
        if (_char == 0)
        {
            if (_next >= argv.Length || argv[_next].Length < 2 || argv[_next][0] != '-')
                return -1;
            if (argv[_next] == "--")
            {
                _next++;
                return -1;
            }
            _char = 1;
        }
        string arg = argv[_next];
        char c = arg[_char++];
        int at = optstring.IndexOf(c);
        if (at < 0 || c == ':')
        {
            Console.Error.WriteLine($"{argv[0]}: invalid option -- '{c}'");
            Advance(arg);
            return '?';
        }
        if (at + 1 < optstring.Length && optstring[at + 1] == ':')
        {
            if (_char < arg.Length)
                optarg = arg[_char..];
            else if (_next + 1 < argv.Length)
                optarg = argv[++_next];
            else
            {
                Console.Error.WriteLine($"{argv[0]}: option requires an argument -- '{c}'");
                _char = 0;
                _next++;
                return '?';
            }
            _char = 0;
            _next++;
            return c;
        }
        Advance(arg);
        return c;
    }

    private void Advance(string arg)
    {
        if (_char >= arg.Length)
        {
            _char = 0;
            _next++;
        }
    }
}
