using System.Runtime.CompilerServices;

namespace Emu;

/// <summary>
/// <c>machine.Ksm</c> and <c>machine.Sysfs</c>. Extension members until Machine (the lead's
/// file) is partial; the objects are created once per machine.
/// </summary>
public static class MachineKsmExtensions
{
    private static readonly ConditionalWeakTable<Machine, Ksm.Ksmd> KsmdOf = new();
    private static readonly ConditionalWeakTable<Machine, Sysfs.SysfsTree> SysfsOf = new();

    extension(Machine machine)
    {
        /// <summary>The machine's ksmd (mm/ksm.c's scanner as a stepper and a virtual-clock daemon).</summary>
        public Ksm.Ksmd Ksm => KsmdOf.GetValue(machine, m => new Ksm.Ksmd(m));

        /// <summary>The machine's /sys and /proc files that Emu models.</summary>
        public Sysfs.SysfsTree Sysfs => SysfsOf.GetValue(machine, m => new Sysfs.SysfsTree(m));
    }
}
