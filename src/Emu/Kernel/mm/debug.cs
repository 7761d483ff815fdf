// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/debug.c: the dumps the VM_BUG_ON_* macros print.
using static Emu.Kernel.DebugFormat;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    [Upstream("mm/debug.c", "dump_vma", "3a4c5a6504366c4d")]
    internal void dump_vma(vm_area_struct* vma)
    {
        // pr_emerg; pgprot_val(vm_page_prot) is its one member. The "(%pGv)" flag names need
        // include/trace/events/mmflags.h's vmaflag_names, not transliterated yet: printed empty.
        printk($"vma {px(vma)} start {px(vma->vm_start)} end {px(vma->vm_end)} mm {px(vma->vm_mm)}\n" +
               $"prot {vma->vm_page_prot.pgprot_:x} anon_vma {px(vma->anon_vma)} vm_ops {px(vma->vm_ops)}\n" +
               $"pgoff {vma->vm_pgoff:x} file {px(vma->vm_file)} private_data {px(vma->vm_private_data)}\n" +
               $"flags: 0x{vma->vm_flags:x}()\n");
    }
}

/// <summary>The vsprintf conversions mm/debug.c uses, local to this file.</summary>
file static unsafe class DebugFormat
{
    // %px: the raw value as 16 zero-padded lower-case hex digits, no prefix (lib/vsprintf.c)
    internal static string px(void* p) => px((ulong)p);

    internal static string px(ulong p) => p.ToString("x16");
}
