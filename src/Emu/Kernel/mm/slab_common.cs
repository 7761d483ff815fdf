// SPDX-License-Identifier: GPL-2.0-only
// mm/slab_common.c: cache creation and destruction, and the kmalloc caches, as in 6.12.117
// with CONFIG_DEBUG_VM on. What sits below them (do_kmem_cache_create, __kmem_cache_shutdown
// ...) is Emu's slab model in mm/slub.cs.
//
// Idioms:
//  - slab_caches is a List (newest first, as list_add puts it); slab_mutex a Lock taken with
//    Enter/Exit where upstream calls mutex_lock/mutex_unlock.
//  - struct kmem_cache is a managed object: kmem_cache_zalloc(kmem_cache, ...) becomes `new`,
//    kmem_cache_free(kmem_cache, s) is left to the collector; names need no kstrdup_const.
//  - ERR_PTR/PTR_ERR between create_cache and its caller become a return value and an out errno.
//  - %pS of _RET_IP_ prints the calling C# member.
using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;
using static Emu.Kernel.KernelConstants;
using slab_flags_t = uint;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>enum slab_state (mm/slab.h).</summary>
    internal enum slab_state_t
    {
        DOWN,
        PARTIAL,
        UP,
        FULL,
    }

    internal slab_state_t slab_state;

    /// <summary>Every cache, newest first.</summary>
    internal readonly List<kmem_cache> slab_caches = new();

    internal readonly Lock slab_mutex = new();

    /// <summary>kmalloc_caches[KMALLOC_NORMAL]: Emu has only the normal kmalloc type (no DMA, memcg or reclaimable variants).</summary>
    internal readonly kmem_cache?[] kmalloc_caches = new kmem_cache?[KMALLOC_SHIFT_HIGH + 1];

    /// <summary>kmalloc_info[]: the KMALLOC_NORMAL name and size of each kmalloc index.</summary>
    private static readonly (string name, uint size)[] kmalloc_info =
    {
        ("kmalloc-0", 0), ("kmalloc-96", 96), ("kmalloc-192", 192),
        ("kmalloc-8", 8), ("kmalloc-16", 16), ("kmalloc-32", 32), ("kmalloc-64", 64),
        ("kmalloc-128", 128), ("kmalloc-256", 256), ("kmalloc-512", 512),
        ("kmalloc-1k", 1024), ("kmalloc-2k", 2048), ("kmalloc-4k", 4096), ("kmalloc-8k", 8192),
        ("kmalloc-16k", 16384), ("kmalloc-32k", 32768), ("kmalloc-64k", 65536),
        ("kmalloc-128k", 131072), ("kmalloc-256k", 262144), ("kmalloc-512k", 524288),
        ("kmalloc-1M", 1048576), ("kmalloc-2M", 2097152),
    };

    [Upstream("mm/slab_common.c", "kmem_cache_is_duplicate_name", "677dc711cf810faa")]
    private bool kmem_cache_is_duplicate_name(string name)
    {
        foreach (var s in slab_caches)
        {
            if (s.name == name)
                return true;
        }

        return false;
    }

    /// <summary>The CONFIG_DEBUG_VM variant; in_interrupt() is never true in Emu.</summary>
    [Upstream("mm/slab_common.c", "kmem_cache_sanity_check", "c8c89580f85871fa")]
    private int kmem_cache_sanity_check(string? name, uint size)
    {
        if (name is null || size > KMALLOC_MAX_SIZE)
        {
            pr_err($"kmem_cache_create({name ?? "(null)"}) integrity check failed");
            return -EINVAL;
        }

        WARN(kmem_cache_is_duplicate_name(name),
            $"kmem_cache of name '{name}' already exists");

        WARN_ON(name.Contains(' '));
        return 0;
    }

    /// <summary>cache_line_size() on x86 is the boot CPU's cache alignment: 64 bytes on x86_64.</summary>
    [Upstream("mm/slab_common.c", "calculate_alignment", "c7dee02f9535f49f")]
    internal static uint calculate_alignment(slab_flags_t flags,
        uint align, uint size)
    {
        if ((flags & SLAB_HWCACHE_ALIGN) != 0)
        {
            uint ralign;

            ralign = L1_CACHE_BYTES;
            while (size <= ralign / 2)
                ralign /= 2;
            align = Math.Max(align, ralign);
        }

        align = Math.Max(align, arch_slab_minalign());

        return ALIGN(align, (uint)sizeof(void*));
    }

    [Upstream("mm/slab_common.c", "create_cache", "55c514f92fd37102")]
    private kmem_cache? create_cache(string name,
        uint object_size,
        kmem_cache_args args,
        slab_flags_t flags, out int errno)
    {
        kmem_cache s;
        int err;

        if (WARN_ON(args.useroffset + args.usersize > object_size))
            args.useroffset = args.usersize = 0;

        err = -EINVAL;
        if (args.use_freeptr_offset &&
            (args.freeptr_offset >= object_size ||
             (flags & SLAB_TYPESAFE_BY_RCU) == 0 ||
             !IS_ALIGNED(args.freeptr_offset, (uint)sizeof(ulong))))
            goto @out;

        s = new kmem_cache();
        err = do_kmem_cache_create(s, name, object_size, args, flags);
        if (err != 0)
            goto out_free_cache;

        s.refcount = 1;
        slab_caches.Insert(0, s);
        errno = 0;
        return s;

    out_free_cache:
    @out:
        errno = err;
        return null;
    }

    [Upstream("mm/slab_common.c", "__kmem_cache_create_args", "7599b5e8f2e60dd9")]
    internal kmem_cache? __kmem_cache_create_args(string name,
        uint object_size,
        kmem_cache_args args,
        slab_flags_t flags)
    {
        kmem_cache? s = null;
        string cache_name;
        int err;

        // CONFIG_SLUB_DEBUG: slub_debug_enabled and stack_depot_init() have nothing to switch on in Emu.

        slab_mutex.Enter();

        err = kmem_cache_sanity_check(name, object_size);
        if (err != 0)
        {
            goto out_unlock;
        }

        if ((flags & ~SLAB_FLAGS_PERMITTED) != 0)
        {
            err = -EINVAL;
            goto out_unlock;
        }

        flags &= CACHE_CREATE_MASK;

        // CONFIG_HARDENED_USERCOPY=y: the usercopy window must lie within the object.
        if (WARN_ON(args.usersize == 0 && args.useroffset != 0) ||
            WARN_ON(object_size < args.usersize ||
                    object_size - args.usersize < args.useroffset))
            args.usersize = args.useroffset = 0;

        s = __kmem_cache_alias(name, object_size, flags, args);
        if (s is not null)
            goto out_unlock;

        cache_name = name;

        args.align = calculate_alignment(flags, args.align, object_size);
        s = create_cache(cache_name, object_size, args, flags, out err);

    out_unlock:
        slab_mutex.Exit();

        if (err != 0)
        {
            if ((flags & SLAB_PANIC) != 0)
            {
                int mark = LogMark;
                pr_err($"Kernel panic - not syncing: __kmem_cache_create_args: Failed to create slab '{name}'. Error {err}");
                BUG(mark);
            }
            else
            {
                pr_warn($"__kmem_cache_create_args({name}) failed with error {err}");
            }
            return null;
        }
        return s;
    }

    /// <summary>Emu never merges caches (SLUB would alias compatible ones, except with SLAB_POISON, which Emu sets on all).</summary>
    private static kmem_cache? __kmem_cache_alias(string name, uint size, slab_flags_t flags, kmem_cache_args args) => null;

    [Upstream("mm/slab_common.c", "kmem_cache_release", "02ddf5d755845d7f")]
    private void kmem_cache_release(kmem_cache s, bool sysfs_ready)
    {
        // kfence_shutdown_cache: KFENCE never samples in Emu. No sysfs either.
        slab_kmem_cache_release(s);
    }

    /// <summary>__kmem_cache_release() drops the model's store; the name and the struct go to the collector.</summary>
    private static void slab_kmem_cache_release(kmem_cache s)
    {
        s.slabs = null;
    }

    /// <summary>
    /// Upstream WARNs and leaks a cache that still has objects: the objects stay valid until the
    /// machine is disposed. Emu has no kfree_rcu, RCU barrier, CPU hotplug lock, KASAN or sysfs.
    /// </summary>
    [Upstream("mm/slab_common.c", "kmem_cache_destroy", "a9a54b87e7c87d28")]
    internal void kmem_cache_destroy(kmem_cache? s, [CallerMemberName] string caller = "")
    {
        bool sysfs_ready;
        int err;

        if (s is null)
            return;

        slab_mutex.Enter();

        s.refcount--;
        if (s.refcount != 0)
        {
            slab_mutex.Exit();
            return;
        }

        err = __kmem_cache_shutdown(s);
        WARN(err != 0, $"kmem_cache_destroy {s.name}: Slab cache still has objects when called from {caller}");

        slab_caches.Remove(s);

        sysfs_ready = slab_state >= slab_state_t.FULL;

        slab_mutex.Exit();

        if (err != 0)
            return;

        kmem_cache_release(s, sysfs_ready);
    }

    [Upstream("mm/slab_common.c", "create_boot_cache", "145da9128f01a4ba")]
    private void create_boot_cache(kmem_cache s, string name,
        uint size, slab_flags_t flags,
        uint useroffset, uint usersize)
    {
        int err;
        uint align = (uint)ARCH_KMALLOC_MINALIGN;
        var kmem_args = new kmem_cache_args();

        if ((flags & SLAB_KMALLOC) != 0)
            align = Math.Max(align, 1U << BitOperations.TrailingZeroCount(size));
        kmem_args.align = calculate_alignment(flags, align, size);

        kmem_args.useroffset = useroffset;
        kmem_args.usersize = usersize;

        err = do_kmem_cache_create(s, name, size, kmem_args, flags);

        if (err != 0)
        {
            int mark = LogMark;
            pr_err($"Kernel panic - not syncing: Creation of kmalloc slab {name} size={size} failed. Reason {err}");
            BUG(mark);
        }

        s.refcount = -1;
    }

    [Upstream("mm/slab_common.c", "create_kmalloc_cache", "c67c508e5e18207b")]
    private kmem_cache create_kmalloc_cache(string name,
        uint size,
        slab_flags_t flags)
    {
        var s = new kmem_cache();

        create_boot_cache(s, name, size, flags | SLAB_KMALLOC, 0, size);
        slab_caches.Insert(0, s);
        s.refcount = 1;
        return s;
    }

    /// <summary>
    /// create_kmalloc_caches() for the one type Emu has: kmalloc-96, -192 and the powers of two
    /// up to 8k, unmergeable as KMALLOC_NORMAL caches are with CONFIG_MEMCG.
    /// </summary>
    private void create_kmalloc_caches()
    {
        if (KMALLOC_MIN_SIZE <= 32)
            new_kmalloc_cache(1);
        if (KMALLOC_MIN_SIZE <= 64)
            new_kmalloc_cache(2);

        for (int i = KMALLOC_SHIFT_LOW; i <= KMALLOC_SHIFT_HIGH; i++)
            new_kmalloc_cache(i);

        slab_state = slab_state_t.UP;
    }

    private void new_kmalloc_cache(int idx)
    {
        kmalloc_caches[idx] = create_kmalloc_cache(kmalloc_info[idx].name, kmalloc_info[idx].size, SLAB_NO_MERGE);
    }

    [Upstream("include/linux/align.h", "ALIGN", UpstreamAttribute.Macro)]
    private static uint ALIGN(uint x, uint a) => (x + a - 1) & ~(a - 1);

    [Upstream("include/linux/align.h", "IS_ALIGNED", UpstreamAttribute.Macro)]
    private static bool IS_ALIGNED(uint x, uint a) => (x & (a - 1)) == 0;
}
