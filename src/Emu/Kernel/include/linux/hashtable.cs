// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/linux/hashtable.h (the non-RCU part).
//
// Idioms:
//  - A hash table (DEFINE_HASHTABLE / DECLARE_HASHTABLE) is a pinned hlist_head[] from
//    DEFINE_HASHTABLE(bits): hlist nodes keep pointers into the buckets, so the array must never
//    move. HASH_SIZE is its Length.
//  - hash_min picks hash_32 or hash_long by the key's size, as sizeof(val) does: pass keys with
//    their C type (uint for u32/int keys, ulong for unsigned long and pointers).
//  - The for-each macros return enumerators for foreach (see HlistEntries in list.cs).
using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/hashtable.h", "DEFINE_HASHTABLE", UpstreamAttribute.Macro)]
    public static hlist_head[] DEFINE_HASHTABLE(int bits)
        => GC.AllocateArray<hlist_head>(1 << bits, pinned: true); // zeroed: every bucket HLIST_HEAD_INIT

    [Upstream("include/linux/hashtable.h", "HASH_SIZE", UpstreamAttribute.Macro)]
    public static uint HASH_SIZE(hlist_head[] name) => (uint)name.Length;

    [Upstream("include/linux/hashtable.h", "HASH_BITS", UpstreamAttribute.Macro)]
    public static uint HASH_BITS(hlist_head[] name) => (uint)BitOperations.Log2(HASH_SIZE(name)); // ilog2

    [Upstream("include/linux/hashtable.h", "hash_min", UpstreamAttribute.Macro)]
    public static uint hash_min(uint val, uint bits) => hash_32(val, bits);

    [Upstream("include/linux/hashtable.h", "hash_min", UpstreamAttribute.Macro)]
    public static uint hash_min(ulong val, uint bits) => hash_long(val, bits);

    // &hashtable[i] of a pinned table.
    private static hlist_head* hash_bucket(hlist_head[] hashtable, uint i)
        => (hlist_head*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(hashtable)) + checked((int)i);

    [Upstream("include/linux/hashtable.h", "__hash_init", "164f36ec17106b5d")]
    public static void __hash_init(hlist_head* ht, uint sz)
    {
        uint i;

        for (i = 0; i < sz; i++)
            INIT_HLIST_HEAD(&ht[i]);
    }

    [Upstream("include/linux/hashtable.h", "hash_init", UpstreamAttribute.Macro)]
    public static void hash_init(hlist_head[] hashtable) => __hash_init(hash_bucket(hashtable, 0), HASH_SIZE(hashtable));

    [Upstream("include/linux/hashtable.h", "hash_add", UpstreamAttribute.Macro)]
    public static void hash_add(hlist_head[] hashtable, hlist_node* node, ulong key)
        => hlist_add_head(node, hash_bucket(hashtable, hash_min(key, HASH_BITS(hashtable))));

    [Upstream("include/linux/hashtable.h", "hash_add", UpstreamAttribute.Macro)]
    public static void hash_add(hlist_head[] hashtable, hlist_node* node, uint key)
        => hlist_add_head(node, hash_bucket(hashtable, hash_min(key, HASH_BITS(hashtable))));

    [Upstream("include/linux/hashtable.h", "hash_hashed", "63d1ae70df30d1a4")]
    public static bool hash_hashed(hlist_node* node)
    {
        return !hlist_unhashed(node);
    }

    [Upstream("include/linux/hashtable.h", "__hash_empty", "d3189c3eac210712")]
    public static bool __hash_empty(hlist_head* ht, uint sz)
    {
        uint i;

        for (i = 0; i < sz; i++)
            if (!hlist_empty(&ht[i]))
                return false;

        return true;
    }

    [Upstream("include/linux/hashtable.h", "hash_empty", UpstreamAttribute.Macro)]
    public static bool hash_empty(hlist_head[] hashtable) => __hash_empty(hash_bucket(hashtable, 0), HASH_SIZE(hashtable));

    [Upstream("include/linux/hashtable.h", "hash_del", "a371c8519e3d0cf5")]
    public static void hash_del(hlist_node* node)
    {
        hlist_del_init(node);
    }

    [Upstream("include/linux/hashtable.h", "hash_for_each", UpstreamAttribute.Macro)]
    public static HashEntries<T> hash_for_each<T>(hlist_head[] name, int member) where T : unmanaged
        => new(name, member, safe: false);

    [Upstream("include/linux/hashtable.h", "hash_for_each_safe", UpstreamAttribute.Macro)]
    public static HashEntries<T> hash_for_each_safe<T>(hlist_head[] name, int member) where T : unmanaged
        => new(name, member, safe: true);

    [Upstream("include/linux/hashtable.h", "hash_for_each_possible", UpstreamAttribute.Macro)]
    public static HlistEntries<T> hash_for_each_possible<T>(hlist_head[] name, int member, ulong key) where T : unmanaged
        => hlist_for_each_entry<T>(hash_bucket(name, hash_min(key, HASH_BITS(name))), member);

    [Upstream("include/linux/hashtable.h", "hash_for_each_possible", UpstreamAttribute.Macro)]
    public static HlistEntries<T> hash_for_each_possible<T>(hlist_head[] name, int member, uint key) where T : unmanaged
        => hlist_for_each_entry<T>(hash_bucket(name, hash_min(key, HASH_BITS(name))), member);

    [Upstream("include/linux/hashtable.h", "hash_for_each_possible_safe", UpstreamAttribute.Macro)]
    public static HlistEntries<T> hash_for_each_possible_safe<T>(hlist_head[] name, int member, ulong key) where T : unmanaged
        => hlist_for_each_entry_safe<T>(hash_bucket(name, hash_min(key, HASH_BITS(name))), member);

    [Upstream("include/linux/hashtable.h", "hash_for_each_possible_safe", UpstreamAttribute.Macro)]
    public static HlistEntries<T> hash_for_each_possible_safe<T>(hlist_head[] name, int member, uint key) where T : unmanaged
        => hlist_for_each_entry_safe<T>(hash_bucket(name, hash_min(key, HASH_BITS(name))), member);

    /// <summary>
    /// foreach over every entry of a table, bucket by bucket: <c>hash_for_each(name, bkt, obj, member)</c>
    /// or its <c>_safe</c> form. <see cref="bkt"/> is the bucket of <see cref="Current"/>; a
    /// <c>break</c> leaves the whole walk, as the macro's <c>obj == NULL</c> test arranges.
    /// </summary>
    public ref struct HashEntries<T> where T : unmanaged
    {
        private readonly hlist_head[] _name;
        private readonly int _member;
        private readonly bool _safe;
        private HlistEntries<T> _bucket;
        private uint _bkt;
        private bool _started;

        internal HashEntries(hlist_head[] name, int member, bool safe)
        {
            _name = name;
            _member = member;
            _safe = safe;
            _bucket = default;
            _bkt = 0;
            _started = false;
        }

        public readonly HashEntries<T> GetEnumerator() => this;

        public readonly T* Current => _bucket.Current;

        /// <summary>The bucket index of <see cref="Current"/>.</summary>
        public readonly uint bkt => _bkt;

        public bool MoveNext()
        {
            if (!_started)
            {
                _started = true;
                _bkt = 0;
                if (HASH_SIZE(_name) == 0)
                    return false;
                _bucket = NewBucket();
            }
            while (!_bucket.MoveNext())
            {
                if (++_bkt >= HASH_SIZE(_name))
                    return false;
                _bucket = NewBucket();
            }
            return true;
        }

        private readonly HlistEntries<T> NewBucket()
        {
            hlist_head* head = hash_bucket(_name, _bkt);
            return _safe ? hlist_for_each_entry_safe<T>(head, _member) : hlist_for_each_entry<T>(head, _member);
        }
    }
}
