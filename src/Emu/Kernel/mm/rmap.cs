// SPDX-License-Identifier: GPL-2.0-only
// mm/rmap.c, the anonymous-memory half: anon_vma lifetime and chains (prepare, clone, fork,
// unlink), the anon_vma lookups from a folio, the rmap add/remove operations with 6.12's
// mapcount accounting, folio_referenced and the rmap walks. Left out: try_to_unmap,
// try_to_migrate, device-exclusive entries, folio_mkclean (no file pages, no migration, no
// reclaim in Emu), the batched-unmap TLB flush and the hugetlb rmap entry points.
//
// Idioms:
//  - anon_vma_cachep/anon_vma_chain_cachep are Kernel fields; anon_vma_init() creates them.
//  - rmap_walk_control callbacks are function pointers to static methods taking the Kernel
//    first (see include/linux/rmap.cs); the static thunks beside each callback forward to it.
//  - list_for_each_entry_reverse is written out over ->prev (list.cs has no reverse iterator).
using System;
using System.Threading;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    internal kmem_cache? anon_vma_cachep;
    internal kmem_cache? anon_vma_chain_cachep;

    [Upstream("mm/rmap.c", "anon_vma_alloc", "42b8519c0d099567")]
    internal anon_vma* anon_vma_alloc()
    {
        anon_vma* anon_vma;

        anon_vma = (anon_vma*)kmem_cache_alloc(anon_vma_cachep!, GFP_KERNEL);
        if (anon_vma != null)
        {
            atomic_set(&anon_vma->refcount, 1);
            anon_vma->num_children = 0;
            anon_vma->num_active_vmas = 0;
            anon_vma->parent = anon_vma;
            // A new anon_vma is its own root until anon_vma_fork() gives it the parent's.
            anon_vma->root = anon_vma;
        }

        return anon_vma;
    }

    [Upstream("mm/rmap.c", "anon_vma_free", "7a3c071318bf1f56")]
    internal void anon_vma_free(anon_vma* anon_vma)
    {
        VM_BUG_ON(atomic_read(&anon_vma->refcount) != 0);

        // A reader in folio_lock_anon_vma_read() may still hold the root lock it took on the
        // strength of a mapped folio: wait for it before the object goes back to the cache.
        might_sleep();
        if (rwsem_is_locked(&anon_vma->root->rwsem))
        {
            anon_vma_lock_write(anon_vma);
            anon_vma_unlock_write(anon_vma);
        }

        kmem_cache_free(anon_vma_cachep!, anon_vma);
    }

    [Upstream("mm/rmap.c", "anon_vma_chain_alloc", "7b4852087e7c9471")]
    internal anon_vma_chain* anon_vma_chain_alloc(uint gfp)
    {
        return (anon_vma_chain*)kmem_cache_alloc(anon_vma_chain_cachep!, gfp);
    }

    [Upstream("mm/rmap.c", "anon_vma_chain_free", "2f5e04a47e85756c")]
    internal void anon_vma_chain_free(anon_vma_chain* anon_vma_chain)
    {
        kmem_cache_free(anon_vma_chain_cachep!, anon_vma_chain);
    }

    [Upstream("mm/rmap.c", "anon_vma_chain_assign", "b1a5f53a654bee60")]
    internal static void anon_vma_chain_assign(vm_area_struct* vma, anon_vma_chain* avc, anon_vma* anon_vma)
    {
        avc->vma = vma;
        avc->anon_vma = anon_vma;
        list_add(&avc->same_vma, &vma->anon_vma_chain);
    }

    [Upstream("mm/rmap.c", "__anon_vma_prepare", "c2c41bb1c04a574e")]
    internal int __anon_vma_prepare(vm_area_struct* vma)
    {
        mm_struct* mm = vma->vm_mm;
        anon_vma* anon_vma, allocated;
        anon_vma_chain* avc;

        mmap_assert_locked(mm);
        might_sleep();

        avc = anon_vma_chain_alloc(GFP_KERNEL);
        if (avc == null)
            goto out_enomem;

        anon_vma = find_mergeable_anon_vma(vma);
        allocated = null;
        if (anon_vma == null)
        {
            anon_vma = anon_vma_alloc();
            if (anon_vma == null)
                goto out_enomem_free_avc;
            anon_vma->num_children++; // a new root counts itself as its child
            allocated = anon_vma;
        }

        anon_vma_lock_write(anon_vma);
        // page_table_lock serializes against another thread preparing the same vma.
        spin_lock(&mm->page_table_lock);
        if (vma->anon_vma == null)
        {
            // Publish only a fully set up anon_vma (reusable_anon_vma() reads it locklessly).
            Volatile.Write(ref *(nint*)&vma->anon_vma, (nint)anon_vma);
            anon_vma_chain_assign(vma, avc, anon_vma);
            anon_vma_interval_tree_insert(avc, &anon_vma->rb_root);
            anon_vma->num_active_vmas++;
            allocated = null;
            avc = null;
        }
        spin_unlock(&mm->page_table_lock);
        anon_vma_unlock_write(anon_vma);

        if (allocated != null)
            put_anon_vma(allocated);
        if (avc != null)
            anon_vma_chain_free(avc);

        return 0;

    out_enomem_free_avc:
        anon_vma_chain_free(avc);
    out_enomem:
        return -ENOMEM;
    }

    [Upstream("mm/rmap.c", "lock_anon_vma_root", "431c4d46ea7ce8cf")]
    internal anon_vma* lock_anon_vma_root(anon_vma* root, anon_vma* anon_vma)
    {
        anon_vma* new_root = anon_vma->root;
        if (new_root != root)
        {
            if (WARN_ON_ONCE(root != null))
                up_write(&root->rwsem);
            root = new_root;
            down_write(&root->rwsem);
        }
        return root;
    }

    [Upstream("mm/rmap.c", "unlock_anon_vma_root", "bee1d80783264efc")]
    internal void unlock_anon_vma_root(anon_vma* root)
    {
        if (root != null)
            up_write(&root->rwsem);
    }

    [Upstream("mm/rmap.c", "anon_vma_clone", "433cabe833d04a25")]
    internal int anon_vma_clone(vm_area_struct* dst, vm_area_struct* src)
    {
        anon_vma_chain* avc, pavc;
        anon_vma* root = null;

        // list_for_each_entry_reverse(pavc, &src->anon_vma_chain, same_vma)
        for (pavc = container_of<anon_vma_chain>(src->anon_vma_chain.prev, offsetof.anon_vma_chain.same_vma);
             &pavc->same_vma != &src->anon_vma_chain;
             pavc = container_of<anon_vma_chain>(pavc->same_vma.prev, offsetof.anon_vma_chain.same_vma))
        {
            anon_vma* anon_vma;

            avc = anon_vma_chain_alloc(GFP_NOWAIT | __GFP_NOWARN);
            if (avc == null)
            {
                unlock_anon_vma_root(root);
                root = null;
                avc = anon_vma_chain_alloc(GFP_KERNEL);
                if (avc == null)
                    goto enomem_failure;
            }
            anon_vma = pavc->anon_vma;
            root = lock_anon_vma_root(root, anon_vma);
            anon_vma_chain_assign(dst, avc, anon_vma);
            anon_vma_interval_tree_insert(avc, &anon_vma->rb_root);

            // On fork, adopt an anon_vma that no vma uses any more and that has at most one
            // child, so repeated forks do not grow an endless chain. A root has itself as a
            // child plus at least one more, so it never qualifies.
            if (dst->anon_vma == null && src->anon_vma != null &&
                anon_vma->num_children < 2 &&
                anon_vma->num_active_vmas == 0)
                dst->anon_vma = anon_vma;
        }
        if (dst->anon_vma != null)
            dst->anon_vma->num_active_vmas++;
        unlock_anon_vma_root(root);
        return 0;

    enomem_failure:
        // Forget dst->anon_vma so unlink_anon_vmas() does not drop a count it never took.
        dst->anon_vma = null;
        unlink_anon_vmas(dst);
        return -ENOMEM;
    }

    [Upstream("mm/rmap.c", "anon_vma_fork", "ee2f033e5c57d0e6")]
    internal int anon_vma_fork(vm_area_struct* vma, vm_area_struct* pvma)
    {
        anon_vma_chain* avc;
        anon_vma* anon_vma;
        int error;

        // Nothing to share if the parent never faulted anon pages in here.
        if (pvma->anon_vma == null)
            return 0;

        // The copied pointer is the parent's: reuse one or allocate below.
        vma->anon_vma = null;

        // The child must be found from the parent's anon_vmas for the pages it shares.
        error = anon_vma_clone(vma, pvma);
        if (error != 0)
            return error;

        // anon_vma_clone() adopted an unused anon_vma.
        if (vma->anon_vma != null)
            return 0;

        // Otherwise the child gets its own, for the pages it will COW.
        anon_vma = anon_vma_alloc();
        if (anon_vma == null)
            goto out_error;
        anon_vma->num_active_vmas++;
        avc = anon_vma_chain_alloc(GFP_KERNEL);
        if (avc == null)
            goto out_error_free_anon_vma;

        // All anon_vmas of a tree lock through the root's rwsem.
        anon_vma->root = pvma->anon_vma->root;
        anon_vma->parent = pvma->anon_vma;
        // The root (and its lock) must outlive every anon_vma of its tree.
        get_anon_vma(anon_vma->root);
        vma->anon_vma = anon_vma;
        anon_vma_chain_assign(vma, avc, anon_vma);
        anon_vma_lock_write(anon_vma);
        anon_vma_interval_tree_insert(avc, &anon_vma->rb_root);
        anon_vma->parent->num_children++;
        anon_vma_unlock_write(anon_vma);

        return 0;

    out_error_free_anon_vma:
        put_anon_vma(anon_vma);
    out_error:
        unlink_anon_vmas(vma);
        return -ENOMEM;
    }

    [Upstream("mm/rmap.c", "unlink_anon_vmas", "8a5e52b0e8b8bdea")]
    internal void unlink_anon_vmas(vm_area_struct* vma)
    {
        anon_vma* root = null;

        // Newest first, so the root anon_vma is released last.
        foreach (anon_vma_chain* avc in list_for_each_entry_safe<anon_vma_chain>(&vma->anon_vma_chain, offsetof.anon_vma_chain.same_vma))
        {
            anon_vma* anon_vma = avc->anon_vma;

            root = lock_anon_vma_root(root, anon_vma);
            anon_vma_interval_tree_remove(avc, &anon_vma->rb_root);

            // An anon_vma left empty is freed in the second pass, outside the root lock.
            if (RB_EMPTY_ROOT(&anon_vma->rb_root.rb_root))
            {
                anon_vma->parent->num_children--;
                continue;
            }

            list_del(&avc->same_vma);
            anon_vma_chain_free(avc);
        }
        if (vma->anon_vma != null)
        {
            vma->anon_vma->num_active_vmas--;

            // A later fault on this vma prepares a fresh one.
            vma->anon_vma = null;
        }
        unlock_anon_vma_root(root);

        // What is left are the emptied anon_vmas: __put_anon_vma() takes the root lock itself.
        foreach (anon_vma_chain* avc in list_for_each_entry_safe<anon_vma_chain>(&vma->anon_vma_chain, offsetof.anon_vma_chain.same_vma))
        {
            anon_vma* anon_vma = avc->anon_vma;

            VM_WARN_ON(anon_vma->num_children != 0);
            VM_WARN_ON(anon_vma->num_active_vmas != 0);
            put_anon_vma(anon_vma);

            list_del(&avc->same_vma);
            anon_vma_chain_free(avc);
        }
    }

    [Upstream("mm/rmap.c", "anon_vma_ctor", "36c3cfdec458e32b")]
    internal void anon_vma_ctor(void* data)
    {
        anon_vma* anon_vma = (anon_vma*)data;

        init_rwsem(&anon_vma->rwsem);
        atomic_set(&anon_vma->refcount, 0);
        anon_vma->rb_root = RB_ROOT_CACHED;
    }

    [Upstream("mm/rmap.c", "anon_vma_init", "19308e77c8696b12")]
    internal void anon_vma_init()
    {
        anon_vma_cachep = kmem_cache_create("anon_vma", (uint)sizeof(anon_vma),
                0, SLAB_TYPESAFE_BY_RCU | SLAB_PANIC | SLAB_ACCOUNT,
                anon_vma_ctor);
        anon_vma_chain_cachep = KMEM_CACHE<anon_vma_chain>(
                SLAB_PANIC | SLAB_ACCOUNT);
    }

    [Upstream("mm/rmap.c", "folio_get_anon_vma", "a08b387a833e0e4a")]
    internal anon_vma* folio_get_anon_vma(folio* folio)
    {
        anon_vma* anon_vma = null;
        ulong anon_mapping;

        rcu_read_lock();
        anon_mapping = (ulong)Volatile.Read(ref *(nint*)&folio->mapping);
        if ((anon_mapping & (ulong)PAGE_MAPPING_FLAGS) != (ulong)PAGE_MAPPING_ANON)
            goto @out;
        if (!folio_mapped(folio))
            goto @out;

        anon_vma = (anon_vma*)(anon_mapping - (ulong)PAGE_MAPPING_ANON);
        if (!atomic_inc_not_zero(&anon_vma->refcount))
        {
            anon_vma = null;
            goto @out;
        }

        // Mapped means the anon_vma was live when we took the reference; unmapped, it may
        // have been freed and reused under us (the cache is SLAB_TYPESAFE_BY_RCU).
        if (!folio_mapped(folio))
        {
            rcu_read_unlock();
            put_anon_vma(anon_vma);
            return null;
        }
    @out:
        rcu_read_unlock();

        return anon_vma;
    }

    [Upstream("mm/rmap.c", "folio_lock_anon_vma_read", "f261f95c18f0677f")]
    internal anon_vma* folio_lock_anon_vma_read(folio* folio, rmap_walk_control* rwc)
    {
        anon_vma* anon_vma = null;
        anon_vma* root_anon_vma;
        ulong anon_mapping;

    retry:
        rcu_read_lock();
        anon_mapping = (ulong)Volatile.Read(ref *(nint*)&folio->mapping);
        if ((anon_mapping & (ulong)PAGE_MAPPING_FLAGS) != (ulong)PAGE_MAPPING_ANON)
            goto @out;
        if (!folio_mapped(folio))
            goto @out;

        anon_vma = (anon_vma*)(anon_mapping - (ulong)PAGE_MAPPING_ANON);
        root_anon_vma = (anon_vma*)Volatile.Read(ref *(nint*)&anon_vma->root);
        if (down_read_trylock(&root_anon_vma->rwsem) != 0)
        {
            // Without the folio lock, folio_move_anon_rmap() may have moved it meanwhile.
            if ((ulong)Volatile.Read(ref *(nint*)&folio->mapping) != anon_mapping)
            {
                up_read(&root_anon_vma->rwsem);
                rcu_read_unlock();
                goto retry;
            }

            // Still mapped under the lock: anon_vma_free() cannot pass us now.
            if (!folio_mapped(folio))
            {
                up_read(&root_anon_vma->rwsem);
                anon_vma = null;
            }
            goto @out;
        }

        if (rwc != null && rwc->try_lock)
        {
            anon_vma = null;
            rwc->contended = true;
            goto @out;
        }

        // Sleeping for the lock needs a reference first.
        if (!atomic_inc_not_zero(&anon_vma->refcount))
        {
            anon_vma = null;
            goto @out;
        }

        if (!folio_mapped(folio))
        {
            rcu_read_unlock();
            put_anon_vma(anon_vma);
            return null;
        }

        rcu_read_unlock();
        anon_vma_lock_read(anon_vma);

        if ((ulong)Volatile.Read(ref *(nint*)&folio->mapping) != anon_mapping)
        {
            anon_vma_unlock_read(anon_vma);
            put_anon_vma(anon_vma);
            anon_vma = null;
            goto retry;
        }

        if (atomic_dec_and_test(&anon_vma->refcount))
        {
            // Ours was the last reference: put_anon_vma() would take the lock we hold.
            anon_vma_unlock_read(anon_vma);
            __put_anon_vma(anon_vma);
            anon_vma = null;
        }

        return anon_vma;

    @out:
        rcu_read_unlock();
        return anon_vma;
    }

    [Upstream("mm/rmap.c", "page_address_in_vma", "ca78bc5985738acf")]
    internal ulong page_address_in_vma(page* page, vm_area_struct* vma)
    {
        folio* folio = page_folio(page);
        ulong pgoff;

        if (folio_test_anon(folio))
        {
            anon_vma* page__anon_vma = folio_anon_vma(folio);
            // Same anon_vma tree or not this vma's page (a KSM folio has no anon_vma here).
            if (vma->anon_vma == null || page__anon_vma == null ||
                vma->anon_vma->root != page__anon_vma->root)
                return unchecked((ulong)-EFAULT);
        }
        else if (vma->vm_file == null)
        {
            return unchecked((ulong)-EFAULT);
        }
        else
        {
            // vma->vm_file->f_mapping != folio->mapping: Emu has no files.
            throw new NotSupportedException("Emu has no file mappings: page_address_in_vma on a file folio");
        }

        pgoff = folio->index + folio_page_idx(folio, page);
        return vma_address(vma, pgoff, 1);
    }

    [Upstream("mm/rmap.c", "mm_find_pmd", "75f860087cc27158")]
    internal pmd_t* mm_find_pmd(mm_struct* mm, ulong address)
    {
        pgd_t* pgd;
        p4d_t* p4d;
        pud_t* pud;
        pmd_t* pmd = null;

        pgd = pgd_offset(mm, address);
        if (!pgd_present(*pgd))
            goto @out;

        p4d = p4d_offset(pgd, address);
        if (!p4d_present(*p4d))
            goto @out;

        pud = pud_offset(p4d, address);
        if (!pud_present(*pud))
            goto @out;

        pmd = pmd_offset(pud, address);
    @out:
        return pmd;
    }

    /// <summary>struct folio_referenced_arg, private to mm/rmap.c.</summary>
    internal struct folio_referenced_arg
    {
        public int mapcount;
        public int referenced;
        public ulong vm_flags;
        public void* memcg;
    }

    private static bool folio_referenced_one_fn(Kernel k, folio* folio, vm_area_struct* vma, ulong address, void* arg) =>
        k.folio_referenced_one(folio, vma, address, arg);

    [Upstream("mm/rmap.c", "folio_referenced_one", "eed06e75f3e1e566")]
    internal bool folio_referenced_one(folio* folio, vm_area_struct* vma, ulong address, void* arg)
    {
        folio_referenced_arg* pra = (folio_referenced_arg*)arg;
        page_vma_mapped_walk pvmw = DEFINE_FOLIO_VMA_WALK(folio, vma, address, 0);
        int referenced = 0;
        ulong start = address, ptes = 0;

        while (page_vma_mapped_walk(&pvmw))
        {
            address = pvmw.address;

            if ((vma->vm_flags & VM_LOCKED) != 0)
            {
                if (!folio_test_large(folio) || pvmw.pte == null)
                {
                    // mlock the folio the mlock path missed, and stop the walk.
                    mlock_vma_folio(folio, vma);
                    page_vma_mapped_walk_done(&pvmw);
                    pra->vm_flags |= VM_LOCKED;
                    return false;
                }
                // A large folio in a locked vma: counted after the loop if fully mapped here.
                ptes++;
                pra->mapcount--;
                continue;
            }

            // Not worth aging an exclusive anon folio of an exiting or OOM-reaped mm.
            if ((atomic_read(&vma->vm_mm->mm_users) == 0 ||
                 check_stable_address_space(vma->vm_mm) != 0) &&
                folio_test_anon(folio) && folio_test_swapbacked(folio) &&
                !folio_likely_mapped_shared(folio))
            {
                pra->referenced = -1;
                page_vma_mapped_walk_done(&pvmw);
                return false;
            }

            if (lru_gen_enabled() && pvmw.pte != null)
            {
                if (lru_gen_look_around(&pvmw))
                    referenced++;
            }
            else if (pvmw.pte != null)
            {
                if (ptep_clear_flush_young_notify(vma, address, pvmw.pte) != 0)
                    referenced++;
            }
            else if (true) // IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE)
            {
                if (pmdp_clear_flush_young_notify(vma, address, pvmw.pmd) != 0)
                    referenced++;
            }

            pra->mapcount--;
        }

        if ((vma->vm_flags & VM_LOCKED) != 0 &&
            folio_test_large(folio) &&
            folio_within_vma(folio, vma))
        {
            ulong s_align, e_align;

            s_align = ALIGN_DOWN(start, PMD_SIZE);
            e_align = ALIGN_DOWN(start + folio_size(folio) - 1, PMD_SIZE);

            // Within one page table and every page mapped: mlock it now.
            if ((s_align == e_align) && (ptes == (ulong)folio_nr_pages(folio)))
            {
                mlock_vma_folio(folio, vma);
                pra->vm_flags |= VM_LOCKED;
                return false;
            }
        }

        if (referenced != 0)
            folio_clear_idle(folio);
        if (folio_test_clear_young(folio))
            referenced++;

        if (referenced != 0)
        {
            pra->referenced++;
            pra->vm_flags |= vma->vm_flags & ~(ulong)VM_LOCKED;
        }

        if (pra->mapcount == 0)
            return false;

        return true;
    }

    private static bool invalid_folio_referenced_vma_fn(Kernel k, vm_area_struct* vma, void* arg) =>
        k.invalid_folio_referenced_vma(vma, arg);

    [Upstream("mm/rmap.c", "invalid_folio_referenced_vma", "0758112f039e1b80")]
    internal bool invalid_folio_referenced_vma(vm_area_struct* vma, void* arg)
    {
        folio_referenced_arg* pra = (folio_referenced_arg*)arg;
        void* memcg = pra->memcg;

        // References from a mapping without recency (VM_SEQ_READ/VM_RAND_READ) do not count.
        if (!vma_has_recency(vma))
            return true;

        // A cgroup's reclaim counts only its own references.
        if (memcg != null && !mm_match_cgroup(vma->vm_mm, memcg))
            return true;

        return false;
    }

    private static anon_vma* folio_lock_anon_vma_read_fn(Kernel k, folio* folio, rmap_walk_control* rwc) =>
        k.folio_lock_anon_vma_read(folio, rwc);

    [Upstream("mm/rmap.c", "folio_referenced", "09189212be8ace82")]
    internal int folio_referenced(folio* folio, int is_locked, void* memcg, ulong* vm_flags)
    {
        bool we_locked = false;
        folio_referenced_arg pra = new()
        {
            mapcount = folio_mapcount(folio),
            memcg = memcg,
        };
        rmap_walk_control rwc = new()
        {
            rmap_one = (delegate*<Kernel, folio*, vm_area_struct*, ulong, void*, bool>)&folio_referenced_one_fn,
            arg = &pra,
            anon_lock = (delegate*<Kernel, folio*, rmap_walk_control*, anon_vma*>)&folio_lock_anon_vma_read_fn,
            try_lock = true,
            invalid_vma = (delegate*<Kernel, vm_area_struct*, void*, bool>)&invalid_folio_referenced_vma_fn,
        };

        *vm_flags = 0;
        if (pra.mapcount == 0)
            return 0;

        if (folio_raw_mapping(folio) == null)
            return 0;

        if (is_locked == 0 && (!folio_test_anon(folio) || folio_test_ksm(folio)))
        {
            we_locked = folio_trylock(folio);
            if (!we_locked)
                return 1;
        }

        rmap_walk(folio, &rwc);
        *vm_flags = pra.vm_flags;

        if (we_locked)
            folio_unlock(folio);

        return rwc.contended ? -1 : pra.referenced;
    }

    [Upstream("mm/rmap.c", "__folio_add_rmap", "b6a9fe92be4bb644")]
    internal int __folio_add_rmap(folio* folio, page* page, int nr_pages, rmap_level level, int* nr_pmdmapped)
    {
        atomic_t* mapped = &folio->_nr_pages_mapped;
        int orig_nr_pages = nr_pages;
        int first = 0, nr = 0;

        __folio_rmap_sanity_checks(folio, page, nr_pages, level);

        switch (level)
        {
            case rmap_level.RMAP_LEVEL_PTE:
                if (!folio_test_large(folio))
                {
                    nr = atomic_inc_and_test(&folio->_mapcount) ? 1 : 0;
                    break;
                }

                do
                {
                    first += atomic_inc_and_test(&page->_mapcount) ? 1 : 0;
                    page++;
                } while (--nr_pages > 0);

                if (first != 0 &&
                    atomic_add_return_relaxed(first, mapped) < ENTIRELY_MAPPED)
                    nr = first;

                atomic_add(orig_nr_pages, &folio->_large_mapcount);
                break;
            case rmap_level.RMAP_LEVEL_PMD:
                first = atomic_inc_and_test(&folio->_entire_mapcount) ? 1 : 0;
                if (first != 0)
                {
                    nr = atomic_add_return_relaxed(ENTIRELY_MAPPED, mapped);
                    if (nr < ENTIRELY_MAPPED + ENTIRELY_MAPPED)
                    {
                        *nr_pmdmapped = (int)folio_nr_pages(folio);
                        nr = *nr_pmdmapped - (nr & FOLIO_PAGES_MAPPED);
                        // A racing remove-then-add can leave us counting below zero.
                        if (nr < 0)
                            nr = 0;
                    }
                    else
                    {
                        // A remove of ENTIRELY_MAPPED has not landed yet.
                        nr = 0;
                    }
                }
                atomic_inc(&folio->_large_mapcount);
                break;
        }
        return nr;
    }

    [Upstream("mm/rmap.c", "folio_move_anon_rmap", "2ea14366015985df")]
    internal void folio_move_anon_rmap(folio* folio, vm_area_struct* vma)
    {
        void* anon_vma = vma->anon_vma;

        VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
        VM_BUG_ON_VMA(anon_vma == null, vma);

        anon_vma = (byte*)anon_vma + PAGE_MAPPING_ANON;
        // One store: a lockless reader must see the pointer and the ANON bit together.
        Volatile.Write(ref *(nint*)&folio->mapping, (nint)anon_vma);
    }

    [Upstream("mm/rmap.c", "__folio_set_anon", "32aa235c03976c46")]
    internal void __folio_set_anon(folio* folio, vm_area_struct* vma, ulong address, bool exclusive)
    {
        anon_vma* anon_vma = vma->anon_vma;

        BUG_ON(anon_vma == null);

        // A folio that may be shared must point at the oldest anon_vma, the root.
        if (!exclusive)
            anon_vma = anon_vma->root;

        // One store, as in folio_move_anon_rmap().
        anon_vma = (anon_vma*)((byte*)anon_vma + PAGE_MAPPING_ANON);
        Volatile.Write(ref *(nint*)&folio->mapping, (nint)anon_vma);
        folio->index = linear_page_index(vma, address);
    }

    [Upstream("mm/rmap.c", "__page_check_anon_rmap", "aebb91b916a05ab8")]
    internal void __page_check_anon_rmap(folio* folio, page* page, vm_area_struct* vma, ulong address)
    {
        // mapping and index are stable here: callers hold the folio lock or, for a new folio,
        // the page table lock.
        VM_BUG_ON_FOLIO(folio_anon_vma(folio)->root != vma->anon_vma->root,
                folio);
        VM_BUG_ON_PAGE(page_to_pgoff(page) != linear_page_index(vma, address),
                page);
    }

    [Upstream("mm/rmap.c", "__folio_mod_stat", "6dcc7f8ed190fc58")]
    internal void __folio_mod_stat(folio* folio, int nr, int nr_pmdmapped)
    {
        node_stat_item idx;

        if (nr != 0)
        {
            idx = folio_test_anon(folio) ? node_stat_item.NR_ANON_MAPPED : node_stat_item.NR_FILE_MAPPED;
            __lruvec_stat_mod_folio(folio, idx, nr);
        }
        if (nr_pmdmapped != 0)
        {
            if (folio_test_anon(folio))
            {
                idx = node_stat_item.NR_ANON_THPS;
                __lruvec_stat_mod_folio(folio, idx, nr_pmdmapped);
            }
            else
            {
                // Not kept per memcg: straight to the node.
                idx = folio_test_swapbacked(folio) ?
                    node_stat_item.NR_SHMEM_PMDMAPPED : node_stat_item.NR_FILE_PMDMAPPED;
                __mod_node_page_state(folio_pgdat(folio), idx,
                                      nr_pmdmapped);
            }
        }
    }

    [Upstream("mm/rmap.c", "__folio_add_anon_rmap", "07aa216902955143")]
    internal void __folio_add_anon_rmap(folio* folio, page* page, int nr_pages, vm_area_struct* vma,
        ulong address, int flags, rmap_level level)
    {
        int i, nr, nr_pmdmapped = 0;

        VM_WARN_ON_FOLIO(!folio_test_anon(folio), folio);

        nr = __folio_add_rmap(folio, page, nr_pages, level, &nr_pmdmapped);

        if (!folio_test_ksm(folio))
            __page_check_anon_rmap(folio, page, vma, address);

        __folio_mod_stat(folio, nr, nr_pmdmapped);

        if ((flags & RMAP_EXCLUSIVE) != 0)
        {
            switch (level)
            {
                case rmap_level.RMAP_LEVEL_PTE:
                    for (i = 0; i < nr_pages; i++)
                        SetPageAnonExclusive(page + i);
                    break;
                case rmap_level.RMAP_LEVEL_PMD:
                    SetPageAnonExclusive(page);
                    break;
            }
        }
        for (i = 0; i < nr_pages; i++)
        {
            page* cur_page = page + i;

            // An exclusive page cannot be mapped twice (a PTE-mapped THP also has its PMD).
            VM_WARN_ON_FOLIO((atomic_read(&cur_page->_mapcount) > 0 ||
                              (folio_test_large(folio) &&
                               folio_entire_mapcount(folio) > 1)) &&
                             PageAnonExclusive(cur_page), folio);
        }

        // Only small folios are mlocked here; reclaim sorts out large ones.
        if (!folio_test_large(folio))
            mlock_vma_folio(folio, vma);
    }

    [Upstream("mm/rmap.c", "folio_add_anon_rmap_ptes", "819da29afe8d38a2")]
    internal void folio_add_anon_rmap_ptes(folio* folio, page* page, int nr_pages, vm_area_struct* vma,
        ulong address, int flags)
    {
        __folio_add_anon_rmap(folio, page, nr_pages, vma, address, flags,
                              rmap_level.RMAP_LEVEL_PTE);
    }

    /// <summary>CONFIG_TRANSPARENT_HUGEPAGE=y: the PMD level.</summary>
    [Upstream("mm/rmap.c", "folio_add_anon_rmap_pmd", "1e4e5836f0099145")]
    internal void folio_add_anon_rmap_pmd(folio* folio, page* page, vm_area_struct* vma, ulong address, int flags)
    {
        __folio_add_anon_rmap(folio, page, (int)HPAGE_PMD_NR, vma, address, flags,
                              rmap_level.RMAP_LEVEL_PMD);
    }

    [Upstream("mm/rmap.c", "folio_add_new_anon_rmap", "3e3f1769c502dccc")]
    internal void folio_add_new_anon_rmap(folio* folio, vm_area_struct* vma, ulong address, int flags)
    {
        int nr = (int)folio_nr_pages(folio);
        bool exclusive = (flags & RMAP_EXCLUSIVE) != 0;
        int nr_pmdmapped = 0;

        VM_WARN_ON_FOLIO(folio_test_hugetlb(folio), folio);
        VM_WARN_ON_FOLIO(!exclusive && !folio_test_locked(folio), folio);
        VM_BUG_ON_VMA(address < vma->vm_start ||
                address + ((ulong)nr << PAGE_SHIFT) > vma->vm_end, vma);

        // VM_DROPPABLE folios are dropped under pressure, never swapped.
        if (!folio_test_swapbacked(folio) && (vma->vm_flags & VM_DROPPABLE) == 0)
            __folio_set_swapbacked(folio);
        __folio_set_anon(folio, vma, address, exclusive);

        if (!folio_test_large(folio))
        {
            // The mapcount starts at -1: one mapping is 0.
            atomic_set(&folio->_mapcount, 0);
            if (exclusive)
                SetPageAnonExclusive(&folio->page);
        }
        else if (!folio_test_pmd_mappable(folio))
        {
            int i;

            for (i = 0; i < nr; i++)
            {
                page* page = folio_page(folio, i);

                atomic_set(&page->_mapcount, 0);
                if (exclusive)
                    SetPageAnonExclusive(page);
            }

            atomic_set(&folio->_large_mapcount, nr - 1);
            atomic_set(&folio->_nr_pages_mapped, nr);
        }
        else
        {
            atomic_set(&folio->_entire_mapcount, 0);
            atomic_set(&folio->_large_mapcount, 0);
            atomic_set(&folio->_nr_pages_mapped, ENTIRELY_MAPPED);
            if (exclusive)
                SetPageAnonExclusive(&folio->page);
            nr_pmdmapped = nr;
        }

        __folio_mod_stat(folio, nr, nr_pmdmapped);
        mod_mthp_stat((int)folio_order(folio), mthp_stat_item.MTHP_STAT_NR_ANON, 1);
    }

    [Upstream("mm/rmap.c", "__folio_add_file_rmap", "c527199a433227d8")]
    internal void __folio_add_file_rmap(folio* folio, page* page, int nr_pages, vm_area_struct* vma,
        rmap_level level)
    {
        int nr, nr_pmdmapped = 0;

        VM_WARN_ON_FOLIO(folio_test_anon(folio), folio);

        nr = __folio_add_rmap(folio, page, nr_pages, level, &nr_pmdmapped);
        __folio_mod_stat(folio, nr, nr_pmdmapped);

        // As for anon folios: only small ones are mlocked here.
        if (!folio_test_large(folio))
            mlock_vma_folio(folio, vma);
    }

    [Upstream("mm/rmap.c", "folio_add_file_rmap_ptes", "f676662678595267")]
    internal void folio_add_file_rmap_ptes(folio* folio, page* page, int nr_pages, vm_area_struct* vma)
    {
        __folio_add_file_rmap(folio, page, nr_pages, vma, rmap_level.RMAP_LEVEL_PTE);
    }

    [Upstream("mm/rmap.c", "__folio_remove_rmap", "d854a0120d744946")]
    internal void __folio_remove_rmap(folio* folio, page* page, int nr_pages, vm_area_struct* vma,
        rmap_level level)
    {
        atomic_t* mapped = &folio->_nr_pages_mapped;
        int last = 0, nr = 0, nr_pmdmapped = 0;
        bool partially_mapped = false;

        __folio_rmap_sanity_checks(folio, page, nr_pages, level);

        switch (level)
        {
            case rmap_level.RMAP_LEVEL_PTE:
                if (!folio_test_large(folio))
                {
                    nr = atomic_add_negative(-1, &folio->_mapcount) ? 1 : 0;
                    break;
                }

                atomic_sub(nr_pages, &folio->_large_mapcount);
                do
                {
                    last += atomic_add_negative(-1, &page->_mapcount) ? 1 : 0;
                    page++;
                } while (--nr_pages > 0);

                if (last != 0 &&
                    atomic_sub_return_relaxed(last, mapped) < ENTIRELY_MAPPED)
                    nr = last;

                partially_mapped = nr != 0 && atomic_read(mapped) != 0;
                break;
            case rmap_level.RMAP_LEVEL_PMD:
                atomic_dec(&folio->_large_mapcount);
                last = atomic_add_negative(-1, &folio->_entire_mapcount) ? 1 : 0;
                if (last != 0)
                {
                    nr = atomic_sub_return_relaxed(ENTIRELY_MAPPED, mapped);
                    if (nr < ENTIRELY_MAPPED)
                    {
                        nr_pmdmapped = (int)folio_nr_pages(folio);
                        nr = nr_pmdmapped - (nr & FOLIO_PAGES_MAPPED);
                        // A racing remove-then-add can leave us counting below zero.
                        if (nr < 0)
                            nr = 0;
                    }
                    else
                    {
                        // An add of ENTIRELY_MAPPED got in first.
                        nr = 0;
                    }
                }

                partially_mapped = nr != 0 && nr < nr_pmdmapped;
                break;
        }

        // Some pages of a large anon folio went, some stay: queue it for a deferred split.
        if (partially_mapped && folio_test_anon(folio) &&
            !folio_test_partially_mapped(folio))
            deferred_split_folio(folio, true);

        __folio_mod_stat(folio, -nr, -nr_pmdmapped);

        // folio->mapping stays: free_pages_prepare() resets it; it is only valid while mapped.

        munlock_vma_folio(folio, vma);
    }

    [Upstream("mm/rmap.c", "folio_remove_rmap_ptes", "3c2833489beeeae1")]
    internal void folio_remove_rmap_ptes(folio* folio, page* page, int nr_pages, vm_area_struct* vma)
    {
        __folio_remove_rmap(folio, page, nr_pages, vma, rmap_level.RMAP_LEVEL_PTE);
    }

    /// <summary>CONFIG_TRANSPARENT_HUGEPAGE=y: the PMD level.</summary>
    [Upstream("mm/rmap.c", "folio_remove_rmap_pmd", "62242ea9622ed26d")]
    internal void folio_remove_rmap_pmd(folio* folio, page* page, vm_area_struct* vma)
    {
        __folio_remove_rmap(folio, page, (int)HPAGE_PMD_NR, vma, rmap_level.RMAP_LEVEL_PMD);
    }

    [Upstream("mm/rmap.c", "__put_anon_vma", "79bafc8ef9de503c")]
    internal void __put_anon_vma(anon_vma* anon_vma)
    {
        anon_vma* root = anon_vma->root;

        anon_vma_free(anon_vma);
        if (root != anon_vma && atomic_dec_and_test(&root->refcount))
            anon_vma_free(root);
    }

    [Upstream("mm/rmap.c", "rmap_walk_anon_lock", "6d739e0e8f575b97")]
    internal anon_vma* rmap_walk_anon_lock(folio* folio, rmap_walk_control* rwc)
    {
        anon_vma* anon_vma;

        if (rwc->anon_lock != null)
            return RMAP_ANON_LOCK(rwc)(this, folio, rwc);

        // Callers without mmap_lock hold an anon_vma reference (folio_lock_anon_vma_read
        // would need the folio mapped).
        anon_vma = folio_anon_vma(folio);
        if (anon_vma == null)
            return null;

        if (anon_vma_trylock_read(anon_vma) != 0)
            goto @out;

        if (rwc->try_lock)
        {
            anon_vma = null;
            rwc->contended = true;
            goto @out;
        }

        anon_vma_lock_read(anon_vma);
    @out:
        return anon_vma;
    }

    [Upstream("mm/rmap.c", "rmap_walk_anon", "78c7db7e8058c323")]
    internal void rmap_walk_anon(folio* folio, rmap_walk_control* rwc, bool locked)
    {
        anon_vma* anon_vma;
        ulong pgoff_start, pgoff_end;

        if (locked)
        {
            anon_vma = folio_anon_vma(folio);
            // The caller's lock keeps the anon_vma.
            VM_BUG_ON_FOLIO(anon_vma == null, folio);
        }
        else
        {
            anon_vma = rmap_walk_anon_lock(folio, rwc);
        }
        if (anon_vma == null)
            return;

        pgoff_start = folio_pgoff(folio);
        pgoff_end = pgoff_start + (ulong)folio_nr_pages(folio) - 1;
        foreach (anon_vma_chain* avc in anon_vma_interval_tree_foreach(&anon_vma->rb_root,
                pgoff_start, pgoff_end))
        {
            vm_area_struct* vma = avc->vma;
            ulong address = vma_address(vma, pgoff_start,
                    (ulong)folio_nr_pages(folio));

            VM_BUG_ON_VMA(address == unchecked((ulong)-EFAULT), vma);
            cond_resched();

            if (rwc->invalid_vma != null && RMAP_INVALID_VMA(rwc)(this, vma, rwc->arg))
                continue;

            if (!RMAP_ONE(rwc)(this, folio, vma, address, rwc->arg))
                break;
            if (rwc->done != null && RMAP_DONE(rwc)(this, folio) != 0)
                break;
        }

        if (!locked)
            anon_vma_unlock_read(anon_vma);
    }

    /// <summary>Emu has no page cache: a file folio never reaches an rmap walk.</summary>
    [Upstream("mm/rmap.c", "rmap_walk_file", "c82577bf556e61e1")]
    internal void rmap_walk_file(folio* folio, rmap_walk_control* rwc, bool locked)
    {
        void* mapping = folio_mapping(folio);

        VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);

        if (mapping == null)
            return;

        throw new NotSupportedException("Emu has no file mappings: rmap_walk_file over an address_space");
    }

    [Upstream("mm/rmap.c", "rmap_walk", "ff40062ecffc663a")]
    internal void rmap_walk(folio* folio, rmap_walk_control* rwc)
    {
        if (folio_test_ksm(folio))
            rmap_walk_ksm(folio, rwc);
        else if (folio_test_anon(folio))
            rmap_walk_anon(folio, rwc, false);
        else
            rmap_walk_file(folio, rwc, false);
    }

    [Upstream("mm/rmap.c", "rmap_walk_locked", "90975c65241df302")]
    internal void rmap_walk_locked(folio* folio, rmap_walk_control* rwc)
    {
        // KSM folios are not walked with the lock held.
        VM_BUG_ON_FOLIO(folio_test_ksm(folio), folio);
        if (folio_test_anon(folio))
            rmap_walk_anon(folio, rwc, true);
        else
            rmap_walk_file(folio, rwc, true);
    }
}
