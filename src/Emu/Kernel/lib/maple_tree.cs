// SPDX-License-Identifier: GPL-2.0-only
// lib/maple_tree.c and the inlines of include/linux/maple_tree.h — a MODEL of the maple tree,
// not a transliteration of its nodes. Each tree (keyed by the address of its struct maple_tree)
// is a managed, sorted array of the non-NULL ranges [index, last] -> entry (MapleTreeModel);
// the NULL ranges between them are implicit and always maximal, as the real tree keeps them
// (mas_wr_extend_null). On top of that one "leaf" spanning [0, ULONG_MAX]:
//  - the ma_state status machine (mas_find_setup, mas_next_setup, mas_prev_setup, ...) and the
//    interface functions are upstream's bodies and carry markers;
//  - the node layer (mas_start, mtree_range_walk, mas_next_slot, mas_prev_slot,
//    mas_wr_store_entry, the gap searches, __mt_dup) is Emu's model with upstream's observable
//    results: index/last hold the range of the slot, NULL stores merge with NULL neighbours,
//    gaps are searched lowest-first / highest-first inside [min, max];
//  - nodes are never allocated: mas_preallocate/mas_expected_entries/mas_store_gfp never fail,
//    mas->node stays NULL (never MA_ERROR), mas->min/max are the root limits, no root pointer
//    entries (ma_root status) exist; mt->ma_root is a non-NULL token while the tree has entries,
//    so mtree_empty() reads the struct as upstream does.
// A tree's managed store is dropped by mt_init_flags (which starts an empty tree) and
// __mt_destroy/mtree_destroy, so an mm freed after exit_mmap leaves nothing behind.
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using static Emu.Kernel.KernelConstants;
using gfp_t = uint;

namespace Emu.Kernel;

/// <summary>Emu's stand-in for a maple tree's nodes: the non-NULL ranges in index order.</summary>
internal sealed class MapleTreeModel
{
    private readonly List<ulong> starts = new();
    private readonly List<ulong> lasts = new();
    private readonly List<nint> entries = new();

    public int Count => starts.Count;
    public ulong StartAt(int i) => starts[i];
    public ulong LastAt(int i) => lasts[i];
    public nint EntryAt(int i) => entries[i];

    /// <summary>The index of the last range starting at or below <paramref name="index"/>, or -1.</summary>
    private int Floor(ulong index)
    {
        int lo = 0, hi = starts.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= index) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }

    /// <summary>The slot holding <paramref name="index"/>: its range and entry (NULL for a gap).</summary>
    public nint Lookup(ulong index, out ulong first, out ulong last)
    {
        int i = Floor(index);
        if (i >= 0 && lasts[i] >= index)
        {
            first = starts[i];
            last = lasts[i];
            return entries[i];
        }
        first = i >= 0 ? lasts[i] + 1 : 0;
        last = i + 1 < starts.Count ? starts[i + 1] - 1 : ulong.MaxValue;
        return 0;
    }

    /// <summary>Overwrites [first, last] with <paramref name="entry"/>; returns what index first held.</summary>
    public nint Store(ulong first, ulong last, nint entry)
    {
        nint old = Lookup(first, out _, out _);
        int i = Floor(first);
        if (i < 0) i = 0;
        else if (lasts[i] < first) i++;
        // Cut every overlapped range down to what lies outside [first, last].
        while (i < starts.Count && starts[i] <= last)
        {
            ulong s = starts[i], l = lasts[i];
            nint e = entries[i];
            RemoveAt(i);
            if (s < first)
            {
                Insert(i, s, first - 1, e);
                i++;
            }
            if (l > last)
            {
                Insert(i, last + 1, l, e);
                i++;
            }
        }
        if (entry != 0)
        {
            int at = Floor(first) + 1;
            Insert(at, first, last, entry);
        }
        return old;
    }

    private void Insert(int i, ulong s, ulong l, nint e)
    {
        starts.Insert(i, s);
        lasts.Insert(i, l);
        entries.Insert(i, e);
    }

    private void RemoveAt(int i)
    {
        starts.RemoveAt(i);
        lasts.RemoveAt(i);
        entries.RemoveAt(i);
    }

    public MapleTreeModel Clone()
    {
        var c = new MapleTreeModel();
        c.starts.AddRange(starts);
        c.lasts.AddRange(lasts);
        c.entries.AddRange(entries);
        return c;
    }

    /// <summary>Lowest window of <paramref name="size"/> inside a gap and inside [min, max].</summary>
    public bool LowestGap(ulong min, ulong max, ulong size, out ulong index)
    {
        ulong gapStart = 0;
        int i = Floor(min);
        if (i >= 0)
        {
            if (lasts[i] >= min)
            {
                if (lasts[i] == ulong.MaxValue) { index = 0; return false; }
                gapStart = lasts[i] + 1;
            }
            else
            {
                gapStart = lasts[i] + 1;
            }
        }
        for (int j = i + 1; ; j++)
        {
            ulong gapEnd = j < starts.Count ? starts[j] - 1 : ulong.MaxValue;
            bool empty = j < starts.Count && starts[j] == gapStart;
            ulong lo = Math.Max(gapStart, min), hi = Math.Min(gapEnd, max);
            if (!empty && lo <= hi && hi - lo >= size - 1)
            {
                index = lo;
                return true;
            }
            if (j >= starts.Count || starts[j] > max || lasts[j] == ulong.MaxValue)
                break;
            gapStart = lasts[j] + 1;
        }
        index = 0;
        return false;
    }

    /// <summary>Highest window of <paramref name="size"/> inside a gap and inside [min, max]; returns its last index.</summary>
    public bool HighestGap(ulong min, ulong max, ulong size, out ulong last)
    {
        int i = Floor(max);
        ulong gapEnd;
        int j; // the range below the current gap
        if (i >= 0 && lasts[i] >= max)
        {
            if (starts[i] == 0) { last = 0; return false; }
            gapEnd = starts[i] - 1;
            j = i - 1;
        }
        else
        {
            gapEnd = i + 1 < starts.Count ? starts[i + 1] - 1 : ulong.MaxValue;
            j = i;
        }
        for (; ; j--)
        {
            ulong gapStart = j >= 0 ? lasts[j] + 1 : 0;
            bool empty = j >= 0 && lasts[j] == gapEnd;
            ulong lo = Math.Max(gapStart, min), hi = Math.Min(gapEnd, max);
            if (!empty && lo <= hi && hi - lo >= size - 1)
            {
                last = hi;
                return true;
            }
            if (j < 0 || lasts[j] < min || starts[j] == 0)
                break;
            gapEnd = starts[j] - 1;
        }
        last = 0;
        return false;
    }
}

