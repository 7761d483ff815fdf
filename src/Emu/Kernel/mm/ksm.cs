// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/ksm.c, first part: globals, the advisor, slab caches,
// stable-node chain/dup helpers, rmap item and stable node allocation, break_ksm, the
// stable-tree removal paths and unmerge_and_remove_all_rmap_items (run=2).
// The rest of ksm.c follows in upstream order in ksm.merge.cs (checksums, merging, the two
// trees), ksm.scan.cs (the scanner, ksmd, madvise, enter/exit, rmap walk) and ksm.sysfs.cs.
//
// Idioms:
//  - ksm.c's file-static globals are Kernel fields; those whose address the code uses as a
//    value (one_stable_tree, migrate_nodes, ksm_mm_head, ksm_scan, the locks) are
//    AllocateGlobal'd by ksm_init().
//  - CONFIG_NUMA is set: NUMA(x) is x and DO_NUMA runs; Emu has one node (nr_node_ids 1).
//  - ksm_init() is the subsys_initcall: the machine runs it once after slab init.
using System;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;
using gfp_t = uint;
using vm_fault_t = uint;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // NUMA(x): CONFIG_NUMA is on.
    [Upstream("mm/ksm.c", "NUMA", UpstreamAttribute.Macro)]
    private static int NUMA(int x) => x;

    internal rb_root* one_stable_tree;
    internal rb_root* one_unstable_tree;
    internal rb_root* root_stable_tree;
    internal rb_root* root_unstable_tree;

    internal list_head* migrate_nodes;

    [Upstream("mm/ksm.c", "STABLE_NODE_DUP_HEAD", UpstreamAttribute.Macro)]
    private list_head* STABLE_NODE_DUP_HEAD => (list_head*)&migrate_nodes->prev;

    internal hlist_head[] mm_slots_hash = DEFINE_HASHTABLE(MM_SLOTS_HASH_BITS);

    internal ksm_mm_slot* ksm_mm_head;
    internal ksm_scan* ksm_scan;

    internal kmem_cache? rmap_item_cache;
    internal kmem_cache? stable_node_cache;
    internal kmem_cache? mm_slot_cache;

    internal ulong ksm_pages_scanned;
    internal ulong ksm_pages_shared;
    internal ulong ksm_pages_sharing;
    internal ulong ksm_pages_unshared;
    internal ulong ksm_rmap_items;
    internal ulong ksm_stable_node_chains;
    internal ulong ksm_stable_node_dups;
    internal uint ksm_stable_node_chains_prune_millisecs = 2000;
    internal int ksm_max_page_sharing = 256;
    internal uint ksm_thread_pages_to_scan = DEFAULT_PAGES_TO_SCAN;
    internal uint ksm_thread_sleep_millisecs = 20;
    internal uint zero_checksum;
    internal bool ksm_use_zero_pages;
    internal bool ksm_smart_scan = true;
    internal atomic64_t ksm_zero_pages;
    internal ulong ksm_pages_skipped;
    internal ulong ksm_advisor_max_pages_to_scan = 30000;
    internal uint ksm_advisor_max_cpu = 70;
    internal ulong ksm_advisor_target_scan_time = 200;
    internal advisor_ctx advisor_ctx;
    internal ksm_advisor_type ksm_advisor;
    internal ulong ksm_advisor_min_pages_to_scan = 500;

    [Upstream("mm/ksm.c", "set_advisor_defaults", "7ce265b47005ecb2")]
    private void set_advisor_defaults()
    {
        if (ksm_advisor == ksm_advisor_type.KSM_ADVISOR_NONE)
        {
            ksm_thread_pages_to_scan = DEFAULT_PAGES_TO_SCAN;
        }
        else if (ksm_advisor == ksm_advisor_type.KSM_ADVISOR_SCAN_TIME)
        {
            advisor_ctx = default;
            ksm_thread_pages_to_scan = (uint)ksm_advisor_min_pages_to_scan;
        }
    }

    [Upstream("mm/ksm.c", "advisor_start_scan", "2a644c63ba40558d")]
    internal void advisor_start_scan()
    {
        if (ksm_advisor == ksm_advisor_type.KSM_ADVISOR_SCAN_TIME)
            advisor_ctx.start_scan = ktime_get();
    }

    [Upstream("mm/ksm.c", "prev_scan_time", "ba95afc51494dcdd")]
    private static ulong prev_scan_time(advisor_ctx* ctx, ulong scan_time)
    {
        return ctx->scan_time != 0 ? ctx->scan_time : scan_time;
    }

    [Upstream("mm/ksm.c", "ewma", "7fafa9cf1141414d")]
    private static ulong ewma(ulong prev, ulong curr)
    {
        return ((100 - EWMA_WEIGHT) * prev + EWMA_WEIGHT * curr) / 100;
    }

    [Upstream("mm/ksm.c", "scan_time_advisor", "6bc8946e0db5b8ea")]
    private void scan_time_advisor()
    {
        uint cpu_percent;
        ulong cpu_time;
        ulong cpu_time_diff;
        ulong cpu_time_diff_ms;
        ulong pages;
        ulong per_page_cost;
        ulong factor;
        ulong change;
        ulong last_scan_time;
        ulong scan_time;

        scan_time = (ulong)div_s64(ktime_ms_delta(ktime_get(), advisor_ctx.start_scan), MSEC_PER_SEC);
        scan_time = scan_time != 0 ? scan_time : 1;

        cpu_time = task_sched_runtime(current);
        cpu_time_diff = cpu_time - advisor_ctx.cpu_time;
        cpu_time_diff_ms = cpu_time_diff / 1000 / 1000;

        cpu_percent = (uint)((cpu_time_diff_ms * 100) / (scan_time * 1000));
        cpu_percent = cpu_percent != 0 ? cpu_percent : 1;
        fixed (advisor_ctx* ctx = &advisor_ctx)
            last_scan_time = prev_scan_time(ctx, scan_time);

        factor = ksm_advisor_target_scan_time * 100 / scan_time;
        factor = factor != 0 ? factor : 1;

        change = scan_time * 100 / last_scan_time;
        change = change != 0 ? change : 1;
        change = ewma(advisor_ctx.change, change);

        pages = ksm_thread_pages_to_scan * 100 / factor;
        pages = pages * change / 100;

        per_page_cost = ksm_thread_pages_to_scan / cpu_percent;
        per_page_cost = per_page_cost != 0 ? per_page_cost : 1;

        pages = Math.Min(pages, per_page_cost * ksm_advisor_max_cpu);
        pages = Math.Max(pages, per_page_cost * KSM_ADVISOR_MIN_CPU);
        pages = Math.Min(pages, ksm_advisor_max_pages_to_scan);

        advisor_ctx.change = change;
        advisor_ctx.scan_time = scan_time;
        advisor_ctx.cpu_time = cpu_time;

        ksm_thread_pages_to_scan = (uint)pages;
    }

    [Upstream("mm/ksm.c", "advisor_stop_scan", "21bdec5976eb0d76")]
    internal void advisor_stop_scan()
    {
        if (ksm_advisor == ksm_advisor_type.KSM_ADVISOR_SCAN_TIME)
            scan_time_advisor();
    }

    internal uint ksm_merge_across_nodes = 1;
    internal int ksm_nr_node_ids = 1;

    internal ulong ksm_run = KSM_RUN_STOP;

    // DECLARE_WAIT_QUEUE_HEAD(ksm_thread_wait / ksm_iter_wait): ksmd is the machine's stepper,
    // so a wake-up only marks that it should look again (see ksm_scan_thread).
    internal bool ksm_thread_wait;
    internal bool ksm_iter_wait;
    internal mutex* ksm_thread_mutex;
    internal spinlock* ksm_mmlist_lock;

    [Upstream("mm/ksm.c", "ksm_slab_init", "20bf4efe96e0aa66")]
    private int ksm_slab_init()
    {
        rmap_item_cache = KMEM_CACHE<ksm_rmap_item>(0);
        if (rmap_item_cache == null)
            goto @out;

        stable_node_cache = KMEM_CACHE<ksm_stable_node>(0);
        if (stable_node_cache == null)
            goto out_free1;

        mm_slot_cache = KMEM_CACHE<ksm_mm_slot>(0);
        if (mm_slot_cache == null)
            goto out_free2;

        return 0;

    out_free2:
        kmem_cache_destroy(stable_node_cache);
    out_free1:
        kmem_cache_destroy(rmap_item_cache);
    @out:
        return -ENOMEM;
    }

    [Upstream("mm/ksm.c", "ksm_slab_free", "de012dda5adc14c7")]
    private void ksm_slab_free()
    {
        kmem_cache_destroy(mm_slot_cache);
        kmem_cache_destroy(stable_node_cache);
        kmem_cache_destroy(rmap_item_cache);
        mm_slot_cache = null;
    }

    [Upstream("mm/ksm.c", "is_stable_node_chain", "07a530a0342b13a1")]
    private static bool is_stable_node_chain(ksm_stable_node* chain)
    {
        return chain->rmap_hlist_len == STABLE_NODE_CHAIN;
    }

    [Upstream("mm/ksm.c", "is_stable_node_dup", "bfd24075732223d2")]
    private bool is_stable_node_dup(ksm_stable_node* dup)
    {
        return dup->head == STABLE_NODE_DUP_HEAD;
    }

    [Upstream("mm/ksm.c", "stable_node_chain_add_dup", "f288e7bb609c731a")]
    private void stable_node_chain_add_dup(ksm_stable_node* dup, ksm_stable_node* chain)
    {
        VM_BUG_ON(is_stable_node_dup(dup));
        dup->head = STABLE_NODE_DUP_HEAD;
        VM_BUG_ON(!is_stable_node_chain(chain));
        hlist_add_head(&dup->hlist_dup, &chain->hlist);
        ksm_stable_node_dups++;
    }

    [Upstream("mm/ksm.c", "__stable_node_dup_del", "8a96c99c9e96fa9c")]
    private void __stable_node_dup_del(ksm_stable_node* dup)
    {
        VM_BUG_ON(!is_stable_node_dup(dup));
        hlist_del(&dup->hlist_dup);
        ksm_stable_node_dups--;
    }

    [Upstream("mm/ksm.c", "stable_node_dup_del", "92100925a6caa47e")]
    private void stable_node_dup_del(ksm_stable_node* dup)
    {
        VM_BUG_ON(is_stable_node_chain(dup));
        if (is_stable_node_dup(dup))
            __stable_node_dup_del(dup);
        else
            rb_erase(&dup->node, root_stable_tree + NUMA(dup->nid));
        // CONFIG_DEBUG_VM
        dup->head = null;
    }

    [Upstream("mm/ksm.c", "alloc_rmap_item", "00a1a3b19ae5b548")]
    private ksm_rmap_item* alloc_rmap_item()
    {
        ksm_rmap_item* rmap_item;

        rmap_item = (ksm_rmap_item*)kmem_cache_zalloc(rmap_item_cache!, GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
        if (rmap_item != null)
            ksm_rmap_items++;
        return rmap_item;
    }

    [Upstream("mm/ksm.c", "free_rmap_item", "dbc428113af4ffb0")]
    private void free_rmap_item(ksm_rmap_item* rmap_item)
    {
        ksm_rmap_items--;
        rmap_item->mm->ksm_rmap_items--;
        rmap_item->mm = null;
        kmem_cache_free(rmap_item_cache!, rmap_item);
    }

    [Upstream("mm/ksm.c", "alloc_stable_node", "f7f3879cc45b0eba")]
    private ksm_stable_node* alloc_stable_node()
    {
        // __GFP_HIGH: tree nodes must be allocatable even under pressure.
        return (ksm_stable_node*)kmem_cache_alloc(stable_node_cache!, GFP_KERNEL | __GFP_HIGH);
    }

    [Upstream("mm/ksm.c", "free_stable_node", "c6cd9d1f9bab888d")]
    private void free_stable_node(ksm_stable_node* stable_node)
    {
        VM_BUG_ON(stable_node->rmap_hlist_len != 0 && !is_stable_node_chain(stable_node));
        kmem_cache_free(stable_node_cache!, stable_node);
    }

    [Upstream("mm/ksm.c", "ksm_test_exit", "77df3655b3b4caac")]
    internal static bool ksm_test_exit(mm_struct* mm)
    {
        return atomic_read(&mm->mm_users) == 0;
    }

    [Upstream("mm/ksm.c", "break_ksm", "0e7873f2db319b47")]
    private int break_ksm(vm_area_struct* vma, ulong addr, bool lock_vma)
    {
        vm_fault_t ret = 0;

        if (lock_vma)
            vma_start_write(vma);

        do
        {
            bool ksm_page = false;
            folio_walk fw;
            folio* folio;

            cond_resched();
            folio = folio_walk_start(&fw, vma, addr, FW_MIGRATION | FW_ZEROPAGE);
            if (folio != null)
            {
                // A small folio is mapped at PTE level.
                if (!folio_test_large(folio) &&
                    (folio_test_ksm(folio) || is_ksm_zero_pte(fw.pte)))
                    ksm_page = true;
                folio_walk_end(&fw, vma);
            }

            if (!ksm_page)
                return 0;
            ret = handle_mm_fault(vma, addr, FAULT_FLAG_UNSHARE | FAULT_FLAG_REMOTE, null);
        } while ((ret & (VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | VM_FAULT_OOM)) == 0);
        // Unsharing can only fail when the mm is going away or memory ran out.
        return (ret & VM_FAULT_OOM) != 0 ? -ENOMEM : 0;
    }

    [Upstream("mm/ksm.c", "vma_ksm_compatible", "6c53be8463f10154")]
    private static bool vma_ksm_compatible(vm_area_struct* vma)
    {
        if ((vma->vm_flags & (VM_SHARED | VM_MAYSHARE | VM_PFNMAP |
                              VM_IO | VM_DONTEXPAND | VM_HUGETLB |
                              VM_MIXEDMAP | VM_DROPPABLE)) != 0)
            return false;

        if (vma_is_dax(vma))
            return false;

        // x86: neither VM_SAO nor VM_SPARC_ADI exists.
        return true;
    }

    [Upstream("mm/ksm.c", "find_mergeable_vma", "13187121899a9a1e")]
    internal vm_area_struct* find_mergeable_vma(mm_struct* mm, ulong addr)
    {
        vm_area_struct* vma;
        if (ksm_test_exit(mm))
            return null;
        vma = vma_lookup(mm, addr);
        if (vma == null || (vma->vm_flags & VM_MERGEABLE) == 0 || vma->anon_vma == null)
            return null;
        return vma;
    }

    [Upstream("mm/ksm.c", "break_cow", "aa87e32eb2045925")]
    private void break_cow(ksm_rmap_item* rmap_item)
    {
        mm_struct* mm = rmap_item->mm;
        ulong addr = rmap_item->address;
        vm_area_struct* vma;

        // The reference taken when the item joined the stable tree goes now.
        put_anon_vma(rmap_item->anon_vma);

        mmap_read_lock(mm);
        vma = find_mergeable_vma(mm, addr);
        if (vma != null)
            break_ksm(vma, addr, false);
        mmap_read_unlock(mm);
    }

    [Upstream("mm/ksm.c", "get_mergeable_page", "185462d92f82f351")]
    internal virtual page* get_mergeable_page(ksm_rmap_item* rmap_item)
    {
        mm_struct* mm = rmap_item->mm;
        ulong addr = rmap_item->address;
        vm_area_struct* vma;
        page* page = null;
        folio_walk fw;
        folio* folio;

        mmap_read_lock(mm);
        vma = find_mergeable_vma(mm, addr);
        if (vma == null)
            goto @out;

        folio = folio_walk_start(&fw, vma, addr, 0);
        if (folio != null)
        {
            if (!folio_is_zone_device(folio) && folio_test_anon(folio))
            {
                folio_get(folio);
                page = fw.page;
            }
            folio_walk_end(&fw, vma);
        }
    @out:
        if (page != null)
        {
            flush_anon_page(vma, page, addr);
            flush_dcache_page(page);
        }
        mmap_read_unlock(mm);
        return page;
    }

    [Upstream("mm/ksm.c", "get_kpfn_nid", "8ed686aae9c4cac0")]
    private int get_kpfn_nid(ulong kpfn)
    {
        return ksm_merge_across_nodes != 0 ? 0 : NUMA(pfn_to_nid(kpfn));
    }

    [Upstream("mm/ksm.c", "alloc_stable_node_chain", "13d96a78dba97a66")]
    private ksm_stable_node* alloc_stable_node_chain(ksm_stable_node* dup, rb_root* root)
    {
        ksm_stable_node* chain = alloc_stable_node();
        VM_BUG_ON(is_stable_node_chain(dup));
        if (chain != null)
        {
            INIT_HLIST_HEAD(&chain->hlist);
            chain->chain_prune_time = jiffies;
            chain->rmap_hlist_len = STABLE_NODE_CHAIN;
            // CONFIG_DEBUG_VM && CONFIG_NUMA
            chain->nid = NUMA_NO_NODE;
            ksm_stable_node_chains++;

            // The chain takes the dup's place in the tree; the dup hangs off the chain.
            rb_replace_node(&dup->node, &chain->node, root);

            stable_node_chain_add_dup(dup, chain);
        }
        return chain;
    }

    [Upstream("mm/ksm.c", "free_stable_node_chain", "5bfb28deb629303a")]
    private void free_stable_node_chain(ksm_stable_node* chain, rb_root* root)
    {
        rb_erase(&chain->node, root);
        free_stable_node(chain);
        ksm_stable_node_chains--;
    }

    [Upstream("mm/ksm.c", "remove_node_from_stable_tree", "1519004e0d35d19c")]
    private void remove_node_from_stable_tree(ksm_stable_node* stable_node)
    {
        BUG_ON(stable_node->rmap_hlist_len < 0);

        foreach (ksm_rmap_item* rmap_item in hlist_for_each_entry<ksm_rmap_item>(&stable_node->hlist, offsetof.ksm_rmap_item.hlist))
        {
            if (rmap_item->hlist.next != null)
                ksm_pages_sharing--;
            else
                ksm_pages_shared--;

            rmap_item->mm->ksm_merging_pages--;

            VM_BUG_ON(stable_node->rmap_hlist_len <= 0);
            stable_node->rmap_hlist_len--;
            put_anon_vma(rmap_item->anon_vma);
            rmap_item->address &= PAGE_MASK;
            cond_resched();
        }

        // BUILD_BUG_ONs on STABLE_NODE_DUP_HEAD's placement inside migrate_nodes hold by construction.
        if (stable_node->head == migrate_nodes)
            list_del(&stable_node->list);
        else
            stable_node_dup_del(stable_node);
        free_stable_node(stable_node);
    }

    [Upstream("mm/ksm.c", "ksm_get_folio", "04fe8fa127e1baaf")]
    internal folio* ksm_get_folio(ksm_stable_node* stable_node, ksm_get_folio_flags flags)
    {
        folio* folio;
        void* expected_mapping;
        ulong kpfn;

        expected_mapping = (void*)((ulong)stable_node | PAGE_MAPPING_KSM);
    again:
        kpfn = READ_ONCE(ref stable_node->kpfn);
        folio = pfn_folio(kpfn);
        if (READ_ONCE(&folio->mapping) != expected_mapping)
            goto stale;

        // A frozen refcount means the folio is being freed or migrated; only swapcache waits.
        while (!folio_try_get(folio))
        {
            if (!folio_test_swapcache(folio))
                goto stale;
            cpu_relax();
        }

        if (READ_ONCE(&folio->mapping) != expected_mapping)
        {
            folio_put(folio);
            goto stale;
        }

        if (flags == ksm_get_folio_flags.KSM_GET_FOLIO_TRYLOCK)
        {
            if (!folio_trylock(folio))
            {
                folio_put(folio);
                return (folio*)ERR_PTR(-EBUSY);
            }
        }
        else if (flags == ksm_get_folio_flags.KSM_GET_FOLIO_LOCK)
            folio_lock(folio);

        if (flags != ksm_get_folio_flags.KSM_GET_FOLIO_NOLOCK)
        {
            if (READ_ONCE(&folio->mapping) != expected_mapping)
            {
                folio_unlock(folio);
                folio_put(folio);
                goto stale;
            }
        }
        return folio;

    stale:
        // kpfn may have moved under migration: look again before declaring the node stale.
        smp_rmb();
        if (READ_ONCE(ref stable_node->kpfn) != kpfn)
            goto again;
        remove_node_from_stable_tree(stable_node);
        return null;
    }

    [Upstream("mm/ksm.c", "remove_rmap_item_from_tree", "42566a26b2e36e00")]
    internal void remove_rmap_item_from_tree(ksm_rmap_item* rmap_item)
    {
        if ((rmap_item->address & STABLE_FLAG) != 0)
        {
            ksm_stable_node* stable_node;
            folio* folio;

            stable_node = rmap_item->head;
            folio = ksm_get_folio(stable_node, ksm_get_folio_flags.KSM_GET_FOLIO_LOCK);
            if (folio == null)
                goto @out;

            hlist_del(&rmap_item->hlist);
            folio_unlock(folio);
            folio_put(folio);

            if (!hlist_empty(&stable_node->hlist))
                ksm_pages_sharing--;
            else
                ksm_pages_shared--;

            rmap_item->mm->ksm_merging_pages--;

            VM_BUG_ON(stable_node->rmap_hlist_len <= 0);
            stable_node->rmap_hlist_len--;

            put_anon_vma(rmap_item->anon_vma);
            rmap_item->head = null;
            rmap_item->address &= PAGE_MASK;
        }
        else if ((rmap_item->address & UNSTABLE_FLAG) != 0)
        {
            byte age;
            // Only an item inserted during this scan (age 0) is still in the unstable tree.
            age = (byte)(ksm_scan->seqnr - rmap_item->address);
            BUG_ON(age > 1);
            if (age == 0)
                rb_erase(&rmap_item->node, root_unstable_tree + NUMA(rmap_item->nid));
            ksm_pages_unshared--;
            rmap_item->address &= PAGE_MASK;
        }
    @out:
        cond_resched();
    }

    [Upstream("mm/ksm.c", "remove_trailing_rmap_items", "2305b252f3525c80")]
    internal void remove_trailing_rmap_items(ksm_rmap_item** rmap_list)
    {
        while (*rmap_list != null)
        {
            ksm_rmap_item* rmap_item = *rmap_list;
            *rmap_list = rmap_item->rmap_list;
            remove_rmap_item_from_tree(rmap_item);
            free_rmap_item(rmap_item);
        }
    }

    [Upstream("mm/ksm.c", "unmerge_ksm_pages", "4264cc50ba3b0332")]
    private int unmerge_ksm_pages(vm_area_struct* vma, ulong start, ulong end, bool lock_vma)
    {
        ulong addr;
        int err = 0;

        for (addr = start; addr < end && err == 0; addr += PAGE_SIZE)
        {
            if (ksm_test_exit(vma->vm_mm))
                break;
            if (signal_pending(current))
                err = -ERESTARTSYS;
            else
                err = break_ksm(vma, addr, lock_vma);
        }
        return err;
    }

    [Upstream("mm/ksm.c", "folio_stable_node", "cfd6df420e92706b")]
    internal static ksm_stable_node* folio_stable_node(folio* folio)
    {
        return folio_test_ksm(folio) ? (ksm_stable_node*)folio_raw_mapping(folio) : null;
    }

    [Upstream("mm/ksm.c", "page_stable_node", "7660171d63fabe44")]
    internal static ksm_stable_node* page_stable_node(page* page)
    {
        return folio_stable_node(page_folio(page));
    }

    [Upstream("mm/ksm.c", "folio_set_stable_node", "001851c3af4e8099")]
    internal void folio_set_stable_node(folio* folio, ksm_stable_node* stable_node)
    {
        VM_WARN_ON_FOLIO(folio_test_anon(folio) && PageAnonExclusive(&folio->page), folio);
        folio->mapping = (void*)((ulong)stable_node | PAGE_MAPPING_KSM);
    }

    [Upstream("mm/ksm.c", "remove_stable_node", "06b1fee32f48f169")]
    private int remove_stable_node(ksm_stable_node* stable_node)
    {
        folio* folio;
        int err;

        folio = ksm_get_folio(stable_node, ksm_get_folio_flags.KSM_GET_FOLIO_LOCK);
        if (folio == null)
        {
            // ksm_get_folio already dropped the stale node.
            return 0;
        }

        // A still-mapped KSM folio is busy: unmerging has not reached all its mappers.
        err = -EBUSY;
        if (!folio_mapped(folio))
        {
            // Keep PAGE_MAPPING_KSM so that a racing swapin still sees a KSM folio.
            folio_set_stable_node(folio, null);
            remove_node_from_stable_tree(stable_node);
            err = 0;
        }

        folio_unlock(folio);
        folio_put(folio);
        return err;
    }

    [Upstream("mm/ksm.c", "remove_stable_node_chain", "044c8872362bca87")]
    private int remove_stable_node_chain(ksm_stable_node* stable_node, rb_root* root)
    {
        if (!is_stable_node_chain(stable_node))
        {
            VM_BUG_ON(is_stable_node_dup(stable_node));
            if (remove_stable_node(stable_node) != 0)
                return 1;
            else
                return 0;
        }

        foreach (ksm_stable_node* dup in hlist_for_each_entry_safe<ksm_stable_node>(&stable_node->hlist, offsetof.ksm_stable_node.hlist_dup))
        {
            VM_BUG_ON(!is_stable_node_dup(dup));
            if (remove_stable_node(dup) != 0)
                return 1;
        }
        BUG_ON(!hlist_empty(&stable_node->hlist));
        free_stable_node_chain(stable_node, root);
        return 0;
    }

    [Upstream("mm/ksm.c", "remove_all_stable_nodes", "d8ed8e2d50f2670d")]
    private int remove_all_stable_nodes()
    {
        int nid;
        int err = 0;

        for (nid = 0; nid < ksm_nr_node_ids; nid++)
        {
            while (root_stable_tree[nid].rb_node != null)
            {
                ksm_stable_node* stable_node = rb_entry<ksm_stable_node>(root_stable_tree[nid].rb_node, offsetof.ksm_stable_node.node);
                if (remove_stable_node_chain(stable_node, root_stable_tree + nid) != 0)
                {
                    err = -EBUSY;
                    break;
                }
                cond_resched();
            }
        }
        foreach (ksm_stable_node* stable_node in list_for_each_entry_safe<ksm_stable_node>(migrate_nodes, offsetof.ksm_stable_node.list))
        {
            if (remove_stable_node(stable_node) != 0)
                err = -EBUSY;
            cond_resched();
        }
        return err;
    }

    [Upstream("mm/ksm.c", "unmerge_and_remove_all_rmap_items", "63487a2df3cf3d3a")]
    private int unmerge_and_remove_all_rmap_items()
    {
        ksm_mm_slot* mm_slot;
        mm_slot* slot;
        mm_struct* mm = null;
        vm_area_struct* vma;
        int err = 0;

        spin_lock(ksm_mmlist_lock);
        slot = list_entry<mm_slot>(ksm_mm_head->slot.mm_node.next, offsetof.mm_slot.mm_node);
        ksm_scan->mm_slot = mm_slot_entry<ksm_mm_slot>(slot, offsetof.ksm_mm_slot.slot);
        spin_unlock(ksm_mmlist_lock);

        for (mm_slot = ksm_scan->mm_slot; mm_slot != ksm_mm_head; mm_slot = ksm_scan->mm_slot)
        {
            vma_iterator vmi;
            vma_iter_init(&vmi, mm_slot->slot.mm, 0); // VMA_ITERATOR

            mm = mm_slot->slot.mm;
            mmap_read_lock(mm);

            // An exiting mm's page tables may already be gone; just drop its items.
            if (ksm_test_exit(mm))
                goto mm_exiting;

            while ((vma = vma_next(&vmi)) != null) // for_each_vma
            {
                if ((vma->vm_flags & VM_MERGEABLE) == 0 || vma->anon_vma == null)
                    continue;
                err = unmerge_ksm_pages(vma, vma->vm_start, vma->vm_end, false);
                if (err != 0)
                    goto error;
            }

        mm_exiting:
            remove_trailing_rmap_items(&mm_slot->rmap_list);
            mmap_read_unlock(mm);

            spin_lock(ksm_mmlist_lock);
            slot = list_entry<mm_slot>(mm_slot->slot.mm_node.next, offsetof.mm_slot.mm_node);
            ksm_scan->mm_slot = mm_slot_entry<ksm_mm_slot>(slot, offsetof.ksm_mm_slot.slot);
            if (ksm_test_exit(mm))
            {
                hash_del(&mm_slot->slot.hash);
                list_del(&mm_slot->slot.mm_node);
                spin_unlock(ksm_mmlist_lock);

                mm_slot_free(mm_slot_cache, mm_slot);
                clear_bit(MMF_VM_MERGEABLE, &mm->flags);
                clear_bit(MMF_VM_MERGE_ANY, &mm->flags);
                mmdrop(mm);
            }
            else
                spin_unlock(ksm_mmlist_lock);
        }

        // Stable nodes still mapped elsewhere stay; that is not an error here.
        remove_all_stable_nodes();
        ksm_scan->seqnr = 0;
        return 0;

    error:
        mmap_read_unlock(mm);
        spin_lock(ksm_mmlist_lock);
        ksm_scan->mm_slot = ksm_mm_head;
        spin_unlock(ksm_mmlist_lock);
        return err;
    }
}
