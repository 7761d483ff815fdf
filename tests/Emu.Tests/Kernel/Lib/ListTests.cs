using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using NUnit.Framework;
using static Emu.Kernel.Kernel;
using hlist_head = Emu.Kernel.hlist_head;
using hlist_node = Emu.Kernel.hlist_node;
using list_head = Emu.Kernel.list_head;

namespace Emu.Tests.Kernel.Lib;

/// <summary>
/// include/linux/list.h (with lib/list_debug.c's checks, CONFIG_DEBUG_LIST) against List&lt;int&gt;
/// models: random operation sequences, after each of which every list is walked both ways and
/// compared with its model, and deleted entries carry upstream's poison.
/// </summary>
public unsafe class ListTests
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Item
    {
        public long id;
        public list_head link;
        public int pad;
        public hlist_node hnode;
    }

    private static readonly int LinkMember = (int)Marshal.OffsetOf<Item>(nameof(Item.link));
    private static readonly int HnodeMember = (int)Marshal.OffsetOf<Item>(nameof(Item.hnode));

    private const int NItems = 40;
    private const int NHeads = 4;

    private Item* _items;
    private list_head* _heads;
    private hlist_head* _hheads;

    [SetUp]
    public void SetUp()
    {
        _items = (Item*)NativeMemory.AllocZeroed((nuint)(NItems * sizeof(Item)));
        _heads = (list_head*)NativeMemory.AllocZeroed((nuint)(NHeads * sizeof(list_head)));
        _hheads = (hlist_head*)NativeMemory.AllocZeroed((nuint)(NHeads * sizeof(hlist_head)));
        for (int i = 0; i < NItems; i++)
            _items[i].id = i;
    }

    [TearDown]
    public void TearDown()
    {
        NativeMemory.Free(_items);
        NativeMemory.Free(_heads);
        NativeMemory.Free(_hheads);
    }

    private list_head* L(int i) => &_items[i].link;
    private hlist_node* H(int i) => &_items[i].hnode;

    [Test]
    public void PoisonValuesAreUpstreams()
    {
        // include/linux/poison.h with CONFIG_ILLEGAL_POINTER_VALUE=0xdead000000000000.
        Assert.That((ulong)LIST_POISON1, Is.EqualTo(0xdead000000000100UL));
        Assert.That((ulong)LIST_POISON2, Is.EqualTo(0xdead000000000122UL));
    }

    [Test]
    public void ContainerOfUndoesTheMemberOffset()
    {
        Assert.That(LinkMember, Is.EqualTo(8));
        Assert.That(list_entry<Item>(L(5), LinkMember) == &_items[5], Is.True);
        Assert.That(hlist_entry<Item>(H(7), HnodeMember) == &_items[7], Is.True);
        Assert.That(hlist_entry_safe<Item>(null, HnodeMember) == null, Is.True);
    }

    [Test]
    public void ListDelPoisonsAndUnlinks()
    {
        list_head* head = &_heads[0];
        INIT_LIST_HEAD(head);
        Assert.That(list_empty(head), Is.True);
        list_add_tail(L(0), head);
        Assert.That(list_is_singular(head), Is.True);
        list_add_tail(L(1), head);
        list_add_tail(L(2), head);
        Assert.That(list_is_singular(head), Is.False);

        list_del(L(1));
        Assert.That((ulong)_items[1].link.next, Is.EqualTo(0xdead000000000100UL));
        Assert.That((ulong)_items[1].link.prev, Is.EqualTo(0xdead000000000122UL));
        Assert.That(Walk(head), Is.EqualTo(new[] { 0, 2 }));

        // CONFIG_DEBUG_LIST + CONFIG_BUG_ON_DATA_CORRUPTION: a second list_del is a BUG, caught before any dereference.
        var ex = Assert.Throws<InvalidOperationException>(() => list_del(L(1)));
        Assert.That(ex!.Message, Does.Contain("list_del corruption").And.Contain("LIST_POISON1"));
        Assert.That(Walk(head), Is.EqualTo(new[] { 0, 2 }));

        // list_del_init leaves an empty self-linked entry instead.
        list_del_init(L(0));
        Assert.That(list_empty(L(0)), Is.True);
        Assert.That(list_is_singular(head), Is.True);
        Assert.That(list_first_entry<Item>(head, LinkMember)->id, Is.EqualTo(2));
        Assert.That(list_first_entry_or_null<Item>(head, LinkMember)->id, Is.EqualTo(2));
        list_del(L(2));
        Assert.That(list_first_entry_or_null<Item>(head, LinkMember) == null, Is.True);
    }

    [Test]
    public void DebugListCatchesDoubleAddAndBrokenLinks()
    {
        list_head* head = &_heads[0];
        INIT_LIST_HEAD(head);
        list_add(L(0), head);
        var ex = Assert.Throws<InvalidOperationException>(() => list_add(L(0), head));
        Assert.That(ex!.Message, Does.Contain("list_add double add"));

        list_add(L(1), head); // head -> 1 -> 0 -> head
        _items[0].link.next = L(3); // corrupt: 0's next should be the head
        ex = Assert.Throws<InvalidOperationException>(() => list_add_tail(L(2), head));
        Assert.That(ex!.Message, Does.Contain("list_add corruption. prev->next should be next"));
        ex = Assert.Throws<InvalidOperationException>(() => list_del(L(0)));
        Assert.That(ex!.Message, Does.Contain("list_del corruption. next->prev should be"));
        // The failed operations changed nothing.
        Assert.That(_items[2].link.next == null && _items[2].link.prev == null, Is.True);
        Assert.That(_items[0].link.next == L(3) && _items[0].link.prev == L(1), Is.True);
        Assert.That(head->prev == L(0) && _items[1].link.next == L(0), Is.True);
    }

    [Test]
    public void RandomOperationsMatchTheModel([Values(1, 2, 3, 4, 5)] int seed)
    {
        var rng = new Random(seed);
        var model = Enumerable.Range(0, NHeads).Select(_ => new List<int>()).ToArray();
        var where = new int[NItems]; // head index, or -1 when on no list
        Array.Fill(where, -1);
        var poisoned = new bool[NItems];
        for (int h = 0; h < NHeads; h++)
            INIT_LIST_HEAD(&_heads[h]);

        int Free() { var f = Enumerable.Range(0, NItems).Where(i => where[i] < 0).ToArray(); return f.Length == 0 ? -1 : f[rng.Next(f.Length)]; }
        int Used() { var u = Enumerable.Range(0, NItems).Where(i => where[i] >= 0).ToArray(); return u.Length == 0 ? -1 : u[rng.Next(u.Length)]; }

        for (int step = 0; step < 3000; step++)
        {
            int h = rng.Next(NHeads), h2 = rng.Next(NHeads);
            list_head* head = &_heads[h];
            int op = rng.Next(12);
            string what = $"step {step} op {op}";
            switch (op)
            {
                case 0:
                case 1:
                    {
                        int i = Free();
                        if (i < 0) break;
                        if (op == 0) { list_add(L(i), head); model[h].Insert(0, i); }
                        else { list_add_tail(L(i), head); model[h].Add(i); }
                        where[i] = h; poisoned[i] = false;
                        break;
                    }
                case 2:
                    {
                        int i = Used();
                        if (i < 0) break;
                        list_del(L(i));
                        model[where[i]].Remove(i); where[i] = -1; poisoned[i] = true;
                        break;
                    }
                case 3:
                    {
                        int i = Used();
                        if (i < 0) break;
                        list_del_init(L(i));
                        Assert.That(list_empty(L(i)), Is.True, what);
                        model[where[i]].Remove(i); where[i] = -1; poisoned[i] = false;
                        break;
                    }
                case 4:
                case 5:
                    {
                        int i = Used();
                        if (i < 0) break;
                        if (op == 4) { list_move(L(i), head); model[where[i]].Remove(i); model[h].Insert(0, i); }
                        else { list_move_tail(L(i), head); model[where[i]].Remove(i); model[h].Add(i); }
                        where[i] = h;
                        break;
                    }
                case 6:
                    {
                        int old = Used(), nw = Free();
                        if (old < 0 || nw < 0) break;
                        list_replace(L(old), L(nw));
                        var m = model[where[old]];
                        m[m.IndexOf(old)] = nw;
                        where[nw] = where[old]; where[old] = -1; poisoned[nw] = false;
                        INIT_LIST_HEAD(L(old)); // its links are stale; reinitialize before reuse
                        poisoned[old] = false;
                        break;
                    }
                case 7:
                    {
                        if (h == h2) break;
                        bool tail = rng.Next(2) == 0;
                        if (tail) { list_splice_tail_init(&_heads[h2], head); model[h].AddRange(model[h2]); }
                        else { list_splice_init(&_heads[h2], head); model[h].InsertRange(0, model[h2]); }
                        foreach (var i in model[h2]) where[i] = h;
                        model[h2].Clear();
                        Assert.That(list_empty(&_heads[h2]), Is.True, what);
                        break;
                    }
                case 8:
                    list_rotate_left(head);
                    if (model[h].Count > 0) { var first = model[h][0]; model[h].RemoveAt(0); model[h].Add(first); }
                    break;
                case 9:
                    {
                        int i = Used();
                        if (i < 0) break;
                        h = where[i];
                        list_rotate_to_front(L(i), &_heads[h]);
                        var m = model[h];
                        int k = m.IndexOf(i);
                        var rotated = m.Skip(k).Concat(m.Take(k)).ToList();
                        m.Clear(); m.AddRange(rotated);
                        break;
                    }
                case 10:
                    {
                        // list_cut_position(list, head, entry) into an empty h2.
                        if (h == h2 || model[h2].Count != 0 || model[h].Count == 0) break;
                        int k = rng.Next(model[h].Count);
                        int e = model[h][k];
                        list_cut_position(&_heads[h2], head, L(e));
                        model[h2].AddRange(model[h].Take(k + 1));
                        model[h].RemoveRange(0, k + 1);
                        foreach (var i in model[h2]) where[i] = h2;
                        break;
                    }
                case 11:
                    {
                        int a = Used(), b = Used();
                        if (a < 0 || a == b) break;
                        list_swap(L(a), L(b));
                        var ma = model[where[a]]; int ia = ma.IndexOf(a);
                        var mb = model[where[b]]; int ib = mb.IndexOf(b);
                        ma[ia] = b; mb[ib] = a;
                        (where[a], where[b]) = (where[b], where[a]);
                        break;
                    }
            }

            for (int k = 0; k < NHeads; k++)
            {
                Assert.That(Walk(&_heads[k]), Is.EqualTo(model[k]), $"{what}: list {k}");
                Assert.That(list_empty(&_heads[k]), Is.EqualTo(model[k].Count == 0), what);
                Assert.That(list_is_singular(&_heads[k]), Is.EqualTo(model[k].Count == 1), what);
                Assert.That(list_count_nodes(&_heads[k]), Is.EqualTo((nuint)model[k].Count), what);
                if (model[k].Count > 0)
                {
                    Assert.That(list_first_entry<Item>(&_heads[k], LinkMember)->id, Is.EqualTo(model[k][0]), what);
                    Assert.That(list_last_entry<Item>(&_heads[k], LinkMember)->id, Is.EqualTo(model[k][^1]), what);
                    Assert.That(list_is_first(L(model[k][0]), &_heads[k]), Is.True, what);
                    Assert.That(list_is_last(L(model[k][^1]), &_heads[k]), Is.True, what);
                }
            }
            for (int i = 0; i < NItems; i++)
            {
                if (!poisoned[i]) continue;
                Assert.That((ulong)_items[i].link.next, Is.EqualTo(0xdead000000000100UL), $"{what}: item {i} next");
                Assert.That((ulong)_items[i].link.prev, Is.EqualTo(0xdead000000000122UL), $"{what}: item {i} prev");
            }
        }
    }

    // Forward walk via list_for_each_entry, checked against a backward walk and the prev/next pairing.
    private List<int> Walk(list_head* head)
    {
        var forward = new List<int>();
        foreach (var pos in list_for_each_entry<Item>(head, LinkMember))
        {
            Assert.That(pos->link.next->prev == &pos->link, Is.True, "next->prev");
            Assert.That(pos->link.prev->next == &pos->link, Is.True, "prev->next");
            forward.Add((int)pos->id);
            Assert.That(forward, Has.Count.LessThanOrEqualTo(NItems), "cycle");
        }
        var backward = new List<int>();
        for (list_head* p = head->prev; p != head; p = p->prev)
            backward.Add((int)list_entry<Item>(p, LinkMember)->id);
        backward.Reverse();
        Assert.That(backward, Is.EqualTo(forward), "backward walk");
        return forward;
    }

    [Test]
    public void ForEachEntrySafeAllowsDeletingTheCurrentEntry()
    {
        list_head* head = &_heads[0];
        INIT_LIST_HEAD(head);
        for (int i = 0; i < 10; i++)
            list_add_tail(L(i), head);
        var visited = new List<long>();
        foreach (var pos in list_for_each_entry_safe<Item>(head, LinkMember))
        {
            visited.Add(pos->id);
            if (pos->id % 2 == 0)
                list_del(&pos->link);
        }
        Assert.That(visited, Is.EqualTo(Enumerable.Range(0, 10).Select(i => (long)i)));
        Assert.That(Walk(head), Is.EqualTo(new[] { 1, 3, 5, 7, 9 }));

        // list_next_entry / list_prev_entry / list_entry_is_head step like the macros.
        Item* it = list_first_entry<Item>(head, LinkMember);
        Assert.That(list_next_entry(it, LinkMember)->id, Is.EqualTo(3));
        Assert.That(list_entry_is_head(list_prev_entry(it, LinkMember), head, LinkMember), Is.True);
    }

    [Test]
    public void SpliceCutAndBulkMove()
    {
        list_head* a = &_heads[0], b = &_heads[1];
        INIT_LIST_HEAD(a);
        INIT_LIST_HEAD(b);
        for (int i = 0; i < 4; i++) list_add_tail(L(i), a);
        for (int i = 4; i < 7; i++) list_add_tail(L(i), b);

        list_splice(b, a); // b's entries at the front of a; b itself left stale
        Assert.That(Walk(a), Is.EqualTo(new[] { 4, 5, 6, 0, 1, 2, 3 }));
        INIT_LIST_HEAD(b);

        list_cut_before(b, a, L(0));
        Assert.That(Walk(b), Is.EqualTo(new[] { 4, 5, 6 }));
        Assert.That(Walk(a), Is.EqualTo(new[] { 0, 1, 2, 3 }));

        list_splice_tail(b, a);
        Assert.That(Walk(a), Is.EqualTo(new[] { 0, 1, 2, 3, 4, 5, 6 }));
        INIT_LIST_HEAD(b);

        list_bulk_move_tail(a, L(1), L(3));
        Assert.That(Walk(a), Is.EqualTo(new[] { 0, 4, 5, 6, 1, 2, 3 }));

        list_cut_position(b, a, a); // entry == head: b becomes empty, a untouched
        Assert.That(list_empty(b), Is.True);
        Assert.That(Walk(a), Is.EqualTo(new[] { 0, 4, 5, 6, 1, 2, 3 }));

        list_replace_init(L(0), L(10));
        Assert.That(list_empty(L(0)), Is.True);
        Assert.That(Walk(a), Is.EqualTo(new[] { 10, 4, 5, 6, 1, 2, 3 }));

        list_del_init_careful(L(10));
        Assert.That(list_empty_careful(L(10)), Is.True);
        Assert.That(list_empty_careful(a), Is.False);

        __list_del_clearprev(L(4));
        Assert.That(_items[4].link.prev == null, Is.True);
        Assert.That(Walk(a), Is.EqualTo(new[] { 5, 6, 1, 2, 3 }));
    }

    [Test]
    public void HlistRandomOperationsMatchTheModel([Values(1, 2, 3)] int seed)
    {
        var rng = new Random(seed);
        var model = Enumerable.Range(0, NHeads).Select(_ => new List<int>()).ToArray();
        var where = new int[NItems];
        Array.Fill(where, -1);
        var poisoned = new bool[NItems];
        for (int h = 0; h < NHeads; h++)
            INIT_HLIST_HEAD(&_hheads[h]);
        for (int i = 0; i < NItems; i++)
        {
            INIT_HLIST_NODE(H(i));
            Assert.That(hlist_unhashed(H(i)), Is.True);
        }

        int Pick(bool used) { var c = Enumerable.Range(0, NItems).Where(i => (where[i] >= 0) == used).ToArray(); return c.Length == 0 ? -1 : c[rng.Next(c.Length)]; }

        for (int step = 0; step < 3000; step++)
        {
            int h = rng.Next(NHeads), h2 = rng.Next(NHeads);
            int op = rng.Next(7);
            string what = $"step {step} op {op}";
            switch (op)
            {
                case 0:
                case 1:
                    {
                        int i = Pick(false);
                        if (i < 0) break;
                        hlist_add_head(H(i), &_hheads[h]);
                        model[h].Insert(0, i); where[i] = h; poisoned[i] = false;
                        break;
                    }
                case 2:
                    {
                        int i = Pick(true);
                        if (i < 0) break;
                        hlist_del(H(i));
                        model[where[i]].Remove(i); where[i] = -1; poisoned[i] = true;
                        break;
                    }
                case 3:
                    {
                        int i = Pick(true);
                        if (i < 0) break;
                        hlist_del_init(H(i));
                        Assert.That(hlist_unhashed(H(i)), Is.True, what);
                        hlist_del_init(H(i)); // unhashed: a no-op
                        model[where[i]].Remove(i); where[i] = -1; poisoned[i] = false;
                        break;
                    }
                case 4:
                    {
                        int n = Pick(false), at = Pick(true);
                        if (n < 0 || at < 0) break;
                        var m = model[where[at]];
                        if (rng.Next(2) == 0) { hlist_add_before(H(n), H(at)); m.Insert(m.IndexOf(at), n); }
                        else { hlist_add_behind(H(n), H(at)); m.Insert(m.IndexOf(at) + 1, n); }
                        where[n] = where[at]; poisoned[n] = false;
                        break;
                    }
                case 5:
                    {
                        if (h == h2 || model[h2].Count != 0) break;
                        hlist_move_list(&_hheads[h], &_hheads[h2]);
                        model[h2].AddRange(model[h]);
                        foreach (var i in model[h]) where[i] = h2;
                        model[h].Clear();
                        break;
                    }
                case 6:
                    {
                        if (h == h2 || model[h].Count == 0) break;
                        int last = model[h][^1];
                        hlist_splice_init(&_hheads[h], H(last), &_hheads[h2]);
                        model[h2].InsertRange(0, model[h]);
                        foreach (var i in model[h]) where[i] = h2;
                        model[h].Clear();
                        break;
                    }
            }

            for (int k = 0; k < NHeads; k++)
            {
                Assert.That(HWalk(&_hheads[k]), Is.EqualTo(model[k]), $"{what}: hlist {k}");
                Assert.That(hlist_empty(&_hheads[k]), Is.EqualTo(model[k].Count == 0), what);
                Assert.That(hlist_count_nodes(&_hheads[k]), Is.EqualTo((nuint)model[k].Count), what);
                foreach (var i in model[k])
                    Assert.That(hlist_is_singular_node(H(i), &_hheads[k]), Is.EqualTo(model[k].Count == 1), what);
            }
            for (int i = 0; i < NItems; i++)
            {
                if (where[i] < 0 && !poisoned[i])
                    Assert.That(hlist_unhashed(H(i)), Is.True, $"{what}: item {i} unhashed");
                if (!poisoned[i]) continue;
                Assert.That((ulong)_items[i].hnode.next, Is.EqualTo(0xdead000000000100UL), $"{what}: item {i} next");
                Assert.That((ulong)_items[i].hnode.pprev, Is.EqualTo(0xdead000000000122UL), $"{what}: item {i} pprev");
            }
        }
    }

    // Walk via hlist_for_each_entry, checking each pprev points at the previous link.
    private List<int> HWalk(hlist_head* head)
    {
        var ids = new List<int>();
        hlist_node** expected = &head->first;
        foreach (var pos in hlist_for_each_entry<Item>(head, HnodeMember))
        {
            Assert.That(pos->hnode.pprev == expected, Is.True, "pprev");
            Assert.That(hlist_unhashed(&pos->hnode), Is.False);
            expected = &pos->hnode.next;
            ids.Add((int)pos->id);
            Assert.That(ids, Has.Count.LessThanOrEqualTo(NItems), "cycle");
        }
        return ids;
    }

    [Test]
    public void HlistForEachEntrySafeAllowsDeletingAndFakeNodes()
    {
        hlist_head* head = &_hheads[0];
        INIT_HLIST_HEAD(head);
        for (int i = 0; i < 6; i++)
            hlist_add_head(H(i), head);
        var visited = new List<long>();
        foreach (var pos in hlist_for_each_entry_safe<Item>(head, HnodeMember))
        {
            visited.Add(pos->id);
            hlist_del(&pos->hnode);
        }
        Assert.That(visited, Is.EqualTo(new long[] { 5, 4, 3, 2, 1, 0 }));
        Assert.That(hlist_empty(head), Is.True);

        INIT_HLIST_NODE(H(9));
        hlist_add_fake(H(9));
        Assert.That(hlist_fake(H(9)), Is.True);
        Assert.That(hlist_unhashed(H(9)), Is.False);
    }
}
