using System;
using System.Collections.Generic;
using Emu.Kernel;
using Emu.Tests.Kernel.Locking;
using NUnit.Framework;
using static Emu.Kernel.KernelConstants;

namespace Emu.Tests.Vma;

/// <summary>
/// lib/maple_tree.cs (the model) and the VMA iterator over it, against a brute-force array of
/// indices. Expectations come from the documented contracts in lib/maple_tree.c (mas_walk: the
/// range of the slot; mas_find: first entry at or after index, then the next; mas_prev: the entry
/// before; mt_find: first entry in [index, max] and index moved past it; mas_empty_area(_rev):
/// lowest/highest gap window of size in [min, max]; mas_store: returns the entry that was at index)
/// and from include/linux/mm.h / mm/mmap.c for find_vma, find_vma_prev, find_vma_intersection, vma_lookup.
/// </summary>
public unsafe class VmaStoreTests
{
    private Machine _machine = null!;
    private NativeStructs _mem = null!;
    private Emu.Kernel.Kernel K => _machine.Kernel;

    [SetUp]
    public void Create()
    {
        _machine = new Machine();
        _mem = new NativeStructs();
    }

    [TearDown]
    public void Dispose()
    {
        _mem.Dispose();
        _machine.Dispose();
    }

    private const int N = 256; // brute-force index space [0, N); everything above holds NULL

    /// <summary>The slot around idx in the brute-force array: maximal run of the same value.</summary>
    private static (ulong first, ulong last) Slot(nint[] a, ulong idx)
    {
        if (idx >= N)
        {
            ulong f = N;
            while (f > 0 && a[f - 1] == 0) f--;
            return (f, ulong.MaxValue);
        }
        nint v = a[idx];
        ulong lo = idx, hi = idx;
        while (lo > 0 && a[lo - 1] == v) lo--;
        while (hi + 1 < N && a[hi + 1] == v) hi++;
        if (hi == N - 1 && v == 0) hi = ulong.MaxValue;
        return (lo, hi);
    }

    /// <summary>Every slot of the brute-force space in order, the trailing NULL one ending at ULONG_MAX.</summary>
    private static List<(ulong first, ulong last, nint entry)> Slots(nint[] a)
    {
        var r = new List<(ulong, ulong, nint)>();
        ulong f = 0;
        for (ulong x = 1; x <= N; x++)
        {
            if (x == N || a[x] != a[f])
            {
                r.Add((f, x - 1, a[f]));
                f = x;
            }
        }
        if (r[^1].Item3 == 0) r[^1] = (r[^1].Item1, ulong.MaxValue, 0);
        else r.Add((N, ulong.MaxValue, 0));
        return r;
    }

    private maple_tree* NewTree()
    {
        var mt = _mem.New<maple_tree>();
        K.mt_init_flags(mt, (uint)MT_FLAGS_ALLOC_RANGE);
        return mt;
    }

