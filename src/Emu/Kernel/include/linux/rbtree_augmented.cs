// SPDX-License-Identifier: GPL-2.0-only
// Inlines and macros of Linux 6.12.117 include/linux/rbtree_augmented.h, in header order.
//
// Callbacks are C# function pointers (delegate*<...>) in a struct laid out like the C one: calls
// read exactly as in C (augment->rotate(old, new)), cost no allocation, and a callback table can
// sit in native memory and be passed as rb_augment_callbacks*, as upstream does.
// WRITE_ONCE is a plain store (see lib/rbtree.cs); rcu_assign_pointer is a Volatile.Write (release).
using System.Numerics;
using System.Runtime.InteropServices;
using System.Threading;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary><c>struct rb_augment_callbacks</c> of include/linux/rbtree_augmented.h.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct rb_augment_callbacks
    {
        public delegate*<rb_node*, rb_node*, void> propagate;
        public delegate*<rb_node*, rb_node*, void> copy;
        public delegate*<rb_node*, rb_node*, void> rotate;

        /// <summary>A callback table in native memory that lives as long as the process (a C <c>const</c> table).</summary>
        public static rb_augment_callbacks* alloc(delegate*<rb_node*, rb_node*, void> propagate,
                                                  delegate*<rb_node*, rb_node*, void> copy,
                                                  delegate*<rb_node*, rb_node*, void> rotate)
        {
            var t = (rb_augment_callbacks*)NativeMemory.AllocZeroed((nuint)sizeof(rb_augment_callbacks));
            t->propagate = propagate;
            t->copy = copy;
            t->rotate = rotate;
            return t;
        }
    }

    [Upstream("include/linux/rbtree_augmented.h", "rb_insert_augmented", "7f6f54522525aa11")]
    public static void rb_insert_augmented(rb_node* node, rb_root* root, rb_augment_callbacks* augment)
    {
        __rb_insert_augmented(node, root, augment->rotate);
    }

    [Upstream("include/linux/rbtree_augmented.h", "rb_insert_augmented_cached", "5044c3dc23e666bc")]
    public static void rb_insert_augmented_cached(rb_node* node, rb_root_cached* root, bool newleft, rb_augment_callbacks* augment)
    {
        if (newleft)
            root->rb_leftmost = node;
        rb_insert_augmented(node, &root->rb_root, augment);
    }

    [Upstream("include/linux/rbtree_augmented.h", "rb_add_augmented_cached", "310f880de215aeac")]
    public static rb_node* rb_add_augmented_cached(rb_node* node, rb_root_cached* tree,
                                                   delegate*<rb_node*, rb_node*, bool> less,
                                                   rb_augment_callbacks* augment)
    {
        rb_node** link = &tree->rb_root.rb_node;
        rb_node* parent = null;
        bool leftmost = true;

        while (*link != null)
        {
            parent = *link;
            if (less(node, parent))
            {
                link = &parent->rb_left;
            }
            else
            {
                link = &parent->rb_right;
                leftmost = false;
            }
        }

        rb_link_node(node, parent, link);
        augment->propagate(parent, null); // as upstream: propagates from the parent to the root
        rb_insert_augmented_cached(node, tree, leftmost, augment);

        return leftmost ? node : null;
    }

    /// <summary>
    /// The arguments of <c>RB_DECLARE_CALLBACKS(RBSTATIC, RBNAME, RBSTRUCT, RBFIELD, RBAUGMENTED, RBCOMPUTE)</c>
    /// as static members of a type, since C# cannot paste tokens: RBFIELD is the member's offset.
    /// </summary>
    public interface RB_DECLARE_CALLBACKS_args<RBSTRUCT, RBTYPE> where RBSTRUCT : unmanaged
    {
        /// <summary><c>offsetof(RBSTRUCT, RBFIELD)</c>.</summary>
        static abstract int RBFIELD { get; }
        /// <summary><c>node-&gt;RBAUGMENTED</c>.</summary>
        static abstract ref RBTYPE RBAUGMENTED(RBSTRUCT* node);
        /// <summary>RBCOMPUTE(node, exit): recompute node's augmented value; true when exit and it did not change.</summary>
        static abstract bool RBCOMPUTE(RBSTRUCT* node, bool exit);
    }

    /// <summary>What <c>RB_DECLARE_CALLBACKS</c> expands to: <c>RBNAME_propagate</c>, <c>RBNAME_copy</c>, <c>RBNAME_rotate</c> and the table <c>RBNAME</c>.</summary>
    [Upstream("include/linux/rbtree_augmented.h", "RB_DECLARE_CALLBACKS", "macro")]
    public static class RB_DECLARE_CALLBACKS<RBSTRUCT, RBTYPE, A>
        where RBSTRUCT : unmanaged
        where A : RB_DECLARE_CALLBACKS_args<RBSTRUCT, RBTYPE>
    {
        public static void _propagate(rb_node* rb, rb_node* stop)
        {
            while (rb != stop)
            {
                RBSTRUCT* node = rb_entry<RBSTRUCT>(rb, A.RBFIELD);
                if (A.RBCOMPUTE(node, true))
                    break;
                rb = rb_parent((rb_node*)((byte*)node + A.RBFIELD));
            }
        }

        public static void _copy(rb_node* rb_old, rb_node* rb_new)
        {
            RBSTRUCT* old = rb_entry<RBSTRUCT>(rb_old, A.RBFIELD);
            RBSTRUCT* @new = rb_entry<RBSTRUCT>(rb_new, A.RBFIELD);
            A.RBAUGMENTED(@new) = A.RBAUGMENTED(old);
        }

        public static void _rotate(rb_node* rb_old, rb_node* rb_new)
        {
            RBSTRUCT* old = rb_entry<RBSTRUCT>(rb_old, A.RBFIELD);
            RBSTRUCT* @new = rb_entry<RBSTRUCT>(rb_new, A.RBFIELD);
            A.RBAUGMENTED(@new) = A.RBAUGMENTED(old);
            A.RBCOMPUTE(old, false);
        }

        /// <summary>The callback table RBNAME.</summary>
        public static readonly rb_augment_callbacks* RBNAME = rb_augment_callbacks.alloc(&_propagate, &_copy, &_rotate);
    }

    /// <summary>
    /// The arguments of <c>RB_DECLARE_CALLBACKS_MAX(RBSTATIC, RBNAME, RBSTRUCT, RBFIELD, RBTYPE, RBAUGMENTED, RBCOMPUTE)</c>;
    /// here RBCOMPUTE is the per-node scalar.
    /// </summary>
    public interface RB_DECLARE_CALLBACKS_MAX_args<RBSTRUCT, RBTYPE> where RBSTRUCT : unmanaged
    {
        /// <summary><c>offsetof(RBSTRUCT, RBFIELD)</c>.</summary>
        static abstract int RBFIELD { get; }
        /// <summary><c>node-&gt;RBAUGMENTED</c>.</summary>
        static abstract ref RBTYPE RBAUGMENTED(RBSTRUCT* node);
        /// <summary>The node's own value; the augmented value is its maximum over the subtree.</summary>
        static abstract RBTYPE RBCOMPUTE(RBSTRUCT* node);
    }

    /// <summary>What <c>RB_DECLARE_CALLBACKS_MAX</c> expands to: <c>RBNAME_compute_max</c> plus <c>RB_DECLARE_CALLBACKS</c> over it.</summary>
    [Upstream("include/linux/rbtree_augmented.h", "RB_DECLARE_CALLBACKS_MAX", "macro")]
    public static class RB_DECLARE_CALLBACKS_MAX<RBSTRUCT, RBTYPE, A>
        where RBSTRUCT : unmanaged
        where RBTYPE : IComparisonOperators<RBTYPE, RBTYPE, bool>
        where A : RB_DECLARE_CALLBACKS_MAX_args<RBSTRUCT, RBTYPE>
    {
        public static bool _compute_max(RBSTRUCT* node, bool exit)
        {
            RBSTRUCT* child;
            RBTYPE max = A.RBCOMPUTE(node);
            rb_node* rb = (rb_node*)((byte*)node + A.RBFIELD);
            if (rb->rb_left != null)
            {
                child = rb_entry<RBSTRUCT>(rb->rb_left, A.RBFIELD);
                if (A.RBAUGMENTED(child) > max)
                    max = A.RBAUGMENTED(child);
            }
            if (rb->rb_right != null)
            {
                child = rb_entry<RBSTRUCT>(rb->rb_right, A.RBFIELD);
                if (A.RBAUGMENTED(child) > max)
                    max = A.RBAUGMENTED(child);
            }
            if (exit && A.RBAUGMENTED(node) == max)
                return true;
            A.RBAUGMENTED(node) = max;
            return false;
        }

        /// <summary>RB_DECLARE_CALLBACKS's arguments with <see cref="_compute_max"/> as RBCOMPUTE.</summary>
        public struct compute_max_args : RB_DECLARE_CALLBACKS_args<RBSTRUCT, RBTYPE>
        {
            public static int RBFIELD => A.RBFIELD;
            public static ref RBTYPE RBAUGMENTED(RBSTRUCT* node) => ref A.RBAUGMENTED(node);
            public static bool RBCOMPUTE(RBSTRUCT* node, bool exit) => _compute_max(node, exit);
        }

        public static void _propagate(rb_node* rb, rb_node* stop) => RB_DECLARE_CALLBACKS<RBSTRUCT, RBTYPE, compute_max_args>._propagate(rb, stop);

        /// <summary>The callback table RBNAME.</summary>
        public static rb_augment_callbacks* RBNAME => RB_DECLARE_CALLBACKS<RBSTRUCT, RBTYPE, compute_max_args>.RBNAME;
    }

    [Upstream("include/linux/rbtree_augmented.h", "RB_RED", "macro")]
    public const int RB_RED = 0;
    [Upstream("include/linux/rbtree_augmented.h", "RB_BLACK", "macro")]
    public const int RB_BLACK = 1;

    [Upstream("include/linux/rbtree_augmented.h", "__rb_parent", "macro")]
    public static rb_node* __rb_parent(ulong pc) => (rb_node*)(pc & ~3UL);

    [Upstream("include/linux/rbtree_augmented.h", "__rb_color", "macro")]
    public static ulong __rb_color(ulong pc) => pc & 1;

    [Upstream("include/linux/rbtree_augmented.h", "__rb_is_black", "macro")]
    public static bool __rb_is_black(ulong pc) => __rb_color(pc) != 0;

    [Upstream("include/linux/rbtree_augmented.h", "__rb_is_red", "macro")]
    public static bool __rb_is_red(ulong pc) => __rb_color(pc) == 0;

    [Upstream("include/linux/rbtree_augmented.h", "rb_color", "macro")]
    public static ulong rb_color(rb_node* rb) => __rb_color(rb->__rb_parent_color);

    [Upstream("include/linux/rbtree_augmented.h", "rb_is_red", "macro")]
    public static bool rb_is_red(rb_node* rb) => __rb_is_red(rb->__rb_parent_color);

    [Upstream("include/linux/rbtree_augmented.h", "rb_is_black", "macro")]
    public static bool rb_is_black(rb_node* rb) => __rb_is_black(rb->__rb_parent_color);

    [Upstream("include/linux/rbtree_augmented.h", "rb_set_parent", "a09d1f7fd73a0763")]
    public static void rb_set_parent(rb_node* rb, rb_node* p)
    {
        rb->__rb_parent_color = rb_color(rb) + (ulong)p;
    }

    [Upstream("include/linux/rbtree_augmented.h", "rb_set_parent_color", "197d4eec3e0356a9")]
    public static void rb_set_parent_color(rb_node* rb, rb_node* p, int color)
    {
        rb->__rb_parent_color = (ulong)p + (ulong)color;
    }

    [Upstream("include/linux/rbtree_augmented.h", "__rb_change_child", "5e19e29c859c97ee")]
    public static void __rb_change_child(rb_node* old, rb_node* @new, rb_node* parent, rb_root* root)
    {
        if (parent != null)
        {
            if (parent->rb_left == old)
                parent->rb_left = @new;
            else
                parent->rb_right = @new;
        }
        else
            root->rb_node = @new;
    }

    [Upstream("include/linux/rbtree_augmented.h", "__rb_change_child_rcu", "ba4511c4ca599468")]
    public static void __rb_change_child_rcu(rb_node* old, rb_node* @new, rb_node* parent, rb_root* root)
    {
        if (parent != null)
        {
            if (parent->rb_left == old)
                Volatile.Write(ref *(nint*)&parent->rb_left, (nint)@new);
            else
                Volatile.Write(ref *(nint*)&parent->rb_right, (nint)@new);
        }
        else
            Volatile.Write(ref *(nint*)&root->rb_node, (nint)@new);
    }

    [Upstream("include/linux/rbtree_augmented.h", "__rb_erase_augmented", "5f870b862228900f")]
    public static rb_node* __rb_erase_augmented(rb_node* node, rb_root* root, rb_augment_callbacks* augment)
    {
        rb_node* child = node->rb_right;
        rb_node* tmp = node->rb_left;
        rb_node* parent, rebalance;
        ulong pc;

        if (tmp == null)
        {
            // at most a right child: splice node out; a lone child is red and takes node's place and colour
            pc = node->__rb_parent_color;
            parent = __rb_parent(pc);
            __rb_change_child(node, child, parent, root);
            if (child != null)
            {
                child->__rb_parent_color = pc;
                rebalance = null;
            }
            else
                rebalance = __rb_is_black(pc) ? parent : null;
            tmp = parent;
        }
        else if (child == null)
        {
            // only a left child
            tmp->__rb_parent_color = pc = node->__rb_parent_color;
            parent = __rb_parent(pc);
            __rb_change_child(node, tmp, parent, root);
            rebalance = null;
            tmp = parent;
        }
        else
        {
            rb_node* successor = child, child2;

            tmp = child->rb_left;
            if (tmp == null)
            {
                // the successor is node's right child
                parent = successor;
                child2 = successor->rb_right;

                augment->copy(node, successor);
            }
            else
            {
                // the successor is the leftmost node of the right subtree
                do
                {
                    parent = successor;
                    successor = tmp;
                    tmp = tmp->rb_left;
                } while (tmp != null);
                child2 = successor->rb_right;
                parent->rb_left = child2;
                successor->rb_right = child;
                rb_set_parent(child, successor);

                augment->copy(node, successor);
                augment->propagate(parent, successor);
            }

            tmp = node->rb_left;
            successor->rb_left = tmp;
            rb_set_parent(tmp, successor);

            pc = node->__rb_parent_color;
            tmp = __rb_parent(pc);
            __rb_change_child(node, successor, tmp, root);

            if (child2 != null)
            {
                rb_set_parent_color(child2, parent, RB_BLACK);
                rebalance = null;
            }
            else
            {
                rebalance = rb_is_black(successor) ? parent : null;
            }
            successor->__rb_parent_color = pc;
            tmp = successor;
        }

        augment->propagate(tmp, null);
        return rebalance;
    }

    [Upstream("include/linux/rbtree_augmented.h", "rb_erase_augmented", "7b9d640e5d2281d5")]
    public static void rb_erase_augmented(rb_node* node, rb_root* root, rb_augment_callbacks* augment)
    {
        rb_node* rebalance = __rb_erase_augmented(node, root, augment);
        if (rebalance != null)
            __rb_erase_color(rebalance, root, augment->rotate);
    }

    [Upstream("include/linux/rbtree_augmented.h", "rb_erase_augmented_cached", "ecdbc78f3a402668")]
    public static void rb_erase_augmented_cached(rb_node* node, rb_root_cached* root, rb_augment_callbacks* augment)
    {
        if (root->rb_leftmost == node)
            root->rb_leftmost = rb_next(node);
        rb_erase_augmented(node, &root->rb_root, augment);
    }
}
