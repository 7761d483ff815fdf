// SPDX-License-Identifier: GPL-2.0-only
// include/linux/osq_lock.h: the init of the optimistic-spinning queue in rwsems and mutexes
// (Emu's waiters never queue on it; it stays unlocked).
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/osq_lock.h", "osq_lock_init", "ac6def3007ece6ab")]
    internal static void osq_lock_init(optimistic_spin_queue* @lock)
    {
        atomic_set(&@lock->tail, OSQ_UNLOCKED_VAL);
    }
}
