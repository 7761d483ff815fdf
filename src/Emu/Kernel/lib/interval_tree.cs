// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 lib/interval_tree.c: the generic interval tree over
// struct interval_tree_node (include/linux/interval_tree.h).
// The interval_tree_span_iter_* functions need CONFIG_INTERVAL_TREE_SPAN_ITER, which Debian's
// amd64 config does not set, so they are not here. START and LAST are file-local macros, hence private.
using interval_tree = Emu.Kernel.Kernel.INTERVAL_TREE_DEFINE<Emu.Kernel.interval_tree_node, ulong, Emu.Kernel.Kernel.interval_tree_args>;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("lib/interval_tree.c", "START", UpstreamAttribute.Macro)]
    private static ulong START(interval_tree_node* node) => node->start;

    [Upstream("lib/interval_tree.c", "LAST", UpstreamAttribute.Macro)]
    private static ulong LAST(interval_tree_node* node) => node->last;

    /// <summary>INTERVAL_TREE_DEFINE(struct interval_tree_node, rb, unsigned long, __subtree_last, START, LAST,, interval_tree).</summary>
    public struct interval_tree_args : INTERVAL_TREE_DEFINE_args<interval_tree_node, ulong>
    {
        public static int ITRB => offsetof.interval_tree_node.rb;
        public static ref ulong ITSUBTREE(interval_tree_node* node) => ref node->__subtree_last;
        public static ulong ITSTART(interval_tree_node* node) => START(node);
        public static ulong ITLAST(interval_tree_node* node) => LAST(node);
    }

    [Upstream("include/linux/interval_tree_generic.h", "INTERVAL_TREE_DEFINE", UpstreamAttribute.Macro)]
    public static void interval_tree_insert(interval_tree_node* node, rb_root_cached* root) =>
        interval_tree._insert(node, root);

    [Upstream("include/linux/interval_tree_generic.h", "INTERVAL_TREE_DEFINE", UpstreamAttribute.Macro)]
    public static void interval_tree_remove(interval_tree_node* node, rb_root_cached* root) =>
        interval_tree._remove(node, root);

    [Upstream("include/linux/interval_tree_generic.h", "INTERVAL_TREE_DEFINE", UpstreamAttribute.Macro)]
    public static interval_tree_node* interval_tree_iter_first(rb_root_cached* root, ulong start, ulong last) =>
        interval_tree._iter_first(root, start, last);

    [Upstream("include/linux/interval_tree_generic.h", "INTERVAL_TREE_DEFINE", UpstreamAttribute.Macro)]
    public static interval_tree_node* interval_tree_iter_next(interval_tree_node* node, ulong start, ulong last) =>
        interval_tree._iter_next(node, start, last);
}
