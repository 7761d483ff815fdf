// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 mm/ksm.c, last part (upstream order): the
// /sys/kernel/mm/ksm attributes (CONFIG_SYSFS) and ksm_init.
// Idioms: a _show returns the text sysfs_emit would write; a _store gets the written bytes
// NUL-terminated and returns count or a negative errno, as the kobj_attribute callbacks do.
// The attribute table (ksm_attrs) is KsmSysfsAttributes, read by Emu.Sysfs.
using System;
using System.Collections.Generic;
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/ksm.c", "sleep_millisecs_show", "51d7cc8c948b85c6")]
    internal string sleep_millisecs_show() => $"{ksm_thread_sleep_millisecs}\n";

    [Upstream("mm/ksm.c", "sleep_millisecs_store", "a39994bdb5300bf1")]
    internal long sleep_millisecs_store(byte* buf, long count)
    {
        uint msecs;
        int err;

        err = kstrtouint(buf, 10, &msecs);
        if (err != 0)
            return -EINVAL;

        ksm_thread_sleep_millisecs = msecs;
        wake_up_interruptible(ref ksm_iter_wait);

        return count;
    }

    [Upstream("mm/ksm.c", "pages_to_scan_show", "6cf1f779fcb6ef4c")]
    internal string pages_to_scan_show() => $"{ksm_thread_pages_to_scan}\n";

    [Upstream("mm/ksm.c", "pages_to_scan_store", "3a521611c2fe606b")]
    internal long pages_to_scan_store(byte* buf, long count)
    {
        uint nr_pages;
        int err;

        if (ksm_advisor != ksm_advisor_type.KSM_ADVISOR_NONE)
            return -EINVAL;

        err = kstrtouint(buf, 10, &nr_pages);
        if (err != 0)
            return -EINVAL;

        ksm_thread_pages_to_scan = nr_pages;

        return count;
    }

    [Upstream("mm/ksm.c", "run_show", "eb7a8b394a533f10")]
    internal string run_show() => $"{ksm_run}\n";

    [Upstream("mm/ksm.c", "run_store", "dd51752946e4124b")]
    internal long run_store(byte* buf, long count)
    {
        uint flags;
        int err;

        err = kstrtouint(buf, 10, &flags);
        if (err != 0)
            return -EINVAL;
        if (flags > KSM_RUN_UNMERGE)
            return -EINVAL;

        // KSM_RUN_MERGE sets ksmd running; KSM_RUN_UNMERGE stops it and unmerges every page.
        mutex_lock(ksm_thread_mutex);
        wait_while_offlining();
        if (ksm_run != flags)
        {
            ksm_run = flags;
            if ((flags & KSM_RUN_UNMERGE) != 0)
            {
                set_current_oom_origin();
                err = unmerge_and_remove_all_rmap_items();
                clear_current_oom_origin();
                if (err != 0)
                {
                    ksm_run = KSM_RUN_STOP;
                    count = err;
                }
            }
        }
        mutex_unlock(ksm_thread_mutex);

        if ((flags & KSM_RUN_MERGE) != 0)
            wake_up_interruptible(ref ksm_thread_wait);

        return count;
    }

    [Upstream("mm/ksm.c", "merge_across_nodes_show", "1ed3667e0159c4d6")]
    internal string merge_across_nodes_show() => $"{ksm_merge_across_nodes}\n";

    [Upstream("mm/ksm.c", "merge_across_nodes_store", "ded411320c1aea99")]
    internal long merge_across_nodes_store(byte* buf, long count)
    {
        int err;
        ulong knob;

        err = kstrtoul(buf, 10, &knob);
        if (err != 0)
            return err;
        if (knob > 1)
            return -EINVAL;

        mutex_lock(ksm_thread_mutex);
        wait_while_offlining();
        if (ksm_merge_across_nodes != knob)
        {
            if (ksm_pages_shared != 0 || remove_all_stable_nodes() != 0)
                err = -EBUSY;
            else if (root_stable_tree == one_stable_tree)
            {
                rb_root* buf2;
                // First switch to per-node trees: allocate them; never freed, as upstream.
                buf2 = (rb_root*)kcalloc((nuint)(nr_node_ids + nr_node_ids), (nuint)sizeof(rb_root), GFP_KERNEL);
                if (buf2 == null)
                    err = -ENOMEM;
                else
                {
                    root_stable_tree = buf2;
                    root_unstable_tree = buf2 + nr_node_ids;
                    // The unstable tree in use moves along with the switch.
                    root_unstable_tree[0] = one_unstable_tree[0];
                }
            }
            if (err == 0)
            {
                ksm_merge_across_nodes = (uint)knob;
                ksm_nr_node_ids = knob != 0 ? 1 : nr_node_ids;
            }
        }
        mutex_unlock(ksm_thread_mutex);

        return err != 0 ? err : count;
    }

    [Upstream("mm/ksm.c", "use_zero_pages_show", "21de564daea3d378")]
    internal string use_zero_pages_show() => $"{(ksm_use_zero_pages ? 1 : 0)}\n";

    [Upstream("mm/ksm.c", "use_zero_pages_store", "eaf6f9075cca6f77")]
    internal long use_zero_pages_store(byte* buf, long count)
    {
        int err;
        bool value;

        err = kstrtobool(buf, &value);
        if (err != 0)
            return -EINVAL;

        ksm_use_zero_pages = value;

        return count;
    }

    [Upstream("mm/ksm.c", "max_page_sharing_show", "152dec6cda6972e8")]
    internal string max_page_sharing_show() => $"{ksm_max_page_sharing}\n";

    [Upstream("mm/ksm.c", "max_page_sharing_store", "8821e330e0fe66d9")]
    internal long max_page_sharing_store(byte* buf, long count)
    {
        int err;
        int knob;

        err = kstrtoint(buf, 10, &knob);
        if (err != 0)
            return err;
        // Sharing needs at least two mappers per KSM page.
        if (knob < 2)
            return -EINVAL;

        if (READ_ONCE(ref ksm_max_page_sharing) == knob)
            return count;

        mutex_lock(ksm_thread_mutex);
        wait_while_offlining();
        if (ksm_max_page_sharing != knob)
        {
            if (ksm_pages_shared != 0 || remove_all_stable_nodes() != 0)
                err = -EBUSY;
            else
                ksm_max_page_sharing = knob;
        }
        mutex_unlock(ksm_thread_mutex);

        return err != 0 ? err : count;
    }

    [Upstream("mm/ksm.c", "pages_scanned_show", "ae8e9a2f8b9ab39a")]
    internal string pages_scanned_show() => $"{ksm_pages_scanned}\n";

    [Upstream("mm/ksm.c", "pages_shared_show", "1700fbdb1bc1f5db")]
    internal string pages_shared_show() => $"{ksm_pages_shared}\n";

    [Upstream("mm/ksm.c", "pages_sharing_show", "1f4052a92f07e66a")]
    internal string pages_sharing_show() => $"{ksm_pages_sharing}\n";

    [Upstream("mm/ksm.c", "pages_unshared_show", "4e327e11dcc45338")]
    internal string pages_unshared_show() => $"{ksm_pages_unshared}\n";

    [Upstream("mm/ksm.c", "pages_volatile_show", "7a9961d3180527cc")]
    internal string pages_volatile_show()
    {
        long ksm_pages_volatile;

        ksm_pages_volatile = (long)(ksm_rmap_items - ksm_pages_shared - ksm_pages_sharing - ksm_pages_unshared);
        // The counters are read without the lock: a racing update can make this negative.
        if (ksm_pages_volatile < 0)
            ksm_pages_volatile = 0;
        return $"{ksm_pages_volatile}\n";
    }

    [Upstream("mm/ksm.c", "pages_skipped_show", "7d4811986ff52987")]
    internal string pages_skipped_show() => $"{ksm_pages_skipped}\n";

    [Upstream("mm/ksm.c", "ksm_zero_pages_show", "9b71c0d7428943ae")]
    internal string ksm_zero_pages_show()
    {
        fixed (atomic64_t* v = &ksm_zero_pages)
            return $"{atomic_long_read(v)}\n";
    }

    [Upstream("mm/ksm.c", "general_profit_show", "68bfc4a71c925e35")]
    internal string general_profit_show()
    {
        long general_profit;

        fixed (atomic64_t* v = &ksm_zero_pages)
            general_profit = (long)((ksm_pages_sharing + (ulong)atomic_long_read(v)) * PAGE_SIZE -
                ksm_rmap_items * (ulong)sizeof(ksm_rmap_item));

        return $"{general_profit}\n";
    }

    [Upstream("mm/ksm.c", "stable_node_dups_show", "8e198fc8df95374a")]
    internal string stable_node_dups_show() => $"{ksm_stable_node_dups}\n";

    [Upstream("mm/ksm.c", "stable_node_chains_show", "58150ac3dcf2d7cc")]
    internal string stable_node_chains_show() => $"{ksm_stable_node_chains}\n";

    [Upstream("mm/ksm.c", "stable_node_chains_prune_millisecs_show", "259fcbd772469729")]
    internal string stable_node_chains_prune_millisecs_show() => $"{ksm_stable_node_chains_prune_millisecs}\n";

    [Upstream("mm/ksm.c", "stable_node_chains_prune_millisecs_store", "d85c694d8e2d6fd9")]
    internal long stable_node_chains_prune_millisecs_store(byte* buf, long count)
    {
        uint msecs;
        int err;

        err = kstrtouint(buf, 10, &msecs);
        if (err != 0)
            return -EINVAL;

        ksm_stable_node_chains_prune_millisecs = msecs;

        return count;
    }

    [Upstream("mm/ksm.c", "full_scans_show", "e982af874c3e1808")]
    internal string full_scans_show() => $"{ksm_scan->seqnr}\n";

    [Upstream("mm/ksm.c", "smart_scan_show", "c1722f4086b26db8")]
    internal string smart_scan_show() => $"{(ksm_smart_scan ? 1 : 0)}\n";

    [Upstream("mm/ksm.c", "smart_scan_store", "618d4418ea5e15e0")]
    internal long smart_scan_store(byte* buf, long count)
    {
        int err;
        bool value;

        err = kstrtobool(buf, &value);
        if (err != 0)
            return -EINVAL;

        ksm_smart_scan = value;
        return count;
    }

    [Upstream("mm/ksm.c", "advisor_mode_show", "ff15aef43a2edea8")]
    internal string advisor_mode_show()
    {
        string output;

        if (ksm_advisor == ksm_advisor_type.KSM_ADVISOR_SCAN_TIME)
            output = "none [scan-time]";
        else
            output = "[none] scan-time";

        return $"{output}\n";
    }

    [Upstream("mm/ksm.c", "advisor_mode_store", "39efebd26c2c3b64")]
    internal long advisor_mode_store(byte* buf, long count)
    {
        ksm_advisor_type curr_advisor = ksm_advisor;

        fixed (byte* scan_time = "scan-time\0"u8, none = "none\0"u8)
        {
            if (sysfs_streq(scan_time, buf))
                ksm_advisor = ksm_advisor_type.KSM_ADVISOR_SCAN_TIME;
            else if (sysfs_streq(none, buf))
                ksm_advisor = ksm_advisor_type.KSM_ADVISOR_NONE;
            else
                return -EINVAL;
        }

        // A mode change resets pages_to_scan to the mode's starting point.
        if (curr_advisor != ksm_advisor)
            set_advisor_defaults();

        return count;
    }

    [Upstream("mm/ksm.c", "advisor_max_cpu_show", "ba8128a219c94fe2")]
    internal string advisor_max_cpu_show() => $"{ksm_advisor_max_cpu}\n";

    [Upstream("mm/ksm.c", "advisor_max_cpu_store", "e6f9bf869d8f51c5")]
    internal long advisor_max_cpu_store(byte* buf, long count)
    {
        int err;
        ulong value;

        err = kstrtoul(buf, 10, &value);
        if (err != 0)
            return -EINVAL;

        ksm_advisor_max_cpu = (uint)value;
        return count;
    }

    [Upstream("mm/ksm.c", "advisor_min_pages_to_scan_show", "11c2eb867b5c2b32")]
    internal string advisor_min_pages_to_scan_show() => $"{ksm_advisor_min_pages_to_scan}\n";

    [Upstream("mm/ksm.c", "advisor_min_pages_to_scan_store", "8c95176490ca50b5")]
    internal long advisor_min_pages_to_scan_store(byte* buf, long count)
    {
        int err;
        ulong value;

        err = kstrtoul(buf, 10, &value);
        if (err != 0)
            return -EINVAL;

        ksm_advisor_min_pages_to_scan = value;
        return count;
    }

    [Upstream("mm/ksm.c", "advisor_max_pages_to_scan_show", "5f1d7b9b3ec02c25")]
    internal string advisor_max_pages_to_scan_show() => $"{ksm_advisor_max_pages_to_scan}\n";

    [Upstream("mm/ksm.c", "advisor_max_pages_to_scan_store", "14d2f64695c37972")]
    internal long advisor_max_pages_to_scan_store(byte* buf, long count)
    {
        int err;
        ulong value;

        err = kstrtoul(buf, 10, &value);
        if (err != 0)
            return -EINVAL;

        ksm_advisor_max_pages_to_scan = value;
        return count;
    }

    [Upstream("mm/ksm.c", "advisor_target_scan_time_show", "411c9846d1e33ce9")]
    internal string advisor_target_scan_time_show() => $"{ksm_advisor_target_scan_time}\n";

    [Upstream("mm/ksm.c", "advisor_target_scan_time_store", "a5b8f4046eb1b115")]
    internal long advisor_target_scan_time_store(byte* buf, long count)
    {
        int err;
        ulong value;

        err = kstrtoul(buf, 10, &value);
        if (err != 0)
            return -EINVAL;
        if (value < 1)
            return -EINVAL;

        ksm_advisor_target_scan_time = value;
        return count;
    }

    /// <summary>One entry of ksm_attrs: show, and store for the writable (KSM_ATTR) ones.</summary>
    internal sealed record KsmAttribute(string Name, Func<string> Show, StoreFn? Store);

    internal delegate long StoreFn(byte* buf, long count);

    /// <summary>ksm_attrs[], in upstream order (CONFIG_NUMA: merge_across_nodes is there).</summary>
    internal IReadOnlyList<KsmAttribute> KsmSysfsAttributes => _ksm_attrs ??=
    [
        new("sleep_millisecs", sleep_millisecs_show, sleep_millisecs_store),
        new("pages_to_scan", pages_to_scan_show, pages_to_scan_store),
        new("run", run_show, run_store),
        new("pages_scanned", pages_scanned_show, null),
        new("pages_shared", pages_shared_show, null),
        new("pages_sharing", pages_sharing_show, null),
        new("pages_unshared", pages_unshared_show, null),
        new("pages_volatile", pages_volatile_show, null),
        new("pages_skipped", pages_skipped_show, null),
        new("ksm_zero_pages", ksm_zero_pages_show, null),
        new("full_scans", full_scans_show, null),
        new("merge_across_nodes", merge_across_nodes_show, merge_across_nodes_store),
        new("max_page_sharing", max_page_sharing_show, max_page_sharing_store),
        new("stable_node_chains", stable_node_chains_show, null),
        new("stable_node_dups", stable_node_dups_show, null),
        new("stable_node_chains_prune_millisecs", stable_node_chains_prune_millisecs_show, stable_node_chains_prune_millisecs_store),
        new("use_zero_pages", use_zero_pages_show, use_zero_pages_store),
        new("general_profit", general_profit_show, null),
        new("smart_scan", smart_scan_show, smart_scan_store),
        new("advisor_mode", advisor_mode_show, advisor_mode_store),
        new("advisor_max_cpu", advisor_max_cpu_show, advisor_max_cpu_store),
        new("advisor_min_pages_to_scan", advisor_min_pages_to_scan_show, advisor_min_pages_to_scan_store),
        new("advisor_max_pages_to_scan", advisor_max_pages_to_scan_show, advisor_max_pages_to_scan_store),
        new("advisor_target_scan_time", advisor_target_scan_time_show, advisor_target_scan_time_store),
    ];

    private KsmAttribute[]? _ksm_attrs;

    internal bool ksm_initialized;

    /// <summary>
    /// subsys_initcall(ksm_init). Emu's additions: the globals whose address matters are
    /// allocated here, and ksmd is not a thread but the machine's stepper (Emu.Ksm), so
    /// "creating the kthread" cannot fail. Runs once; later calls return 0.
    /// </summary>
    [Upstream("mm/ksm.c", "ksm_init", "639fd70a6ca80d99")]
    internal int ksm_init()
    {
        int err;

        if (ksm_initialized)
            return 0;
        ksm_globals_init();

        zero_checksum = calc_checksum(ZERO_PAGE(0));
        // Zero-page merging is opt-in (it costs a checksum compare on every page).
        ksm_use_zero_pages = false;

        err = ksm_slab_init();
        if (err != 0)
            goto @out;

        // kthread_run(ksm_scan_thread, NULL, "ksmd"): see Emu.Ksm.KsmDaemon.
        // sysfs_create_group(mm_kobj, &ksm_attr_group): see KsmSysfsAttributes.
        // CONFIG_MEMORY_HOTREMOVE's notifier: never called in Emu (ksm.stubs.cs).
        ksm_initialized = true;
        return 0;

    @out:
        return err;
    }

    // The static initializers of ksm.c's globals that live at fixed addresses.
    private void ksm_globals_init()
    {
        one_stable_tree = AllocateGlobal<rb_root>("one_stable_tree");
        one_unstable_tree = AllocateGlobal<rb_root>("one_unstable_tree");
        root_stable_tree = one_stable_tree;
        root_unstable_tree = one_unstable_tree;
        migrate_nodes = AllocateGlobal<list_head>("migrate_nodes");
        INIT_LIST_HEAD(migrate_nodes);
        ksm_mm_head = AllocateGlobal<ksm_mm_slot>("ksm_mm_head");
        INIT_LIST_HEAD(&ksm_mm_head->slot.mm_node);
        ksm_scan = AllocateGlobal<ksm_scan>("ksm_scan");
        ksm_scan->mm_slot = ksm_mm_head;
        ksm_thread_mutex = AllocateGlobal<mutex>("ksm_thread_mutex");
        mutex_init(ksm_thread_mutex);
        ksm_mmlist_lock = AllocateGlobal<spinlock>("ksm_mmlist_lock");
        spin_lock_init(ksm_mmlist_lock);
        ksm_next_page_ops = AllocateGlobal<mm_walk_ops>("ksm_next_page_ops");
        ksm_next_page_ops->pmd_entry = (delegate*<Kernel, pmd_t*, ulong, ulong, mm_walk*, int>)&ksm_next_page_pmd_entry_thunk;
        ksm_next_page_ops->walk_lock = page_walk_lock.PGWALK_RDLOCK;
    }
}
