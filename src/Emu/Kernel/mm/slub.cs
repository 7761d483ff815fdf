// SPDX-License-Identifier: GPL-2.0-only
// mm/slub.c — modelled, not transliterated. SLUB's per-cpu slabs, partial lists per node,
// cmpxchg fast paths and freelist encoding are not what Emu studies, so the allocator below the
// slab API is Emu's model (Emu.Arena.SlabCache on the machine's SlabHeap), with SLUB's names and
// observable semantics:
//  - every cache behaves as if the kernel booted with slab_debug=FP: freed objects are filled
//    with POISON_FREE and end in POISON_END, the poison is verified when the object is handed
//    out again, and double frees, foreign and invalid pointers are caught. Where SLUB debug
//    reports and carries on, Emu prints the same kind of report and BUGs;
//  - the poison rule is calculate_sizes()'s: no poisoning for caches with a constructor or
//    SLAB_TYPESAFE_BY_RCU, whose free objects must stay valid objects of their type;
//  - SLAB_TYPESAFE_BY_RCU: Emu has no RCU grace periods yet, so freed objects go back on the free
//    list at once; they are not poisoned, so the type-stability guarantee holds;
//  - objects are aligned as calculate_alignment() says (at least ARCH_SLAB_MINALIGN, 8), so the
//    low bits stay free for tags such as anon_vma|1 in folio->mapping;
//  - kmalloc sizes above KMALLOC_MAX_CACHE_SIZE get a heap run of their own, page-rounded and
//    zeroed (the page allocator's init_on_alloc), where upstream takes pages.
// Only the functions whose bodies follow upstream carry markers.
using System;
using System.Collections.Generic;
using System.Numerics;
using Emu.Arena;
using static Emu.Kernel.KernelConstants;
using gfp_t = uint;
using slab_flags_t = uint;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/poison.h", "POISON_INUSE", UpstreamAttribute.Macro)]
    public const byte POISON_INUSE = 0x5a;

    [Upstream("include/linux/poison.h", "POISON_FREE", UpstreamAttribute.Macro)]
    public const byte POISON_FREE = 0x6b;

    [Upstream("include/linux/poison.h", "POISON_END", UpstreamAttribute.Macro)]
    public const byte POISON_END = 0xa5;

    [Upstream("mm/slub.c", "__OBJECT_POISON", UpstreamAttribute.Macro)]
    internal const slab_flags_t __OBJECT_POISON = 1U << (int)_SLAB_OBJECT_POISON;

    [Upstream("mm/slub.c", "MIN_PARTIAL", UpstreamAttribute.Macro)]
    private const ulong MIN_PARTIAL = 5;

    [Upstream("mm/slub.c", "MAX_PARTIAL", UpstreamAttribute.Macro)]
    private const ulong MAX_PARTIAL = 10;

    /// <summary>The debug flags every cache gets, as from slab_debug=FP on the command line.</summary>
    internal slab_flags_t slub_debug = SLAB_CONSISTENCY_CHECKS | SLAB_POISON;

    /// <summary>
    /// Emu's fault injection for slab allocations (upstream's failslab, which Debian builds
    /// without): return true to make this allocation fail. Null: never fail.
    /// </summary>
    internal Func<kmem_cache, gfp_t, bool>? failslab;

    /// <summary>kmem_cache_init(), reduced to what the model needs: the heap, then the kmalloc caches.</summary>
    internal void kmem_cache_init(SlabHeap heap)
    {
        slab_heap = heap;
        slab_state = slab_state_t.PARTIAL;
        create_kmalloc_caches();
        slab_state = slab_state_t.FULL;
    }

    /// <summary>kmem_cache_flags() without slab_debug= blocks: the global debug flags, unless the cache opts out.</summary>
    private slab_flags_t kmem_cache_flags(slab_flags_t flags, string name)
    {
        slab_flags_t slub_debug_local = slub_debug;

        if ((flags & SLAB_NO_USER_FLAGS) != 0)
            return flags;
        if ((flags & SLAB_NOLEAKTRACE) != 0)
            slub_debug_local &= ~SLAB_STORE_USER;
        return flags | slub_debug_local;
    }

    /// <summary>
    /// calculate_sizes() for a layout with no metadata inside the object: the free list, and the
    /// in-use state live beside the slab, so the stride is the word-aligned object size rounded to
    /// the alignment. A zero-sized object is refused (it could hold no poison).
    /// </summary>
    private static bool calculate_sizes(kmem_cache_args args, kmem_cache s)
    {
        slab_flags_t flags = s.flags;
        uint size = s.object_size;

        if (size == 0)
            return false;

        size = ALIGN(size, (uint)sizeof(void*));

        // Poisoning is only for caches whose free objects need not stay valid (mm/slub.c calculate_sizes).
        if ((flags & SLAB_POISON) != 0 && (flags & SLAB_TYPESAFE_BY_RCU) == 0 &&
            s.ctor is null)
            s.flags |= __OBJECT_POISON;
        else
            s.flags &= ~__OBJECT_POISON;

        s.inuse = size;
        s.size = ALIGN(size, s.align);
        return true;
    }

    /// <summary>do_kmem_cache_create(): fill in the cache, size it, give it an object store.</summary>
    private int do_kmem_cache_create(kmem_cache s, string name, uint size, kmem_cache_args args, slab_flags_t flags)
    {
        int err = -EINVAL;

        s.name = name;
        s.size = s.object_size = size;
        s.flags = kmem_cache_flags(flags, s.name);
        s.align = args.align;
        s.ctor = args.ctor;
        s.useroffset = args.useroffset;
        s.usersize = args.usersize;

        if (!calculate_sizes(args, s))
            goto @out;

        s.min_partial = Math.Min(MAX_PARTIAL, (ulong)BitOperations.Log2(s.size) / 2);
        s.min_partial = Math.Max(MIN_PARTIAL, s.min_partial);

        s.slabs = new SlabCache(slab_heap!, s, s.object_size, s.size, (s.flags & __OBJECT_POISON) != 0,
            (int)s.min_partial, s.ctor);
        err = 0;
    @out:
        return err;
    }

    /// <summary>
    /// __kmem_cache_shutdown(): empty slabs go back to the heap; live objects are reported as
    /// list_slab_objects() does, and the cache keeps them.
    /// </summary>
    private int __kmem_cache_shutdown(kmem_cache s)
    {
        var remaining = new List<nint>();
        var problem = s.slabs!.Shutdown(remaining);
        if (problem is not null)
            slab_corruption(s, problem);
        if (remaining.Count == 0)
            return 0;
        slab_bug(s, "Objects remaining on __kmem_cache_shutdown()");
        foreach (var line in SlabCache.ObjectLines(remaining, slab_heap!))
            pr_err(line);
        return 1;
    }

    /// <summary>should_failslab() (mm/failslab.c) with Emu's <see cref="failslab"/> as should_fail_ex().</summary>
    private int should_failslab(kmem_cache s, gfp_t gfpflags)
    {
        if ((gfpflags & __GFP_NOFAIL) != 0)
            return 0;

        return failslab is not null && failslab(s, gfpflags) ? -ENOMEM : 0;
    }

    /// <summary>
    /// slab_alloc_node(): the pre-alloc hook (fault injection), an object from the store with its
    /// poison checked (alloc_debug_processing), then the post-alloc hook's zeroing.
    /// </summary>
    private void* slab_alloc_node(kmem_cache s, void* lru, gfp_t gfpflags, int node, ulong addr, nuint orig_size)
    {
        var store = s.slabs;
        if (store is null)
            slab_corruption(s, new SlabProblem("Allocation from a destroyed cache"));

        if (should_failslab(s, gfpflags) != 0)
            return null;

        var @object = store!.Allocate(out bool newSlab, out var problem);
        if (newSlab)
            WARN_ON_ONCE(s.ctor is not null && (gfpflags & __GFP_ZERO) != 0);
        if (@object is null)
        {
            slab_out_of_memory(s, gfpflags, node);
            if ((gfpflags & __GFP_NOFAIL) != 0)
                slab_corruption(s, new SlabProblem("Kernel heap exhausted under __GFP_NOFAIL"));
            return null;
        }
        if (problem is not null)
            slab_corruption(s, problem);

        if (slab_want_init_on_alloc(gfpflags, s))
            memset(@object, 0, s.object_size);
        return @object;
    }

    private void slab_out_of_memory(kmem_cache s, gfp_t gfpflags, int nid)
    {
        if ((gfpflags & __GFP_NOWARN) != 0)
            return;

        pr_warn($"SLUB: Unable to allocate memory on CPU 0 (of node 0) on node {nid}, gfp=0x{gfpflags:x}");
        pr_warn($"  cache: {s.name}, object size: {s.object_size}, buffer size: {s.size}, default order: 0, min order: 0");
    }

    /// <summary>slab_free(): the free hook's init_on_free, then the store's checks and poisoning.</summary>
    private void slab_free(kmem_cache s, Slab slab, void* @object, ulong addr)
    {
        if (slab_want_init_on_free(s))
            memset(@object, 0, s.object_size);
        var problem = s.slabs!.Free(slab, (byte*)@object);
        if (problem is not null)
            slab_corruption(s, problem);
    }

    [Upstream("mm/slub.c", "kmem_cache_alloc_noprof", "c6b963cfa8b773e3")]
    internal void* kmem_cache_alloc_noprof(kmem_cache s, gfp_t gfpflags)
    {
        void* ret = slab_alloc_node(s, null, gfpflags, NUMA_NO_NODE, 0,
            s.object_size);

        return ret;
    }

    /// <summary>virt_to_slab(): the heap's owner map; a pointer that is no slab object BUGs.</summary>
    private Slab virt_to_slab(void* x)
    {
        if (slab_heap!.OwnerOf(x) is Slab slab)
            return slab;
        slab_corruption(null, new SlabProblem("virt_to_cache: Object is not a Slab page!", DescribeNonSlab(x)));
        return null!;
    }

    /// <summary>
    /// cache_from_obj() as with CONFIG_SLAB_FREELIST_HARDENED: the object's own cache. Where
    /// upstream WARNs and frees to the right cache, Emu BUGs: freeing to the wrong cache is a bug
    /// in the transliteration that a test must see.
    /// </summary>
    private kmem_cache? cache_from_obj(kmem_cache s, void* x)
    {
        var cachep = virt_to_slab(x).Cache.Owner;
        if (cachep != s)
            slab_corruption(cachep, new SlabProblem(
                $"cache_from_obj: Wrong slab cache. {s.name} but object is from {cachep.name}",
                SlabCache.ObjectLine(virt_to_slab(x), (byte*)x)));
        return cachep;
    }

    [Upstream("mm/slub.c", "kmem_cache_free", "a1980bc214a8924f")]
    internal void kmem_cache_free(kmem_cache s, void* x)
    {
        s = cache_from_obj(s, x)!;
        if (s is null)
            return;
        slab_free(s, virt_to_slab(x), x, 0);
    }

    /// <summary>___kmalloc_large_node(): a page-rounded heap run, zeroed as init_on_alloc zeroes pages.</summary>
    private void* ___kmalloc_large_node(nuint size, gfp_t flags, int node)
    {
        void* ptr = null;
        int order = get_order(size);

        if (order > MAX_PAGE_ORDER)
        {
            // __alloc_pages() refuses orders above MAX_PAGE_ORDER with a warning.
            if ((flags & __GFP_NOWARN) == 0)
                WARN_ON_ONCE(order > MAX_PAGE_ORDER);
            return null;
        }

        ulong bytes = (ulong)PAGE_SIZE << order;
        int chunks = (int)((bytes + SlabHeap.ChunkSize - 1) >> SlabHeap.ChunkShift);
        var folio = slab_heap!.AllocateRun(chunks, a => new LargeKmalloc((byte*)a, size, bytes));
        if (folio is not null)
        {
            ptr = folio.Address;
            memset(ptr, 0, (nuint)bytes);
        }
        else if ((flags & __GFP_NOWARN) == 0)
        {
            pr_warn($"kmalloc_large: page allocation failure: order:{order}, mode:0x{flags:x}");
        }

        return ptr;
    }

    /// <summary>free_large_kmalloc(): the run goes back to the heap; anything else is a bad kfree.</summary>
    private void free_large_kmalloc(object? folio, void* @object)
    {
        if (folio is not LargeKmalloc large || large.Address != @object)
        {
            slab_corruption(null, new SlabProblem("kfree: Object is neither a slab object nor a large kmalloc", DescribeNonSlab(@object)));
            return;
        }
        slab_heap!.FreeRun(large.Address);
    }

    /// <summary>kmalloc_slab(): the KMALLOC_NORMAL cache of the size's index.</summary>
    private kmem_cache kmalloc_slab(nuint size, gfp_t flags)
    {
        return kmalloc_caches[__kmalloc_index(size, false)]!;
    }

    [Upstream("mm/slub.c", "__do_kmalloc_node", "abd99c5787bf1867")]
    private void* __do_kmalloc_node(nuint size, gfp_t flags, int node)
    {
        kmem_cache s;
        void* ret;

        if (size > KMALLOC_MAX_CACHE_SIZE)
        {
            ret = ___kmalloc_large_node(size, flags, node);
            return ret;
        }

        if (size == 0)
            return (void*)ZERO_SIZE_PTR;

        s = kmalloc_slab(size, flags);

        ret = slab_alloc_node(s, null, flags, node, 0, size);
        return ret;
    }

    [Upstream("mm/slub.c", "__kmalloc_noprof", "1a2a392a8f9360ae")]
    internal void* __kmalloc_noprof(nuint size, gfp_t flags)
    {
        return __do_kmalloc_node(size, flags, NUMA_NO_NODE);
    }

    /// <summary>virt_to_folio()/folio_test_slab() are the heap's owner map.</summary>
    [Upstream("mm/slub.c", "kfree", "ec24399e72d4e35e")]
    internal void kfree(void* @object)
    {
        object? folio;
        kmem_cache s;
        void* x = @object;

        if (ZERO_OR_NULL_PTR(@object))
            return;

        folio = slab_heap!.OwnerOf(@object);
        if (folio is not Slab slab)
        {
            free_large_kmalloc(folio, @object);
            return;
        }

        s = slab.Cache.Owner;
        slab_free(s, slab, x, 0);
    }

    /// <summary>__slab_bug(): the report header (Emu keeps no taint flags).</summary>
    private void slab_bug(kmem_cache? s, string reason)
    {
        pr_err("=============================================================================");
        pr_err($"BUG {s?.name ?? "<unknown>"} (Not tainted): {reason}");
        pr_err("-----------------------------------------------------------------------------");
    }

    /// <summary>What SLUB debug reports and survives, Emu reports and BUGs on.</summary>
    private void slab_corruption(kmem_cache? s, SlabProblem problem)
    {
        int mark = LogMark;
        slab_bug(s, problem.Reason);
        foreach (var line in problem.Lines)
            pr_err(line);
        BUG(mark);
    }

    private string DescribeNonSlab(void* x)
    {
        var heap = slab_heap!;
        var global = heap.GlobalAt(x);
        return global is not null ? $"0x{(ulong)x:x} is inside kernel global '{global}'"
            : heap.OwnerOf(x) is LargeKmalloc l ? $"0x{(ulong)x:x} is inside a {l.Size}-byte kmalloc at 0x{(ulong)l.Address:x}"
            : $"0x{(ulong)x:x} is not in the kernel heap's slabs";
    }

    /// <summary>get_order() (include/asm-generic/getorder.h) for the sizes kmalloc sees.</summary>
    private static int get_order(nuint size)
    {
        size--;
        size >>= PAGE_SHIFT;
        return size == 0 ? 0 : 64 - BitOperations.LeadingZeroCount((ulong)size);
    }
}
