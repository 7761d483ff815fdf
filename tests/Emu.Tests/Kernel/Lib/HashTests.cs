using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Runtime.InteropServices;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;

namespace Emu.Tests.Kernel.Lib;

/// <summary>include/linux/hash.h against its definition in exact arithmetic, lib/test_hash.c's hash_or test, and include/linux/hashtable.h.</summary>
public unsafe class HashTests
{
    private static readonly BigInteger Two64 = BigInteger.One << 64;
    private static readonly BigInteger Two32 = BigInteger.One << 32;

    [Test]
    public void ConstantsAreUpstreams()
    {
        Assert.That(GOLDEN_RATIO_32, Is.EqualTo(0x61C88647U));
        Assert.That(GOLDEN_RATIO_64, Is.EqualTo(0x61C8864680B583EBUL));
        Assert.That(GOLDEN_RATIO_PRIME, Is.EqualTo(GOLDEN_RATIO_64), "BITS_PER_LONG == 64");
    }

    [Test]
    public void Hash64IsTheTopBitsOfTheGoldenRatioProduct()
    {
        var rng = new Random(64);
        var values = new List<ulong> { 0, 1, 2, ulong.MaxValue, 0x8000000000000000UL, 0xdead000000000100UL };
        for (int i = 0; i < 2000; i++)
            values.Add((ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 33));
        foreach (var val in values)
        {
            var product = BigInteger.Remainder(new BigInteger(val) * new BigInteger(GOLDEN_RATIO_64), Two64);
            for (uint bits = 1; bits <= 32; bits++)
            {
                var expected = (uint)(product >> (int)(64 - bits));
                Assert.That(hash_64(val, bits), Is.EqualTo(expected), $"hash_64({val:x}, {bits})");
                Assert.That(hash_long(val, bits), Is.EqualTo(expected));
                Assert.That(hash_64_generic(val, bits), Is.EqualTo(expected));
            }
        }
    }

    [Test]
    public void Hash32IsTheTopBitsOfTheGoldenRatioProduct()
    {
        var rng = new Random(32);
        for (int i = 0; i < 2000; i++)
        {
            uint val = i < 3 ? new[] { 0U, 1U, uint.MaxValue }[i] : (uint)rng.NextInt64(0, 1L << 32);
            var product = BigInteger.Remainder(new BigInteger(val) * new BigInteger(GOLDEN_RATIO_32), Two32);
            Assert.That(__hash_32(val), Is.EqualTo((uint)product));
            for (uint bits = 1; bits <= 32; bits++)
                Assert.That(hash_32(val, bits), Is.EqualTo((uint)(product >> (int)(32 - bits))), $"hash_32({val:x}, {bits})");
        }
    }

    [Test]
    public void HashPtrIsHashLongOfTheAddress()
    {
        byte* p = (byte*)0xffff888012345678UL;
        for (uint bits = 1; bits <= 32; bits++)
            Assert.That(hash_ptr(p, bits), Is.EqualTo(hash_64(0xffff888012345678UL, bits)));
        Assert.That(hash32_ptr(p), Is.EqualTo(0x12345678U ^ 0xffff8880U));
    }

    // lib/test_hash.c helpers.
    private static uint xorshift(uint seed)
    {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        return seed;
    }

    /// <summary>
    /// lib/test_hash.c test_hash_or/test_int_hash: every hash_32/hash_64 result fits in k bits and,
    /// over all inputs, the results OR to all k bits. Upstream draws h0 from full_name_hash() of the
    /// substrings of a fill_buf() buffer; fs/namei.c is not transliterated, so h0 here is the same
    /// number of values from test_hash.c's xorshift generator, with h64 built as upstream
    /// (h64 = h64 &lt;&lt; 32 | h0).
    /// </summary>
    [Test]
    public void TestHashOr()
    {
        const int SIZE = 256;
        var hash_or = new uint[2, 33];
        ulong h64 = 0;
        uint seed = 1;
        for (int j = SIZE; j > 0; --j)
        {
            for (int i = 0; i <= j; i++)
            {
                seed = xorshift(seed);
                uint h0 = seed;
                h64 = h64 << 32 | h0;

                hash_or[0, 0] |= __hash_32(h0);
                for (uint k = 1; k <= 32; k++)
                {
                    uint m = ((uint)2 << (int)(k - 1)) - 1;
                    uint h1 = hash_32(h0, k);
                    Assert.That(h1, Is.LessThanOrEqualTo(m), $"hash_32({h0:x}, {k})");
                    hash_or[0, k] |= h1;
                    h1 = hash_64(h64, k);
                    Assert.That(h1, Is.LessThanOrEqualTo(m), $"hash_64({h64:x}, {k})");
                    hash_or[1, k] |= h1;
                }
            }
        }
        Assert.That(hash_or[0, 0], Is.EqualTo(uint.MaxValue), "OR of all __hash_32 results");
        for (int i = 1; i <= 32; i++)
        {
            uint m = ((uint)2 << (i - 1)) - 1;
            Assert.That(hash_or[0, i], Is.EqualTo(m), $"OR of all hash_32({i}) results");
            Assert.That(hash_or[1, i], Is.EqualTo(m), $"OR of all hash_64({i}) results");
        }
    }

