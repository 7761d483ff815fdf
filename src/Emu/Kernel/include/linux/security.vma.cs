// SPDX-License-Identifier: GPL-2.0-only
// include/linux/security.h without CONFIG_SECURITY's LSMs loaded: the hooks fall back to the
// capability module (security/commoncap.c). Emu's task is unprivileged (capable() is false).
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>security/commoncap.c cap_mmap_addr: below dac_mmap_min_addr needs CAP_SYS_RAWIO.</summary>
    internal int security_mmap_addr(ulong addr)
    {
        int ret = 0;

        if (addr < mmap_min_addr)
            ret = -EPERM;
        return ret;
    }

    /// <summary>No LSM inspects files (and Emu has none).</summary>
    internal static int security_mmap_file(void* file, ulong prot, ulong flags) => 0;

    /// <summary>cap_vm_enough_memory: not CAP_SYS_ADMIN, so the admin reserve applies.</summary>
    internal int security_vm_enough_memory_mm(mm_struct* mm, long pages)
    {
        return __vm_enough_memory(mm, pages, 0);
    }

    /// <summary>No LSM checks mprotect.</summary>
    internal static int security_file_mprotect(vm_area_struct* vma, ulong reqprot, ulong prot) => 0;
}
