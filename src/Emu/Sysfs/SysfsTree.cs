using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using KernelState = Emu.Kernel.Kernel;

namespace Emu.Sysfs;

/// <summary>
/// The machine's sysfs/procfs files Emu models, read and written as text the way a shell
/// would (<c>machine.Sysfs["/sys/kernel/mm/ksm/run"] = "1"</c>). Writes go through the
/// kernel's own store functions, so bad values fail as upstream's do, with a
/// <see cref="LinuxErrorException"/> carrying the errno (EINVAL, EBUSY, ERANGE ...); a
/// missing file is ENOENT and writing a read-only one is EACCES (kernfs_fop_open).
/// </summary>
public sealed unsafe class SysfsTree
{
    private const string KsmDir = "/sys/kernel/mm/ksm/";
    private readonly Machine _machine;

    internal SysfsTree(Machine machine)
    {
        _machine = machine;
    }

    // /proc/<pid>/...: the live process's mm, or 0 (ENOENT) for an unknown or exited pid.
    private nint MmOfPid(int pid)
    {
        foreach (var p in _machine.Processes)
            if (p.Pid == pid && p.IsAlive)
                return (nint)p.Mm;
        return 0;
    }

    /// <summary>The files under /sys/kernel/mm/ksm, in the kernel's attribute order.</summary>
    public IEnumerable<string> KsmFiles => _machine.Kernel.KsmSysfsAttributes.Select(a => KsmDir + a.Name);

    public string this[string path]
    {
        get => Read(path);
        set => Write(path, value);
    }

    /// <summary>The file's content, as cat prints it (with its trailing newline).</summary>
    public string Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.StartsWith(KsmDir, StringComparison.Ordinal))
            return Attribute(path).Show();
        if (TryProc(path, out int pid, out string? file))
        {
            nint mm = MmOfPid(pid);
            if (mm == 0)
                throw new LinuxErrorException(2, $"{path}: no such process");
            return file switch
            {
                "ksm_stat" => _machine.Kernel.proc_pid_ksm_stat((Emu.Kernel.mm_struct*)mm),
                _ => KernelState.proc_pid_ksm_merging_pages((Emu.Kernel.mm_struct*)mm),
            };
        }
        throw new LinuxErrorException(2, $"{path}: no such file in Emu's sysfs");
    }

    /// <summary>Write <paramref name="text"/> as one write(2) of its bytes (echo adds "\n"; this does not).</summary>
    public void Write(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        KernelState.KsmAttribute attr;
        if (path.StartsWith(KsmDir, StringComparison.Ordinal))
            attr = Attribute(path);
        else if (TryProc(path, out _, out _))
            throw new LinuxErrorException(13, $"{path}: read-only file");
        else
            throw new LinuxErrorException(2, $"{path}: no such file in Emu's sysfs");
        if (attr.Store == null)
            throw new LinuxErrorException(13, $"{path}: read-only attribute");

        // sysfs hands the store a NUL-terminated copy of at most one page.
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        if (bytes.Length >= 4096)
            Array.Resize(ref bytes, 4095);
        var buf = new byte[bytes.Length + 1];
        bytes.CopyTo(buf, 0);
        long ret;
        // The writer is user space outside any emulated process (a shell): a kernel entry without a task mm.
        using (var entry = _machine.EnterKernel(null))
        {
            fixed (byte* p = buf)
                ret = attr.Store(p, bytes.Length);
            entry.Complete();
        }
        if (ret < 0)
            throw new LinuxErrorException((int)-ret, $"write {path}: {LinuxErrorException.NameOf((int)-ret)}");
    }

    private KernelState.KsmAttribute Attribute(string path)
    {
        string name = path[KsmDir.Length..];
        return _machine.Kernel.KsmSysfsAttributes.FirstOrDefault(a => a.Name == name)
            ?? throw new LinuxErrorException(2, $"{path}: no such file");
    }

    private static bool TryProc(string path, out int pid, out string? file)
    {
        pid = 0;
        file = null;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || parts[0] != "proc" || !int.TryParse(parts[1], out pid))
            return false;
        if (parts[2] is not ("ksm_stat" or "ksm_merging_pages"))
            return false;
        file = parts[2];
        return true;
    }
}
