using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;

namespace Emu.Tests.Kernel.Lib;

/// <summary>
/// INTERVAL_TREE_DEFINE (include/linux/interval_tree_generic.h) through its three instances:
/// lib/interval_tree.c over interval_tree_node, mm/interval_tree.c over vm_area_struct and over
/// anon_vma_chain. After every operation the tree is checked against the red-black invariants and
/// the augmented one (a node's subtree_last is the largest last in its subtree); queries are
/// checked against brute force. Intervals are [start, last], both inclusive; two overlap when
/// each starts no later than the other ends (interval_tree_generic.h:104-105).
/// </summary>
public unsafe class IntervalTreeTests
{
    // Entries live until TearDown; removed ones are poisoned, so a tree that still reached them
    // would read garbage. Static because the instances' function pointers allocate.
    private static readonly List<nint> Allocated = new();

    [TearDown]
    public void FreeAll()
    {
        foreach (var p in Allocated) NativeMemory.Free((void*)p);
        Allocated.Clear();
    }

    private static T* Alloc<T>() where T : unmanaged
    {
        var p = (T*)NativeMemory.AllocZeroed((nuint)sizeof(T));
        Allocated.Add((nint)p);
        return p;
    }

    private static void Poison(void* p, int size) => new Span<byte>(p, size).Fill(0x6b);

    // ---- lib/interval_tree.c: struct interval_tree_node ----

    private static interval_tree_node* Node(rb_node* rb) => rb_entry<interval_tree_node>(rb, offsetof.interval_tree_node.rb);
    private static ulong NodeStart(rb_node* rb) => Node(rb)->start;
    private static ulong NodeLast(rb_node* rb) => Node(rb)->last;
    private static ulong NodeSubtree(rb_node* rb) => Node(rb)->__subtree_last;
    private static nint NodeEntry(rb_node* rb) => (nint)Node(rb);
    private static rb_node* NodeRb(nint e) => &((interval_tree_node*)e)->rb;

    private static nint NewNode(ulong start, ulong last)
    {
        var n = Alloc<interval_tree_node>();
        n->start = start;
        n->last = last;
        return (nint)n;
    }

    private static void NodeInsert(nint e, rb_root_cached* root) => interval_tree_insert((interval_tree_node*)e, root);
    private static void NodeRemove(nint e, rb_root_cached* root) => interval_tree_remove((interval_tree_node*)e, root);

    private static List<nint> NodeQuery(rb_root_cached* root, ulong start, ulong last)
    {
        var hits = new List<nint>();
        for (var n = interval_tree_iter_first(root, start, last); n != null; n = interval_tree_iter_next(n, start, last))
            hits.Add((nint)n);
        return hits;
    }

    // ---- mm/interval_tree.c: vm_area_struct, keyed by the page offsets the vma maps ----

    private const ulong VmaBase = 0x7f00_0000_0000;

    private static vm_area_struct* Vma(rb_node* rb) => rb_entry<vm_area_struct>(rb, vma_interval_tree_args.ITRB);
    private static ulong VmaStart(rb_node* rb) => Vma(rb)->vm_pgoff;
    // vm_pgoff + vma_pages - 1, with vma_pages = (vm_end - vm_start) >> PAGE_SHIFT (mm/interval_tree.c:18, mm.h:3542)
    private static ulong VmaLast(vm_area_struct* v) => v->vm_pgoff + ((v->vm_end - v->vm_start) >> 12) - 1;
    private static ulong VmaLast(rb_node* rb) => VmaLast(Vma(rb));
    private static ulong VmaSubtree(rb_node* rb) => Vma(rb)->shared.rb_subtree_last;
    private static nint VmaEntry(rb_node* rb) => (nint)Vma(rb);
    private static rb_node* VmaRb(nint e) => &((vm_area_struct*)e)->shared.rb;