public unsafe partial class Kernel
{
    /// <summary>Every live maple tree of this kernel, by the address of its struct maple_tree.</summary>
    private readonly Dictionary<nint, MapleTreeModel> maple_trees = new();

    /// <summary>Non-NULL ma_root while a tree holds entries (never dereferenced).</summary>
    private static readonly void* MapleRootToken = (void*)0x4e6d;

    /// <summary>ma_state.mas_flags bits (lib/maple_tree.c).</summary>
    internal const byte MA_STATE_BULK = 1, MA_STATE_REBALANCE = 2, MA_STATE_PREALLOC = 4;

    /// <summary>The model of <paramref name="mt"/>; a tree never initialised reads as empty, like a zeroed struct.</summary>
    internal MapleTreeModel mt_model(maple_tree* mt)
    {
        if (!maple_trees.TryGetValue((nint)mt, out var m))
        {
            m = new MapleTreeModel();
            maple_trees.Add((nint)mt, m);
        }
        return m;
    }

    /// <summary>How many trees have a managed store (tests check that freed mms leave none).</summary>
    internal int mt_model_count => maple_trees.Count;

    private static void mt_model_sync_root(maple_tree* mt, MapleTreeModel m) => mt->ma_root = m.Count != 0 ? MapleRootToken : null;

    // ---- include/linux/maple_tree.h ----

    [Upstream("include/linux/maple_tree.h", "mtree_empty", "76b7eb722f92e393")]
    internal static bool mtree_empty(maple_tree* mt)
    {
        return mt->ma_root == null;
    }

    [Upstream("include/linux/maple_tree.h", "mas_init", "093a93d7b47b3b6f")]
    internal static void mas_init(ma_state* mas, maple_tree* tree, ulong addr)
    {
        *mas = default;
        mas->tree = tree;
        mas->index = mas->last = addr;
        mas->max = ulong.MaxValue;
        mas->status = maple_status.ma_start;
        mas->node = null;
    }

    /// <summary>MA_STATE(name, mt, first, end).</summary>
    [Upstream("include/linux/maple_tree.h", "MA_STATE", UpstreamAttribute.Macro)]
    internal static ma_state MA_STATE(maple_tree* mt, ulong first, ulong end)
    {
        ma_state mas = default;
        mas.tree = mt;
        mas.index = first;
        mas.last = end;
        mas.node = null;
        mas.status = maple_status.ma_start;
        mas.min = 0;
        mas.max = ulong.MaxValue;
        mas.alloc = null;
        mas.mas_flags = 0;
        return mas;
    }

    [Upstream("include/linux/maple_tree.h", "mas_is_active", "f08c9446e00f1ef4")]
    internal static bool mas_is_active(ma_state* mas) => mas->status == maple_status.ma_active;

    [Upstream("include/linux/maple_tree.h", "mas_is_err", "8f11a1e1513fe707")]
    internal static bool mas_is_err(ma_state* mas) => mas->status == maple_status.ma_error;

    [Upstream("include/linux/maple_tree.h", "mas_reset", "af0788f5f910d673")]
    internal static void mas_reset(ma_state* mas)
    {
        mas->status = maple_status.ma_start;
        mas->node = null;
    }

