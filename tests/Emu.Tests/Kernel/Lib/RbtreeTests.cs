using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;

namespace Emu.Tests.Kernel.Lib;

/// <summary>A tree entry in native memory with its rb_node at a non-zero offset, as kernel structs embed it.</summary>
[StructLayout(LayoutKind.Explicit, Size = 56)]
internal struct TestNode
{
    public const int rb_offset = 8;
    [FieldOffset(0)] public long key;
    [FieldOffset(rb_offset)] public rb_node rb;
    [FieldOffset(32)] public long last;          // interval end, for the augmented tests
    [FieldOffset(40)] public long subtree_last;  // RB_DECLARE_CALLBACKS_MAX's value
    [FieldOffset(48)] public long subtree_size;  // RB_DECLARE_CALLBACKS's value
}

/// <summary>RB_DECLARE_CALLBACKS_MAX(static, test_augment, struct TestNode, rb, long, subtree_last, node_last).</summary>
internal unsafe struct MaxArgs : RB_DECLARE_CALLBACKS_MAX_args<TestNode, long>
{
    public static int RBFIELD => TestNode.rb_offset;
    public static ref long RBAUGMENTED(TestNode* node) => ref node->subtree_last;
    public static long RBCOMPUTE(TestNode* node) => node->last;
}

/// <summary>RB_DECLARE_CALLBACKS(static, size_augment, struct TestNode, rb, subtree_size, size_compute).</summary>
internal unsafe struct SizeArgs : RB_DECLARE_CALLBACKS_args<TestNode, long>
{
    public static int RBFIELD => TestNode.rb_offset;
    public static ref long RBAUGMENTED(TestNode* node) => ref node->subtree_size;

    public static bool RBCOMPUTE(TestNode* node, bool exit)
    {
        long size = 1;
        if (node->rb.rb_left != null) size += entry(node->rb.rb_left)->subtree_size;
        if (node->rb.rb_right != null) size += entry(node->rb.rb_right)->subtree_size;
        if (exit && node->subtree_size == size) return true;
        node->subtree_size = size;
        return false;
    }

    private static TestNode* entry(rb_node* rb) => rb_entry<TestNode>(rb, TestNode.rb_offset);
}

/// <summary>
/// lib/rbtree.c and its header inlines against the red-black invariants and a SortedSet model:
/// every expectation comes from the definition of a red-black tree, never from Emu's own output.
/// </summary>
public unsafe class RbtreeTests
{
    private readonly List<nint> allocated = new();

    [TearDown]
    public void FreeNodes()
    {
        foreach (var p in allocated) NativeMemory.Free((void*)p);
        allocated.Clear();
    }

    private TestNode* NewNode(long key, long last = 0)
    {
        var n = (TestNode*)NativeMemory.AllocZeroed((nuint)sizeof(TestNode));
        allocated.Add((nint)n);
        n->key = key;
        n->last = last;
        RB_CLEAR_NODE(&n->rb);
        return n;
    }

    private static TestNode* Entry(rb_node* rb) => rb_entry<TestNode>(rb, TestNode.rb_offset);

    private static bool Less(rb_node* a, rb_node* b) => Entry(a)->key < Entry(b)->key;

    private static int Cmp(rb_node* a, rb_node* b) => Entry(a)->key.CompareTo(Entry(b)->key);

    private static int KeyCmp(void* key, rb_node* b) => (*(long*)key).CompareTo(Entry(b)->key);

    /// <summary>The insertion loop a kernel user writes: find the link, rb_link_node, rb_insert_color.</summary>
    private static void Insert(rb_root* root, TestNode* n)
    {
        rb_node** link = &root->rb_node;
        rb_node* parent = null;
        while (*link != null)
        {
            parent = *link;
            link = n->key < Entry(parent)->key ? &parent->rb_left : &parent->rb_right;
        }
        rb_link_node(&n->rb, parent, link);
        rb_insert_color(&n->rb, root);
    }

    private static long Key(rb_node* n) => Entry(n)->key;

    private static int CheckTree(rb_root* root, bool duplicatesAllowed = false) =>
        RbTreeChecker.CheckTree(root, &Key, duplicatesAllowed);

    private static List<long> InOrder(rb_root* root)
    {
        var keys = new List<long>();
        for (rb_node* n = rb_first(root); n != null; n = rb_next(n)) keys.Add(Entry(n)->key);
        return keys;
    }

    private static List<long> ReverseOrder(rb_root* root)
    {
        var keys = new List<long>();
        for (rb_node* n = rb_last(root); n != null; n = rb_prev(n)) keys.Add(Entry(n)->key);
        return keys;
    }

