// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 arch/x86/include/asm/tlbflush.h. Emu models no TLB: a
// page-table update is seen by the next access at once, so the flush itself
// (flush_tlb_mm_range() in arch/x86/mm/tlb.c) is the one visible stub below.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // Stub of arch/x86/mm/tlb.c: nothing is cached, nothing to shoot down.
    internal static void flush_tlb_mm_range(mm_struct* mm, ulong start,
                                            ulong end, uint stride_shift,
                                            bool freed_tables)
    {
    }

    [Upstream("arch/x86/include/asm/tlbflush.h", "flush_tlb_page", "2b8ced2881eedfc2")]
    internal static void flush_tlb_page(vm_area_struct* vma, ulong a)
    {
        flush_tlb_mm_range(vma->vm_mm, a, a + PAGE_SIZE, PAGE_SHIFT, false);
    }
}
