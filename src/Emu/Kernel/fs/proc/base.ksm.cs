// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 fs/proc/base.c: the two CONFIG_KSM per-process files.
// Model of the seq_file plumbing: the functions take the task's mm (get_task_mm's result; the
// caller holds the reference) and return what seq_printf would have written.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("fs/proc/base.c", "proc_pid_ksm_merging_pages", "6a79c7d8207014a6")]
    internal static string proc_pid_ksm_merging_pages(mm_struct* mm)
    {
        if (mm != null)
            return $"{mm->ksm_merging_pages}\n";
        return "";
    }

    [Upstream("fs/proc/base.c", "proc_pid_ksm_stat", "5d2ca7ae79da932a")]
    internal string proc_pid_ksm_stat(mm_struct* mm)
    {
        if (mm != null)
            return $"ksm_rmap_items {mm->ksm_rmap_items}\n" +
                   $"ksm_zero_pages {mm_ksm_zero_pages(mm)}\n" +
                   $"ksm_merging_pages {mm->ksm_merging_pages}\n" +
                   $"ksm_process_profit {ksm_process_profit(mm)}\n";
        return "";
    }
}
