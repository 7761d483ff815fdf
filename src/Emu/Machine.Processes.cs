using System;
using System.Collections.Generic;
using System.Threading;
using Emu.Diagnostics;
using Emu.Kernel;
using static Emu.Kernel.KernelConstants;

namespace Emu;

// The machine's processes and the one door into its kernel.
public sealed unsafe partial class Machine
{
    private readonly Lock _entryLock = new();
    private readonly SortedDictionary<int, Process> _processes = new();
    private int _lastPid;

    /// <summary>The live processes, by pid.</summary>
    public IReadOnlyCollection<Process> Processes
    {
        get { lock (_entryLock) return [.. _processes.Values]; }
    }

    /// <summary>The live processes while the caller holds the entry lock.</summary>
    internal IEnumerable<Process> ProcessesUnlocked => _processes.Values;

    /// <summary>Whether the invariant checker runs after every process API call (see <see cref="MachineOptions.CheckInvariants"/>).</summary>
    public bool CheckInvariants { get; set; }

    /// <summary>A new process with an empty address space, as after execve.</summary>
    public Process Spawn(string comm = "emu")
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        mm_struct* mm;
        using (var entry = EnterKernel(null))
        {
            mm = entry.Kernel.mm_alloc();
            if (mm == null)
                throw new LinuxErrorException(ENOMEM, "spawn");
            entry.Kernel.arch_pick_mmap_layout(mm, null);
            entry.Complete();
        }
        return Adopt(comm, mm);
    }

    internal Process Adopt(string comm, mm_struct* mm)
    {
        lock (_entryLock)
        {
            var p = new Process(this, ++_lastPid, comm, mm);
            _processes.Add(p.Pid, p);
            return p;
        }
    }

    internal void Forget(Process p)
    {
        lock (_entryLock)
            _processes.Remove(p.Pid);
    }

    /// <summary>Enters the kernel as <paramref name="current"/> (null: a kernel thread); one task at a time.</summary>
    internal KernelEntry EnterKernel(Process? current)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _entryLock.Enter();
        var k = Kernel;
        var entry = new KernelEntry(this, k.current_mm, k.current_comm);
        k.current_mm = current is null ? null : current.Mm;
        k.current_comm = current?.Comm ?? "kworker/0:0";
        k.current_fault_signal = null;
        return entry;
    }

    /// <summary>The scope of one kernel entry: restores the previous task, runs the checker after a completed call.</summary>
    internal ref struct KernelEntry
    {
        private readonly Machine _machine;
        private readonly mm_struct* _savedMm;
        private readonly string _savedComm;
        private bool _completed;

        internal KernelEntry(Machine machine, mm_struct* savedMm, string savedComm)
        {
            _machine = machine;
            _savedMm = savedMm;
            _savedComm = savedComm;
        }

        public readonly Kernel.Kernel Kernel => _machine.Kernel;

        /// <summary>Marks the call finished normally, so the invariant checker runs on leaving.</summary>
        public void Complete() => _completed = true;

        public void Dispose()
        {
            var k = _machine.Kernel;
            try
            {
                if (_completed && _machine.CheckInvariants)
                    InvariantChecker.Check(_machine);
            }
            finally
            {
                k.current_mm = _savedMm;
                k.current_comm = _savedComm;
                _machine._entryLock.Exit();
            }
        }
    }

    /// <summary>Every live process exits (disposal does this before freeing memory).</summary>
    private void ExitAll()
    {
        foreach (var p in Processes)
            p.Exit();
    }
}
