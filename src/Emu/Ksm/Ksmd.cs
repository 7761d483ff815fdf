using System;
using KernelState = Emu.Kernel.Kernel;

namespace Emu.Ksm;

/// <summary>
/// The machine's ksmd: the KSM scanner of mm/ksm.c (ksm_scan_thread), run deterministically
/// on the caller's thread. <see cref="Scan"/> and <see cref="RunFullScans"/> step it by pages
/// or whole passes; <see cref="RunDaemon"/> runs it as the daemon does, on the machine's
/// virtual clock, honouring sleep_millisecs and pages_to_scan (and the advisor, which
/// rewrites pages_to_scan from the virtual time a scan took). Get it as <c>machine.Ksm</c>.
/// </summary>
public sealed unsafe class Ksmd
{
    private readonly Machine _machine;

    internal Ksmd(Machine machine)
    {
        _machine = machine;
    }

    private KernelState K => _machine.Kernel;

    /// <summary>Virtual CPU time one scanned page costs ksmd (for the clock and the advisor).</summary>
    public TimeSpan ScanCostPerPage { get; set; } = TimeSpan.FromTicks(10); // 1 µs

    /// <summary>Completed full scans: /sys/kernel/mm/ksm/full_scans.</summary>
    public ulong FullScans => K.ksm_scan->seqnr;

    /// <summary>Whether ksmd has work: run has the merge bit and some mm is registered (ksmd_should_run).</summary>
    public bool ShouldRun => K.ksmd_should_run() != 0;

    /// <summary>
    /// Scan up to <paramref name="pages"/> pages, as one ksmd batch (ksm_do_scan under
    /// ksm_thread_mutex). Runs only when ksmd would (run=1 and some mm registered). Returns the
    /// pages scanned; fewer than asked when a full scan ended.
    /// </summary>
    public int Scan(int pages)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pages);
        if (!ShouldRun)
            return 0;
        ulong before = K.ksm_pages_scanned;
        // ksmd is a kernel thread: it enters the kernel with no user mm of its own.
        using (var entry = _machine.EnterKernel(null))
        {
            K.mutex_lock(K.ksm_thread_mutex);
            try
            {
                K.ksm_do_scan((uint)pages);
            }
            finally
            {
                K.mutex_unlock(K.ksm_thread_mutex);
            }
            entry.Complete();
        }
        int scanned = (int)(K.ksm_pages_scanned - before);
        AdvanceClock(scanned * ScanCostPerPage.Ticks * 100, ksmd: true);
        return scanned;
    }

    /// <summary>
    /// Scan until <paramref name="n"/> more full scans have completed (full_scans grows by n).
    /// Throws when ksmd would not run (run is not 1, or no mm is registered), since the count
    /// could then never grow.
    /// </summary>
    public void RunFullScans(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ulong target = FullScans + (ulong)n;
        while (FullScans < target)
        {
            if (!ShouldRun)
                throw new InvalidOperationException(
                    $"ksmd would sleep (run={K.ksm_run}, registered mms: {(ShouldRunListEmpty ? "none" : "some")}): full_scans stays {FullScans}");
            Scan((int)Math.Max(1u, K.ksm_thread_pages_to_scan));
        }
    }

    private bool ShouldRunListEmpty => KernelState.list_empty(&K.ksm_mm_head->slot.mm_node);

    /// <summary>
    /// Run ksmd as the daemon for <paramref name="duration"/> of virtual time: each iteration
    /// scans pages_to_scan pages (taking <see cref="ScanCostPerPage"/> each), then sleeps
    /// sleep_millisecs; with nothing to do it sleeps until the end. Returns the pages scanned.
    /// </summary>
    public long RunDaemon(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(duration.Ticks);
        long remainingNs = duration.Ticks * 100;
        long scanned = 0;
        while (remainingNs > 0)
        {
            var (pages, sleepMs, costNs) = Iterate();
            scanned += pages;
            remainingNs -= costNs;
            if (sleepMs < 0)
            {
                // wait_event_freezable: only a sysfs write or a new mm wakes ksmd.
                AdvanceClock(Math.Max(0, remainingNs), ksmd: false);
                break;
            }
            long sleepNs = Math.Min(Math.Max(0, remainingNs), sleepMs * 1_000_000);
            AdvanceClock(sleepNs, ksmd: false);
            remainingNs -= sleepMs * 1_000_000;
        }
        return scanned;
    }

    /// <summary>
    /// One iteration of the daemon's loop (ksm_scan_thread): a batch of pages_to_scan when ksmd
    /// should run, then its sleep_millisecs on the virtual clock (none when it would wait for
    /// work). A batch ends early at a full-scan boundary. Returns the pages scanned.
    /// </summary>
    public int Step()
    {
        var (pages, sleepMs, _) = Iterate();
        if (sleepMs > 0)
            AdvanceClock(sleepMs * 1_000_000, ksmd: false);
        return (int)pages;
    }

    // One ksm_scan_thread_iteration, its CPU time charged to ksmd: (pages, sleep ms or -1, cost ns).
    private (long Pages, long SleepMs, long CostNs) Iterate()
    {
        ulong before = K.ksm_pages_scanned;
        long sleepMs;
        using (var entry = _machine.EnterKernel(null))
        {
            sleepMs = K.ksm_scan_thread_iteration();
            entry.Complete();
        }
        long pages = (long)(K.ksm_pages_scanned - before);
        // An iteration costs at least one page's time, so sleep_millisecs=0 still advances the clock.
        long costNs = Math.Max(1, pages) * ScanCostPerPage.Ticks * 100;
        AdvanceClock(costNs, ksmd: true);
        return (pages, sleepMs, costNs);
    }

    // The virtual clock: jiffies (HZ) plus a sub-jiffy remainder; ksmd's own CPU time separately.
    private void AdvanceClock(long ns, bool ksmd)
    {
        if (ns <= 0)
            return;
        if (ksmd)
            K.ksmd_runtime_ns += ns;
        long tick = 1_000_000_000L / (long)KernelState.HZ;
        long total = K.ksmd_clock_ns + ns;
        K.jiffies += (ulong)(total / tick);
        K.ksmd_clock_ns = total % tick;
    }
}
