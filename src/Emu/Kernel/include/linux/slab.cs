// SPDX-License-Identifier: GPL-2.0-only
// include/linux/slab.h: the allocator API kernel code calls. The allocator behind it is Emu's
// slab model (mm/slub.cs), not SLUB.
//
// Idioms:
//  - A cache is a managed `kmem_cache` object (kernel code keeps it in a field, as upstream keeps
//    the pointer); objects are raw pointers into the machine's kernel heap.
//  - The _noprof/alloc_hooks split of memory-allocation profiling is kept in the names only:
//    kmem_cache_alloc() calls kmem_cache_alloc_noprof() and there are no hooks.
//  - kmem_cache_create()'s _Generic dispatch becomes C# overloads; KMEM_CACHE(struct, flags)
//    becomes KMEM_CACHE<T>(flags), taking __alignof__ from the generated layout.
using System;
using Emu.Layout;
using static Emu.Kernel.KernelConstants;
using gfp_t = uint;
using slab_flags_t = uint;

namespace Emu.Kernel;

/// <summary>An object constructor, upstream's <c>void (*ctor)(void *)</c>.</summary>
public unsafe delegate void kmem_cache_ctor(void* obj);

/// <summary><c>struct kmem_cache_args</c>: the optional arguments of cache creation.</summary>
public sealed class kmem_cache_args
{
    public uint align;
    public uint useroffset;
    public uint usersize;
    public uint freeptr_offset;
    public bool use_freeptr_offset;
    public kmem_cache_ctor? ctor;
}

public unsafe partial class Kernel
{
    [Upstream("include/linux/slab.h", "ZERO_OR_NULL_PTR", UpstreamAttribute.Macro)]
    internal static bool ZERO_OR_NULL_PTR(void* x) => (ulong)x <= ZERO_SIZE_PTR;

    [Upstream("include/linux/slab.h", "arch_slab_minalign", "fea7420d54383972")]
    internal static uint arch_slab_minalign()
    {
        return (uint)ARCH_SLAB_MINALIGN;
    }

    [Upstream("include/linux/slab.h", "__kmem_cache_create", "4afda48aeb487a0b")]
    internal kmem_cache? __kmem_cache_create(string name, uint size, uint align,
        slab_flags_t flags, kmem_cache_ctor? ctor)
    {
        var kmem_args = new kmem_cache_args
        {
            align = align,
            ctor = ctor,
        };

        return __kmem_cache_create_args(name, size, kmem_args, flags);
    }

    /// <summary>The legacy form: name, object size, alignment, flags, constructor.</summary>
    [Upstream("include/linux/slab.h", "kmem_cache_create", UpstreamAttribute.Macro)]
    internal kmem_cache? kmem_cache_create(string name, uint object_size, uint align, slab_flags_t flags,
        kmem_cache_ctor? ctor) => __kmem_cache_create(name, object_size, align, flags, ctor);

    /// <summary>The 6.12 form: name, object size, arguments (null for defaults), flags.</summary>
    [Upstream("include/linux/slab.h", "kmem_cache_create", UpstreamAttribute.Macro)]
    internal kmem_cache? kmem_cache_create(string name, uint object_size, kmem_cache_args? args, slab_flags_t flags) =>
        __kmem_cache_create_args(name, object_size, args ?? new kmem_cache_args(), flags);

    /// <summary>A cache named after struct <typeparamref name="T"/>, with its size and alignment.</summary>
    [Upstream("include/linux/slab.h", "KMEM_CACHE", UpstreamAttribute.Macro)]
    internal kmem_cache? KMEM_CACHE<T>(slab_flags_t __flags) where T : unmanaged
    {
        var name = typeof(T).Name;
        var layout = LayoutManifest.Find(Abi.X86_64, name)
            ?? throw new ArgumentException($"struct {name} is not a generated kernel struct", nameof(T));
        return __kmem_cache_create_args(name, (uint)sizeof(T),
            new kmem_cache_args { align = (uint)layout.Align }, __flags);
    }

    [Upstream("include/linux/slab.h", "kmem_cache_alloc", UpstreamAttribute.Macro)]
    internal void* kmem_cache_alloc(kmem_cache s, gfp_t flags) => kmem_cache_alloc_noprof(s, flags);

    [Upstream("include/linux/slab.h", "kmem_cache_zalloc", UpstreamAttribute.Macro)]
    internal void* kmem_cache_zalloc(kmem_cache _k, gfp_t _flags) => kmem_cache_alloc(_k, _flags | __GFP_ZERO);

    [Upstream("include/linux/slab.h", "__kmalloc_index", "d89b848dccdc31a7")]
    internal unsafe uint __kmalloc_index(nuint size, bool size_is_constant)
    {
        if (size == 0)
            return 0;

        if (size <= KMALLOC_MIN_SIZE)
            return KMALLOC_SHIFT_LOW;

        if (KMALLOC_MIN_SIZE <= 32 && size > 64 && size <= 96)
            return 1;
        if (KMALLOC_MIN_SIZE <= 64 && size > 128 && size <= 192)
            return 2;
        if (size <=          8) return 3;
        if (size <=         16) return 4;
        if (size <=         32) return 5;
        if (size <=         64) return 6;
        if (size <=        128) return 7;
        if (size <=        256) return 8;
        if (size <=        512) return 9;
        if (size <=       1024) return 10;
        if (size <=   2 * 1024) return 11;
        if (size <=   4 * 1024) return 12;
        if (size <=   8 * 1024) return 13;
        if (size <=  16 * 1024) return 14;
        if (size <=  32 * 1024) return 15;
        if (size <=  64 * 1024) return 16;
        if (size <= 128 * 1024) return 17;
        if (size <= 256 * 1024) return 18;
        if (size <= 512 * 1024) return 19;
        if (size <= 1024 * 1024) return 20;
        if (size <=  2 * 1024 * 1024) return 21;

        // The constant-size case is a build error upstream; C# cannot tell, so both BUG.
        BUG();

        return unchecked((uint)-1);
    }

    /// <summary>The constant-size branch upstream takes picks the same cache as __kmalloc_noprof().</summary>
    [Upstream("include/linux/slab.h", "kmalloc_noprof", "7750cd8bb3d8c3e2")]
    internal void* kmalloc_noprof(nuint size, gfp_t flags)
    {
        return __kmalloc_noprof(size, flags);
    }

    [Upstream("include/linux/slab.h", "kmalloc", UpstreamAttribute.Macro)]
    internal void* kmalloc(nuint size, gfp_t flags) => kmalloc_noprof(size, flags);

    [Upstream("include/linux/slab.h", "kzalloc_noprof", "86dc701e8e998753")]
    internal void* kzalloc_noprof(nuint size, gfp_t flags)
    {
        return kmalloc_noprof(size, flags | __GFP_ZERO);
    }

    [Upstream("include/linux/slab.h", "kzalloc", UpstreamAttribute.Macro)]
    internal void* kzalloc(nuint size, gfp_t flags) => kzalloc_noprof(size, flags);
}