    [Test]
    public void RandomStoresEraseAndIterationMatchBruteForce()
    {
        var rng = new Random(4);
        var mt = NewTree();
        var a = new nint[N];
        nint next = 0x1000;
        int ops = 0;
        for (; ops < 60_000; ops++)
        {
            int op = rng.Next(100);
            ulong i = (ulong)rng.Next(N), j = (ulong)rng.Next(N);
            if (i > j) (i, j) = (j, i);
            if (op < 35)
            {
                // Unique entries (8-aligned, never xarray internal) so no two adjacent slots look alike.
                nint e = rng.Next(4) == 0 ? 0 : (next += 8);
                ma_state mas = Emu.Kernel.Kernel.MA_STATE(mt, i, j);
                nint old = (nint)K.mas_store(&mas, (void*)e);
                Assert.That(old, Is.EqualTo(a[i]), "mas_store returns what index held");
                for (ulong x = i; x <= j; x++) a[x] = e;
                if (e == 0)
                {
                    // A NULL store leaves the state on the whole merged NULL range.
                    var (f, l) = Slot(a, i);
                    Assert.That((mas.index, mas.last), Is.EqualTo((f, l)));
                }
                else Assert.That((mas.index, mas.last), Is.EqualTo((i, j)));
            }
            else if (op < 45)
            {
                nint old = (nint)K.mtree_erase(mt, i);
                Assert.That(old, Is.EqualTo(a[i]));
                if (old != 0)
                {
                    var (f, l) = Slot(a, i);
                    for (ulong x = f; x <= l; x++) a[x] = 0;
                }
            }
            else if (op < 60)
            {
                ulong idx = rng.Next(8) == 0 ? (ulong)N + (ulong)rng.Next(1000) : i;
                ma_state mas = Emu.Kernel.Kernel.MA_STATE(mt, idx, idx);
                nint e = (nint)K.mas_walk(&mas);
                nint want = idx < N ? a[idx] : 0;
                Assert.That(e, Is.EqualTo(want));
                if (!Emu.Kernel.Kernel.mtree_empty(mt))
                    Assert.That((mas.index, mas.last), Is.EqualTo(Slot(a, idx)));
                else
                    Assert.That((mas.index, mas.last, mas.status), Is.EqualTo((0UL, ulong.MaxValue, maple_status.ma_none)));
                Assert.That((nint)K.mtree_load(mt, idx), Is.EqualTo(want));
            }
            else if (op < 70)
            {
                // mt_find: first entry in [i, j]; index moves past its slot.
                ulong index = i;
                nint e = (nint)K.mt_find(mt, &index, j);
                ulong x = i;
                while (x <= j && a[x] == 0) x++;
                if (x > j)
                {
                    Assert.That(e, Is.EqualTo((nint)0));
                    Assert.That(index, Is.EqualTo(i));
                }
                else
                {
                    Assert.That(e, Is.EqualTo(a[x]));
                    Assert.That(index, Is.EqualTo(Slot(a, x).last + 1));
                }
            }
            else if (op < 80)
            {
                // mas_for_each from i up to j: every entry overlapping [i, j], in order, with its range.
                ma_state mas = Emu.Kernel.Kernel.MA_STATE(mt, i, i);
                var got = new List<(nint, ulong, ulong)>();
                void* e;
                while ((e = K.mas_find(&mas, j)) != null)
                    got.Add(((nint)e, mas.index, mas.last));
                var want = new List<(nint, ulong, ulong)>();
                foreach (var (f, l, v) in Slots(a))
                    if (v != 0 && l >= i && f <= j) want.Add((v, f, l));
                Assert.That(got, Is.EqualTo(want));
            }
            else if (op < 88)
            {
                // mas_prev from j down to i: entries before j's slot that start above i.
                ma_state mas = Emu.Kernel.Kernel.MA_STATE(mt, j, j);
                K.mas_walk(&mas);
                var got = new List<nint>();
                void* e;
                while ((e = K.mas_prev(&mas, i)) != null)
                    got.Add((nint)e);
                var want = new List<nint>();
                var slots = Slots(a);
                int k = slots.FindIndex(t => t.first <= j && j <= t.last);
                // Step back one slot while the current one starts above the limit.
                while (slots[k].first > i)
                {
                    k--;
                    if (slots[k].entry != 0) want.Add(slots[k].entry);
                }
                Assert.That(got, Is.EqualTo(want), $"prev from {j} to {i}");
            }
            else if (op < 94)
            {
                ulong size = (ulong)rng.Next(1, 40);
                ulong max = j + 0;
                ma_state mas = Emu.Kernel.Kernel.MA_STATE(mt, 0, 0);
                int r = K.mas_empty_area(&mas, i, max, size);
                ulong? want = null;
                for (ulong x = i; x + size - 1 <= max && want == null; x++)
                {
                    bool free = true;
                    for (ulong y = x; y < x + size; y++) if (a[y] != 0) { free = false; break; }
                    if (free) want = x;
                }
                if (max - i < size - 1) Assert.That(r, Is.EqualTo(-EINVAL));
                else if (want == null) Assert.That(r, Is.EqualTo(-EBUSY));
                else
                {
                    Assert.That(r, Is.EqualTo(0));
                    Assert.That((mas.index, mas.last), Is.EqualTo((want.Value, want.Value + size - 1)));
                }
            }
            else
            {
                ulong size = (ulong)rng.Next(1, 40);
                ma_state mas = Emu.Kernel.Kernel.MA_STATE(mt, 0, 0);
                int r = K.mas_empty_area_rev(&mas, i, j, size);
                ulong? want = null;
                if (j - i >= size - 1)
                    for (ulong x = j - size + 1; ; x--)
                    {
                        bool free = true;
                        for (ulong y = x; y < x + size; y++) if (a[y] != 0) { free = false; break; }
                        if (free) { want = x; break; }
                        if (x == i) break;
                    }
                if (j - i < size - 1) Assert.That(r, Is.EqualTo(-EINVAL));
                else if (want == null) Assert.That(r, Is.EqualTo(-EBUSY));
                else
                {
                    Assert.That(r, Is.EqualTo(0));
                    Assert.That((mas.index, mas.last), Is.EqualTo((want.Value, want.Value + size - 1)));
                }
            }
        }
        Assert.That(ops, Is.GreaterThanOrEqualTo(50_000));

        // __mt_dup copies every range; __mt_destroy empties and releases the store.
        var copy = _mem.New<maple_tree>();
        K.mt_init_flags(copy, (uint)MT_FLAGS_ALLOC_RANGE);
        Assert.That(K.__mt_dup(mt, copy, GFP_KERNEL), Is.EqualTo(0));
        for (ulong x = 0; x < N; x++)
            Assert.That((nint)K.mtree_load(copy, x), Is.EqualTo(a[x]));
        // The new tree must be empty (mas_dup_build: -EINVAL otherwise).
        Assert.That(Emu.Kernel.Kernel.mtree_empty(copy), Is.EqualTo(Emu.Kernel.Kernel.mtree_empty(mt)));
        if (!Emu.Kernel.Kernel.mtree_empty(copy))
            Assert.That(K.__mt_dup(mt, copy, GFP_KERNEL), Is.EqualTo(-EINVAL));
        int trees = K.mt_model_count;
        K.__mt_destroy(copy);
        K.mtree_destroy(mt);
        Assert.That(Emu.Kernel.Kernel.mtree_empty(copy) && Emu.Kernel.Kernel.mtree_empty(mt));
        Assert.That(K.mt_model_count, Is.EqualTo(trees - 2));
    }

