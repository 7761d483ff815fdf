using System;
using System.Collections.Generic;
using System.Linq;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;
using static Emu.Kernel.KernelConstants;

namespace Emu.Tests.Arena;

/// <summary>
/// The slab API (include/linux/slab.h) over Emu's slab model: alignment as calculate_alignment()
/// says, poisoning and its checks as SLUB debug does them, constructors and TYPESAFE_BY_RCU as
/// calculate_sizes() treats them, kmalloc size classes, destroy reports and accounting.
/// </summary>
public unsafe class SlabTests
{
    private Machine _machine = null!;
    private Emu.Kernel.Kernel _k = null!;

    [SetUp]
    public void SetUp()
    {
        _machine = new Machine(new MachineOptions { MemoryBytes = 16UL << 20 });
        _k = _machine.Kernel;
    }

    [TearDown]
    public void TearDown() => _machine.Dispose();

    private kmem_cache Create(string name, uint size, uint align = 0, uint flags = 0, kmem_cache_ctor? ctor = null) =>
        _k.kmem_cache_create(name, size, align, flags, ctor) ?? throw new AssertionException($"kmem_cache_create({name}) failed");

    private static byte[] Bytes(void* p, int n) => new ReadOnlySpan<byte>(p, n).ToArray();

    private static string BugText(TestDelegate action) => Assert.Throws<KernelBugException>(action)!.Message;

    // mm/slab_common.c:124 calculate_alignment(): SLAB_HWCACHE_ALIGN halves the 64-byte line while
    // the object fits in half of it; the result is at least ARCH_SLAB_MINALIGN (8) and word aligned.
    [TestCase(1u, 0u, 0u, 8ul)]
    [TestCase(24u, 0u, 0u, 8ul)]
    [TestCase(40u, 16u, 0u, 16ul)]
    [TestCase(40u, 256u, 0u, 256ul)]
    [TestCase(8u, 0u, SLAB_HWCACHE_ALIGN, 8ul)]     // 8 <= 64/2, 32/2, 16/2: ralign 8
    [TestCase(24u, 0u, SLAB_HWCACHE_ALIGN, 32ul)]   // 24 <= 32 but not <= 16
    [TestCase(100u, 0u, SLAB_HWCACHE_ALIGN, 64ul)]  // the whole line
    [TestCase(100u, 128u, SLAB_HWCACHE_ALIGN, 128ul)] // a larger requested alignment wins
    public void ObjectsAreAlignedAsCalculateAlignmentSays(uint size, uint align, uint flags, ulong expected)
    {
        var s = Create($"align-{size}-{align}-{flags}", size, align, flags);
        var objects = Enumerable.Range(0, 300).Select(_ => (ulong)_k.kmem_cache_alloc(s, GFP_KERNEL)).ToList();
        Assert.Multiple(() =>
        {
            foreach (var p in objects)
            {
                Assert.That(p % expected, Is.Zero, $"0x{p:x}");
                // folio->mapping tags: anon_vma|1 and stable_node|3 must round-trip.
                Assert.That((p | 3) & ~3UL, Is.EqualTo(p));
            }
            Assert.That(objects.Distinct().Count(), Is.EqualTo(objects.Count));
            var sorted = objects.Order().ToList();
            for (int i = 1; i < sorted.Count; i++)
                Assert.That(sorted[i] - sorted[i - 1], Is.GreaterThanOrEqualTo((ulong)size), "objects overlap");
        });
    }

    [Test]
    public void KmemCacheTakesSizeAndAlignmentFromTheStruct()
    {
        // mm/ksm.c: rmap_item_cache = KMEM_CACHE(ksm_rmap_item, 0); struct ksm_rmap_item is 64 bytes, aligned to 8.
        var s = _k.KMEM_CACHE<ksm_rmap_item>(0)!;
        Assert.That(s.Name, Is.EqualTo("ksm_rmap_item"));
        Assert.That(s.ObjectSize, Is.EqualTo(64u));
        var item = (ksm_rmap_item*)_k.kmem_cache_zalloc(s, GFP_KERNEL);
        Assert.That((ulong)item % 8, Is.Zero);
        Assert.That(item->anon_vma is null && item->mm is null && item->address == 0, Is.True);
        _k.kmem_cache_free(s, item);
    }

