// SPDX-License-Identifier: GPL-2.0-only
// include/linux/mempolicy.h — NUMA memory policies, stubbed: Emu has one node and no
// set_mempolicy/mbind, so every VMA's vm_policy stays NULL (MPOL_DEFAULT). The inlines keep
// upstream's NULL fast paths; anything reaching the out-of-line mm/mempolicy.c would need a
// real policy and throws.
using System;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/mempolicy.h", "mpol_put", "4a485fc6dce6e12c")]
    internal static void mpol_put(void* pol)
    {
        if (pol != null)
            throw new NotSupportedException("__mpol_put: Emu has no NUMA memory policies");
    }

    [Upstream("include/linux/mempolicy.h", "mpol_dup", "59271dbf87676905")]
    internal static void* mpol_dup(void* pol)
    {
        if (pol != null)
            throw new NotSupportedException("__mpol_dup: Emu has no NUMA memory policies");
        return pol;
    }

    [Upstream("include/linux/mempolicy.h", "mpol_equal", "1b9f51b2b4f70874")]
    internal static bool mpol_equal(void* a, void* b)
    {
        if (a == b)
            return true;
        throw new NotSupportedException("__mpol_equal: Emu has no NUMA memory policies");
    }

    /// <summary>mm/mempolicy.c's vma_dup_policy on a NULL policy: the copy gets NULL too.</summary>
    internal static int vma_dup_policy(vm_area_struct* src, vm_area_struct* dst)
    {
        void* pol = mpol_dup(vma_policy(src));

        dst->vm_policy = pol;
        return 0;
    }
}