    [Test]
    public void FindFromAPausedStateContinuesAfterTheLastEntry()
    {
        var mt = NewTree();
        ma_state st = Emu.Kernel.Kernel.MA_STATE(mt, 0x10, 0x1f);
        K.mas_store_gfp(&st, (void*)0x100, GFP_KERNEL);
        st = Emu.Kernel.Kernel.MA_STATE(mt, 0x30, 0x3f);
        K.mas_store_gfp(&st, (void*)0x200, GFP_KERNEL);

        ma_state mas = Emu.Kernel.Kernel.MA_STATE(mt, 0, 0);
        Assert.That((nint)K.mas_find(&mas, ulong.MaxValue), Is.EqualTo((nint)0x100));
        // mas_pause + mas_find: index = ++last, continue from there (mas_find_setup ma_pause).
        Emu.Kernel.Kernel.mas_pause(&mas);
        Assert.That((nint)K.mas_find(&mas, ulong.MaxValue), Is.EqualTo((nint)0x200));
        Assert.That((mas.index, mas.last), Is.EqualTo((0x30UL, 0x3fUL)));
        // Past the last entry: NULL, and mas_find ignores the overflow (status stays active).
        Assert.That((nint)K.mas_find(&mas, ulong.MaxValue), Is.EqualTo((nint)0));
        Assert.That(mas.status, Is.EqualTo(maple_status.ma_active));
        // mas_next with a limit below the next entry overflows.
        mas = Emu.Kernel.Kernel.MA_STATE(mt, 0x10, 0x10);
        K.mas_walk(&mas);
        Assert.That((nint)K.mas_next(&mas, 0x2f), Is.EqualTo((nint)0));
        Assert.That(mas.status, Is.EqualTo(maple_status.ma_overflow));
        // mas_next_range stops on the gap [0x20, 0x2f].
        mas = Emu.Kernel.Kernel.MA_STATE(mt, 0x10, 0x10);
        K.mas_walk(&mas);
        Assert.That((nint)K.mas_next_range(&mas, ulong.MaxValue), Is.EqualTo((nint)0));
        Assert.That((mas.index, mas.last), Is.EqualTo((0x20UL, 0x2fUL)));
        // mas_prev below the first entry underflows.
        mas = Emu.Kernel.Kernel.MA_STATE(mt, 0x10, 0x10);
        K.mas_walk(&mas);
        Assert.That((nint)K.mas_prev(&mas, 0), Is.EqualTo((nint)0));
        Assert.That(mas.status, Is.EqualTo(maple_status.ma_underflow));
        K.mtree_destroy(mt);
    }

    private vm_area_struct* Vma(mm_struct* mm, ulong start, ulong end)
    {
        var v = _mem.New<vm_area_struct>();
        v->vm_start = start;
        v->vm_end = end;
        v->vm_mm = mm;
        return v;
    }

    private mm_struct* NewMm()
    {
        var mm = _mem.New<mm_struct>();
        K.mt_init_flags(&mm->mm_mt, (uint)(MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN | MT_FLAGS_USE_RCU));
        K.mmap_init_lock(mm);
        return mm;
    }