    private static vm_area_struct* NewVmaStruct(ulong pgoff, ulong last)
    {
        var v = Alloc<vm_area_struct>();
        v->vm_start = VmaBase + (pgoff % 1024) * 4096; // anywhere page-aligned: only the length matters
        v->vm_end = v->vm_start + (last - pgoff + 1) * 4096;
        v->vm_pgoff = pgoff;
        return v;
    }

    private static nint NewVma(ulong start, ulong last) => (nint)NewVmaStruct(start, last);
    private static void VmaInsert(nint e, rb_root_cached* root) => vma_interval_tree_insert((vm_area_struct*)e, root);
    private static void VmaRemove(nint e, rb_root_cached* root) => vma_interval_tree_remove((vm_area_struct*)e, root);

    private static List<nint> VmaQuery(rb_root_cached* root, ulong start, ulong last)
    {
        var hits = new List<nint>();
        foreach (vm_area_struct* vma in vma_interval_tree_foreach(root, start, last))
            hits.Add((nint)vma);
        return hits;
    }

    // ---- mm/interval_tree.c: anon_vma_chain, keyed through avc->vma ----

    private static anon_vma_chain* Avc(rb_node* rb) => rb_entry<anon_vma_chain>(rb, offsetof.anon_vma_chain.rb);
    private static ulong AvcStart(rb_node* rb) => Avc(rb)->vma->vm_pgoff;
    private static ulong AvcLast(rb_node* rb) => VmaLast(Avc(rb)->vma);
    private static ulong AvcSubtree(rb_node* rb) => Avc(rb)->rb_subtree_last;
    private static nint AvcEntry(rb_node* rb) => (nint)Avc(rb);
    private static rb_node* AvcRb(nint e) => &((anon_vma_chain*)e)->rb;

    private static nint NewAvc(ulong start, ulong last)
    {
        var avc = Alloc<anon_vma_chain>();
        avc->vma = NewVmaStruct(start, last);
        return (nint)avc;
    }

    private static void AvcInsert(nint e, rb_root_cached* root) => anon_vma_interval_tree_insert((anon_vma_chain*)e, root);
    private static void AvcRemove(nint e, rb_root_cached* root) => anon_vma_interval_tree_remove((anon_vma_chain*)e, root);

    private static List<nint> AvcQuery(rb_root_cached* root, ulong start, ulong last)
    {
        var hits = new List<nint>();
        foreach (anon_vma_chain* avc in anon_vma_interval_tree_foreach(root, start, last))
            hits.Add((nint)avc);
        return hits;
    }

    /// <summary>One instance as the tests drive it; start/last/subtree read the raw fields, never the code under test.</summary>
    private readonly struct Instance
    {
        public readonly int Size;
        public readonly delegate*<ulong, ulong, nint> New;
        public readonly delegate*<nint, rb_root_cached*, void> Insert, Remove;
        public readonly delegate*<rb_root_cached*, ulong, ulong, List<nint>> Query;
        public readonly delegate*<rb_node*, ulong> Start, Last, Subtree;
        public readonly delegate*<rb_node*, nint> Entry;
        public readonly delegate*<nint, rb_node*> Rb;

        public Instance(int size, delegate*<ulong, ulong, nint> @new,
                        delegate*<nint, rb_root_cached*, void> insert, delegate*<nint, rb_root_cached*, void> remove,
                        delegate*<rb_root_cached*, ulong, ulong, List<nint>> query,
                        delegate*<rb_node*, ulong> start, delegate*<rb_node*, ulong> last, delegate*<rb_node*, ulong> subtree,
                        delegate*<rb_node*, nint> entry, delegate*<nint, rb_node*> rb)
        {
            Size = size; New = @new; Insert = insert; Remove = remove; Query = query;
            Start = start; Last = last; Subtree = subtree; Entry = entry; Rb = rb;
        }
    }

    private static Instance Lib => new(sizeof(interval_tree_node), &NewNode, &NodeInsert, &NodeRemove, &NodeQuery,
                                       &NodeStart, &NodeLast, &NodeSubtree, &NodeEntry, &NodeRb);

