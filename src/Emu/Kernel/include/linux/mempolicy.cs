// SPDX-License-Identifier: GPL-2.0-only
// Stub of NUMA memory policies (include/linux/mempolicy.h, mm/mempolicy.c): one node, and no vma
// ever has a policy (vm_policy stays NULL), so duplicating or dropping one is a no-op.
using System;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    internal static void* vma_policy(vm_area_struct* vma) => vma == null ? null : vma->vm_policy;

    internal static int vma_dup_policy(vm_area_struct* src, vm_area_struct* dst)
    {
        if (src->vm_policy != null)
            throw new NotSupportedException("Emu has no NUMA memory policies: vma_dup_policy");
        dst->vm_policy = null;
        return 0;
    }

    internal static void mpol_put(void* pol)
    {
        if (pol != null)
            throw new NotSupportedException("Emu has no NUMA memory policies: __mpol_put");
    }
}
