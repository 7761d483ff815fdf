using System.Numerics;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;

namespace Emu.Tests.Kernel.Lib;

/// <summary>
/// The red-black tree invariants (root black, no red node with a red child, equal black height on
/// every path, parent pointers, BST order) and the RB_DECLARE_CALLBACKS_MAX invariant, checked by
/// recursion over child pointers. Plain checks rather than NUnit constraints: this runs over every
/// node after every operation, and the constraint machinery is slow per call.
/// </summary>
internal static unsafe class RbTreeChecker
{
    /// <summary>Checks every red-black and BST invariant; <paramref name="key"/> is a node's sort key. Returns the node count.</summary>
    public static int CheckTree<TKey>(rb_root* root, delegate*<rb_node*, TKey> key, bool duplicatesAllowed = false)
        where TKey : IComparisonOperators<TKey, TKey, bool>
    {
        rb_node* r = root->rb_node;
        if (r == null) return 0;
        Assert.That(rb_is_black(r), Is.True, "root is black");
        Assert.That((long)rb_parent(r), Is.Zero, "root has no parent");
        int count = 0;
        Walk(r, key, default, default, ref count, duplicatesAllowed);
        return count;
    }

    // A bound on the keys of a subtree: none, or the key of an ancestor.
    private readonly record struct Bound<TKey>(bool Has, TKey Key);

    // Returns the black height of the subtree (null leaves count as 1).
    private static int Walk<TKey>(rb_node* n, delegate*<rb_node*, TKey> key, Bound<TKey> lo, Bound<TKey> hi, ref int count, bool dup)
        where TKey : IComparisonOperators<TKey, TKey, bool>
    {
        if (n == null) return 1;
        count++;
        TKey k = key(n);
        // left descendants sort before their ancestor, right ones after (or equal, with duplicates)
        if (lo.Has && (dup ? k < lo.Key : k <= lo.Key)) Assert.Fail($"BST order: {k} not after {lo.Key}");
        if (hi.Has && (dup ? k > hi.Key : k >= hi.Key)) Assert.Fail($"BST order: {k} not before {hi.Key}");
        if ((n->__rb_parent_color & 2) != 0) Assert.Fail("stray bit 1 in __rb_parent_color");
        Child(n, n->rb_left, key);
        Child(n, n->rb_right, key);
        int left = Walk(n->rb_left, key, lo, new Bound<TKey>(true, k), ref count, dup);
        int right = Walk(n->rb_right, key, new Bound<TKey>(true, k), hi, ref count, dup);
        if (left != right) Assert.Fail($"black heights {left} and {right} under {k}");
        return left + (rb_is_black(n) ? 1 : 0);
    }

    private static void Child<TKey>(rb_node* n, rb_node* c, delegate*<rb_node*, TKey> key)
    {
        if (c == null) return;
        if (rb_parent(c) != n) Assert.Fail($"parent pointer of {key(c)} is not {key(n)}");
        if (rb_is_red(n) && rb_is_red(c)) Assert.Fail($"red {key(n)} has red child {key(c)}");
    }

    /// <summary>
    /// Recomputes every node's augmented maximum from scratch (max of its own <paramref name="value"/>
    /// and its children's) and compares it with the stored <paramref name="augmented"/>. Returns the
    /// subtree's maximum, or default with <c>any</c> false for an empty subtree.
    /// </summary>
    public static (bool any, TKey max) CheckMax<TKey>(rb_node* n, delegate*<rb_node*, TKey> value, delegate*<rb_node*, TKey> augmented)
        where TKey : IComparisonOperators<TKey, TKey, bool>
    {
        if (n == null) return (false, default!);
        var l = CheckMax(n->rb_left, value, augmented);
        var r = CheckMax(n->rb_right, value, augmented);
        TKey max = value(n);
        if (l.any && l.max > max) max = l.max;
        if (r.any && r.max > max) max = r.max;
        if (augmented(n) != max) Assert.Fail($"subtree max is {augmented(n)}, should be {max}");
        return (true, max);
    }
}
