// SPDX-License-Identifier: GPL-2.0-only
// Linux 6.12.117 include/linux/interval_tree_generic.h: the INTERVAL_TREE_DEFINE macro.
//
// C# cannot paste tokens, so the macro is one generic class, written once, in the order of the
// macro body. Its arguments come from a type implementing INTERVAL_TREE_DEFINE_args (static abstract
// members on a struct, so the JIT compiles each instance separately, as the C expansion is):
//   INTERVAL_TREE_DEFINE(ITSTRUCT, ITRB, ITTYPE, ITSUBTREE, ITSTART, ITLAST, ITSTATIC, ITPREFIX)
//   -> INTERVAL_TREE_DEFINE<ITSTRUCT, ITTYPE, args>, where args supplies ITRB (as an offset),
//      ITSUBTREE (as a ref), ITSTART and ITLAST.
//   ITPREFIX ## _insert / _remove / _subtree_search / _iter_first / _iter_next
//   -> INTERVAL_TREE_DEFINE<...>._insert / ._remove / ._subtree_search / ._iter_first / ._iter_next;
//      each instance file names them (vma_interval_tree_insert ...) with one-line forwarders.
//   ITSTATIC -> the forwarders' own visibility (_subtree_search is always static: private).
// The for-each macros built on _iter_first/_iter_next return IntervalTreeEntries for foreach.
using System.Numerics;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>The per-instance arguments of <c>INTERVAL_TREE_DEFINE</c>.</summary>
    public interface INTERVAL_TREE_DEFINE_args<ITSTRUCT, ITTYPE> where ITSTRUCT : unmanaged
    {
        /// <summary><c>offsetof(ITSTRUCT, ITRB)</c>: where the rb_node sits in the entry.</summary>
        static abstract int ITRB { get; }
        /// <summary><c>node-&gt;ITSUBTREE</c>: the largest ITLAST in the node's subtree.</summary>
        static abstract ref ITTYPE ITSUBTREE(ITSTRUCT* node);
        /// <summary><c>ITSTART(node)</c>: first index of the node's interval.</summary>
        static abstract ITTYPE ITSTART(ITSTRUCT* node);
        /// <summary><c>ITLAST(node)</c>: last index of the node's interval, inclusive.</summary>
        static abstract ITTYPE ITLAST(ITSTRUCT* node);
    }

    /// <summary>What <c>INTERVAL_TREE_DEFINE</c> expands to, for the instance described by <typeparamref name="A"/>.</summary>
    [Upstream("include/linux/interval_tree_generic.h", "INTERVAL_TREE_DEFINE", UpstreamAttribute.Macro)]
    public static class INTERVAL_TREE_DEFINE<ITSTRUCT, ITTYPE, A>
        where ITSTRUCT : unmanaged
        where ITTYPE : IComparisonOperators<ITTYPE, ITTYPE, bool>
        where A : INTERVAL_TREE_DEFINE_args<ITSTRUCT, ITTYPE>
    {
        // &node->ITRB
        private static rb_node* ITRB(ITSTRUCT* node) => (rb_node*)((byte*)node + A.ITRB);

        /// <summary>RB_DECLARE_CALLBACKS_MAX(static, ITPREFIX ## _augment, ITSTRUCT, ITRB, ITTYPE, ITSUBTREE, ITLAST).</summary>
        public struct augment_args : RB_DECLARE_CALLBACKS_MAX_args<ITSTRUCT, ITTYPE>
        {
            public static int RBFIELD => A.ITRB;
            public static ref ITTYPE RBAUGMENTED(ITSTRUCT* node) => ref A.ITSUBTREE(node);
            public static ITTYPE RBCOMPUTE(ITSTRUCT* node) => A.ITLAST(node);
        }

        /// <summary><c>ITPREFIX ## _augment_compute_max</c>.</summary>
        public static bool _augment_compute_max(ITSTRUCT* node, bool exit) =>
            RB_DECLARE_CALLBACKS_MAX<ITSTRUCT, ITTYPE, augment_args>._compute_max(node, exit);

        /// <summary>The callback table <c>ITPREFIX ## _augment</c>.</summary>
        public static rb_augment_callbacks* _augment => RB_DECLARE_CALLBACKS_MAX<ITSTRUCT, ITTYPE, augment_args>.RBNAME;

        public static void _insert(ITSTRUCT* node, rb_root_cached* root)
        {
            rb_node** link = &root->rb_root.rb_node;
            rb_node* rb_parent = null;
            ITTYPE start = A.ITSTART(node), last = A.ITLAST(node);
            ITSTRUCT* parent;
            bool leftmost = true;

            while (*link != null)
            {
                rb_parent = *link;
                parent = rb_entry<ITSTRUCT>(rb_parent, A.ITRB);
                if (A.ITSUBTREE(parent) < last)
                    A.ITSUBTREE(parent) = last;
                if (start < A.ITSTART(parent))
                    link = &ITRB(parent)->rb_left;
                else
                {
                    link = &ITRB(parent)->rb_right;
                    leftmost = false;
                }
            }

            A.ITSUBTREE(node) = last;
            rb_link_node(ITRB(node), rb_parent, link);
            rb_insert_augmented_cached(ITRB(node), root, leftmost, _augment);
        }

        public static void _remove(ITSTRUCT* node, rb_root_cached* root)
        {
            rb_erase_augmented_cached(ITRB(node), root, _augment);
        }

        // Always static upstream, whatever ITSTATIC says. The leftmost node of node's subtree that
        // overlaps [start, last], or null; called only when start <= node->ITSUBTREE, which the loop keeps.
        private static ITSTRUCT* _subtree_search(ITSTRUCT* node, ITTYPE start, ITTYPE last)
        {
            while (true)
            {
                if (ITRB(node)->rb_left != null)
                {
                    ITSTRUCT* left = rb_entry<ITSTRUCT>(ITRB(node)->rb_left, A.ITRB);
                    if (start <= A.ITSUBTREE(left))
                    {
                        // an overlap, if any, starts in the left subtree: nothing to the right
                        // can start earlier than its leftmost candidate
                        node = left;
                        continue;
                    }
                }
                if (A.ITSTART(node) <= last) // starts no later than last
                {
                    if (start <= A.ITLAST(node)) // and ends no earlier than start
                        return node;
                    if (ITRB(node)->rb_right != null)
                    {
                        node = rb_entry<ITSTRUCT>(ITRB(node)->rb_right, A.ITRB);
                        if (start <= A.ITSUBTREE(node))
                            continue;
                    }
                }
                return null;
            }
        }

        public static ITSTRUCT* _iter_first(rb_root_cached* root, ITTYPE start, ITTYPE last)
        {
            ITSTRUCT* node, leftmost;

            if (root->rb_root.rb_node == null)
                return null;

            // O(1) rejection: the root's ITSUBTREE is the largest last in the tree and the cached
            // leftmost node has the smallest start.
            node = rb_entry<ITSTRUCT>(root->rb_root.rb_node, A.ITRB);
            if (A.ITSUBTREE(node) < start)
                return null;

            leftmost = rb_entry<ITSTRUCT>(root->rb_leftmost, A.ITRB);
            if (A.ITSTART(leftmost) > last)
                return null;

            return _subtree_search(node, start, last);
        }

        public static ITSTRUCT* _iter_next(ITSTRUCT* node, ITTYPE start, ITTYPE last)
        {
            rb_node* rb = ITRB(node)->rb_right, prev;

            while (true)
            {
                // node starts no later than last; rb is node's right child: look there first
                if (rb != null)
                {
                    ITSTRUCT* right = rb_entry<ITSTRUCT>(rb, A.ITRB);
                    if (start <= A.ITSUBTREE(right))
                        return _subtree_search(right, start, last);
                }

                // climb until we arrive from a left child: that parent is the in-order successor
                do
                {
                    rb = rb_parent(ITRB(node));
                    if (rb == null)
                        return null;
                    prev = ITRB(node);
                    node = rb_entry<ITSTRUCT>(rb, A.ITRB);
                    rb = ITRB(node)->rb_right;
                } while (prev == rb);

                if (last < A.ITSTART(node)) // starts after last: so does everything further right
                    return null;
                else if (start <= A.ITLAST(node))
                    return node;
            }
        }
    }

    /// <summary>
    /// foreach over an interval tree query, as the for-each macros built on ITPREFIX_iter_first and
    /// ITPREFIX_iter_next loop (<c>vma_interval_tree_foreach</c> ...): the next entry is looked up
    /// after the body has run, so the body must not remove the current entry.
    /// </summary>
    public ref struct IntervalTreeEntries<ITSTRUCT, ITTYPE> where ITSTRUCT : unmanaged
    {
        private readonly delegate*<rb_root_cached*, ITTYPE, ITTYPE, ITSTRUCT*> _iter_first;
        private readonly delegate*<ITSTRUCT*, ITTYPE, ITTYPE, ITSTRUCT*> _iter_next;
        private readonly rb_root_cached* _root;
        private readonly ITTYPE _start, _last;
        private ITSTRUCT* _pos;
        private bool _started;

        internal IntervalTreeEntries(delegate*<rb_root_cached*, ITTYPE, ITTYPE, ITSTRUCT*> iter_first,
                                     delegate*<ITSTRUCT*, ITTYPE, ITTYPE, ITSTRUCT*> iter_next,
                                     rb_root_cached* root, ITTYPE start, ITTYPE last)
        {
            _iter_first = iter_first;
            _iter_next = iter_next;
            _root = root;
            _start = start;
            _last = last;
            _pos = null;
            _started = false;
        }

        public readonly IntervalTreeEntries<ITSTRUCT, ITTYPE> GetEnumerator() => this;

        public readonly ITSTRUCT* Current => _pos;

        public bool MoveNext()
        {
            if (!_started)
            {
                _started = true;
                _pos = _iter_first(_root, _start, _last);
            }
            else
                _pos = _iter_next(_pos, _start, _last);
            return _pos != null;
        }
    }
}
