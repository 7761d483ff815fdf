using System;
using System.Linq;
using Emu.Arena;

namespace Emu.Kernel;

// The machine's kernel heap as the kernel code sees it: slab caches (mm/slub.cs) and kernel
// globals at stable native addresses. Emu's own; not an upstream file.
public unsafe partial class Kernel
{
    /// <summary>Where slabs, large kmallocs and kernel globals live; set by kmem_cache_init().</summary>
    internal SlabHeap? slab_heap;

    /// <summary>
    /// A zeroed kernel global of type <typeparamref name="T"/> (or an array of
    /// <paramref name="count"/>) at a cache-line aligned native address that stays valid for
    /// the machine's lifetime. For globals whose address the kernel uses as a value, such as
    /// <c>LIST_HEAD(migrate_nodes)</c> or <c>ksm_mm_head</c>: C# fields move, these do not.
    /// Names are unique per machine, as symbols are.
    /// </summary>
    internal T* AllocateGlobal<T>(string name, int count = 1) where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return (T*)slab_heap!.AllocateGlobal(name, (ulong)sizeof(T) * (ulong)count);
    }

    /// <summary>Bytes of slab objects in use over all caches, plus large kmallocs as asked for.</summary>
    internal ulong SlabBytesInUse
    {
        get
        {
            kmem_cache[] caches;
            lock (slab_mutex)
                caches = slab_caches.ToArray();
            return caches.Aggregate(0UL, (sum, s) => sum + s.BytesInUse) + LargeKmallocBytes;
        }
    }

    /// <summary>Bytes of heap held by slabs and large kmallocs: /proc/meminfo's Slab.</summary>
    internal ulong SlabBytes => slab_heap?.SlabBytes ?? 0;

    private ulong LargeKmallocBytes => slab_heap?.LargeKmallocBytes ?? 0;
}
