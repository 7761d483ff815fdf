// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/linux/pagewalk.h: folio_walk_end.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/pagewalk.h", "folio_walk_end", UpstreamAttribute.Macro)]
    internal void folio_walk_end(folio_walk* __fw, vm_area_struct* __vma)
    {
        spin_unlock(__fw->ptl);
        if (__fw->level == folio_walk_level.FW_LEVEL_PTE)
            pte_unmap(__fw->ptep);
        vma_pgtable_walk_end(__vma);
    }
}