    [Upstream("include/linux/maple_tree.h", "__mas_set_range", "a68ecb6cb55fb5b7")]
    internal void __mas_set_range(ma_state* mas, ulong start, ulong last)
    {
        // A sub-range must start inside the current slot.
        MAS_WARN_ON(mas, mas_is_active(mas) && (mas->index > start || mas->last < start));
        mas->index = start;
        mas->last = last;
    }

    [Upstream("include/linux/maple_tree.h", "mas_set_range", "fe7ad393898f984f")]
    internal void mas_set_range(ma_state* mas, ulong start, ulong last)
    {
        mas_reset(mas);
        __mas_set_range(mas, start, last);
    }

    [Upstream("include/linux/maple_tree.h", "mas_set", "85f3997528d45ce9")]
    internal void mas_set(ma_state* mas, ulong index)
    {
        mas_set_range(mas, index, index);
    }

    [Upstream("include/linux/maple_tree.h", "mt_external_lock", "2e612f557ccb377f")]
    internal static bool mt_external_lock(maple_tree* mt)
    {
        return (mt->ma_flags & MT_FLAGS_LOCK_MASK) == MT_FLAGS_LOCK_EXTERN;
    }

    [Upstream("include/linux/maple_tree.h", "mt_init_flags", "ec45b71b0e0f2309")]
    internal void mt_init_flags(maple_tree* mt, uint flags)
    {
        mt->ma_flags = flags;
        if (!mt_external_lock(mt))
            spin_lock_init(&mt->ma_lock);
        mt->ma_root = null;
        // Model: a fresh, empty store for this address.
        maple_trees[(nint)mt] = new MapleTreeModel();
    }

    [Upstream("include/linux/maple_tree.h", "mt_init", "33679cb211d89f3d")]
    internal void mt_init(maple_tree* mt)
    {
        mt_init_flags(mt, 0);
    }

    /// <summary>Without CONFIG_LOCKDEP there is no external lock map to clear.</summary>
    [Upstream("include/linux/maple_tree.h", "mt_on_stack", UpstreamAttribute.Macro)]
    internal static void mt_on_stack(maple_tree* mt) { }

    [Upstream("include/linux/maple_tree.h", "mt_in_rcu", "8ba25f41a1b78f5b")]
    internal static bool mt_in_rcu(maple_tree* mt)
    {
        return (mt->ma_flags & MT_FLAGS_USE_RCU) != 0;
    }

    [Upstream("include/linux/maple_tree.h", "mt_clear_in_rcu", "88a1ffd0abb225fe")]
    internal void mt_clear_in_rcu(maple_tree* mt)
    {
        if (!mt_in_rcu(mt))
            return;

        if (mt_external_lock(mt))
        {
            mt->ma_flags &= ~(uint)MT_FLAGS_USE_RCU;
        }
        else
        {
            mtree_lock(mt);
            mt->ma_flags &= ~(uint)MT_FLAGS_USE_RCU;
            mtree_unlock(mt);
        }
    }

    [Upstream("include/linux/maple_tree.h", "mt_set_in_rcu", "0268f86f746f9402")]
    internal void mt_set_in_rcu(maple_tree* mt)
    {
        if (mt_in_rcu(mt))
            return;

        if (mt_external_lock(mt))
        {
            mt->ma_flags |= MT_FLAGS_USE_RCU;
        }
        else
        {
            mtree_lock(mt);
            mt->ma_flags |= MT_FLAGS_USE_RCU;
            mtree_unlock(mt);
        }
    }

    [Upstream("include/linux/maple_tree.h", "mtree_lock", UpstreamAttribute.Macro)]
    internal void mtree_lock(maple_tree* mt) => spin_lock(&mt->ma_lock);

    [Upstream("include/linux/maple_tree.h", "mtree_unlock", UpstreamAttribute.Macro)]
    internal void mtree_unlock(maple_tree* mt) => spin_unlock(&mt->ma_lock);