    private static Instance VmaTree => new(sizeof(vm_area_struct), &NewVma, &VmaInsert, &VmaRemove, &VmaQuery,
                                           &VmaStart, &VmaLast, &VmaSubtree, &VmaEntry, &VmaRb);

    private static Instance AvcTree => new(sizeof(anon_vma_chain), &NewAvc, &AvcInsert, &AvcRemove, &AvcQuery,
                                           &AvcStart, &AvcLast, &AvcSubtree, &AvcEntry, &AvcRb);

    /// <summary>Random intervals: mostly low, some at the top of the unsigned range (comparisons must be unsigned), some points.</summary>
    private static (ulong start, ulong last) RandomInterval(Random rng)
    {
        bool high = rng.Next(4) == 0;
        ulong start = (high ? ulong.MaxValue - 6000 : 0) + (ulong)rng.Next(4000);
        ulong len = rng.Next(3) switch { 0 => 0, 1 => (ulong)rng.Next(50), _ => (ulong)rng.Next(1500) };
        ulong last = high && rng.Next(40) == 0 ? ulong.MaxValue : start + len;
        return (start, last);
    }

    /// <summary>Red-black and augmented invariants, node count and the cached leftmost.</summary>
    private static void CheckInvariants(Instance it, rb_root_cached* root, int expected)
    {
        int count = RbTreeChecker.CheckTree(&root->rb_root, it.Start, duplicatesAllowed: true);
        if (count != expected) Assert.Fail($"{count} nodes in the tree, {expected} inserted");
        RbTreeChecker.CheckMax(root->rb_root.rb_node, it.Last, it.Subtree);
        if (root->rb_leftmost != rb_first(&root->rb_root)) Assert.Fail("rb_leftmost is not the first node");
    }

    /// <summary>
    /// A query must return exactly the overlapping entries, in tree order: first the in-order walk
    /// filtered by the overlap test, then, independently of the tree, the live set filtered.
    /// </summary>
    private static void CheckQuery(Instance it, rb_root_cached* root, List<nint> live, ulong start, ulong last)
    {
        var got = it.Query(root, start, last);
        var inOrder = new List<nint>();
        for (rb_node* rb = rb_first(&root->rb_root); rb != null; rb = rb_next(rb))
            if (it.Start(rb) <= last && start <= it.Last(rb))
                inOrder.Add(it.Entry(rb));
        if (!got.SequenceEqual(inOrder))
            Assert.Fail($"query [{start}, {last}]: {got.Count} hits, the in-order walk finds {inOrder.Count} (or another order)");
        var brute = live.Where(e => it.Start(it.Rb(e)) <= last && start <= it.Last(it.Rb(e))).ToHashSet();
        if (got.Count != brute.Count || !brute.SetEquals(got))
            Assert.Fail($"query [{start}, {last}]: {got.Count} hits, brute force finds {brute.Count}");
    }

    /// <summary>Random insert/remove around <paramref name="target"/> nodes, every invariant checked after every step.</summary>
    private static void Drive(Instance it, rb_root_cached* root, int seed, int ops, int target)
    {
        var rng = new Random(seed);
        var live = new List<nint>();
        for (int op = 0; op < ops; op++)
        {
            bool insert = live.Count == 0 || rng.Next(10) < (live.Count < target ? 6 : 4);
            if (insert)
            {
                var (start, last) = RandomInterval(rng);
                nint e = it.New(start, last);
                it.Insert(e, root);
                live.Add(e);
            }
            else
            {
                int i = rng.Next(live.Count);
                nint e = live[i];
                live[i] = live[^1];
                live.RemoveAt(live.Count - 1);
                it.Remove(e, root);
                Poison((void*)e, it.Size);
            }
            CheckInvariants(it, root, live.Count);
            var q = RandomInterval(rng);
            CheckQuery(it, root, live, q.start, q.last);
        }
        Assert.That(live, Has.Count.GreaterThan(target / 2), "the tree grew to about the target size");
    }

