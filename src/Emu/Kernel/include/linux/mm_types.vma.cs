// SPDX-License-Identifier: GPL-2.0-only
// include/linux/mm_types.h: the VMA iterator's constructors (over lib/maple_tree.cs).
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>VMA_ITERATOR(name, mm, addr): <c>vma_iterator vmi = VMA_ITERATOR(mm, addr);</c></summary>
    [Upstream("include/linux/mm_types.h", "VMA_ITERATOR", UpstreamAttribute.Macro)]
    internal static vma_iterator VMA_ITERATOR(mm_struct* mm, ulong addr)
    {
        vma_iterator vmi = default;
        vmi.mas.tree = &mm->mm_mt;
        vmi.mas.index = addr;
        vmi.mas.node = null;
        vmi.mas.status = maple_status.ma_start;
        return vmi;
    }

    [Upstream("include/linux/mm_types.h", "vma_iter_init", "19e9c6e6d6d2a36e")]
    internal static void vma_iter_init(vma_iterator* vmi, mm_struct* mm, ulong addr)
    {
        mas_init(&vmi->mas, &mm->mm_mt, addr);
    }
}