    private static int CountAll(hlist_head[] table)
    {
        int n = 0;
        foreach (var s in hash_for_each<Slot>(table, HashMember))
            n++;
        return n;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Slot
    {
        public ulong key;
        public hlist_node hash;
        public uint small_key;
    }

    private static readonly int HashMember = (int)Marshal.OffsetOf<Slot>(nameof(Slot.hash));

    [Test]
    public void HashtableAddLookupDelete()
    {
        const int Bits = 4;
        const int N = 100;
        var table = DEFINE_HASHTABLE(Bits);
        Assert.That(HASH_SIZE(table), Is.EqualTo(16u));
        Assert.That(HASH_BITS(table), Is.EqualTo(4u));
        Assert.That(hash_empty(table), Is.True);

        var slots = (Slot*)NativeMemory.AllocZeroed((nuint)(N * sizeof(Slot)));
        try
        {
            for (int i = 0; i < N; i++)
            {
                slots[i].key = (ulong)i * 0x1000 + 0xffff888000000000UL;
                INIT_HLIST_NODE(&slots[i].hash);
                Assert.That(hash_hashed(&slots[i].hash), Is.False);
                hash_add(table, &slots[i].hash, slots[i].key);
                Assert.That(hash_hashed(&slots[i].hash), Is.True);
            }
            Assert.That(hash_empty(table), Is.False);

            fixed (hlist_head* buckets = table)
            {
                // Each node sits in bucket hash_long(key, bits), as hash_min picks for an unsigned long key.
                for (int i = 0; i < N; i++)
                {
                    uint b = hash_long(slots[i].key, Bits);
                    bool found = false;
                    foreach (hlist_node* pos in hlist_for_each(&buckets[b]))
                        found |= pos == &slots[i].hash;
                    Assert.That(found, Is.True, $"slot {i} in bucket {b}");
                }
                nuint total = 0;
                for (int b = 0; b < 16; b++)
                    total += hlist_count_nodes(&buckets[b]);
                Assert.That(total, Is.EqualTo((nuint)N));
            }

            // hash_for_each_possible finds each key, as mm_slot_lookup does.
            for (int i = 0; i < N; i++)
            {
                Slot* hit = null;
                foreach (var s in hash_for_each_possible<Slot>(table, HashMember, slots[i].key))
                {
                    if (s->key == slots[i].key)
                    {
                        hit = s;
                        break;
                    }
                }
                Assert.That(hit == &slots[i], Is.True, $"lookup {i}");
            }

            // hash_for_each visits each node once and reports its bucket.
            var seen = new HashSet<ulong>();
            var walk = hash_for_each<Slot>(table, HashMember);
            while (walk.MoveNext())
            {
                Assert.That(walk.bkt, Is.EqualTo(hash_long(walk.Current->key, Bits)));
                Assert.That(seen.Add(walk.Current->key), Is.True);
            }
            Assert.That(seen, Has.Count.EqualTo(N));

            // break leaves the whole walk.
            int visited = 0;
            foreach (var s in hash_for_each<Slot>(table, HashMember))
            {
                visited++;
                if (visited == 3)
                    break;
            }
            Assert.That(visited, Is.EqualTo(3));

            // hash_for_each_safe tolerates hash_del of the current entry.
            int deleted = 0;
            foreach (var s in hash_for_each_safe<Slot>(table, HashMember))
            {
                if (s->key % 0x2000 == 0)
                {
                    hash_del(&s->hash);
                    Assert.That(hash_hashed(&s->hash), Is.False);
                    Assert.That(s->hash.next == null && s->hash.pprev == null, Is.True, "hash_del re-initializes");
                    deleted++;
                }
            }
            Assert.That(deleted, Is.EqualTo(N / 2));
            Assert.That(CountAll(table), Is.EqualTo(N - deleted));

            // hash_del of an unhashed node is a no-op.
            hash_del(&slots[0].hash);
            Assert.That(hash_hashed(&slots[0].hash), Is.False);

            foreach (var s in hash_for_each_safe<Slot>(table, HashMember))
                hash_del(&s->hash);
            Assert.That(hash_empty(table), Is.True);

            // A u32 key hashes with hash_32, as hash_min's sizeof test does.
            slots[1].small_key = 0xabcdef;
            hash_add(table, &slots[1].hash, slots[1].small_key);
            fixed (hlist_head* buckets = table)
                Assert.That(buckets[hash_32(0xabcdef, Bits)].first == &slots[1].hash, Is.True);
            int hits = 0;
            foreach (var s in hash_for_each_possible<Slot>(table, HashMember, 0xabcdefU))
                hits++;
            Assert.That(hits, Is.EqualTo(1));

            hash_init(table);
            Assert.That(hash_empty(table), Is.True);
        }
        finally
        {
            NativeMemory.Free(slots);
        }
    }
}
