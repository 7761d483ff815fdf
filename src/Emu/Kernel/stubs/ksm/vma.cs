// SPDX-License-Identifier: GPL-2.0-only
// Stubs (ksm helper) for the vma area's functions until it lands on main.
namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(vma)
    internal vm_area_struct* vma_lookup(mm_struct* mm, ulong addr) => throw new System.NotImplementedException("stub(vma): vma_lookup");
    // stub(vma)
    internal void vma_iter_init(vma_iterator* vmi, mm_struct* mm, ulong addr) => throw new System.NotImplementedException("stub(vma): vma_iter_init");
    // stub(vma)
    internal void vm_flags_set(vm_area_struct* vma, ulong flags) => throw new System.NotImplementedException("stub(vma): vm_flags_set");
    // stub(vma)
    internal void vma_assert_write_locked(vm_area_struct* vma) => throw new System.NotImplementedException("stub(vma): vma_assert_write_locked");
    // stub(vma): no DAX in Emu
    internal static bool vma_is_dax(vm_area_struct* vma) => false;
    // stub(vma): hugetlb walk lock, a no-op without hugetlb vmas
    internal static void vma_pgtable_walk_begin(vm_area_struct* vma) { }
    internal static void vma_pgtable_walk_end(vm_area_struct* vma) { }
    // stub(vma): pagemap.h
    internal static ulong linear_page_index(vm_area_struct* vma, ulong address) => throw new System.NotImplementedException("stub(vma): linear_page_index");
}
