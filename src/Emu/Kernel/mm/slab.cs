// SPDX-License-Identifier: GPL-2.0-only
// mm/slab.h: struct kmem_cache, the flag masks cache creation checks, and the init-on-alloc/free
// policy. The struct keeps the members Emu's model uses, under upstream's names; SLUB's per-cpu
// and per-node state is replaced by the model's object store (Emu.Arena.SlabCache).
using Emu.Arena;
using static Emu.Kernel.KernelConstants;
using gfp_t = uint;
using slab_flags_t = uint;

namespace Emu.Kernel;

/// <summary><c>struct kmem_cache</c>: one slab cache.</summary>
public sealed class kmem_cache
{
    internal slab_flags_t flags;
    internal ulong min_partial;
    /// <summary>Object size including padding: the stride between objects.</summary>
    internal uint size;
    /// <summary>Object size without metadata: what the user asked for.</summary>
    internal uint object_size;
    internal int refcount;
    internal kmem_cache_ctor? ctor;
    /// <summary>Offset to metadata; the model keeps none inside objects, so the word-aligned object size.</summary>
    internal uint inuse;
    internal uint align;
    internal string name = "";
    internal uint useroffset;
    internal uint usersize;

    /// <summary>Emu: the object store standing in for cpu_slab and node[]; null once the cache is released.</summary>
    internal SlabCache? slabs;

    internal kmem_cache()
    {
    }

    /// <summary>The cache's name, as /proc/slabinfo shows it.</summary>
    public string Name => name;

    /// <summary>Size of one object as asked for.</summary>
    public uint ObjectSize => object_size;

    /// <summary>Objects allocated and not yet freed.</summary>
    public long ObjectsInUse => slabs?.ObjectsInUse ?? 0;

    /// <summary>Bytes of objects in use (objects times object size).</summary>
    public ulong BytesInUse => (ulong)ObjectsInUse * object_size;

    /// <summary>Bytes of heap the cache's slabs hold, free objects and padding included.</summary>
    public ulong SlabBytes => slabs?.SlabBytes ?? 0;

    public override string ToString() => name;
}

public unsafe partial class Kernel
{
    [Upstream("mm/slab.h", "SLAB_CORE_FLAGS", UpstreamAttribute.Macro)]
    internal const slab_flags_t SLAB_CORE_FLAGS = SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA |
        SLAB_CACHE_DMA32 | SLAB_PANIC |
        SLAB_TYPESAFE_BY_RCU | SLAB_DEBUG_OBJECTS;

    /// <summary>CONFIG_SLUB_DEBUG=y.</summary>
    [Upstream("mm/slab.h", "SLAB_DEBUG_FLAGS", UpstreamAttribute.Macro)]
    internal const slab_flags_t SLAB_DEBUG_FLAGS = SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER |
        SLAB_TRACE | SLAB_CONSISTENCY_CHECKS;

    [Upstream("mm/slab.h", "SLAB_CACHE_FLAGS", UpstreamAttribute.Macro)]
    internal const slab_flags_t SLAB_CACHE_FLAGS = SLAB_NOLEAKTRACE | SLAB_RECLAIM_ACCOUNT |
        SLAB_TEMPORARY | SLAB_ACCOUNT |
        SLAB_NO_USER_FLAGS | SLAB_KMALLOC | SLAB_NO_MERGE;

    [Upstream("mm/slab.h", "CACHE_CREATE_MASK", UpstreamAttribute.Macro)]
    internal const slab_flags_t CACHE_CREATE_MASK = SLAB_CORE_FLAGS | SLAB_DEBUG_FLAGS | SLAB_CACHE_FLAGS;

    [Upstream("mm/slab.h", "SLAB_FLAGS_PERMITTED", UpstreamAttribute.Macro)]
    internal const slab_flags_t SLAB_FLAGS_PERMITTED = SLAB_CORE_FLAGS |
        SLAB_RED_ZONE |
        SLAB_POISON |
        SLAB_STORE_USER |
        SLAB_TRACE |
        SLAB_CONSISTENCY_CHECKS |
        SLAB_NOLEAKTRACE |
        SLAB_RECLAIM_ACCOUNT |
        SLAB_TEMPORARY |
        SLAB_ACCOUNT |
        SLAB_KMALLOC |
        SLAB_NO_MERGE |
        SLAB_NO_USER_FLAGS;

    /// <summary>static_branch_maybe(CONFIG_INIT_ON_ALLOC_DEFAULT_ON, &amp;init_on_alloc) reads <see cref="init_on_alloc"/>.</summary>
    [Upstream("mm/slab.h", "slab_want_init_on_alloc", "51d5bebee45e5c51")]
    internal bool slab_want_init_on_alloc(gfp_t flags, kmem_cache c)
    {
        if (init_on_alloc)
        {
            if (c.ctor is not null)
                return false;
            if ((c.flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) != 0)
                return (flags & __GFP_ZERO) != 0;
            return true;
        }
        return (flags & __GFP_ZERO) != 0;
    }

    [Upstream("mm/slab.h", "slab_want_init_on_free", "57849721f240f9a7")]
    internal bool slab_want_init_on_free(kmem_cache c)
    {
        if (init_on_free)
            return !(c.ctor is not null ||
                     (c.flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) != 0);
        return false;
    }
}
