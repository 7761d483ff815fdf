// SPDX-License-Identifier: GPL-2.0-only
// Emu's lockdep, after kernel/locking/lockdep.c. That file is outside Emu's pinned subset of the
// tree, so nothing here carries a marker; the functions keep lockdep's names and roles.
//
// Debian builds without lockdep and without the lock debugging options; Emu keeps them on, as it
// keeps DEBUG_VM on, but without changing the Debian struct layouts. What those options would
// keep in the lock (dep_map, the spinlock's magic and owner, the rwsem's and mutex's magic) lives
// here, in a side table keyed by the lock's address:
//  - a lock is "initialized" once its init function registered it (the magic);
//  - its class is the init call site, as the static lock_class_key of the init macros is, named
//    by the init argument's text (#lock), so spin_lock_init(&mm->page_table_lock) names
//    "&mm->page_table_lock";
//  - each (thread, Kernel) has its stack of held locks; each Kernel its dependency graph of
//    (class, subclass) pairs, checked for cycles when an edge is added, as check_noncircular does.
// Reports: a circular dependency or a same-class nesting without a subclass is lockdep's splat,
// so a WARN (each distinct one once; lockdep turns itself off after the first instead). Misuse
// that would corrupt or deadlock (recursion on one lock, releasing a lock not held, a held lock
// freed) prints the debug text of the lock type and BUG()s.
// _RET_IP_ arguments are dropped; a splat carries a managed stack trace instead.
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>Which lock type a registered address is, for its debug checks.</summary>
    internal enum LockKind { Spin, Mutex, Rwsem }

    /// <summary>Stands in for the <c>static struct lock_class_key __key</c> of an init macro: its call site.</summary>
    internal readonly record struct LockClassKey(string File, int Line);

    /// <summary>lockdep's lock_class: one per init site, with a graph vertex per subclass.</summary>
    internal sealed class LockClass(string name)
    {
        public string Name { get; } = name;
        public readonly LockNode?[] Subclasses = new LockNode?[MAX_LOCKDEP_SUBCLASSES];
    }

    /// <summary>A (class, subclass) pair: a vertex of the dependency graph; After holds its edges with where each was first seen.</summary>
    internal sealed class LockNode(LockClass @class, int subclass)
    {
        public LockClass Class { get; } = @class;
        public string Name { get; } = subclass == 0 ? @class.Name : $"{@class.Name}/{subclass}";
        public readonly Dictionary<LockNode, string> After = new();
    }

    /// <summary>The lock's dep_map plus the debug fields the Debian layout lacks (magic, spinlock owner).</summary>
    internal sealed class LockdepMap(nint lockAddress, LockKind kind, LockClass @class)
    {
        public nint Lock { get; } = lockAddress;
        public LockKind Kind { get; } = kind;
        public LockClass Class { get; } = @class;
        /// <summary>raw_spinlock.owner of CONFIG_DEBUG_SPINLOCK.</summary>
        public volatile LockdepTask? Owner;
        /// <summary>Writers spinning in Emu's rwsem slowpath (they keep RWSEM_FLAG_WAITERS set).</summary>
        public int WritersWaiting;
    }

    /// <summary>lockdep's held_lock.</summary>
    internal readonly record struct HeldLock(LockdepMap Map, LockNode Node, int Read, bool Trylock);

    /// <summary>What lockdep keeps in task_struct, for one thread on one Kernel.</summary>
    internal sealed class LockdepTask
    {
        public readonly List<HeldLock> Held = new();
        public readonly int Pid = Environment.CurrentManagedThreadId;
        public readonly string Comm = Thread.CurrentThread.Name ?? "emu";
        public override string ToString() => $"{Comm}/{Pid}";
    }

    internal const int MAX_LOCKDEP_SUBCLASSES = 8; // include/linux/lockdep_types.h

    private readonly ConcurrentDictionary<nint, LockdepMap> _lockMaps = new();
    private readonly SortedSet<nint> _lockAddresses = new(); // under _lockRegistry, for debug_check_no_locks_freed
    private readonly object _lockRegistry = new();
    private readonly Dictionary<LockClassKey, LockClass> _lockClasses = new(); // under _lockRegistry
    private readonly object _lockGraph = new();
    private readonly HashSet<(LockNode, LockNode)> _reportedCycles = new(); // under _lockGraph
    private readonly HashSet<LockNode> _reportedRecursion = new(); // under _lockGraph
    private readonly ThreadLocal<LockdepTask> _lockdepTask = new(() => new LockdepTask());

    [ThreadStatic] private static nint t_currentTask;
    private static long s_lastTask;

    /// <summary>
    /// Stands in for <c>(unsigned long)current</c> where a lock word stores its owner (mutex and
    /// rwsem owner fields): a per-thread value shaped like a task_struct pointer, the low bits
    /// free for MUTEX_FLAGS and the rwsem owner flags.
    /// </summary>
    internal static nint current_task
    {
        get
        {
            if (t_currentTask == 0)
                t_currentTask = unchecked((nint)0xffff888100000000UL) + (nint)(Interlocked.Increment(ref s_lastTask) * 0x40);
            return t_currentTask;
        }
    }

    /// <summary>This thread's lockdep state on this machine.</summary>
    internal LockdepTask lockdep_current => _lockdepTask.Value!;

    /// <summary>The registered lock at <paramref name="lock"/>, or null: the magic of the debug options.</summary>
    internal LockdepMap? lockdep_map_of(void* @lock) => _lockMaps.TryGetValue((nint)@lock, out var map) ? map : null;

    /// <summary>Registers a lock (lockdep_init_map plus the magic of the debug options); init functions call it.</summary>
    internal void lockdep_init_map(void* @lock, string name, LockClassKey key, LockKind kind)
    {
        lock (_lockRegistry)
        {
            if (!_lockClasses.TryGetValue(key, out var @class))
                _lockClasses.Add(key, @class = new LockClass(name));
            _lockMaps[(nint)@lock] = new LockdepMap((nint)@lock, kind, @class);
            _lockAddresses.Add((nint)@lock);
        }
    }

    /// <summary>Forgets a lock (mutex_destroy's magic = NULL), so its next use must init it again.</summary>
    internal void lockdep_forget(void* @lock)
    {
        lock (_lockRegistry)
        {
            _lockMaps.TryRemove((nint)@lock, out _);
            _lockAddresses.Remove((nint)@lock);
        }
    }

    /// <summary>
    /// Memory [mem, mem+bytes) is freed or re-initialized: a lock still held there is a bug; the
    /// others are forgotten, so the memory's next user must init its locks. Slab frees call it,
    /// as slab_free_hook does.
    /// </summary>
    internal void debug_check_no_locks_freed(void* mem, ulong bytes)
    {
        if (bytes == 0)
            return;
        nint lo = (nint)mem, hi = lo + (nint)bytes - 1;
        List<LockdepMap> freed = new();
        lock (_lockRegistry)
        {
            if (_lockAddresses.Count == 0)
                return;
            foreach (var address in _lockAddresses.GetViewBetween(lo, hi))
                freed.Add(_lockMaps[address]);
        }
        // As upstream, only the current task's held locks count: a freed object's lock word may hold poison.
        var held = lockdep_current.Held;
        foreach (var map in freed)
        {
            if (held.Exists(h => h.Map == map))
                lockdep_bug("WARNING: held lock freed!\n" +
                    $"{lockdep_current} is freeing memory {lockdep_px((void*)lo)}-{lockdep_px((void*)hi)}, with a lock still held there!\n" +
                    $" {lockdep_describe(map)}");
        }
        foreach (var map in freed)
            lockdep_forget((void*)map.Lock);
    }

    /// <summary>lock_acquire: records the acquisition and checks it against the held locks and the graph.</summary>
    /// <param name="read">0 exclusive, 1 shared (rwsem readers are not recursive).</param>
    internal void lock_acquire(void* @lock, uint subclass, bool trylock, int read)
    {
        var map = lockdep_map_of(@lock);
        if (map is null)
            return; // uninitialized: the lock type's own magic check reports it
        if (subclass >= MAX_LOCKDEP_SUBCLASSES)
            lockdep_bug($"BUG: looking up invalid subclass: {subclass}\n {lockdep_describe(map)}");
        var curr = lockdep_current;
        var node = lockdep_node(map.Class, (int)subclass);
        if (!trylock)
        {
            check_deadlock(curr, map, node);
            check_prevs_add(curr, node);
        }
        curr.Held.Add(new HeldLock(map, node, read, trylock));
    }

    /// <summary>lock_release: the lock must be one this thread holds.</summary>
    internal void lock_release(void* @lock)
    {
        if (find_held_lock(@lock, out var curr) is int i and >= 0)
            curr.Held.RemoveAt(i);
    }

    /// <summary>lock_downgrade: a held write lock becomes a read lock.</summary>
    internal void lock_downgrade(void* @lock)
    {
        if (find_held_lock(@lock, out var curr) is int i and >= 0)
            curr.Held[i] = curr.Held[i] with { Read = 1 };
    }

    /// <summary>lock_is_held_type: LOCK_STATE_HELD when this thread holds the lock (in mode <paramref name="read"/>, or any for -1).</summary>
    internal int lock_is_held_type(void* @lock, int read)
    {
        foreach (var held in lockdep_current.Held)
        {
            if (held.Map.Lock != (nint)@lock)
                continue;
            if (read == -1 || (held.Read != 0 ? 1 : 0) == read)
                return LOCK_STATE_HELD;
        }
        return LOCK_STATE_NOT_HELD;
    }

    internal int lock_is_held(void* @lock) => lock_is_held_type(@lock, -1);

    /// <summary>The innermost spinlock this thread holds, if any: what makes its context atomic in Emu.</summary>
    internal LockNode? lockdep_innermost_spinlock(LockdepTask curr)
    {
        for (int i = curr.Held.Count - 1; i >= 0; i--)
            if (curr.Held[i].Map.Kind == LockKind.Spin)
                return curr.Held[i].Node;
        return null;
    }

    /// <summary>lockdep_print_held_locks, as text.</summary>
    internal string lockdep_print_held_locks(LockdepTask curr)
    {
        if (curr.Held.Count == 0)
            return $"no locks held by {curr}.";
        var sb = new StringBuilder($"{curr.Held.Count} lock{(curr.Held.Count == 1 ? "" : "s")} held by {curr}:");
        for (int i = 0; i < curr.Held.Count; i++)
            sb.Append($"\n #{i}: {curr.Held[i].Node.Name} ({lockdep_px((void*)curr.Held[i].Map.Lock)}){(curr.Held[i].Read != 0 ? " (read)" : "")}");
        return sb.ToString();
    }

    private LockNode lockdep_node(LockClass @class, int subclass)
    {
        var node = Volatile.Read(ref @class.Subclasses[subclass]);
        if (node is not null)
            return node;
        Interlocked.CompareExchange(ref @class.Subclasses[subclass], new LockNode(@class, subclass), null);
        return @class.Subclasses[subclass]!;
    }

    // Where this thread holds the lock; -1 for an uninitialized lock (its own magic check
    // reports it). Not holding an initialized lock is the unlock imbalance.
    private int find_held_lock(void* @lock, out LockdepTask curr)
    {
        curr = lockdep_current;
        var map = lockdep_map_of(@lock);
        if (map is null)
            return -1;
        for (int i = curr.Held.Count - 1; i >= 0; i--)
            if (curr.Held[i].Map == map)
                return i;
        print_unlock_imbalance_bug(curr, map);
        return -1;
    }

    // Same instance again: a real deadlock (BUG). Same class and subclass on another instance:
    // lockdep's "possible recursive locking", which the _nested() variants exist to annotate.
    private void check_deadlock(LockdepTask curr, LockdepMap map, LockNode next)
    {
        foreach (var prev in curr.Held)
        {
            if (prev.Map == map)
                lock_debug_recursion(curr, map);
            if (prev.Node != next)
                continue;
            bool first;
            lock (_lockGraph)
                first = _reportedRecursion.Add(next);
            if (first)
                lockdep_warn("possible recursive locking detected",
                    $"{curr} is trying to acquire lock {next.Name} ({lockdep_px((void*)map.Lock)}) " +
                    $"but task is already holding lock {prev.Node.Name} ({lockdep_px((void*)prev.Map.Lock)}); " +
                    "nesting locks of one class needs a subclass (the _nested variants)",
                    lockdep_print_held_locks(curr));
        }
    }

    // Edges from the held locks to the new one, down to the first lock not taken by trylock: the
    // older ones reach it through that one (check_prevs_add).
    private void check_prevs_add(LockdepTask curr, LockNode next)
    {
        for (int depth = curr.Held.Count - 1; depth >= 0; depth--)
        {
            var prev = curr.Held[depth];
            if (prev.Node != next)
                check_prev_add(curr, prev, next);
            if (!prev.Trylock)
                break;
        }
    }

    private void check_prev_add(LockdepTask curr, HeldLock prev, LockNode next)
    {
        List<LockNode>? cycle;
        lock (_lockGraph)
        {
            if (prev.Node.After.ContainsKey(next))
                return;
            cycle = check_noncircular(next, prev.Node);
            if (cycle is null)
            {
                prev.Node.After.Add(next, lockdep_trace());
                return;
            }
            if (!_reportedCycles.Add((prev.Node, next)))
                return;
        }
        print_circular_bug(curr, prev, next, cycle);
    }

    /// <summary>A path <paramref name="from"/> → … → <paramref name="to"/> in the graph (breadth first), or null.</summary>
    private static List<LockNode>? check_noncircular(LockNode from, LockNode to)
    {
        var parent = new Dictionary<LockNode, LockNode?> { [from] = null };
        var queue = new Queue<LockNode>();
        queue.Enqueue(from);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (node == to)
            {
                var path = new List<LockNode>();
                for (LockNode? n = node; n is not null; n = parent[n])
                    path.Add(n);
                path.Reverse();
                return path;
            }
            foreach (var after in node.After.Keys)
            {
                if (parent.TryAdd(after, node))
                    queue.Enqueue(after);
            }
        }
        return null;
    }

    private void print_circular_bug(LockdepTask curr, HeldLock prev, LockNode next, List<LockNode> cycle)
    {
        var chain = new StringBuilder("the existing dependency chain is:");
        lock (_lockGraph)
        {
            for (int i = 0; i + 1 < cycle.Count; i++)
                chain.Append($"\n-> {cycle[i].Name} -> {cycle[i + 1].Name}, first seen at:\n{cycle[i].After[cycle[i + 1]]}");
        }
        lockdep_warn("possible circular locking dependency detected",
            $"{curr} is trying to acquire lock {next.Name} but task is already holding lock {prev.Node.Name}, " +
            "which lock already depends on the new lock",
            chain + "\n" + lockdep_print_held_locks(curr) + "\nnew dependency at:\n" + lockdep_trace());
    }

    private void print_unlock_imbalance_bug(LockdepTask curr, LockdepMap map) =>
        lock_debug_unheld_release(curr, map,
            "WARNING: bad unlock balance detected!\n" +
            $"{curr} is trying to release lock ({map.Class.Name}) but it does not hold it!\n" +
            lockdep_print_held_locks(curr));

    // The debug text of each lock type for the misuse lockdep saw first.
    private void lock_debug_recursion(LockdepTask curr, LockdepMap map)
    {
        var lockdepText = "WARNING: possible recursive locking detected\n" +
            $"{curr} is trying to acquire lock {map.Class.Name} ({lockdep_px((void*)map.Lock)}) it already holds\n" +
            lockdep_print_held_locks(curr);
        if (map.Kind == LockKind.Spin)
            spin_bug((raw_spinlock*)map.Lock, "recursion", lockdepText);
        lockdep_bug(lockdepText);
    }

    private void lock_debug_unheld_release(LockdepTask curr, LockdepMap map, string lockdepText)
    {
        switch (map.Kind)
        {
            case LockKind.Spin:
                var rlock = (raw_spinlock*)map.Lock;
                spin_bug(rlock, raw_spin_is_locked(rlock) ? "wrong owner" : "already unlocked", lockdepText);
                break;
            case LockKind.Mutex:
                mutex_debug_bug("__owner_task(owner) != current", (mutex*)map.Lock, lockdepText);
                break;
            default:
                var sem = (rw_semaphore*)map.Lock;
                long count = Volatile.Read(ref sem->count.counter);
                rwsem_debug_bug((count & RWSEM_WRITER_LOCKED) != 0 ? "rwsem_owner(sem) != current" :
                    (count & RWSEM_READER_MASK) != 0 ? "!lock_is_held(&sem->dep_map)" : "tmp < 0", sem, lockdepText);
                break;
        }
    }

    /// <summary>"name (address)" of a lock for a report, or just the address when it was never initialized.</summary>
    internal string lockdep_describe(void* @lock) =>
        lockdep_map_of(@lock) is { } map ? lockdep_describe(map) : $"lock: {lockdep_px(@lock)} (not initialized)";

    private static string lockdep_describe(LockdepMap map) => $"lock: {map.Class.Name} ({lockdep_px((void*)map.Lock)})";

    internal static string lockdep_px(void* p) => "0x" + ((ulong)p).ToString("x");

    /// <summary>Prints a lock misuse report and BUG()s with it.</summary>
    internal void lockdep_bug(string text, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        int mark = LogMark;
        foreach (var l in text.Split('\n'))
            pr_err(l);
        BUG(mark, file, line);
    }

    private void lockdep_warn(string headline, string message, string details)
    {
        pr_warn("======================================================");
        pr_warn("WARNING: " + headline);
        foreach (var l in details.Split('\n'))
            pr_warn(l);
        WARN(true, message, headline);
    }

    private static readonly string[] s_lockingFiles =
    {
        "lockdep.cs", "spinlock.cs", "spinlock_api_smp.cs", "spinlock_debug.cs", "qspinlock.cs",
        "rwsem.cs", "mutex.cs", "kernel.cs",
    };

    /// <summary>A short managed backtrace without the locking frames: save_trace's role.</summary>
    private static string lockdep_trace()
    {
        var sb = new StringBuilder();
        int kept = 0;
        foreach (var frame in new StackTrace(1, true).GetFrames())
        {
            var method = frame.GetMethod();
            var file = frame.GetFileName();
            if (method is null || (file is not null && Array.IndexOf(s_lockingFiles, Path.GetFileName(file)) >= 0))
                continue;
            sb.Append($"  {method.DeclaringType?.Name}.{method.Name}");
            if (file is not null)
                sb.Append($" at {Path.GetFileName(file)}:{frame.GetFileLineNumber()}");
            sb.Append('\n');
            if (++kept == 6)
                break;
        }
        return sb.ToString().TrimEnd('\n');
    }
}