    [TestCase(1)]
    [TestCase(2)]
    public void LibIntervalTreeRandomInsertRemove(int seed)
    {
        var root = Alloc<rb_root_cached>();
        Drive(Lib, root, seed, ops: 100_000, target: 300);
    }

    [Test]
    public void VmaIntervalTreeRandomInsertRemove()
    {
        var root = Alloc<rb_root_cached>(); // address_space.i_mmap
        Drive(VmaTree, root, 3, ops: 20_000, target: 200);
    }

    [Test]
    public void AnonVmaIntervalTreeRandomInsertRemove()
    {
        var av = Alloc<anon_vma>();
        av->rb_root = RB_ROOT_CACHED;
        Drive(AvcTree, &av->rb_root, 4, ops: 20_000, target: 200);
    }

    [Test]
    public void StabbingAndRangeQueriesOnALargeTree()
    {
        var it = Lib;
        var rng = new Random(17);
        var root = Alloc<rb_root_cached>();
        var live = new List<nint>();
        for (int i = 0; i < 4000; i++)
        {
            var (s, l) = RandomInterval(rng);
            nint e = NewNode(s, l);
            interval_tree_insert((interval_tree_node*)e, root);
            live.Add(e);
        }
        CheckInvariants(it, root, live.Count);
        int nonEmpty = 0;
        for (int q = 0; q < 3000; q++)
        {
            var (s, l) = RandomInterval(rng);
            if (q % 2 == 0) l = s; // stabbing query: one point
            CheckQuery(it, root, live, s, l);
            if (interval_tree_iter_first(root, s, l) != null) nonEmpty++;
        }
        Assert.That(nonEmpty, Is.GreaterThan(1000), "the queries mostly hit something");
        // the whole range returns everything, in tree order
        CheckQuery(it, root, live, 0, ulong.MaxValue);
        Assert.That(NodeQuery(root, 0, ulong.MaxValue), Has.Count.EqualTo(live.Count));
    }

    [Test]
    public void QueriesOutsideTheTreeFindNothing()
    {
        var root = Alloc<rb_root_cached>();
        Assert.That((long)interval_tree_iter_first(root, 0, ulong.MaxValue), Is.Zero, "empty tree");
        var a = (interval_tree_node*)NewNode(100, 200);
        var b = (interval_tree_node*)NewNode(150, 300);
        var c = (interval_tree_node*)NewNode(400, 400);
        interval_tree_insert(a, root);
        interval_tree_insert(b, root);
        interval_tree_insert(c, root);
        Assert.That((long)interval_tree_iter_first(root, 0, 99), Is.Zero, "ends before the smallest start");
        Assert.That((long)interval_tree_iter_first(root, 401, ulong.MaxValue), Is.Zero, "starts after the largest last");
        Assert.That((long)interval_tree_iter_first(root, 301, 399), Is.Zero, "falls in a gap");
        // the bounds are inclusive at both ends
        Assert.That(NodeQuery(root, 0, 100), Is.EqualTo(new[] { (nint)a }));
        Assert.That(NodeQuery(root, 300, 400), Is.EqualTo(new[] { (nint)b, (nint)c }));
        Assert.That(NodeQuery(root, 150, 150), Is.EqualTo(new[] { (nint)a, (nint)b }));
        interval_tree_remove(a, root);
        Assert.That(NodeQuery(root, 0, ulong.MaxValue), Is.EqualTo(new[] { (nint)b, (nint)c }));
    }

    [Test]
    public void InstancesUseTheGeneratedLayout()
    {
        // struct { struct rb_node rb; unsigned long rb_subtree_last; } shared (mm_types.h:773-776)
        Assert.That(vma_interval_tree_args.ITRB, Is.EqualTo(offsetof.vm_area_struct.shared));
        Assert.That(anon_vma_interval_tree_args.ITRB, Is.EqualTo(offsetof.anon_vma_chain.rb));
        Assert.That(interval_tree_args.ITRB, Is.EqualTo(offsetof.interval_tree_node.rb));
        // include/linux/interval_tree.h: rb, start, last, __subtree_last, each 8 bytes on x86_64
        Assert.That(sizeof(interval_tree_node), Is.EqualTo(24 + 3 * 8));
        Assert.That(offsetof.interval_tree_node.__subtree_last, Is.EqualTo(40));
    }