    [Test]
    public void ZallocZeroesWhatPoisonFilled()
    {
        var s = Create("zalloc", 200);
        var p = (byte*)_k.kmem_cache_alloc(s, GFP_KERNEL);
        new Span<byte>(p, 200).Fill(0x33);
        _k.kmem_cache_free(s, p);
        var q = (byte*)_k.kmem_cache_zalloc(s, GFP_KERNEL);
        Assert.That(Bytes(q, 200), Is.All.Zero);
        var r = (byte*)_k.kzalloc(150, GFP_KERNEL);
        Assert.That(Bytes(r, 150), Is.All.Zero);
    }

    [Test]
    public void PlainAllocationHandsOutThePoison()
    {
        // mm/slab.h:684 slab_want_init_on_alloc(): with SLAB_POISON only __GFP_ZERO zeroes, even
        // under CONFIG_INIT_ON_ALLOC_DEFAULT_ON; the object still holds init_object()'s poison.
        var s = Create("uninit", 32);
        var p = (byte*)_k.kmem_cache_alloc(s, GFP_KERNEL);
        Assert.That(Bytes(p, 31), Is.All.EqualTo(0x6b));
        Assert.That(p[31], Is.EqualTo(0xa5));
    }

    [Test]
    public void FreePoisonsTheObject()
    {
        // include/linux/poison.h:46-47 POISON_FREE 0x6b, POISON_END 0xa5; mm/slub.c:1195 init_object()
        // fills object_size - 1 bytes with POISON_FREE and the last with POISON_END.
        var s = Create("poison", 40);
        var p = (byte*)_k.kmem_cache_zalloc(s, GFP_KERNEL);
        new Span<byte>(p, 40).Fill(0x11);
        _k.kmem_cache_free(s, p);
        Assert.That(Bytes(p, 39), Is.All.EqualTo(0x6b));
        Assert.That(p[39], Is.EqualTo(0xa5));
    }

    [Test]
    public void WriteAfterFreeIsCaughtOnTheNextAllocation()
    {
        var s = Create("uaf", 64);
        var p = (byte*)_k.kmem_cache_alloc(s, GFP_KERNEL);
        _k.kmem_cache_free(s, p);
        p[10] = 0;
        p[12] = 0;
        var text = BugText(() => _k.kmem_cache_alloc(s, GFP_KERNEL));
        // mm/slub.c:1393 check_object() -> check_bytes_and_report("Poison"): first and last bad byte.
        Assert.That(text, Does.Contain("BUG uaf (Not tainted): Object corrupt"));
        Assert.That(text, Does.Contain($"[Poison overwritten] 0x{(ulong)p + 10:x}-0x{(ulong)p + 12:x}"));
        Assert.That(text, Does.Contain("First byte 0x0 instead of 0x6b"));
        Assert.That(text, Does.Contain("Byte 10 of the 64-byte object"));
        Assert.That(text, Does.Contain("kernel BUG at"));
    }

    [Test]
    public void WritePastTheObjectIsCaughtOnFree()
    {
        // 20 bytes round up to a 24-byte stride; mm/slub.c:1306 checks the padding (POISON_INUSE).
        var s = Create("overflow", 20);
        var p = (byte*)_k.kmem_cache_alloc(s, GFP_KERNEL);
        p[21] = 1;
        var text = BugText(() => _k.kmem_cache_free(s, p));
        Assert.That(text, Does.Contain("[Object padding overwritten]"));
        Assert.That(text, Does.Contain("instead of 0x5a"));
    }

    [Test]
    public void DoubleFreeIsCaught()
    {
        var s = Create("dfree", 48);
        var p = _k.kmem_cache_alloc(s, GFP_KERNEL);
        _k.kmem_cache_free(s, p);
        // mm/slub.c:1647 "Object already free".
        Assert.That(BugText(() => _k.kmem_cache_free(s, p)), Does.Contain("BUG dfree (Not tainted): Object already free"));
    }

