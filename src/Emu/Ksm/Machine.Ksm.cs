namespace Emu;

public sealed partial class Machine
{
    private Ksm.Ksmd? _ksmd;
    private Sysfs.SysfsTree? _sysfs;

    /// <summary>The machine's ksmd: mm/ksm.c's scanner as a deterministic stepper and as a daemon on the virtual clock.</summary>
    public Ksm.Ksmd Ksm => _ksmd ??= new Ksm.Ksmd(this);

    /// <summary>The /sys and /proc files Emu models (/sys/kernel/mm/ksm/*, /proc/&lt;pid&gt;/ksm_stat, ksm_merging_pages).</summary>
    public Sysfs.SysfsTree Sysfs => _sysfs ??= new Sysfs.SysfsTree(this);
}
