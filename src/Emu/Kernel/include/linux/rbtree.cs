// SPDX-License-Identifier: GPL-2.0-only
// Inlines and macros of Linux 6.12.117 include/linux/rbtree.h (and rbtree_types.h's RB_ROOT*),
// in header order.
//
// Macros as functions:
//   rb_entry(ptr, type, member)      -> rb_entry<type>(ptr, offsetof.type.member)
//   rb_entry_safe(ptr, type, member) -> rb_entry_safe<type>(ptr, offsetof.type.member)
//   rb_first_cached(root)            -> rb_first_cached(root)
//   RB_ROOT / RB_ROOT_CACHED         -> RB_ROOT / RB_ROOT_CACHED (values)
// The loop macros rbtree_postorder_for_each_entry_safe and rb_for_each have no C# form: callers
// write the for loop they expand to. The less/cmp operators are function pointers, as in C.
// rcu_assign_pointer is a Volatile.Write (release); rcu_dereference_raw a plain load.
using System.Threading;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/rbtree_types.h", "RB_ROOT", "macro")]
    public static rb_root RB_ROOT => default;

    [Upstream("include/linux/rbtree_types.h", "RB_ROOT_CACHED", "macro")]
    public static rb_root_cached RB_ROOT_CACHED => default;

    [Upstream("include/linux/rbtree.h", "rb_parent", "macro")]
    public static rb_node* rb_parent(rb_node* r) => (rb_node*)(r->__rb_parent_color & ~3UL);

    /// <summary><c>container_of(ptr, T, member)</c> where <paramref name="member"/> is <c>offsetof(T, member)</c>.</summary>
    [Upstream("include/linux/rbtree.h", "rb_entry", "macro")]
    public static T* rb_entry<T>(rb_node* ptr, int member) where T : unmanaged => container_of<T>(ptr, member);

    [Upstream("include/linux/rbtree.h", "RB_EMPTY_ROOT", "macro")]
    public static bool RB_EMPTY_ROOT(rb_root* root) => Volatile.Read(ref *(nint*)&root->rb_node) == 0;

    [Upstream("include/linux/rbtree.h", "RB_EMPTY_NODE", "macro")]
    public static bool RB_EMPTY_NODE(rb_node* node) => node->__rb_parent_color == (ulong)node;

    [Upstream("include/linux/rbtree.h", "RB_CLEAR_NODE", "macro")]
    public static void RB_CLEAR_NODE(rb_node* node) => node->__rb_parent_color = (ulong)node;

    [Upstream("include/linux/rbtree.h", "rb_link_node", "4b9ee4f8279a1f22")]
    public static void rb_link_node(rb_node* node, rb_node* parent, rb_node** rb_link)
    {
        node->__rb_parent_color = (ulong)parent;
        node->rb_left = node->rb_right = null;

        *rb_link = node;
    }

    [Upstream("include/linux/rbtree.h", "rb_link_node_rcu", "8ad4b0bc80b2f17e")]
    public static void rb_link_node_rcu(rb_node* node, rb_node* parent, rb_node** rb_link)
    {
        node->__rb_parent_color = (ulong)parent;
        node->rb_left = node->rb_right = null;

        Volatile.Write(ref *(nint*)rb_link, (nint)node);
    }

    [Upstream("include/linux/rbtree.h", "rb_entry_safe", "macro")]
    public static T* rb_entry_safe<T>(rb_node* ptr, int member) where T : unmanaged => ptr != null ? rb_entry<T>(ptr, member) : null;

    [Upstream("include/linux/rbtree.h", "rb_first_cached", "macro")]
    public static rb_node* rb_first_cached(rb_root_cached* root) => root->rb_leftmost;

    [Upstream("include/linux/rbtree.h", "rb_insert_color_cached", "4e5d5f83d205d86f")]
    public static void rb_insert_color_cached(rb_node* node, rb_root_cached* root, bool leftmost)
    {
        if (leftmost)
            root->rb_leftmost = node;
        rb_insert_color(node, &root->rb_root);
    }

    [Upstream("include/linux/rbtree.h", "rb_erase_cached", "2944336d5b18c88b")]
    public static rb_node* rb_erase_cached(rb_node* node, rb_root_cached* root)
    {
        rb_node* leftmost = null;

        if (root->rb_leftmost == node)
            leftmost = root->rb_leftmost = rb_next(node);

        rb_erase(node, &root->rb_root);

        return leftmost;
    }

    [Upstream("include/linux/rbtree.h", "rb_replace_node_cached", "1033e99699156630")]
    public static void rb_replace_node_cached(rb_node* victim, rb_node* @new, rb_root_cached* root)
    {
        if (root->rb_leftmost == victim)
            root->rb_leftmost = @new;
        rb_replace_node(victim, @new, &root->rb_root);
    }

    [Upstream("include/linux/rbtree.h", "rb_add_cached", "dfe3b1ade5eb34ff")]
    public static rb_node* rb_add_cached(rb_node* node, rb_root_cached* tree, delegate*<rb_node*, rb_node*, bool> less)
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
        rb_insert_color_cached(node, tree, leftmost);

        return leftmost ? node : null;
    }

    [Upstream("include/linux/rbtree.h", "rb_add", "be83a34550a2a56f")]
    public static void rb_add(rb_node* node, rb_root* tree, delegate*<rb_node*, rb_node*, bool> less)
    {
        rb_node** link = &tree->rb_node;
        rb_node* parent = null;

        while (*link != null)
        {
            parent = *link;
            if (less(node, parent))
                link = &parent->rb_left;
            else
                link = &parent->rb_right;
        }

        rb_link_node(node, parent, link);
        rb_insert_color(node, tree);
    }

    [Upstream("include/linux/rbtree.h", "rb_find_add", "31609c134ce05450")]
    public static rb_node* rb_find_add(rb_node* node, rb_root* tree, delegate*<rb_node*, rb_node*, int> cmp)
    {
        rb_node** link = &tree->rb_node;
        rb_node* parent = null;
        int c;

        while (*link != null)
        {
            parent = *link;
            c = cmp(node, parent);

            if (c < 0)
                link = &parent->rb_left;
            else if (c > 0)
                link = &parent->rb_right;
            else
                return parent;
        }

        rb_link_node(node, parent, link);
        rb_insert_color(node, tree);
        return null;
    }

    [Upstream("include/linux/rbtree.h", "rb_find_add_rcu", "f3952eda2b72c7c9")]
    public static rb_node* rb_find_add_rcu(rb_node* node, rb_root* tree, delegate*<rb_node*, rb_node*, int> cmp)
    {
        rb_node** link = &tree->rb_node;
        rb_node* parent = null;
        int c;

        while (*link != null)
        {
            parent = *link;
            c = cmp(node, parent);

            if (c < 0)
                link = &parent->rb_left;
            else if (c > 0)
                link = &parent->rb_right;
            else
                return parent;
        }

        rb_link_node_rcu(node, parent, link);
        rb_insert_color(node, tree);
        return null;
    }

    [Upstream("include/linux/rbtree.h", "rb_find", "cc6994c1b7e1416c")]
    public static rb_node* rb_find(void* key, rb_root* tree, delegate*<void*, rb_node*, int> cmp)
    {
        rb_node* node = tree->rb_node;

        while (node != null)
        {
            int c = cmp(key, node);

            if (c < 0)
                node = node->rb_left;
            else if (c > 0)
                node = node->rb_right;
            else
                return node;
        }

        return null;
    }

    [Upstream("include/linux/rbtree.h", "rb_find_rcu", "465cff5428e4e71b")]
    public static rb_node* rb_find_rcu(void* key, rb_root* tree, delegate*<void*, rb_node*, int> cmp)
    {
        rb_node* node = tree->rb_node;

        while (node != null)
        {
            int c = cmp(key, node);

            if (c < 0)
                node = node->rb_left;
            else if (c > 0)
                node = node->rb_right;
            else
                return node;
        }

        return null;
    }

    [Upstream("include/linux/rbtree.h", "rb_find_first", "63da93c84b3fbd36")]
    public static rb_node* rb_find_first(void* key, rb_root* tree, delegate*<void*, rb_node*, int> cmp)
    {
        rb_node* node = tree->rb_node;
        rb_node* match = null;

        while (node != null)
        {
            int c = cmp(key, node);

            if (c <= 0)
            {
                if (c == 0)
                    match = node;
                node = node->rb_left;
            }
            else if (c > 0)
            {
                node = node->rb_right;
            }
        }

        return match;
    }

    [Upstream("include/linux/rbtree.h", "rb_next_match", "2153a17ae8d06ab5")]
    public static rb_node* rb_next_match(void* key, rb_node* node, delegate*<void*, rb_node*, int> cmp)
    {
        node = rb_next(node);
        if (node != null && cmp(key, node) != 0)
            node = null;
        return node;
    }
}