    [Test]
    public void VmaPagesAndPgoffRange()
    {
        var v = Alloc<vm_area_struct>();
        v->vm_start = 0x40_0000;
        v->vm_end = 0x40_0000 + 5 * 4096;
        v->vm_pgoff = 7;
        // (vm_end - vm_start) >> PAGE_SHIFT (mm.h:3542); vm_pgoff and vm_pgoff + pages - 1 (mm/interval_tree.c:13-20)
        Assert.That(vma_pages(v), Is.EqualTo(5));
        Assert.That(vma_start_pgoff(v), Is.EqualTo(7));
        Assert.That(vma_last_pgoff(v), Is.EqualTo(11));
        var avc = Alloc<anon_vma_chain>();
        avc->vma = v;
        Assert.That(avc_start_pgoff(avc), Is.EqualTo(7));
        Assert.That(avc_last_pgoff(avc), Is.EqualTo(11));
    }

    [Test]
    public void VmaInsertAfterLinksTheNodeAsPrevsSuccessor()
    {
        using var machine = new Machine();
        var k = machine.Kernel;
        var it = VmaTree;
        var rng = new Random(23);
        var root = Alloc<rb_root_cached>();
        var live = new List<nint>();
        for (int op = 0; op < 6000; op++)
        {
            if (live.Count > 0 && rng.Next(3) == 0)
            {
                // as dup_mmap does: the child's vma is a copy of the parent's and goes right after it.
                // Only the start is checked, but the caller's last must not exceed prev's either: the
                // subtree maxima above prev are not raised (mm/interval_tree.c:38-41).
                var prev = (vm_area_struct*)live[rng.Next(live.Count)];
                var node = NewVmaStruct(prev->vm_pgoff, VmaLast(prev));
                k.vma_interval_tree_insert_after(node, prev, root);
                if (rb_next(&prev->shared.rb) != &node->shared.rb) Assert.Fail("node is not prev's in-order successor");
                live.Add((nint)node);
            }
            else if (live.Count > 150 && rng.Next(2) == 0)
            {
                int i = rng.Next(live.Count);
                var v = (vm_area_struct*)live[i];
                live[i] = live[^1];
                live.RemoveAt(live.Count - 1);
                vma_interval_tree_remove(v, root);
                Poison(v, sizeof(vm_area_struct));
            }
            else
            {
                var (s, l) = RandomInterval(rng);
                var v = NewVmaStruct(s, l);
                vma_interval_tree_insert(v, root);
                live.Add((nint)v);
            }
            CheckInvariants(it, root, live.Count);
            var q = RandomInterval(rng);
            CheckQuery(it, root, live, q.start, q.last);
        }
        Assert.That(machine.Warnings, Is.Empty);
    }

    [Test]
    public void VmaInsertAfterADifferentPgoffIsABug()
    {
        using var machine = new Machine();
        var root = Alloc<rb_root_cached>();
        var prev = NewVmaStruct(10, 19);
        vma_interval_tree_insert(prev, root);
        var node = NewVmaStruct(11, 19);
        // VM_BUG_ON_VMA(vma_start_pgoff(node) != vma_start_pgoff(prev), node) (mm/interval_tree.c:36)
        var ex = Assert.Throws<KernelBugException>(() => machine.Kernel.vma_interval_tree_insert_after(node, prev, root));
        // dump_vma prints the vma with %px (16 hex digits) and its pgoff with %lx (mm/debug.c:181-183)
        Assert.That(ex!.Message, Does.Contain($"vma {(ulong)node:x16} start {node->vm_start:x16}"));
        Assert.That(ex.Message, Does.Contain("pgoff b file"));
        Assert.That(root->rb_root.rb_node == &prev->shared.rb && prev->shared.rb.rb_right == null, Is.True, "tree untouched");
    }
}
