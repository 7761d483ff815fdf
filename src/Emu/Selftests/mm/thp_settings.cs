// tools/testing/selftests/mm/thp_settings.c (6.12.117), the part the ported programs reach: reading
// files and probing the supported THP orders. Emu has no transparent hugepages, so
// /sys/kernel/mm/transparent_hugepage does not exist and read_pmd_pagesize() is 0; the programs then
// never touch the THP settings stack (thp_read_settings/thp_push_settings/...). Those are stubs that
// throw NotSupportedException, the place to transliterate them once THP exists.
using System;

namespace Emu.Selftests.mm;

using UpstreamAttribute = Emu.Kernel.UpstreamAttribute;

/// <summary>thp_settings.h enum thp_enabled.</summary>
public enum thp_enabled { THP_NEVER, THP_ALWAYS, THP_INHERIT, THP_MADVISE }

/// <summary>thp_settings.h struct thp_settings (the per-order enabled switches; the rest is unused by the ports).</summary>
public sealed class thp_settings
{
    public const int NR_ORDERS = 20;
    public thp_enabled[] hugepages = new thp_enabled[NR_ORDERS];

    public thp_settings Clone() => new() { hugepages = (thp_enabled[])hugepages.Clone() };
}

public abstract partial class MmSelftestProgram
{
    private const string THP_SYSFS = "/sys/kernel/mm/transparent_hugepage/";

    /// <summary>read_file(): the file's content (at most buflen - 1 bytes) and its length, 0 if it cannot be opened or is empty.</summary>
    [Upstream("tools/testing/selftests/mm/thp_settings.c", "read_file", "368f0752fe8c2358")]
    protected int read_file(string path, out string buf, int buflen)
    {
        buf = "";
        string content;
        try
        {
            content = Machine.Sysfs.Read(path);
        }
        catch (LinuxErrorException)
        {
            return 0;
        }
        if (content.Length < 1)
            return 0;
        buf = content.Length > buflen - 1 ? content[..(buflen - 1)] : content;
        return buf.Length;
    }

    [Upstream("tools/testing/selftests/mm/thp_settings.c", "__thp_supported_orders", "1b36ee8139c92d88")]
    private ulong __thp_supported_orders(bool is_shmem)
    {
        ulong orders = 0;
        const string anon_dir = "enabled", shmem_dir = "shmem_enabled";

        for (int i = 0; i < thp_settings.NR_ORDERS; i++)
        {
            string path = $"{THP_SYSFS}hugepages-{(getpagesize() >> 10) << i}kB/{(is_shmem ? shmem_dir : anon_dir)}";
            int ret = read_file(path, out _, 256);
            if (ret != 0)
                orders |= 1UL << i;
        }

        return orders;
    }

    [Upstream("tools/testing/selftests/mm/thp_settings.c", "thp_supported_orders", "02f1d1da83ec7031")]
    protected ulong thp_supported_orders() => __thp_supported_orders(false);

    // The settings stack: only reached when THP exists (see the file comment).
    private static NotSupportedException NoThp(string fn) =>
        new($"{fn}: Emu has no transparent hugepages (thp_settings.c's settings stack is not ported)");

    protected void thp_read_settings(thp_settings settings) => throw NoThp(nameof(thp_read_settings));
    protected void thp_save_settings() => throw NoThp(nameof(thp_save_settings));
    protected void thp_push_settings(thp_settings settings) => throw NoThp(nameof(thp_push_settings));
    protected void thp_pop_settings() => throw NoThp(nameof(thp_pop_settings));
    protected void thp_restore_settings() => throw NoThp(nameof(thp_restore_settings));
    protected thp_settings thp_current_settings() => throw NoThp(nameof(thp_current_settings));
}
