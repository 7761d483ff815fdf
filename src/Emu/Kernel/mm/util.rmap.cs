// SPDX-License-Identifier: GPL-2.0-only
// mm/util.c: the anon_vma of an anonymous folio.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/util.c", "folio_anon_vma", "b3486a9efc0544d5")]
    internal static anon_vma* folio_anon_vma(folio* folio)
    {
        ulong mapping = (ulong)folio->mapping;

        if ((mapping & (ulong)PAGE_MAPPING_FLAGS) != (ulong)PAGE_MAPPING_ANON)
            return null;
        return (anon_vma*)(mapping - (ulong)PAGE_MAPPING_ANON);
    }
}
