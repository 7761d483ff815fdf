// SPDX-License-Identifier: GPL-2.0-only
// include/linux/hugetlb_inline.h (CONFIG_HUGETLB_PAGE=y). Emu creates no hugetlb vmas.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/hugetlb_inline.h", "is_vm_hugetlb_page", "675d738e7337a23d")]
    internal static bool is_vm_hugetlb_page(vm_area_struct* vma)
    {
        return (vma->vm_flags & VM_HUGETLB) != 0;
    }
}