    /// <summary>Without CONFIG_DEBUG_MAPLE_TREE: WARN_ON.</summary>
    [Upstream("include/linux/maple_tree.h", "MAS_WARN_ON", UpstreamAttribute.Macro, Definition = 2)]
    internal bool MAS_WARN_ON(ma_state* mas, bool x, [CallerArgumentExpression(nameof(x))] string cond = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        => WARN_ON(x, cond, file, line);

    /// <summary>Without CONFIG_DEBUG_MAPLE_TREE: BUG_ON.</summary>
    [Upstream("include/linux/maple_tree.h", "MAS_BUG_ON", UpstreamAttribute.Macro, Definition = 2)]
    internal void MAS_BUG_ON(ma_state* mas, bool x, [CallerArgumentExpression(nameof(x))] string cond = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        => BUG_ON(x, cond, file, line);

    // ---- lib/maple_tree.c: status helpers ----

    [Upstream("lib/maple_tree.c", "mas_is_ptr", "648dba4f23eedeb0")]
    internal static bool mas_is_ptr(ma_state* mas) => mas->status == maple_status.ma_root;

    [Upstream("lib/maple_tree.c", "mas_is_start", "6222d836a0037d4c")]
    internal static bool mas_is_start(ma_state* mas) => mas->status == maple_status.ma_start;

    [Upstream("lib/maple_tree.c", "mas_is_none", "aff0e3f9e4c63c6d")]
    internal static bool mas_is_none(ma_state* mas) => mas->status == maple_status.ma_none;

    [Upstream("lib/maple_tree.c", "mas_is_paused", "ac733da77a390430")]
    internal static bool mas_is_paused(ma_state* mas) => mas->status == maple_status.ma_pause;

    [Upstream("lib/maple_tree.c", "mas_is_overflow", "d8fc76a617323d88")]
    internal static bool mas_is_overflow(ma_state* mas) => mas->status == maple_status.ma_overflow;

    [Upstream("lib/maple_tree.c", "mas_is_underflow", "c7b6578f2a7ab244")]
    internal static bool mas_is_underflow(ma_state* mas) => mas->status == maple_status.ma_underflow;

    [Upstream("lib/maple_tree.c", "mt_attr", "1859a66969cc148d")]
    internal static uint mt_attr(maple_tree* mt)
    {
        return mt->ma_flags & ~(uint)MT_FLAGS_HEIGHT_MASK;
    }

    // ---- the node layer: model ----

    /// <summary>Model of mas_start: an empty tree is ma_none, anything else one active leaf over [0, ULONG_MAX].</summary>
    private void* mas_start(ma_state* mas)
    {
        if (mas_is_start(mas))
        {
            mas->min = 0;
            mas->max = ulong.MaxValue;
            mas->depth = 0;
            mas->offset = 0;
            if (mt_model(mas->tree).Count == 0)
            {
                mas->status = maple_status.ma_none;
                return null;
            }
            mas->status = maple_status.ma_active;
        }
        return null;
    }

    /// <summary>Model of mtree_range_walk: the slot holding mas->index, its range into index/last.</summary>
    private void* mtree_range_walk(ma_state* mas)
    {
        nint entry = mt_model(mas->tree).Lookup(mas->index, out ulong first, out ulong last);
        mas->index = first;
        mas->last = last;
        return (void*)entry;
    }

    /// <summary>Model of mas_state_walk (upstream's shape over the model's mas_start/mtree_range_walk).</summary>
    private void* mas_state_walk(ma_state* mas)
    {
        void* entry;

        entry = mas_start(mas);
        if (mas_is_none(mas))
            return null;

        if (mas_is_ptr(mas))
            return entry;

        return mtree_range_walk(mas);
    }

    /// <summary>Model of mas_next_slot: the slot after the one holding mas->index, skipping NULLs unless <paramref name="empty"/>.</summary>
    private void* mas_next_slot(ma_state* mas, ulong max, bool empty)
    {
        var m = mt_model(mas->tree);
        m.Lookup(mas->index, out _, out ulong pivot);
        // The leaf spans to ULONG_MAX, so this is upstream's "mas->max >= max" branch.
        if (pivot >= max)
        {
            mas->status = maple_status.ma_overflow;
            return null;
        }

        mas->index = pivot + 1;
    again:
        nint entry = m.Lookup(mas->index, out _, out ulong last);
        mas->last = last;

        if (entry != 0)
            return (void*)entry;

        if (!empty)
        {
            if (mas->last >= max)
            {
                mas->status = maple_status.ma_overflow;
                return null;
            }

            mas->index = mas->last + 1;
            goto again;
        }

        return null;
    }

    /// <summary>Model of mas_prev_slot: the slot before the one holding mas->index, skipping NULLs unless <paramref name="empty"/>.</summary>
    private void* mas_prev_slot(ma_state* mas, ulong min, bool empty)
    {
        var m = mt_model(mas->tree);
        m.Lookup(mas->index, out ulong pivot, out _);
        if (pivot <= min)
        {
            mas->status = maple_status.ma_underflow;
            return null;
        }

        mas->index = pivot;
    again:
        nint entry = m.Lookup(mas->index - 1, out ulong first, out ulong last);
        mas->last = last;
        mas->index = first;

        if (entry != 0)
            return (void*)entry;

        if (!empty)
        {
            if (mas->index <= min)
            {
                mas->status = maple_status.ma_underflow;
                return null;
            }

            goto again;
        }

        return null;
    }

    /// <summary>Model of mas_wr_store_entry: the store itself; a NULL store leaves index/last on the merged NULL range.</summary>
    private void* mas_wr_store_entry(ma_state* mas, void* entry)
    {
        var m = mt_model(mas->tree);
        nint content = m.Store(mas->index, mas->last, (nint)entry);
        mt_model_sync_root(mas->tree, m);
        if (entry == null)
        {
            m.Lookup(mas->index, out ulong first, out ulong last);
            mas->index = first;
            mas->last = last;
        }
        mas->min = 0;
        mas->max = ulong.MaxValue;
        mas->status = m.Count == 0 ? maple_status.ma_none : maple_status.ma_active;
        return (void*)content;
    }

    // ---- lib/maple_tree.c: interface ----

    [Upstream("lib/maple_tree.c", "mas_walk", "5bf1565748072898")]
    internal void* mas_walk(ma_state* mas)
    {
        void* entry;

        if (!mas_is_active(mas) || !mas_is_start(mas))
            mas->status = maple_status.ma_start;
    retry:
        entry = mas_state_walk(mas);
        if (mas_is_start(mas))
        {
            goto retry;
        }
        else if (mas_is_none(mas))
        {
            mas->index = 0;
            mas->last = ulong.MaxValue;
        }
        else if (mas_is_ptr(mas))
        {
            if (mas->index == 0)
            {
                mas->last = 0;
                return entry;
            }

            mas->index = 1;
            mas->last = ulong.MaxValue;
            mas->status = maple_status.ma_none;
            return null;
        }

        return entry;
    }

    /// <summary>Model: the lowest gap of <paramref name="size"/> in [min, max] (mas_empty_area's argument checks and result).</summary>
    internal int mas_empty_area(ma_state* mas, ulong min, ulong max, ulong size)
    {
        if (min > max)
            return -EINVAL;

        if (size == 0 || max - min < size - 1)
            return -EINVAL;

        var m = mt_model(mas->tree);
        if (m.Count == 0)
        {
            // mas_sparse_area on ma_none: the window starts at min.
            mas->status = maple_status.ma_none;
            mas->index = min;
            mas->last = min + size - 1;
            return 0;
        }

        if (!m.LowestGap(min, max, size, out ulong index))
            return -EBUSY;

        mas->status = maple_status.ma_active;
        mas->min = 0;
        mas->max = ulong.MaxValue;
        mas->index = index;
        mas->last = index + size - 1;
        return 0;
    }

    /// <summary>Model: the highest gap of <paramref name="size"/> in [min, max] (mas_empty_area_rev's argument checks and result).</summary>
    internal int mas_empty_area_rev(ma_state* mas, ulong min, ulong max, ulong size)
    {
        if (min > max)
            return -EINVAL;

        if (size == 0 || max - min < size - 1)
            return -EINVAL;

        var m = mt_model(mas->tree);
        if (m.Count == 0)
        {
            mas->status = maple_status.ma_none;
            mas->last = max;
            mas->index = max - size + 1;
            return 0;
        }

        if (!m.HighestGap(min, max, size, out ulong last))
            return -EBUSY;

        mas->status = maple_status.ma_active;
        mas->min = 0;
        mas->max = ulong.MaxValue;
        mas->last = last;
        mas->index = mas->last - size + 1;
        return 0;
    }

    /// <summary>Model of mas_store: the store never needs nodes; returns the entry that was at mas->index.</summary>
    internal void* mas_store(ma_state* mas, void* entry)
    {
        // An inverted range is a caller bug (upstream only checks it with CONFIG_DEBUG_MAPLE_TREE).
        MAS_BUG_ON(mas, mas->index > mas->last);
        void* content = mas_wr_store_entry(mas, entry);
        mas_destroy(mas);
        return content;
    }

    /// <summary>Model of mas_store_gfp: cannot fail for want of nodes, so always 0.</summary>
    internal int mas_store_gfp(ma_state* mas, void* entry, gfp_t gfp)
    {
        MAS_BUG_ON(mas, mas->index > mas->last);
        mas_wr_store_entry(mas, entry);
        mas_destroy(mas);
        return 0;
    }

    /// <summary>Model of mas_store_prealloc.</summary>
    internal void mas_store_prealloc(ma_state* mas, void* entry)
    {
        MAS_BUG_ON(mas, mas->index > mas->last);
        mas_wr_store_entry(mas, entry);
        MAS_BUG_ON(mas, mas_is_err(mas));
        mas_destroy(mas);
    }

    /// <summary>Model of mas_preallocate: nothing to allocate, so the flag is set and 0 returned.</summary>
    internal int mas_preallocate(ma_state* mas, void* entry, gfp_t gfp)
    {
        mas->mas_flags |= MA_STATE_PREALLOC;
        return 0;
    }

    /// <summary>Model of mas_destroy: no nodes to free or rebalance; the flags are cleared as upstream.</summary>
    internal void mas_destroy(ma_state* mas)
    {
        mas->mas_flags &= unchecked((byte)~(MA_STATE_BULK | MA_STATE_PREALLOC | MA_STATE_REBALANCE));
        mas->alloc = null;
    }

    /// <summary>Model of mas_expected_entries: bulk mode flags, nothing allocated, 0.</summary>
    internal int mas_expected_entries(ma_state* mas, ulong nr_entries)
    {
        mas->mas_flags |= MA_STATE_BULK;
        mas->mas_flags |= MA_STATE_PREALLOC;
        return 0;
    }

    [Upstream("lib/maple_tree.c", "mas_next_setup", "946a0392ab4d6f42")]
    private bool mas_next_setup(ma_state* mas, ulong max, void** entry)
    {
        bool was_none = mas_is_none(mas);

        if (mas->last >= max)
        {
            mas->status = maple_status.ma_overflow;
            return true;
        }

        switch (mas->status)
        {
            case maple_status.ma_active:
                return false;
            case maple_status.ma_none:
            case maple_status.ma_pause:
                mas->status = maple_status.ma_start;
                mas_walk(mas);
                break;
            case maple_status.ma_start:
                mas_walk(mas);
                break;
            case maple_status.ma_overflow:
                mas->status = maple_status.ma_active;
                break;
            case maple_status.ma_underflow:
                mas->status = maple_status.ma_active;
                *entry = mas_walk(mas);
                if (*entry != null)
                    return true;
                break;
            case maple_status.ma_root:
                break;
            case maple_status.ma_error:
                return true;
        }

        if (mas_is_active(mas))
            return false;

        if (mas_is_ptr(mas))
        {
            *entry = null;
            if (was_none && mas->index == 0)
            {
                mas->index = mas->last = 0;
                return true;
            }
            mas->index = 1;
            mas->last = ulong.MaxValue;
            mas->status = maple_status.ma_none;
            return true;
        }

        if (mas_is_none(mas))
            return true;

        return false;
    }

    [Upstream("lib/maple_tree.c", "mas_next", "acd45d926f2d567c")]
    internal void* mas_next(ma_state* mas, ulong max)
    {
        void* entry = null;

        if (mas_next_setup(mas, max, &entry))
            return entry;

        return mas_next_slot(mas, max, false);
    }

    [Upstream("lib/maple_tree.c", "mas_next_range", "cdf4503526c83f8a")]
    internal void* mas_next_range(ma_state* mas, ulong max)
    {
        void* entry = null;

        if (mas_next_setup(mas, max, &entry))
            return entry;

        return mas_next_slot(mas, max, true);
    }

    [Upstream("lib/maple_tree.c", "mt_next", "d40e185018206c4c")]
    internal void* mt_next(maple_tree* mt, ulong index, ulong max)
    {
        void* entry = null;
        ma_state mas = MA_STATE(mt, index, index);

        rcu_read_lock();
        entry = mas_next(&mas, max);
        rcu_read_unlock();
        return entry;
    }

    [Upstream("lib/maple_tree.c", "mas_prev_setup", "ba0eb64bc5f5cdd1")]
    private bool mas_prev_setup(ma_state* mas, ulong min, void** entry)
    {
        if (mas->index <= min)
        {
            mas->status = maple_status.ma_underflow;
            return true;
        }

        switch (mas->status)
        {
            case maple_status.ma_active:
                return false;
            case maple_status.ma_start:
                break;
            case maple_status.ma_none:
            case maple_status.ma_pause:
                mas->status = maple_status.ma_start;
                break;
            case maple_status.ma_underflow:
                mas->status = maple_status.ma_active;
                break;
            case maple_status.ma_overflow:
                mas->status = maple_status.ma_active;
                *entry = mas_walk(mas);
                if (*entry != null)
                    return true;
                break;
            case maple_status.ma_root:
                break;
            case maple_status.ma_error:
                return true;
        }

        if (mas_is_start(mas))
            mas_walk(mas);

        if (mas_is_ptr(mas))
        {
            if (mas->index == 0)
            {
                mas->status = maple_status.ma_none;
                return true;
            }
            mas->index = mas->last = 0;
            *entry = mas->tree->ma_root;
            return true;
        }

        if (mas_is_none(mas))
        {
            if (mas->index != 0)
            {
                // Model: no root pointer entries, so the walk to index 0 finds nothing.
                mas->index = mas->last = 0;
                mas->status = maple_status.ma_root;
                *entry = null;
                return true;
            }
            return true;
        }

        return false;
    }

    [Upstream("lib/maple_tree.c", "mas_prev", "2922f8a982f369bf")]
    internal void* mas_prev(ma_state* mas, ulong min)
    {
        void* entry = null;

        if (mas_prev_setup(mas, min, &entry))
            return entry;

        return mas_prev_slot(mas, min, false);
    }

    [Upstream("lib/maple_tree.c", "mas_prev_range", "151b0186e82b06f5")]
    internal void* mas_prev_range(ma_state* mas, ulong min)
    {
        void* entry = null;

        if (mas_prev_setup(mas, min, &entry))
            return entry;

        return mas_prev_slot(mas, min, true);
    }

    [Upstream("lib/maple_tree.c", "mt_prev", "1c1ad9a91f525b65")]
    internal void* mt_prev(maple_tree* mt, ulong index, ulong min)
    {
        void* entry = null;
        ma_state mas = MA_STATE(mt, index, index);

        rcu_read_lock();
        entry = mas_prev(&mas, min);
        rcu_read_unlock();
        return entry;
    }

    [Upstream("lib/maple_tree.c", "mas_pause", "58ec351efb3d94e7")]
    internal static void mas_pause(ma_state* mas)
    {
        mas->status = maple_status.ma_pause;
        mas->node = null;
    }

    [Upstream("lib/maple_tree.c", "mas_find_setup", "3fb5417dad73cf55")]
    private bool mas_find_setup(ma_state* mas, ulong max, void** entry)
    {
        switch (mas->status)
        {
            case maple_status.ma_active:
                if (mas->last < max)
                    return false;
                return true;
            case maple_status.ma_start:
                break;
            case maple_status.ma_pause:
                if (mas->last >= max)
                    return true;

                mas->index = ++mas->last;
                mas->status = maple_status.ma_start;
                break;
            case maple_status.ma_none:
                if (mas->last >= max)
                    return true;

                mas->index = mas->last;
                mas->status = maple_status.ma_start;
                break;
            case maple_status.ma_underflow:
                if (mas->index >= max)
                {
                    mas->status = maple_status.ma_overflow;
                    return true;
                }

                mas->status = maple_status.ma_active;
                *entry = mas_walk(mas);
                if (*entry != null)
                    return true;
                break;
            case maple_status.ma_overflow:
                if (mas->last >= max)
                    return true;

                mas->status = maple_status.ma_active;
                *entry = mas_walk(mas);
                if (*entry != null)
                    return true;
                break;
            case maple_status.ma_root:
                break;
            case maple_status.ma_error:
                return true;
        }

        if (mas_is_start(mas))
        {
            if (mas->index > max)
                return true;

            *entry = mas_walk(mas);
            if (*entry != null)
                return true;
        }

        if (mas_is_ptr(mas))
            goto ptr_out_of_range;

        if (mas_is_none(mas))
            return true;

        if (mas->index == max)
            return true;

        return false;

    ptr_out_of_range:
        mas->status = maple_status.ma_none;
        mas->index = 1;
        mas->last = ulong.MaxValue;
        return true;
    }

    [Upstream("lib/maple_tree.c", "mas_find", "92350fd5fffec0a6")]
    internal void* mas_find(ma_state* mas, ulong max)
    {
        void* entry = null;

        if (mas_find_setup(mas, max, &entry))
            return entry;

        entry = mas_next_slot(mas, max, false);
        // An overflow here is not reported to the caller.
        mas->status = maple_status.ma_active;
        return entry;
    }

    [Upstream("lib/maple_tree.c", "mas_find_range", "37ce90f90e4dcfe0")]
    internal void* mas_find_range(ma_state* mas, ulong max)
    {
        void* entry = null;

        if (mas_find_setup(mas, max, &entry))
            return entry;

        return mas_next_slot(mas, max, true);
    }

    [Upstream("lib/maple_tree.c", "mas_find_rev_setup", "37416e6ba19902a9")]
    private bool mas_find_rev_setup(ma_state* mas, ulong min, void** entry)
    {
        switch (mas->status)
        {
            case maple_status.ma_active:
                goto active;
            case maple_status.ma_start:
                break;
            case maple_status.ma_pause:
                if (mas->index <= min)
                {
                    mas->status = maple_status.ma_underflow;
                    return true;
                }
                mas->last = --mas->index;
                mas->status = maple_status.ma_start;
                break;
            case maple_status.ma_none:
                if (mas->index <= min)
                    goto none;

                mas->last = mas->index;
                mas->status = maple_status.ma_start;
                break;
            case maple_status.ma_overflow:
                if (mas->index <= min)
                {
                    mas->status = maple_status.ma_underflow;
                    return true;
                }

                mas->status = maple_status.ma_active;
                break;
            case maple_status.ma_underflow:
                if (mas->index <= min)
                    return true;

                mas->status = maple_status.ma_active;
                break;
            case maple_status.ma_root:
                break;
            case maple_status.ma_error:
                return true;
        }

        if (mas_is_start(mas))
        {
            if (mas->index < min)
                return true;

            *entry = mas_walk(mas);
            if (*entry != null)
                return true;
        }

        if (mas_is_ptr(mas))
            goto none;

        if (mas_is_none(mas))
        {
            // Nothing at or below: the previous location is 0 (no root entries in the model).
            mas->last = mas->index = 0;
            mas->status = maple_status.ma_root;
            *entry = null;
            return true;
        }

    active:
        if (mas->index < min)
            return true;

        return false;

    none:
        mas->status = maple_status.ma_none;
        return true;
    }

    [Upstream("lib/maple_tree.c", "mas_find_rev", "f5d4391b11f07c00")]
    internal void* mas_find_rev(ma_state* mas, ulong min)
    {
        void* entry = null;

        if (mas_find_rev_setup(mas, min, &entry))
            return entry;

        return mas_prev_slot(mas, min, false);
    }

    [Upstream("lib/maple_tree.c", "mas_find_range_rev", "c93b73516d0181da")]
    internal void* mas_find_range_rev(ma_state* mas, ulong min)
    {
        void* entry = null;

        if (mas_find_rev_setup(mas, min, &entry))
            return entry;

        return mas_prev_slot(mas, min, true);
    }

    /// <summary>Model of mas_erase: walk to mas->index, and if an entry is there, store NULL over its whole range.</summary>
    internal void* mas_erase(ma_state* mas)
    {
        void* entry;

        if (!mas_is_active(mas) || !mas_is_start(mas))
            mas->status = maple_status.ma_start;

        entry = mas_state_walk(mas);
        if (entry == null)
            return null;

        mas_reset(mas);
        mas_wr_store_entry(mas, null);
        mas_destroy(mas);
        return entry;
    }

    /// <summary>Model of mas_nomem: the model never runs out of nodes.</summary>
    internal static bool mas_nomem(ma_state* mas, gfp_t gfp) => false;

    /// <summary>Model of mtree_load: the entry at <paramref name="index"/>, XA_ZERO_ENTRY read as NULL.</summary>
    internal void* mtree_load(maple_tree* mt, ulong index)
    {
        void* entry;

        rcu_read_lock();
        entry = (void*)mt_model(mt).Lookup(index, out _, out _);
        rcu_read_unlock();
        if (xa_is_zero(entry))
            return null;

        return entry;
    }

    [Upstream("lib/maple_tree.c", "mtree_store_range", "380a4e6cf3cea9bb")]
    internal int mtree_store_range(maple_tree* mt, ulong index, ulong last, void* entry, gfp_t gfp)
    {
        ma_state mas = MA_STATE(mt, index, last);
        int ret = 0;

        if (WARN_ON_ONCE(xa_is_advanced(entry)))
            return -EINVAL;

        if (index > last)
            return -EINVAL;

        mtree_lock(mt);
        ret = mas_store_gfp(&mas, entry, gfp);
        mtree_unlock(mt);

        return ret;
    }

    [Upstream("lib/maple_tree.c", "mtree_store", "8ca1737aa47ab9c7")]
    internal int mtree_store(maple_tree* mt, ulong index, void* entry, gfp_t gfp)
    {
        return mtree_store_range(mt, index, index, entry, gfp);
    }

    [Upstream("lib/maple_tree.c", "mtree_erase", "29cf94c00a9ce745")]
    internal void* mtree_erase(maple_tree* mt, ulong index)
    {
        void* entry = null;

        ma_state mas = MA_STATE(mt, index, index);

        mtree_lock(mt);
        entry = mas_erase(&mas);
        mtree_unlock(mt);

        return entry;
    }

    /// <summary>Model of __mt_dup: the new tree must be empty with the same attributes; it gets the same ranges and entries.</summary>
    internal int __mt_dup(maple_tree* mt, maple_tree* @new, gfp_t gfp)
    {
        if (mt_attr(mt) != mt_attr(@new) || !mtree_empty(@new))
            return -EINVAL;

        var copy = mt_model(mt).Clone();
        maple_trees[(nint)@new] = copy;
        @new->ma_flags = mt->ma_flags;
        mt_model_sync_root(@new, copy);
        return 0;
    }

    /// <summary>Model of mtree_dup: __mt_dup under both trees' locks.</summary>
    internal int mtree_dup(maple_tree* mt, maple_tree* @new, gfp_t gfp)
    {
        mtree_lock(@new);
        mtree_lock(mt);
        int ret = __mt_dup(mt, @new, gfp);
        mtree_unlock(mt);
        mtree_unlock(@new);
        return ret;
    }

    /// <summary>Model of __mt_destroy: the tree is empty again and its managed store released.</summary>
    internal void __mt_destroy(maple_tree* mt)
    {
        mt->ma_root = null;
        maple_trees.Remove((nint)mt);
        mt->ma_flags = mt_attr(mt);
    }

    [Upstream("lib/maple_tree.c", "mtree_destroy", "45424e1c06a4a71e")]
    internal void mtree_destroy(maple_tree* mt)
    {
        mtree_lock(mt);
        __mt_destroy(mt);
        mtree_unlock(mt);
    }

    [Upstream("lib/maple_tree.c", "mas_next_entry", "3fd10e54e6225eeb")]
    private void* mas_next_entry(ma_state* mas, ulong limit)
    {
        if (mas->last >= limit)
        {
            mas->status = maple_status.ma_overflow;
            return null;
        }

        return mas_next_slot(mas, limit, false);
    }

    [Upstream("lib/maple_tree.c", "mt_find", "de350de1b58cde76")]
    internal void* mt_find(maple_tree* mt, ulong* index, ulong max)
    {
        ma_state mas = MA_STATE(mt, *index, *index);
        void* entry;

        if ((*index) > max)
            return null;

        rcu_read_lock();
    retry:
        entry = mas_state_walk(&mas);
        if (mas_is_start(&mas))
            goto retry;

        if (xa_is_zero(entry))
            entry = null;

        if (entry != null)
            goto unlock;

        while (mas_is_active(&mas) && (mas.last < max))
        {
            entry = mas_next_entry(&mas, max);
            if (entry != null && !xa_is_zero(entry))
                break;
        }

        if (xa_is_zero(entry))
            entry = null;
        unlock:
        rcu_read_unlock();
        if (entry != null)
        {
            *index = mas.last + 1;
        }

        return entry;
    }

    [Upstream("lib/maple_tree.c", "mt_find_after", "90c1bdc52da97e3e")]
    internal void* mt_find_after(maple_tree* mt, ulong* index, ulong max)
    {
        if ((*index) == 0)
            return null;

        return mt_find(mt, index, max);
    }
}
