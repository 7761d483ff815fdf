// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 lib/rbtree.c (functions in upstream order).
//
// WRITE_ONCE(x, v) on rb_left/rb_right/rb_node is a plain store here: upstream uses it so that
// lockless readers never see a torn pointer; aligned 8-byte stores do not tear on the hosts
// .NET runs on, and Emu has no lockless rbtree walkers.

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("lib/rbtree.c", "rb_set_black", "af2ae142fef16249")]
    internal static void rb_set_black(rb_node* rb)
    {
        rb->__rb_parent_color += RB_BLACK;
    }

    [Upstream("lib/rbtree.c", "rb_red_parent", "297c54c3e7580cf2")]
    internal static rb_node* rb_red_parent(rb_node* red)
    {
        return (rb_node*)red->__rb_parent_color;
    }

    [Upstream("lib/rbtree.c", "__rb_rotate_set_parents", "672ab0e541d8be3a")]
    internal static void __rb_rotate_set_parents(rb_node* old, rb_node* @new, rb_root* root, int color)
    {
        rb_node* parent = rb_parent(old);
        @new->__rb_parent_color = old->__rb_parent_color;
        rb_set_parent_color(old, @new, color);
        __rb_change_child(old, @new, parent, root);
    }

    [Upstream("lib/rbtree.c", "__rb_insert", "1a97ebc8cb9ec946")]
    internal static void __rb_insert(rb_node* node, rb_root* root, delegate*<rb_node*, rb_node*, void> augment_rotate)
    {
        rb_node* parent = rb_red_parent(node), gparent, tmp;

        while (true)
        {
            // node is red here.
            if (parent == null)
            {
                rb_set_parent_color(node, null, RB_BLACK);
                break;
            }

            if (rb_is_black(parent))
                break;

            gparent = rb_red_parent(parent);

            tmp = gparent->rb_right;
            if (parent != tmp)
            {   // parent is gparent's left child
                if (tmp != null && rb_is_red(tmp))
                {
                    // red uncle: recolor and continue at gparent
                    rb_set_parent_color(tmp, gparent, RB_BLACK);
                    rb_set_parent_color(parent, gparent, RB_BLACK);
                    node = gparent;
                    parent = rb_parent(node);
                    rb_set_parent_color(node, parent, RB_RED);
                    continue;
                }

                tmp = parent->rb_right;
                if (node == tmp)
                {
                    // rotate left at parent
                    tmp = node->rb_left;
                    parent->rb_right = tmp;
                    node->rb_left = parent;
                    if (tmp != null)
                        rb_set_parent_color(tmp, parent,
                                            RB_BLACK);
                    rb_set_parent_color(parent, node, RB_RED);
                    augment_rotate(parent, node);
                    parent = node;
                    tmp = node->rb_right;
                }

                // rotate right at gparent
                gparent->rb_left = tmp;
                parent->rb_right = gparent;
                if (tmp != null)
                    rb_set_parent_color(tmp, gparent, RB_BLACK);
                __rb_rotate_set_parents(gparent, parent, root, RB_RED);
                augment_rotate(gparent, parent);
                break;
            }
            else
            {
                tmp = gparent->rb_left;
                if (tmp != null && rb_is_red(tmp))
                {
                    rb_set_parent_color(tmp, gparent, RB_BLACK);
                    rb_set_parent_color(parent, gparent, RB_BLACK);
                    node = gparent;
                    parent = rb_parent(node);
                    rb_set_parent_color(node, parent, RB_RED);
                    continue;
                }

                tmp = parent->rb_left;
                if (node == tmp)
                {
                    tmp = node->rb_right;
                    parent->rb_left = tmp;
                    node->rb_right = parent;
                    if (tmp != null)
                        rb_set_parent_color(tmp, parent,
                                            RB_BLACK);
                    rb_set_parent_color(parent, node, RB_RED);
                    augment_rotate(parent, node);
                    parent = node;
                    tmp = node->rb_left;
                }

                gparent->rb_right = tmp;
                parent->rb_left = gparent;
                if (tmp != null)
                    rb_set_parent_color(tmp, gparent, RB_BLACK);
                __rb_rotate_set_parents(gparent, parent, root, RB_RED);
                augment_rotate(gparent, parent);
                break;
            }
        }
    }

    [Upstream("lib/rbtree.c", "____rb_erase_color", "56a3eebf48f282f7")]
    internal static void ____rb_erase_color(rb_node* parent, rb_root* root, delegate*<rb_node*, rb_node*, void> augment_rotate)
    {
        rb_node* node = null, sibling, tmp1, tmp2;

        while (true)
        {
            // node is black or null and one black short; parent is not null.
            sibling = parent->rb_right;
            if (node != sibling)
            {   // node is parent's left child
                if (rb_is_red(sibling))
                {
                    // red sibling: rotate left at parent
                    tmp1 = sibling->rb_left;
                    parent->rb_right = tmp1;
                    sibling->rb_left = parent;
                    rb_set_parent_color(tmp1, parent, RB_BLACK);
                    __rb_rotate_set_parents(parent, sibling, root,
                                            RB_RED);
                    augment_rotate(parent, sibling);
                    sibling = tmp1;
                }
                tmp1 = sibling->rb_right;
                if (tmp1 == null || rb_is_black(tmp1))
                {
                    tmp2 = sibling->rb_left;
                    if (tmp2 == null || rb_is_black(tmp2))
                    {
                        // black nephews: make the sibling red
                        rb_set_parent_color(sibling, parent,
                                            RB_RED);
                        if (rb_is_red(parent))
                            rb_set_black(parent);
                        else
                        {
                            node = parent;
                            parent = rb_parent(node);
                            if (parent != null)
                                continue;
                        }
                        break;
                    }
                    // rotate right at sibling
                    tmp1 = tmp2->rb_right;
                    sibling->rb_left = tmp1;
                    tmp2->rb_right = sibling;
                    parent->rb_right = tmp2;
                    if (tmp1 != null)
                        rb_set_parent_color(tmp1, sibling,
                                            RB_BLACK);
                    augment_rotate(sibling, tmp2);
                    tmp1 = sibling;
                    sibling = tmp2;
                }
                // rotate left at parent and recolor
                tmp2 = sibling->rb_left;
                parent->rb_right = tmp2;
                sibling->rb_left = parent;
                rb_set_parent_color(tmp1, sibling, RB_BLACK);
                if (tmp2 != null)
                    rb_set_parent(tmp2, parent);
                __rb_rotate_set_parents(parent, sibling, root,
                                        RB_BLACK);
                augment_rotate(parent, sibling);
                break;
            }
            else
            {
                sibling = parent->rb_left;
                if (rb_is_red(sibling))
                {
                    tmp1 = sibling->rb_right;
                    parent->rb_left = tmp1;
                    sibling->rb_right = parent;
                    rb_set_parent_color(tmp1, parent, RB_BLACK);
                    __rb_rotate_set_parents(parent, sibling, root,
                                            RB_RED);
                    augment_rotate(parent, sibling);
                    sibling = tmp1;
                }
                tmp1 = sibling->rb_left;
                if (tmp1 == null || rb_is_black(tmp1))
                {
                    tmp2 = sibling->rb_right;
                    if (tmp2 == null || rb_is_black(tmp2))
                    {
                        rb_set_parent_color(sibling, parent,
                                            RB_RED);
                        if (rb_is_red(parent))
                            rb_set_black(parent);
                        else
                        {
                            node = parent;
                            parent = rb_parent(node);
                            if (parent != null)
                                continue;
                        }
                        break;
                    }
                    tmp1 = tmp2->rb_left;
                    sibling->rb_right = tmp1;
                    tmp2->rb_left = sibling;
                    parent->rb_left = tmp2;
                    if (tmp1 != null)
                        rb_set_parent_color(tmp1, sibling,
                                            RB_BLACK);
                    augment_rotate(sibling, tmp2);
                    tmp1 = sibling;
                    sibling = tmp2;
                }
                tmp2 = sibling->rb_right;
                parent->rb_left = tmp2;
                sibling->rb_right = parent;
                rb_set_parent_color(tmp1, sibling, RB_BLACK);
                if (tmp2 != null)
                    rb_set_parent(tmp2, parent);
                __rb_rotate_set_parents(parent, sibling, root,
                                        RB_BLACK);
                augment_rotate(parent, sibling);
                break;
            }
        }
    }

    [Upstream("lib/rbtree.c", "__rb_erase_color", "66316a9e42deccf7")]
    public static void __rb_erase_color(rb_node* parent, rb_root* root, delegate*<rb_node*, rb_node*, void> augment_rotate)
    {
        ____rb_erase_color(parent, root, augment_rotate);
    }

    // The no-op callbacks that turn the augmented paths into plain rb_insert_color/rb_erase.

    [Upstream("lib/rbtree.c", "dummy_propagate", "44136fa355b3678a")]
    internal static void dummy_propagate(rb_node* node, rb_node* stop) { }

    [Upstream("lib/rbtree.c", "dummy_copy", "44136fa355b3678a")]
    internal static void dummy_copy(rb_node* old, rb_node* @new) { }

    [Upstream("lib/rbtree.c", "dummy_rotate", "44136fa355b3678a")]
    internal static void dummy_rotate(rb_node* old, rb_node* @new) { }

    /// <summary>lib/rbtree.c's <c>dummy_callbacks</c> (a const table, so it lives in native memory and is never freed).</summary>
    internal static readonly rb_augment_callbacks* dummy_callbacks =
        rb_augment_callbacks.alloc(&dummy_propagate, &dummy_copy, &dummy_rotate);

    [Upstream("lib/rbtree.c", "rb_insert_color", "4762f264aa387cd8")]
    public static void rb_insert_color(rb_node* node, rb_root* root)
    {
        __rb_insert(node, root, &dummy_rotate);
    }

    [Upstream("lib/rbtree.c", "rb_erase", "76486c5d8736d258")]
    public static void rb_erase(rb_node* node, rb_root* root)
    {
        rb_node* rebalance;
        rebalance = __rb_erase_augmented(node, root, dummy_callbacks);
        if (rebalance != null)
            ____rb_erase_color(rebalance, root, &dummy_rotate);
    }

    [Upstream("lib/rbtree.c", "__rb_insert_augmented", "feef89cc15b28f89")]
    public static void __rb_insert_augmented(rb_node* node, rb_root* root, delegate*<rb_node*, rb_node*, void> augment_rotate)
    {
        __rb_insert(node, root, augment_rotate);
    }

    [Upstream("lib/rbtree.c", "rb_first", "ec294f06723dfe95")]
    public static rb_node* rb_first(rb_root* root)
    {
        rb_node* n;

        n = root->rb_node;
        if (n == null)
            return null;
        while (n->rb_left != null)
            n = n->rb_left;
        return n;
    }

    [Upstream("lib/rbtree.c", "rb_last", "e0fbe2f6965c86c4")]
    public static rb_node* rb_last(rb_root* root)
    {
        rb_node* n;

        n = root->rb_node;
        if (n == null)
            return null;
        while (n->rb_right != null)
            n = n->rb_right;
        return n;
    }

    [Upstream("lib/rbtree.c", "rb_next", "ccd7ae14ba9f7633")]
    public static rb_node* rb_next(rb_node* node)
    {
        rb_node* parent;

        if (RB_EMPTY_NODE(node))
            return null;

        // leftmost node of the right subtree, if there is one
        if (node->rb_right != null)
        {
            node = node->rb_right;
            while (node->rb_left != null)
                node = node->rb_left;
            return node;
        }

        // else the first ancestor we reach from its left side
        while ((parent = rb_parent(node)) != null && node == parent->rb_right)
            node = parent;

        return parent;
    }

    [Upstream("lib/rbtree.c", "rb_prev", "c8c8820ea94afae6")]
    public static rb_node* rb_prev(rb_node* node)
    {
        rb_node* parent;

        if (RB_EMPTY_NODE(node))
            return null;

        // rightmost node of the left subtree, if there is one
        if (node->rb_left != null)
        {
            node = node->rb_left;
            while (node->rb_right != null)
                node = node->rb_right;
            return node;
        }

        // else the first ancestor we reach from its right side
        while ((parent = rb_parent(node)) != null && node == parent->rb_left)
            node = parent;

        return parent;
    }

    [Upstream("lib/rbtree.c", "rb_replace_node", "d69e56ef679680f8")]
    public static void rb_replace_node(rb_node* victim, rb_node* @new, rb_root* root)
    {
        rb_node* parent = rb_parent(victim);

        // take over parent, colour and children
        *@new = *victim;

        if (victim->rb_left != null)
            rb_set_parent(victim->rb_left, @new);
        if (victim->rb_right != null)
            rb_set_parent(victim->rb_right, @new);
        __rb_change_child(victim, @new, parent, root);
    }

    [Upstream("lib/rbtree.c", "rb_replace_node_rcu", "33086666f0fc2373")]
    public static void rb_replace_node_rcu(rb_node* victim, rb_node* @new, rb_root* root)
    {
        rb_node* parent = rb_parent(victim);

        *@new = *victim;

        if (victim->rb_left != null)
            rb_set_parent(victim->rb_left, @new);
        if (victim->rb_right != null)
            rb_set_parent(victim->rb_right, @new);

        // publish last, with release semantics
        __rb_change_child_rcu(victim, @new, parent, root);
    }

    [Upstream("lib/rbtree.c", "rb_left_deepest_node", "85e94513771d5808")]
    internal static rb_node* rb_left_deepest_node(rb_node* node)
    {
        while (true)
        {
            if (node->rb_left != null)
                node = node->rb_left;
            else if (node->rb_right != null)
                node = node->rb_right;
            else
                return node;
        }
    }

    [Upstream("lib/rbtree.c", "rb_next_postorder", "30f9e4368a6fe831")]
    public static rb_node* rb_next_postorder(rb_node* node)
    {
        rb_node* parent;
        if (node == null)
            return null;
        parent = rb_parent(node);

        // coming up from a left child: descend into the right sibling subtree first
        if (parent != null && node == parent->rb_left && parent->rb_right != null)
        {
            return rb_left_deepest_node(parent->rb_right);
        }
        else
            return parent;
    }

    [Upstream("lib/rbtree.c", "rb_first_postorder", "faed38c0de04ec82")]
    public static rb_node* rb_first_postorder(rb_root* root)
    {
        if (root->rb_node == null)
            return null;

        return rb_left_deepest_node(root->rb_node);
    }
}
