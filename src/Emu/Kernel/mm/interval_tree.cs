// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/interval_tree.c: the two rmap interval trees, file pages'
// vmas (address_space.i_mmap, over vm_area_struct.shared) and anonymous pages' anon_vma_chains
// (anon_vma.rb_root), both keyed by the page-offset range a vma maps.
//
// Each INTERVAL_TREE_DEFINE line becomes an args struct plus one-line forwarders under the names
// the expansion defines. CONFIG_DEBUG_VM_RB is off in Debian's amd64 config, so anon_vma_chain
// has no cached_vma_start/last and anon_vma_interval_tree_verify does not exist.
using vma_interval_tree = Emu.Kernel.Kernel.INTERVAL_TREE_DEFINE<Emu.Kernel.vm_area_struct, ulong, Emu.Kernel.Kernel.vma_interval_tree_args>;
using __anon_vma_interval_tree = Emu.Kernel.Kernel.INTERVAL_TREE_DEFINE<Emu.Kernel.anon_vma_chain, ulong, Emu.Kernel.Kernel.anon_vma_interval_tree_args>;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/interval_tree.c", "vma_start_pgoff", "2133d6bad8231201")]
    internal static ulong vma_start_pgoff(vm_area_struct* v)
    {
        return v->vm_pgoff;
    }

    [Upstream("mm/interval_tree.c", "vma_last_pgoff", "b6c5d3f64fa7f6f5")]
    internal static ulong vma_last_pgoff(vm_area_struct* v)
    {
        return v->vm_pgoff + vma_pages(v) - 1;
    }

    /// <summary>
    /// INTERVAL_TREE_DEFINE(struct vm_area_struct, shared.rb, unsigned long, shared.rb_subtree_last,
    /// vma_start_pgoff, vma_last_pgoff, /* empty */, vma_interval_tree).
    /// </summary>
    public struct vma_interval_tree_args : INTERVAL_TREE_DEFINE_args<vm_area_struct, ulong>
    {
        // offsetof(struct vm_area_struct, shared.rb): the generated offsetof lists top-level members only
        private static readonly int shared_rb = offsetof_shared_rb();

        private static int offsetof_shared_rb()
        {
            vm_area_struct v;
            return (int)((byte*)&v.shared.rb - (byte*)&v);
        }

        public static int ITRB => shared_rb;
        public static ref ulong ITSUBTREE(vm_area_struct* node) => ref node->shared.rb_subtree_last;
        public static ulong ITSTART(vm_area_struct* node) => vma_start_pgoff(node);
        public static ulong ITLAST(vm_area_struct* node) => vma_last_pgoff(node);
    }

    [Upstream("include/linux/interval_tree_generic.h", "INTERVAL_TREE_DEFINE", UpstreamAttribute.Macro)]
    public static void vma_interval_tree_insert(vm_area_struct* node, rb_root_cached* root) =>
        vma_interval_tree._insert(node, root);

    [Upstream("include/linux/interval_tree_generic.h", "INTERVAL_TREE_DEFINE", UpstreamAttribute.Macro)]
    public static void vma_interval_tree_remove(vm_area_struct* node, rb_root_cached* root) =>
        vma_interval_tree._remove(node, root);

    [Upstream("include/linux/interval_tree_generic.h", "INTERVAL_TREE_DEFINE", UpstreamAttribute.Macro)]
    public static vm_area_struct* vma_interval_tree_iter_first(rb_root_cached* root, ulong start, ulong last) =>
        vma_interval_tree._iter_first(root, start, last);

    [Upstream("include/linux/interval_tree_generic.h", "INTERVAL_TREE_DEFINE", UpstreamAttribute.Macro)]
    public static vm_area_struct* vma_interval_tree_iter_next(vm_area_struct* node, ulong start, ulong last) =>
        vma_interval_tree._iter_next(node, start, last);

    // Links node (same vm_pgoff as prev) as prev's in-order successor, the way a forked child's
    // vma follows its parent's in i_mmap, and raises the subtree maxima on the way down.
    [Upstream("mm/interval_tree.c", "vma_interval_tree_insert_after", "3a097b86033b6d7d")]
    public void vma_interval_tree_insert_after(vm_area_struct* node, vm_area_struct* prev, rb_root_cached* root)
    {
        rb_node** link;
        vm_area_struct* parent;
        ulong last = vma_last_pgoff(node);

        VM_BUG_ON_VMA(vma_start_pgoff(node) != vma_start_pgoff(prev), node);

        if (prev->shared.rb.rb_right == null)
        {
            parent = prev;
            link = &prev->shared.rb.rb_right;
        }
        else
        {
            parent = rb_entry<vm_area_struct>(prev->shared.rb.rb_right, vma_interval_tree_args.ITRB);
            if (parent->shared.rb_subtree_last < last)
                parent->shared.rb_subtree_last = last;
            while (parent->shared.rb.rb_left != null)
            {
                parent = rb_entry<vm_area_struct>(parent->shared.rb.rb_left, vma_interval_tree_args.ITRB);
                if (parent->shared.rb_subtree_last < last)
                    parent->shared.rb_subtree_last = last;
            }
            link = &parent->shared.rb.rb_left;
        }

        node->shared.rb_subtree_last = last;
        rb_link_node(&node->shared.rb, &parent->shared.rb, link);
        rb_insert_augmented(&node->shared.rb, &root->rb_root, vma_interval_tree._augment);
    }

    [Upstream("mm/interval_tree.c", "avc_start_pgoff", "3966b71f28c167c7")]
    internal static ulong avc_start_pgoff(anon_vma_chain* avc)
    {
        return vma_start_pgoff(avc->vma);
    }

    [Upstream("mm/interval_tree.c", "avc_last_pgoff", "15409f8358ef1429")]
    internal static ulong avc_last_pgoff(anon_vma_chain* avc)
    {
        return vma_last_pgoff(avc->vma);
    }

    /// <summary>
    /// INTERVAL_TREE_DEFINE(struct anon_vma_chain, rb, unsigned long, rb_subtree_last,
    /// avc_start_pgoff, avc_last_pgoff, static inline, __anon_vma_interval_tree).
    /// </summary>
    public struct anon_vma_interval_tree_args : INTERVAL_TREE_DEFINE_args<anon_vma_chain, ulong>
    {
        public static int ITRB => offsetof.anon_vma_chain.rb;
        public static ref ulong ITSUBTREE(anon_vma_chain* node) => ref node->rb_subtree_last;
        public static ulong ITSTART(anon_vma_chain* node) => avc_start_pgoff(node);
        public static ulong ITLAST(anon_vma_chain* node) => avc_last_pgoff(node);
    }

    // ITSTATIC is "static inline": the expansion's functions are private to this file upstream.
    [Upstream("include/linux/interval_tree_generic.h", "INTERVAL_TREE_DEFINE", UpstreamAttribute.Macro)]
    private static void __anon_vma_interval_tree_insert(anon_vma_chain* node, rb_root_cached* root) =>
        __anon_vma_interval_tree._insert(node, root);

    [Upstream("include/linux/interval_tree_generic.h", "INTERVAL_TREE_DEFINE", UpstreamAttribute.Macro)]
    private static void __anon_vma_interval_tree_remove(anon_vma_chain* node, rb_root_cached* root) =>
        __anon_vma_interval_tree._remove(node, root);

    [Upstream("include/linux/interval_tree_generic.h", "INTERVAL_TREE_DEFINE", UpstreamAttribute.Macro)]
    private static anon_vma_chain* __anon_vma_interval_tree_iter_first(rb_root_cached* root, ulong start, ulong last) =>
        __anon_vma_interval_tree._iter_first(root, start, last);

    [Upstream("include/linux/interval_tree_generic.h", "INTERVAL_TREE_DEFINE", UpstreamAttribute.Macro)]
    private static anon_vma_chain* __anon_vma_interval_tree_iter_next(anon_vma_chain* node, ulong start, ulong last) =>
        __anon_vma_interval_tree._iter_next(node, start, last);

    [Upstream("mm/interval_tree.c", "anon_vma_interval_tree_insert", "de39aee5c53b4f7a")]
    public static void anon_vma_interval_tree_insert(anon_vma_chain* node, rb_root_cached* root)
    {
        // CONFIG_DEBUG_VM_RB is off: no cached_vma_start/last to record.
        __anon_vma_interval_tree_insert(node, root);
    }

    [Upstream("mm/interval_tree.c", "anon_vma_interval_tree_remove", "630c413c972b16fb")]
    public static void anon_vma_interval_tree_remove(anon_vma_chain* node, rb_root_cached* root)
    {
        __anon_vma_interval_tree_remove(node, root);
    }

    [Upstream("mm/interval_tree.c", "anon_vma_interval_tree_iter_first", "dc157de6ce31c1b0")]
    public static anon_vma_chain* anon_vma_interval_tree_iter_first(rb_root_cached* root, ulong first, ulong last)
    {
        return __anon_vma_interval_tree_iter_first(root, first, last);
    }

    [Upstream("mm/interval_tree.c", "anon_vma_interval_tree_iter_next", "c444f933fd7e51d6")]
    public static anon_vma_chain* anon_vma_interval_tree_iter_next(anon_vma_chain* node, ulong first, ulong last)
    {
        return __anon_vma_interval_tree_iter_next(node, first, last);
    }
}
