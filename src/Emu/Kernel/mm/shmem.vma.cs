// SPDX-License-Identifier: GPL-2.0-only
// mm/shmem.c, stubbed: Emu has no shmem/tmpfs. MAP_SHARED|MAP_ANONYMOUS reaches
// shmem_zero_setup() after every upstream argument check, and fails there with -ENOMEM (what
// upstream returns when it cannot create the backing file); __mmap_region then unwinds as
// upstream does, so no VMA or accounting is left behind.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    internal static int shmem_zero_setup(vm_area_struct* vma) => -KernelConstants.ENOMEM;

    // No VMA ever gets shmem_anon_vm_ops, so none is anonymous shmem.
    internal static bool vma_is_anon_shmem(vm_area_struct* vma) => false;
}