    [Test]
    public void EmptyTree()
    {
        rb_root root = RB_ROOT;
        Assert.That(RB_EMPTY_ROOT(&root), Is.True);
        Assert.That((long)rb_first(&root), Is.Zero);
        Assert.That((long)rb_last(&root), Is.Zero);
        Assert.That((long)rb_first_postorder(&root), Is.Zero);
        Assert.That((long)rb_next_postorder(null), Is.Zero);
        var n = NewNode(1);
        Assert.That(RB_EMPTY_NODE(&n->rb), Is.True);
        Assert.That((long)rb_next(&n->rb), Is.Zero, "rb_next of a node in no tree");
        Assert.That((long)rb_prev(&n->rb), Is.Zero, "rb_prev of a node in no tree");
        Insert(&root, n);
        Assert.That(RB_EMPTY_ROOT(&root), Is.False);
        Assert.That(RB_EMPTY_NODE(&n->rb), Is.False);
        Assert.That(rb_is_black(&n->rb), Is.True);
        rb_erase(&n->rb, &root);
        Assert.That(RB_EMPTY_ROOT(&root), Is.True);
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void RandomInsertEraseMatchesSortedSet(int seed)
    {
        var rng = new Random(seed);
        rb_root root = RB_ROOT;
        var model = new SortedSet<long>();
        var nodes = new Dictionary<long, nint>();
        const int keySpace = 3000;
        for (int op = 0; op < 8000; op++)
        {
            // grow for the first half, then drift towards erasing
            long key = rng.Next(keySpace);
            bool erase = nodes.ContainsKey(key) && (op < 4000 ? rng.Next(3) == 0 : rng.Next(3) != 0);
            if (erase)
            {
                rb_erase((rb_node*)(nodes[key] + TestNode.rb_offset), &root);
                nodes.Remove(key);
                model.Remove(key);
            }
            else if (!nodes.ContainsKey(key))
            {
                var n = NewNode(key);
                Insert(&root, n);
                nodes[key] = (nint)n;
                model.Add(key);
            }
            Assert.That(CheckTree(&root), Is.EqualTo(model.Count));
            if (!InOrder(&root).SequenceEqual(model)) Assert.Fail($"rb_first/rb_next order differs from the model after op {op}");
            if (!ReverseOrder(&root).SequenceEqual(model.Reverse())) Assert.Fail($"rb_last/rb_prev order differs from the model after op {op}");
        }
        // sequential insertion: the worst case for an unbalanced tree
        foreach (var k in nodes.Keys.ToList()) { rb_erase((rb_node*)(nodes[k] + TestNode.rb_offset), &root); nodes.Remove(k); }
        Assert.That(RB_EMPTY_ROOT(&root), Is.True);
        for (long k = 0; k < 4096; k++) Insert(&root, NewNode(k));
        Assert.That(CheckTree(&root), Is.EqualTo(4096));
        Assert.That(Height(root.rb_node), Is.LessThanOrEqualTo(2 * 13), "height <= 2 log2(n + 1)");
    }

    private static int Height(rb_node* n) => n == null ? 0 : 1 + Math.Max(Height(n->rb_left), Height(n->rb_right));

    [Test]
    public void CachedTreeKeepsLeftmost()
    {
        var rng = new Random(7);
        rb_root_cached root = RB_ROOT_CACHED;
        var model = new SortedSet<long>();
        var nodes = new Dictionary<long, nint>();
        for (int op = 0; op < 5000; op++)
        {
            long key = rng.Next(1500);
            if (nodes.TryGetValue(key, out var p))
            {
                var n = (TestNode*)p;
                bool wasLeftmost = key == model.Min;
                rb_node* ret = rb_erase_cached(&n->rb, &root);
                nodes.Remove(key);
                model.Remove(key);
                if (wasLeftmost && model.Count > 0)
                    Assert.That(Entry(ret)->key, Is.EqualTo(model.Min), "rb_erase_cached returns the new leftmost");
                else
                    Assert.That((long)ret, Is.Zero, "rb_erase_cached returns NULL unless the leftmost went");
            }
            else
            {
                var n = NewNode(key);
                if (rng.Next(2) == 0)
                {
                    // hand-written insertion deciding leftmost on the way down
                    rb_node** link = &root.rb_root.rb_node;
                    rb_node* parent = null;
                    bool leftmost = true;
                    while (*link != null)
                    {
                        parent = *link;
                        if (key < Entry(parent)->key) link = &parent->rb_left;
                        else { link = &parent->rb_right; leftmost = false; }
                    }
                    rb_link_node(&n->rb, parent, link);
                    rb_insert_color_cached(&n->rb, &root, leftmost);
                }
                else
                {
                    rb_node* ret = rb_add_cached(&n->rb, &root, &Less);
                    Assert.That(ret == &n->rb, Is.EqualTo(model.Count == 0 || key < model.Min), "rb_add_cached returns the node iff it is the new leftmost");
                }
                nodes[key] = (nint)n;
                model.Add(key);
            }
            Assert.That(CheckTree(&root.rb_root), Is.EqualTo(model.Count));
            if (model.Count == 0)
                Assert.That((long)rb_first_cached(&root), Is.Zero);
            else
            {
                Assert.That(Entry(rb_first_cached(&root))->key, Is.EqualTo(model.Min));
                Assert.That(rb_first_cached(&root) == rb_first(&root.rb_root), Is.True);
            }
        }
    }

    [Test]
    public void ReplaceNodeKeepsShapeAndColours()
    {
        var rng = new Random(11);
        rb_root_cached root = RB_ROOT_CACHED;
        var nodes = new Dictionary<long, nint>();
        foreach (long k in Enumerable.Range(0, 500).Select(i => (long)i * 2).OrderBy(_ => rng.Next()))
        {
            var n = NewNode(k);
            rb_add_cached(&n->rb, &root, &Less);
            nodes[k] = (nint)n;
        }
        for (int i = 0; i < 600; i++)
        {
            // the leftmost now and then, so rb_replace_node_cached must move the cache
            long key = i % 50 == 0 ? Entry(rb_first_cached(&root))->key : 2 * rng.Next(500);
            var victim = (TestNode*)nodes[key];
            ulong pc = victim->rb.__rb_parent_color;
            var left = (nint)victim->rb.rb_left;
            var right = (nint)victim->rb.rb_right;
            var repl = NewNode(key);
            switch (i % 3)
            {
                case 0: rb_replace_node_cached(&victim->rb, &repl->rb, &root); break;
                case 1: if (root.rb_leftmost != &victim->rb) rb_replace_node(&victim->rb, &repl->rb, &root.rb_root);
                        else rb_replace_node_cached(&victim->rb, &repl->rb, &root); break;
                default: if (root.rb_leftmost != &victim->rb) rb_replace_node_rcu(&victim->rb, &repl->rb, &root.rb_root);
                         else rb_replace_node_cached(&victim->rb, &repl->rb, &root); break;
            }
            nodes[key] = (nint)repl;
            Assert.That(repl->rb.__rb_parent_color, Is.EqualTo(pc), "same parent and colour");
            Assert.That((nint)repl->rb.rb_left, Is.EqualTo(left));
            Assert.That((nint)repl->rb.rb_right, Is.EqualTo(right));
            Assert.That(CheckTree(&root.rb_root), Is.EqualTo(500));
            Assert.That(rb_first_cached(&root) == rb_first(&root.rb_root), Is.True);
        }
        // every key is reachable through exactly the latest node
        for (rb_node* n = rb_first(&root.rb_root); n != null; n = rb_next(n))
            Assert.That((nint)Entry(n), Is.EqualTo(nodes[Entry(n)->key]));
        Assert.That(InOrder(&root.rb_root), Is.EqualTo(nodes.Keys.OrderBy(k => k)));
    }

    [Test]
    public void PostorderVisitsChildrenBeforeParents()
    {
        var rng = new Random(5);
        rb_root root = RB_ROOT;
        var keys = new HashSet<long>();
        while (keys.Count < 2000) keys.Add(rng.Next(1_000_000));
        foreach (var k in keys) Insert(&root, NewNode(k));
        var order = keys.ToList();
        for (int i = 0; i < 700; i++)
        {
            // erase some so the shape is not just insert-built
            long k = order[rng.Next(order.Count)];
            order.Remove(k);
            long kk = k;
            rb_erase(rb_find(&kk, &root, &KeyCmp), &root);
            keys.Remove(k);
        }
        Assert.That(CheckTree(&root), Is.EqualTo(keys.Count));

        var seen = new HashSet<nint>();
        nint lastSeen = 0;
        for (rb_node* n = rb_first_postorder(&root); n != null; n = rb_next_postorder(n))
        {
            if (!seen.Add((nint)n)) Assert.Fail($"{Entry(n)->key} visited twice");
            if (n->rb_left != null && !seen.Contains((nint)n->rb_left)) Assert.Fail($"{Entry(n)->key} before its left child");
            if (n->rb_right != null && !seen.Contains((nint)n->rb_right)) Assert.Fail($"{Entry(n)->key} before its right child");
            lastSeen = (nint)n;
        }
        Assert.That(seen, Has.Count.EqualTo(keys.Count));
        Assert.That(lastSeen, Is.EqualTo((nint)root.rb_node), "root last");

        // rbtree_postorder_for_each_entry_safe: the entry may be destroyed once next is known
        int visited = 0;
        TestNode* pos, nx;
        for (pos = rb_entry_safe<TestNode>(rb_first_postorder(&root), TestNode.rb_offset); pos != null; pos = nx)
        {
            nx = rb_entry_safe<TestNode>(rb_next_postorder(&pos->rb), TestNode.rb_offset);
            new Span<byte>(pos, sizeof(TestNode)).Fill(0x6b); // poison, as after kfree
            visited++;
        }
        Assert.That(visited, Is.EqualTo(keys.Count));
    }

    [Test]
    public void FindHelpersWithDuplicates()
    {
        var rng = new Random(3);
        rb_root root = RB_ROOT;
        var counts = new Dictionary<long, int>();
        for (int i = 0; i < 3000; i++)
        {
            long k = rng.Next(400);
            var n = NewNode(k);
            if (i % 2 == 0)
                rb_add(&n->rb, &root, &Less);
            else
            {
                rb_node* existing = rb_find_add(&n->rb, &root, &Cmp);
                if (existing != null)
                {
                    Assert.That(Entry(existing)->key, Is.EqualTo(k));
                    // rb_find_add did not insert; rb_add does, making a duplicate
                    Assert.That(RB_EMPTY_NODE(&n->rb), Is.True, "rb_find_add leaves the node alone on a match");
                    rb_add(&n->rb, &root, &Less);
                }
            }
            counts[k] = counts.GetValueOrDefault(k) + 1;
        }
        Assert.That(CheckTree(&root, duplicatesAllowed: true), Is.EqualTo(3000));
        for (long k = -1; k <= 400; k++)
        {
            long key = k;
            int expected = counts.GetValueOrDefault(k);
            rb_node* first = rb_find_first(&key, &root, &KeyCmp);
            rb_node* any = rb_find(&key, &root, &KeyCmp);
            rb_node* anyRcu = rb_find_rcu(&key, &root, &KeyCmp);
            if (expected == 0)
            {
                Assert.That((long)first | (long)any | (long)anyRcu, Is.Zero);
                continue;
            }
            Assert.That(Entry(any)->key, Is.EqualTo(k));
            Assert.That(any == anyRcu, Is.True);
            rb_node* prev = rb_prev(first);
            Assert.That(prev == null || Entry(prev)->key < k, Is.True, "rb_find_first finds the leftmost match");
            int n = 0;
            for (rb_node* m = first; m != null; m = rb_next_match(&key, m, &KeyCmp)) // rb_for_each
            {
                Assert.That(Entry(m)->key, Is.EqualTo(k));
                n++;
            }
            Assert.That(n, Is.EqualTo(expected));
        }
        // rb_find_add_rcu inserts a missing key and reports an existing one
        var fresh = NewNode(1000);
        Assert.That((long)rb_find_add_rcu(&fresh->rb, &root, &Cmp), Is.Zero);
        var again = NewNode(1000);
        Assert.That(rb_find_add_rcu(&again->rb, &root, &Cmp) == &fresh->rb, Is.True);
        Assert.That(CheckTree(&root, duplicatesAllowed: true), Is.EqualTo(3001));
    }

    private static long Last(rb_node* n) => Entry(n)->last;

    private static long SubtreeLast(rb_node* n) => Entry(n)->subtree_last;

    // Recomputes the augmented maxima from scratch and compares them with the stored ones.
    private static void CheckAugmented(rb_node* n) => RbTreeChecker.CheckMax(n, &Last, &SubtreeLast);

    private static long CheckSizes(rb_node* n)
    {
        if (n == null) return 0;
        long size = 1 + CheckSizes(n->rb_left) + CheckSizes(n->rb_right);
        if (Entry(n)->subtree_size != size) Assert.Fail($"subtree size of {Entry(n)->key} is {Entry(n)->subtree_size}, should be {size}");
        return size;
    }

    /// <summary>Interval tree insertion as include/linux/interval_tree_generic.h does it.</summary>
    private static void IntervalInsert(TestNode* node, rb_root_cached* root)
    {
        rb_node** link = &root->rb_root.rb_node;
        rb_node* rb_parent = null;
        long start = node->key, last = node->last;
        bool leftmost = true;
        while (*link != null)
        {
            rb_parent = *link;
            var parent = Entry(rb_parent);
            if (parent->subtree_last < last) parent->subtree_last = last;
            if (start < parent->key) link = &parent->rb.rb_left;
            else { link = &parent->rb.rb_right; leftmost = false; }
        }
        node->subtree_last = last;
        rb_link_node(&node->rb, rb_parent, link);
        rb_insert_augmented_cached(&node->rb, root, leftmost, RB_DECLARE_CALLBACKS_MAX<TestNode, long, MaxArgs>.RBNAME);
    }

    // Stabbing query that prunes with subtree_last, as an interval tree search does.
    private static void Stab(rb_node* n, long point, List<nint> hits)
    {
        if (n == null) return;
        var e = Entry(n);
        if (e->subtree_last < point) return;
        Stab(n->rb_left, point, hits);
        if (e->key <= point && point <= e->last) hits.Add((nint)e);
        if (e->key <= point) Stab(n->rb_right, point, hits);
    }

    [Test]
    public void AugmentedMaxTreeStaysCorrect()
    {
        var rng = new Random(42);
        rb_root_cached root = RB_ROOT_CACHED;
        var live = new List<nint>();
        for (int op = 0; op < 6000; op++)
        {
            if (live.Count > 0 && rng.Next(5) < 2)
            {
                int i = rng.Next(live.Count);
                var n = (TestNode*)live[i];
                live[i] = live[^1];
                live.RemoveAt(live.Count - 1);
                rb_erase_augmented_cached(&n->rb, &root, RB_DECLARE_CALLBACKS_MAX<TestNode, long, MaxArgs>.RBNAME);
            }
            else
            {
                long start = rng.Next(10_000);
                var n = NewNode(start, start + rng.Next(500));
                if (rng.Next(2) == 0)
                    IntervalInsert(n, &root);
                else
                {
                    n->subtree_last = n->last;
                    rb_add_augmented_cached(&n->rb, &root, &Less, RB_DECLARE_CALLBACKS_MAX<TestNode, long, MaxArgs>.RBNAME);
                }
                live.Add((nint)n);
            }
            Assert.That(CheckTree(&root.rb_root, duplicatesAllowed: true), Is.EqualTo(live.Count));
            CheckAugmented(root.rb_root.rb_node);
            if (live.Count > 0)
                Assert.That(Entry(rb_first_cached(&root))->key, Is.EqualTo(live.Min(p => ((TestNode*)p)->key)));
            if (op % 100 == 0)
            {
                long point = rng.Next(10_500);
                var hits = new List<nint>();
                Stab(root.rb_root.rb_node, point, hits);
                var expected = live.Where(p => ((TestNode*)p)->key <= point && point <= ((TestNode*)p)->last);
                Assert.That(hits, Is.EquivalentTo(expected));
            }
        }
    }

    [Test]
    public void AugmentedGenericCallbacksKeepSubtreeSize()
    {
        var rng = new Random(9);
        rb_root root = RB_ROOT;
        var cb = RB_DECLARE_CALLBACKS<TestNode, long, SizeArgs>.RBNAME;
        var model = new SortedSet<long>();
        var nodes = new Dictionary<long, nint>();
        for (int op = 0; op < 4000; op++)
        {
            long key = rng.Next(1200);
            if (nodes.TryGetValue(key, out var p))
            {
                rb_erase_augmented(&((TestNode*)p)->rb, &root, cb);
                nodes.Remove(key);
                model.Remove(key);
            }
            else
            {
                var n = NewNode(key);
                rb_node** link = &root.rb_node;
                rb_node* parent = null;
                while (*link != null)
                {
                    parent = *link;
                    Entry(parent)->subtree_size++;
                    link = key < Entry(parent)->key ? &parent->rb_left : &parent->rb_right;
                }
                n->subtree_size = 1;
                rb_link_node(&n->rb, parent, link);
                rb_insert_augmented(&n->rb, &root, cb);
                nodes[key] = (nint)n;
                model.Add(key);
            }
            Assert.That(CheckTree(&root), Is.EqualTo(model.Count));
            Assert.That(CheckSizes(root.rb_node), Is.EqualTo(model.Count));
        }
    }

    [Test]
    public void DummyCallbacksAreTheNoOps()
    {
        Assert.That((nint)dummy_callbacks->propagate, Is.EqualTo((nint)(delegate*<rb_node*, rb_node*, void>)&dummy_propagate));
        Assert.That((nint)dummy_callbacks->copy, Is.EqualTo((nint)(delegate*<rb_node*, rb_node*, void>)&dummy_copy));
        Assert.That((nint)dummy_callbacks->rotate, Is.EqualTo((nint)(delegate*<rb_node*, rb_node*, void>)&dummy_rotate));
    }
}
