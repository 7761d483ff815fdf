// SPDX-License-Identifier: GPL-2.0-only
// kernel/fork.c: the vm_area_struct slab (vm_area_alloc/dup/free) and, with CONFIG_PER_VMA_LOCK,
// the vma_lock slab. proc_caches_init() creates both at boot upstream; Emu creates them on the
// first VMA allocation of the machine (vma_caches_init), with the same names and flags.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>kernel/fork.c's vm_area_cachep.</summary>
    internal kmem_cache? vm_area_cachep;

    /// <summary>kernel/fork.c's vma_lock_cachep.</summary>
    internal kmem_cache? vma_lock_cachep;

    /// <summary>The two caches proc_caches_init() makes for VMAs.</summary>
    private void vma_caches_init()
    {
        vm_area_cachep ??= KMEM_CACHE<vm_area_struct>(SLAB_PANIC | SLAB_ACCOUNT);
        vma_lock_cachep ??= KMEM_CACHE<vma_lock>(SLAB_PANIC | SLAB_ACCOUNT);
    }

    [Upstream("kernel/fork.c", "vma_lock_alloc", "66af472059fb99ab")]
    private bool vma_lock_alloc(vm_area_struct* vma)
    {
        vma->vm_lock = (vma_lock*)kmem_cache_alloc(vma_lock_cachep!, GFP_KERNEL);
        if (vma->vm_lock == null)
            return false;

        init_rwsem(&vma->vm_lock->@lock);
        vma->vm_lock_seq = uint.MaxValue;

        return true;
    }

    [Upstream("kernel/fork.c", "vma_lock_free", "a1356930c951228d")]
    private void vma_lock_free(vm_area_struct* vma)
    {
        kmem_cache_free(vma_lock_cachep!, vma->vm_lock);
    }

    [Upstream("kernel/fork.c", "vm_area_alloc", "3ba6b8295130a011")]
    internal vm_area_struct* vm_area_alloc(mm_struct* mm)
    {
        vm_area_struct* vma;

        vma_caches_init();
        vma = (vm_area_struct*)kmem_cache_alloc(vm_area_cachep!, GFP_KERNEL);
        if (vma == null)
            return null;

        vma_init(vma, mm);
        if (!vma_lock_alloc(vma))
        {
            kmem_cache_free(vm_area_cachep!, vma);
            return null;
        }

        return vma;
    }

    [Upstream("kernel/fork.c", "vm_area_dup", "be241d1ac42f67fe")]
    internal vm_area_struct* vm_area_dup(vm_area_struct* orig)
    {
        vma_caches_init();
        vm_area_struct* @new = (vm_area_struct*)kmem_cache_alloc(vm_area_cachep!, GFP_KERNEL);

        if (@new == null)
            return null;

        // The copy's interval-tree node is rebuilt by whoever links it.
        *@new = *orig;
        if (!vma_lock_alloc(@new))
        {
            kmem_cache_free(vm_area_cachep!, @new);
            return null;
        }
        INIT_LIST_HEAD(&@new->anon_vma_chain);
        vma_numab_state_init(@new);
        dup_anon_vma_name(orig, @new);

        return @new;
    }

    [Upstream("kernel/fork.c", "__vm_area_free", "024767c30d96d23c")]
    internal void __vm_area_free(vm_area_struct* vma)
    {
        vma_numab_state_free(vma);
        free_anon_vma_name(vma);
        vma_lock_free(vma);
        kmem_cache_free(vm_area_cachep!, vma);
    }

    [Upstream("kernel/fork.c", "vm_area_free_rcu_cb", "baa5b417031f8e42")]
    private void vm_area_free_rcu_cb(vm_area_struct* vma)
    {
        // A VMA must not be locked when it is destroyed.
        VM_BUG_ON_VMA(rwsem_is_locked(&vma->vm_lock->@lock), vma);
        __vm_area_free(vma);
    }

    /// <summary>CONFIG_PER_VMA_LOCK frees through call_rcu; Emu has no grace periods, so the callback runs now.</summary>
    [Upstream("kernel/fork.c", "vm_area_free", "fe4734eabb2f62af")]
    internal void vm_area_free(vm_area_struct* vma)
    {
        vm_area_free_rcu_cb(vma);
    }
}
