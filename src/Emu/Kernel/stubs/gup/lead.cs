// SPDX-License-Identifier: GPL-2.0-only
// Stubs: task, errno and arch pieces mm/gup.c needs that belong to the lead's area (Errors,
// current task, arch/x86) and have not landed. Exact upstream names; removed when they land.
using System;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    internal const int EREMOTEIO = 121;
    // stub(lead): include/linux/err.h
    internal static T* ERR_PTR<T>(long error) where T : unmanaged => (T*)error;

    // stub(lead): include/linux/sched/mm.h. Emu has no task flags; PF_MEMALLOC_PIN would only
    // keep allocations out of ZONE_MOVABLE, and Emu's machine has no movable zone.
    internal static uint memalloc_pin_save() => 0;

    // stub(lead): include/linux/sched/mm.h, see memalloc_pin_save.
    internal static void memalloc_pin_restore(uint flags) { }

    // stub(lead): include/linux/sched/signal.h. Emu delivers no signals to the running task.
    internal static bool fatal_signal_pending(void* p) => false;

    // stub(lead): include/linux/sched/signal.h, as fatal_signal_pending.
    internal static bool signal_pending(void* p) => false;

    // stub(lead): arch/x86/include/asm/uaccess_64.h __access_ok for a size not known at compile
    // time: the end must be a valid user address (USER_PTR_MAX = TASK_SIZE_MAX - 1 without FRED)
    // and must not wrap.
    internal static bool access_ok(ulong addr, ulong size)
    {
        ulong sum = size + addr;
        return sum <= TASK_SIZE_MAX - 1 && sum >= addr;
    }

    // stub(lead): arch/x86/entry/vsyscall. Emu maps no vsyscall page, so no address is in the gate area.
    internal static bool in_gate_area(mm_struct* mm, ulong addr) => false;

    // stub(lead): the running task GUP reads through current->...; Emu has no task_struct.
    internal static void* current => null;

    // stub(lead): include/linux/jiffies.h
    internal static bool time_before(ulong a, ulong b) => (long)(a - b) < 0;

    // stub(lead): arch/x86/include/asm/uaccess_64.h. Emu never enables LAM: no tag bits to strip.
    internal static ulong untagged_addr(ulong addr) => addr;

    // stub(lead): arch/x86/include/asm/uaccess_64.h, as untagged_addr.
    internal static ulong untagged_addr_remote(mm_struct* mm, ulong addr) => addr;

    // stub(lead): include/linux/overflow.h, for unsigned long.
    internal static bool check_add_overflow(ulong a, ulong b, ulong* d)
    {
        *d = unchecked(a + b);
        return *d < a;
    }

    // stub(lead): include/linux/mmzone.h (SPARSEMEM): Emu's memmap covers every pfn below max_pfn.
    internal bool pfn_valid(ulong pfn) => pfn < max_pfn;
}