    [Test]
    public void VmaLookupsFollowMmapC()
    {
        var mm = NewMm();
        K.mmap_write_lock(mm);
        var a = Vma(mm, 0x10000, 0x20000);
        var b = Vma(mm, 0x30000, 0x32000);
        var c = Vma(mm, 0x32000, 0x40000);
        var vmi = Emu.Kernel.Kernel.VMA_ITERATOR(mm, 0);
        foreach (var v in new[] { (nint)b, (nint)a, (nint)c })
            Assert.That(K.vma_iter_store_gfp(&vmi, (vm_area_struct*)v, GFP_KERNEL), Is.EqualTo(0));

        // find_vma: the first VMA with addr < vm_end.
        Assert.That((nint)K.find_vma(mm, 0), Is.EqualTo((nint)a));
        Assert.That((nint)K.find_vma(mm, 0x1ffff), Is.EqualTo((nint)a));
        Assert.That((nint)K.find_vma(mm, 0x20000), Is.EqualTo((nint)b));
        Assert.That((nint)K.find_vma(mm, 0x40000), Is.EqualTo((nint)0));
        // vma_lookup: only the VMA containing addr.
        Assert.That((nint)K.vma_lookup(mm, 0x25000), Is.EqualTo((nint)0));
        Assert.That((nint)K.vma_lookup(mm, 0x32000), Is.EqualTo((nint)c));
        // find_vma_intersection: [start, end) exclusive end.
        Assert.That((nint)K.find_vma_intersection(mm, 0x20000, 0x30000), Is.EqualTo((nint)0));
        Assert.That((nint)K.find_vma_intersection(mm, 0x20000, 0x30001), Is.EqualTo((nint)b));
        // find_vma_prev: in a gap, prev is the VMA below and the result the one above.
        vm_area_struct* prev;
        Assert.That((nint)K.find_vma_prev(mm, 0x25000, &prev), Is.EqualTo((nint)b));
        Assert.That((nint)prev, Is.EqualTo((nint)a));
        Assert.That((nint)K.find_vma_prev(mm, 0x33000, &prev), Is.EqualTo((nint)c));
        Assert.That((nint)prev, Is.EqualTo((nint)b));
        Assert.That((nint)K.find_vma_prev(mm, 0x1000, &prev), Is.EqualTo((nint)a));
        Assert.That((nint)prev, Is.EqualTo((nint)0));

        // for_each_vma from 0 and for_each_vma_range up to an exclusive end.
        vma_iterator it = Emu.Kernel.Kernel.VMA_ITERATOR(mm, 0);
        var seen = new List<nint>();
        vm_area_struct* vma;
        while ((vma = K.vma_next(&it)) != null) seen.Add((nint)vma);
        Assert.That(seen, Is.EqualTo(new[] { (nint)a, (nint)b, (nint)c }));
        it = Emu.Kernel.Kernel.VMA_ITERATOR(mm, 0x15000);
        seen.Clear();
        while ((vma = K.vma_find(&it, 0x32000)) != null) seen.Add((nint)vma);
        Assert.That(seen, Is.EqualTo(new[] { (nint)a, (nint)b }));
        // vma_prev walks back; vma_iter_addr/end give the slot.
        Assert.That((nint)K.vma_prev(&it), Is.EqualTo((nint)a));
        Assert.That((Emu.Kernel.Kernel.vma_iter_addr(&it), Emu.Kernel.Kernel.vma_iter_end(&it)), Is.EqualTo((0x10000UL, 0x20000UL)));

        // vma_iter_clear_gfp removes b's range; the store then sees one gap [0x20000, 0x32000).
        it = Emu.Kernel.Kernel.VMA_ITERATOR(mm, 0x30000);
        Assert.That(K.vma_iter_clear_gfp(&it, 0x30000, 0x32000, GFP_KERNEL), Is.EqualTo(0));
        Assert.That((Emu.Kernel.Kernel.vma_iter_addr(&it), Emu.Kernel.Kernel.vma_iter_end(&it)), Is.EqualTo((0x20000UL, 0x32000UL)));
        Assert.That((nint)K.find_vma(mm, 0x20000), Is.EqualTo((nint)c));
        Assert.That(Emu.Kernel.Kernel.vma_pages(c), Is.EqualTo(0xeUL));
        K.mmap_write_unlock(mm);
        K.__mt_destroy(&mm->mm_mt);
    }
}