    [Test]
    public void ForeignAndInvalidPointersAreCaught()
    {
        var a = Create("cache-a", 64);
        var b = Create("cache-b", 64);
        var pa = (byte*)_k.kmem_cache_alloc(a, GFP_KERNEL);
        var global = _k.AllocateGlobal<list_head>("some_list");
        var outside = stackalloc byte[16];
        Assert.Multiple(() =>
        {
            // mm/slub.c:4771 cache_from_obj(), :1642 free_consistency_checks(), :4756 virt_to_cache().
            Assert.That(BugText(() => _k.kmem_cache_free(b, pa)), Does.Contain("Wrong slab cache. cache-b but object is from cache-a"));
            Assert.That(BugText(() => _k.kmem_cache_free(a, pa + 8)), Does.Contain($"Invalid object pointer 0x{(ulong)pa + 8:x}"));
            Assert.That(BugText(() => _k.kmem_cache_free(a, global)), Does.Contain("Object is not a Slab page").And.Contain("'some_list'"));
            Assert.That(BugText(() => _k.kmem_cache_free(a, outside)), Does.Contain("Object is not a Slab page"));
            Assert.That(BugText(() => _k.kfree(outside)), Does.Contain("neither a slab object nor a large kmalloc"));
        });
        _k.kmem_cache_free(a, pa);
        Assert.That(a.ObjectsInUse, Is.Zero);
    }

    [Test]
    public void CacheWithCtorIsNotPoisonedAndKeepsConstructedState()
    {
        // mm/slub.c:5415-5417: no __OBJECT_POISON with a constructor; mm/slub.c:2461 the ctor runs
        // when the slab's objects are set up, not on every allocation.
        int calls = 0;
        var s = Create("ctor", 16, 0, 0, obj => { calls++; *(ulong*)obj = 0xc0ffee; });
        var p = (ulong*)_k.kmem_cache_alloc(s, GFP_KERNEL);
        Assert.That(*p, Is.EqualTo(0xc0ffeeUL));
        int afterFirst = calls;
        Assert.That(afterFirst, Is.GreaterThanOrEqualTo(1));
        p[1] = 7;
        _k.kmem_cache_free(s, p);
        Assert.That(*p, Is.EqualTo(0xc0ffeeUL), "freed object of a ctor cache is not poisoned");
        Assert.That(p[1], Is.EqualTo(7UL));
        var q = (ulong*)_k.kmem_cache_alloc(s, GFP_KERNEL);
        Assert.That((ulong)q, Is.EqualTo((ulong)p));
        Assert.That(calls, Is.EqualTo(afterFirst), "no ctor call on reuse");
        // mm/slab.h:686-687: init_on_alloc never zeroes a ctor cache's object.
        Assert.That(p[1], Is.EqualTo(7UL));
    }

