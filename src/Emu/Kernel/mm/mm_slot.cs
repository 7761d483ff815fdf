// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/mm_slot.h: the mm -> slot hash helpers KSM (and
// khugepaged) use. mm_slot_lookup/mm_slot_insert are statement-expression macros.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/mm_slot.h", "mm_slot_entry", UpstreamAttribute.Macro)]
    internal static T* mm_slot_entry<T>(mm_slot* ptr, int member) where T : unmanaged
        => ptr == null ? null : container_of<T>(ptr, member);

    [Upstream("mm/mm_slot.h", "mm_slot_alloc", "1cb9d799ce8cc43a")]
    internal void* mm_slot_alloc(kmem_cache? cache)
    {
        if (cache == null) // initialization failed
            return null;
        return kmem_cache_zalloc(cache, GFP_KERNEL);
    }

    [Upstream("mm/mm_slot.h", "mm_slot_free", "23c39fbc91f09cb1")]
    internal void mm_slot_free(kmem_cache? cache, void* objp)
    {
        kmem_cache_free(cache!, objp);
    }

    [Upstream("mm/mm_slot.h", "mm_slot_lookup", UpstreamAttribute.Macro)]
    internal static mm_slot* mm_slot_lookup(hlist_head[] _hashtable, mm_struct* _mm)
    {
        mm_slot* mm_slot = null;

        foreach (mm_slot* tmp_slot in hash_for_each_possible<mm_slot>(_hashtable, offsetof.mm_slot.hash, (ulong)_mm))
            if (_mm == tmp_slot->mm)
            {
                mm_slot = tmp_slot;
                break;
            }

        return mm_slot;
    }

    [Upstream("mm/mm_slot.h", "mm_slot_insert", UpstreamAttribute.Macro)]
    internal static void mm_slot_insert(hlist_head[] _hashtable, mm_struct* _mm, mm_slot* _mm_slot)
    {
        _mm_slot->mm = _mm;
        hash_add(_hashtable, &_mm_slot->hash, (ulong)_mm);
    }
}