    [Test]
    public void ZeroingACtorCacheWarnsOnANewSlab()
    {
        // mm/slub.c:2700 new_slab(): WARN_ON_ONCE(s->ctor && (flags & __GFP_ZERO)).
        var s = Create("ctor-zero", 16, 0, 0, obj => *(ulong*)obj = 1);
        var p = (ulong*)_k.kmem_cache_zalloc(s, GFP_KERNEL);
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1));
        Assert.That(*p, Is.EqualTo(1UL), "slab_want_init_on_alloc() is false for a ctor cache");
    }

    [Test]
    public void TypesafeByRcuObjectsStayValidAfterFree()
    {
        // mm/rmap.c:470 anon_vma_cachep: SLAB_TYPESAFE_BY_RCU with a ctor; mm/slub.c:5415 no poison.
        var s = _k.kmem_cache_create("anon_vma", (uint)sizeof(anon_vma), 0,
            SLAB_TYPESAFE_BY_RCU | SLAB_PANIC | SLAB_ACCOUNT, obj => atomic_set(&((anon_vma*)obj)->refcount, 0))!;
        var av = (anon_vma*)_k.kmem_cache_alloc(s, GFP_KERNEL);
        av->num_children = 3;
        _k.kmem_cache_free(s, av);
        Assert.That(av->num_children, Is.EqualTo(3UL));
        Assert.That(av->refcount.counter, Is.Zero);

        var plain = Create("rcu-no-ctor", 32, 0, SLAB_TYPESAFE_BY_RCU);
        var p = (ulong*)_k.kmem_cache_zalloc(plain, GFP_KERNEL);
        *p = 42;
        _k.kmem_cache_free(plain, p);
        Assert.That(*p, Is.EqualTo(42UL));
        Assert.That((ulong)_k.kmem_cache_alloc(plain, GFP_KERNEL), Is.EqualTo((ulong)p), "no grace period: reused at once");
    }

    [TestCase(1u, 8u)]
    [TestCase(8u, 8u)]
    [TestCase(9u, 16u)]
    [TestCase(65u, 96u)]
    [TestCase(96u, 96u)]
    [TestCase(97u, 128u)]
    [TestCase(129u, 192u)]
    [TestCase(193u, 256u)]
    [TestCase(1000u, 1024u)]
    [TestCase(8192u, 8192u)]
    public void KmallocUsesTheSizeClassOfKmallocIndex(uint size, uint cacheSize)
    {
        // include/linux/slab.h __kmalloc_index(): 96 and 192 between the powers of two.
        var name = cacheSize >= 1024 ? $"kmalloc-{cacheSize / 1024}k" : $"kmalloc-{cacheSize}";
        var cache = _k.slab_caches.Single(c => c.Name == name);
        long before = cache.ObjectsInUse;
        var p = _k.kmalloc(size, GFP_KERNEL);
        Assert.That(cache.ObjectsInUse, Is.EqualTo(before + 1));
        // mm/slab_common.c:689 create_boot_cache(): aligned to the size's largest power-of-two divisor.
        Assert.That((ulong)p % (cacheSize & (~cacheSize + 1)), Is.Zero);
        _k.kfree(p);
        Assert.That(cache.ObjectsInUse, Is.EqualTo(before));
    }

    [Test]
    public void KmallocEdgeCases()
    {
        // mm/slub.c:4360: kmalloc(0) is ZERO_SIZE_PTR, and kfree() ignores it and NULL.
        Assert.That((ulong)_k.kmalloc(0, GFP_KERNEL), Is.EqualTo(16UL));
        _k.kfree((void*)16);
        _k.kfree(null);

        ulong slabBytes = _k.SlabBytes;
        var big = (byte*)_k.kmalloc(100_000, GFP_KERNEL);
        Assert.That((ulong)big % 4096, Is.Zero);
        Assert.That(Bytes(big, 100_000), Is.All.Zero);
        Assert.That(_k.SlabBytesInUse, Is.GreaterThanOrEqualTo(100_000UL));
        // get_order(100000) = 5: 128 KiB of pages.
        Assert.That(_k.SlabBytes - slabBytes, Is.EqualTo(128UL << 10));
        _k.kfree(big);
        Assert.That(_k.SlabBytes, Is.EqualTo(slabBytes));

        // Above KMALLOC_MAX_SIZE (4 MiB, MAX_PAGE_ORDER 10): fails, warning unless __GFP_NOWARN.
        Assert.That((ulong)_k.kmalloc((nuint)KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN), Is.Zero);
        Assert.That(_machine.Warnings, Is.Empty);
        Assert.That((ulong)_k.kmalloc((nuint)KMALLOC_MAX_SIZE + 1, GFP_KERNEL), Is.Zero);
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1));
        Assert.That((ulong)_k.kmalloc((nuint)KMALLOC_MAX_SIZE, GFP_KERNEL), Is.Not.Zero);
    }

    [Test]
    public void FailslabMakesAllocationsFailExceptNofail()
    {
        var s = Create("failing", 32);
        _k.failslab = (c, gfp) => c == s;
        Assert.That((ulong)_k.kmem_cache_alloc(s, GFP_KERNEL), Is.Zero);
        Assert.That((ulong)_k.kmalloc(32, GFP_KERNEL), Is.Not.Zero, "other caches unaffected");
        // mm/failslab.c:27: __GFP_NOFAIL is never failed.
        Assert.That((ulong)_k.kmem_cache_alloc(s, GFP_KERNEL | __GFP_NOFAIL), Is.Not.Zero);
        Assert.That(s.ObjectsInUse, Is.EqualTo(1));
    }

    [Test]
    public void ManyRandomAllocationsKeepEveryObjectsContents()
    {
        var rng = new Random(20241122);
        var caches = new[] { 8u, 24u, 64u, 100u, 512u, 3000u }
            .Select(size => Create($"stress-{size}", size, size % 16 == 0 ? 16u : 0u)).ToArray();
        var kmallocSizes = new uint[] { 7, 33, 96, 150, 700, 5000, 20_000 };
        var live = new List<(ulong Ptr, kmem_cache? Cache, uint Size, byte Seed)>();
        var addresses = new HashSet<ulong>();

        static void Fill(byte* p, uint size, byte seed)
        {
            for (uint i = 0; i < size; i++)
                p[i] = (byte)(seed + i * 7);
        }

        static bool Holds(byte* p, uint size, byte seed)
        {
            for (uint i = 0; i < size; i++)
                if (p[i] != (byte)(seed + i * 7))
                    return false;
            return true;
        }

        void Free(ulong ptr, kmem_cache? cache)
        {
            if (cache is null)
                _k.kfree((void*)ptr);
            else
                _k.kmem_cache_free(cache, (void*)ptr);
        }

        for (int op = 0; op < 120_000; op++)
        {
            if (live.Count == 0 || (live.Count < 4000 && rng.Next(100) < 55))
            {
                byte seed = (byte)rng.Next(256);
                kmem_cache? cache = null;
                uint size;
                byte* p;
                if (rng.Next(4) == 0)
                {
                    size = kmallocSizes[rng.Next(kmallocSizes.Length)];
                    p = (byte*)_k.kmalloc(size, GFP_KERNEL);
                }
                else
                {
                    cache = caches[rng.Next(caches.Length)];
                    size = cache.ObjectSize;
                    p = (byte*)_k.kmem_cache_alloc(cache, GFP_KERNEL);
                }
                Assert.That(addresses.Add((ulong)p), Is.True, $"op {op}: 0x{(ulong)p:x} handed out twice");
                Fill(p, size, seed);
                live.Add(((ulong)p, cache, size, seed));
            }
            else
            {
                int i = rng.Next(live.Count);
                var (ptr, cache, size, seed) = live[i];
                Assert.That(Holds((byte*)ptr, size, seed), Is.True, $"op {op}: object 0x{ptr:x} changed");
                live[i] = live[^1];
                live.RemoveAt(live.Count - 1);
                addresses.Remove(ptr);
                Free(ptr, cache);
            }
        }
        foreach (var (ptr, _, size, seed) in live)
            Assert.That(Holds((byte*)ptr, size, seed), Is.True, $"object 0x{ptr:x} changed");

        ulong expected = (ulong)live.Where(o => o.Cache is not null).Sum(o => (long)o.Size);
        Assert.That(caches.Aggregate(0UL, (sum, c) => sum + c.BytesInUse), Is.EqualTo(expected));
        foreach (var (ptr, cache, _, _) in live)
            Free(ptr, cache);
        Assert.That(caches.Select(c => c.ObjectsInUse), Is.All.Zero);
        Assert.That(_k.SlabBytesInUse, Is.Zero);
        Assert.That(_machine.Warnings, Is.Empty);
    }

    [Test]
    public void DestroyWithLiveObjectsWarnsAndListsThem()
    {
        var s = Create("leaky", 128);
        var kept = (ulong*)_k.kmem_cache_alloc(s, GFP_KERNEL);
        *kept = 99;
        _k.kmem_cache_free(s, _k.kmem_cache_alloc(s, GFP_KERNEL));
        _k.kmem_cache_destroy(s);
        // mm/slab_common.c:548 WARN "kmem_cache_destroy <name>: Slab cache still has objects";
        // mm/slub.c:5542 list_slab_objects() "Objects remaining on __kmem_cache_shutdown()".
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1));
        Assert.That(_machine.Warnings[0].Message, Does.StartWith("kmem_cache_destroy leaky: Slab cache still has objects"));
        Assert.That(_machine.KernelLog, Has.Some.EqualTo("BUG leaky (Not tainted): Objects remaining on __kmem_cache_shutdown()"));
        Assert.That(_machine.KernelLog.Count(l => l.StartsWith($"Object 0x{(ulong)kept:x} @offset=", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(_machine.KernelLog.Count(l => l.StartsWith("Object 0x", StringComparison.Ordinal)), Is.EqualTo(1));
        // The cache is leaked, not released: the object stays usable and freeable.
        Assert.That(*kept, Is.EqualTo(99UL));
        _k.kmem_cache_free(s, kept);
    }

    [Test]
    public void DestroyOfAnEmptyCacheReleasesIt()
    {
        var s = Create("tidy", 64);
        ulong before = _k.SlabBytes;
        var objects = Enumerable.Range(0, 5000).Select(_ => (ulong)_k.kmem_cache_alloc(s, GFP_KERNEL)).ToList();
        Assert.That(_k.SlabBytes, Is.GreaterThan(before));
        foreach (var p in objects)
            _k.kmem_cache_free(s, (void*)p);
        _k.kmem_cache_destroy(s);
        Assert.That(_machine.Warnings, Is.Empty);
        Assert.That(_k.slab_caches, Does.Not.Contain(s));
        Assert.That(_k.SlabBytes, Is.EqualTo(before));
        Assert.That(BugText(() => _k.kmem_cache_alloc(s, GFP_KERNEL)), Does.Contain("destroyed cache"));
    }

    [Test]
    public void CreationChecksFollowSlabCommon()
    {
        Create("dup", 8);
        // mm/slab_common.c:108 duplicate names WARN (CONFIG_DEBUG_VM), but the cache is made.
        Assert.That(_k.kmem_cache_create("dup", 8, 0, 0, null), Is.Not.Null);
        Assert.That(_machine.Warnings, Has.Count.EqualTo(1));
        // :102 too large for kmalloc -> -EINVAL, NULL.
        Assert.That(_k.kmem_cache_create("huge", (uint)KMALLOC_MAX_SIZE + 1, 0, 0, null), Is.Null);
        Assert.That(_machine.KernelLog, Has.Some.EqualTo("kmem_cache_create(huge) integrity check failed"));
        // :328 flags outside SLAB_FLAGS_PERMITTED (here __OBJECT_POISON, allocator internal) -> NULL.
        Assert.That(_k.kmem_cache_create("internal-flag", 8, 0, __OBJECT_POISON, null), Is.Null);
        // SLAB_PANIC turns a failure into a panic.
        Assert.That(BugText(() => _k.kmem_cache_create("panics", (uint)KMALLOC_MAX_SIZE + 1, 0, SLAB_PANIC, null)),
            Does.Contain("Failed to create slab 'panics'"));
    }

    [Test]
    public void GlobalsKeepTheirAddressForTheMachinesLifetime()
    {
        var migrate_nodes = _k.AllocateGlobal<list_head>("test_migrate_nodes");
        var hash = _k.AllocateGlobal<hlist_head>("test_mm_slots_hash", 1024);
        Assert.That((ulong)migrate_nodes % 64, Is.Zero);
        Assert.That(Bytes(hash, 1024 * sizeof(hlist_head)), Is.All.Zero);
        INIT_LIST_HEAD(migrate_nodes);
        var s = Create("churn", 256);
        for (int i = 0; i < 10_000; i++)
            _k.kmem_cache_free(s, _k.kmem_cache_alloc(s, GFP_KERNEL));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.That((ulong)migrate_nodes->next, Is.EqualTo((ulong)migrate_nodes));
        Assert.That(list_empty(migrate_nodes), Is.True);
        Assert.Throws<InvalidOperationException>(() => _k.AllocateGlobal<list_head>("test_migrate_nodes"));
    }
}
