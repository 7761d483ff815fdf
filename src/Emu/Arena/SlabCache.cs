using System;
using System.Collections.Generic;
using System.Threading;
using Emu.Kernel;
using K = Emu.Kernel.Kernel;

namespace Emu.Arena;

/// <summary>
/// The object store behind one <c>kmem_cache</c>: slabs from the <see cref="SlabHeap"/>, a
/// partial list, and the debug checks SLUB does under <c>slab_debug=FP</c> (poison on free,
/// verify on allocation, padding, object-pointer and double-free checks). It reports what it
/// finds as a <see cref="SlabProblem"/>; the kernel side prints it and BUGs.
/// </summary>
/// <remarks>
/// A model, not SLUB: no per-cpu slabs, no NUMA nodes, no freelist pointer inside objects.
/// The most recently freed object is handed out next (a freed object's slab moves to the front
/// of the partial list), which is what makes a write after free show up on the next allocation.
/// </remarks>
internal sealed unsafe class SlabCache
{
    /// <summary>A slab holds at least this many objects (large objects get multi-chunk slabs).</summary>
    private const int MinObjectsPerSlab = 4;

    /// <summary>How many live objects a shutdown report lists before it summarizes.</summary>
    private const int ReportObjects = 64;

    private readonly SlabHeap _heap;
    private readonly kmem_cache_ctor? _ctor;
    private readonly LinkedList<Slab> _partial = new();
    private readonly HashSet<Slab> _slabs = new();
    private readonly Lock _lock = new();
    private int _emptySlabs;
    private long _objectsInUse;

    public SlabCache(SlabHeap heap, kmem_cache owner, uint objectSize, uint size, bool poison, int minPartial, kmem_cache_ctor? ctor)
    {
        if (objectSize == 0 || size < objectSize)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"object size {objectSize}");
        _heap = heap;
        _ctor = ctor;
        Owner = owner;
        ObjectSize = objectSize;
        Size = size;
        Poison = poison;
        MinPartial = minPartial;
        ulong want = (ulong)size * MinObjectsPerSlab;
        ChunksPerSlab = size <= SlabHeap.ChunkSize / MinObjectsPerSlab
            ? 1
            : checked((int)((want + SlabHeap.ChunkSize - 1) >> SlabHeap.ChunkShift));
        ObjectsPerSlab = (int)(((ulong)ChunksPerSlab << SlabHeap.ChunkShift) / size);
    }

    /// <summary>The kernel's cache this store belongs to.</summary>
    public kmem_cache Owner { get; }

    /// <summary>Bytes the user asked for (s->object_size).</summary>
    public uint ObjectSize { get; }

    /// <summary>Stride between objects, padding included (s->size).</summary>
    public uint Size { get; }

    /// <summary>Whether freed objects are poisoned (SLUB's __OBJECT_POISON).</summary>
    public bool Poison { get; }

    /// <summary>Empty slabs kept before one goes back to the heap (s->min_partial).</summary>
    public int MinPartial { get; }

    public int ChunksPerSlab { get; }

    public int ObjectsPerSlab { get; }

    public long ObjectsInUse { get { lock (_lock) return _objectsInUse; } }

    public int SlabCount { get { lock (_lock) return _slabs.Count; } }

    public ulong SlabBytes => (ulong)SlabCount * (ulong)ChunksPerSlab * SlabHeap.ChunkSize;

    /// <summary>
    /// An object, its poison verified; null when the heap is full. <paramref name="newSlab"/> tells
    /// that a slab was set up for it (upstream's new_slab()).
    /// </summary>
    public byte* Allocate(out bool newSlab, out SlabProblem? problem)
    {
        newSlab = false;
        problem = null;
        lock (_lock)
        {
            var node = _partial.First;
            if (node is null)
            {
                var fresh = NewSlab();
                if (fresh is null)
                    return null;
                newSlab = true;
                node = fresh.PartialNode!;
            }
            var slab = node.Value;
            if (slab.InUse == 0)
                _emptySlabs--;
            int index = slab.Pop();
            if (slab.InUse == slab.Objects)
            {
                _partial.Remove(node);
                slab.PartialNode = null;
            }
            _objectsInUse++;
            var obj = slab.ObjectAt(index);
            problem = CheckInactive(slab, obj);
            return obj;
        }
    }

    /// <summary>Frees <paramref name="obj"/>, which the heap says lies in <paramref name="slab"/> of this cache.</summary>
    public SlabProblem? Free(Slab slab, byte* obj)
    {
        lock (_lock)
        {
            ulong offset = (ulong)(obj - slab.Address);
            if (slab.Discarded || offset % Size != 0 || offset / Size >= (ulong)slab.Objects)
                return new SlabProblem($"Invalid object pointer 0x{(ulong)obj:x}",
                    $"Slab 0x{(ulong)slab.Address:x} objects={slab.Objects} used={slab.InUse} size={Size}");
            int index = (int)(offset / Size);
            if (!slab.IsAllocated(index))
                return new SlabProblem("Object already free", ObjectLine(slab, obj));
            var padding = CheckBytes(slab, obj, "Object padding", obj + ObjectSize, K.POISON_INUSE, Size - ObjectSize);
            if (padding is not null)
                return padding;
            if (Poison)
                PoisonObject(obj);
            bool wasFull = slab.InUse == slab.Objects;
            slab.Push(index);
            _objectsInUse--;
            if (!wasFull)
                _partial.Remove(slab.PartialNode!);
            slab.PartialNode = _partial.AddFirst(slab);
            if (slab.InUse == 0 && ++_emptySlabs > MinPartial)
                return Discard(slab);
            return null;
        }
    }

    /// <summary>
    /// Gives every empty slab back to the heap; lists the objects still in use (their slabs stay).
    /// Upstream's __kmem_cache_shutdown() with free_partial().
    /// </summary>
    public SlabProblem? Shutdown(List<nint> remaining)
    {
        lock (_lock)
        {
            SlabProblem? problem = null;
            var slabs = new List<Slab>(_slabs);
            slabs.Sort((a, b) => ((ulong)a.Address).CompareTo((ulong)b.Address));
            foreach (var slab in slabs)
            {
                if (slab.InUse == 0)
                {
                    problem ??= Discard(slab);
                    continue;
                }
                for (int i = 0; i < slab.Objects; i++)
                    if (slab.IsAllocated(i))
                        remaining.Add((nint)slab.ObjectAt(i));
            }
            return problem;
        }
    }

    /// <summary>The "Object 0x... @offset=N" line of a report; the offset is from the slab's start, as upstream prints it.</summary>
    public static string ObjectLine(Slab slab, byte* obj) =>
        $"Object 0x{(ulong)obj:x} @offset={(ulong)(obj - slab.Address)}";

    /// <summary>At most <see cref="ReportObjects"/> lines naming objects, then a count of the rest.</summary>
    public static List<string> ObjectLines(IReadOnlyList<nint> objects, SlabHeap heap)
    {
        var lines = new List<string>();
        for (int i = 0; i < objects.Count && i < ReportObjects; i++)
            lines.Add(ObjectLine((Slab)heap.OwnerOf((void*)objects[i])!, (byte*)objects[i]));
        if (objects.Count > ReportObjects)
            lines.Add($"... and {objects.Count - ReportObjects} more objects");
        return lines;
    }

    private Slab? NewSlab()
    {
        var slab = _heap.AllocateRun(ChunksPerSlab, address => new Slab(this, (byte*)address, ObjectsPerSlab));
        if (slab is null)
            return null;
        var address = slab.Address;
        // setup_slab_debug: the whole slab starts as POISON_INUSE; then each object is set up.
        new Span<byte>(address, checked((int)((ulong)ChunksPerSlab << SlabHeap.ChunkShift))).Fill(K.POISON_INUSE);
        for (int i = 0; i < slab.Objects; i++)
        {
            var obj = slab.ObjectAt(i);
            if (Poison)
                PoisonObject(obj);
            _ctor?.Invoke(obj);
        }
        _slabs.Add(slab);
        slab.PartialNode = _partial.AddFirst(slab);
        _emptySlabs++;
        return slab;
    }

    /// <summary>
    /// Returns an empty slab to the heap, checking every object and the slab's tail first as
    /// upstream's __free_slab() does under SLAB_CONSISTENCY_CHECKS.
    /// </summary>
    private SlabProblem? Discard(Slab slab)
    {
        SlabProblem? problem = null;
        for (int i = 0; i < slab.Objects && problem is null; i++)
            problem = CheckInactive(slab, slab.ObjectAt(i));
        ulong length = (ulong)ChunksPerSlab << SlabHeap.ChunkShift, used = (ulong)slab.Objects * Size;
        problem ??= CheckBytes(slab, null, "Slab padding", slab.Address + used, K.POISON_INUSE, (uint)(length - used));
        _partial.Remove(slab.PartialNode!);
        slab.PartialNode = null;
        _slabs.Remove(slab);
        _emptySlabs--;
        slab.Discarded = true;
        _heap.FreeRun(slab.Address);
        return problem;
    }

    /// <summary>check_object(SLUB_RED_INACTIVE): a free object still carries its poison and padding.</summary>
    private SlabProblem? CheckInactive(Slab slab, byte* obj)
    {
        SlabProblem? problem = null;
        if (Poison)
        {
            problem = CheckBytes(slab, obj, "Poison", obj, K.POISON_FREE, ObjectSize - 1)
                ?? CheckBytes(slab, obj, "End Poison", obj + ObjectSize - 1, K.POISON_END, 1);
        }
        return problem ?? CheckBytes(slab, obj, "Object padding", obj + ObjectSize, K.POISON_INUSE, Size - ObjectSize);
    }

    /// <summary>check_bytes_and_report(): the first and last byte in the range that differ from <paramref name="value"/>.</summary>
    private static SlabProblem? CheckBytes(Slab slab, byte* obj, string what, byte* start, byte value, uint bytes)
    {
        var span = new ReadOnlySpan<byte>(start, (int)bytes);
        int first = span.IndexOfAnyExcept(value);
        if (first < 0)
            return null;
        int last = span.LastIndexOfAnyExcept(value);
        byte* fault = start + first;
        var line = $"[{what} overwritten] 0x{(ulong)fault:x}-0x{(ulong)(start + last):x} @offset={(ulong)(fault - slab.Address)}. " +
                   $"First byte 0x{*fault:x} instead of 0x{value:x}";
        return obj is null
            ? new SlabProblem("Padding overwritten", line)
            : new SlabProblem("Object corrupt", line, ObjectLine(slab, obj),
                $"Byte {(ulong)(fault - obj)} of the {slab.Cache.ObjectSize}-byte object was written after it was freed or past its end");
    }

    /// <summary>init_object() for a free object: POISON_FREE, and POISON_END in the last byte.</summary>
    private void PoisonObject(byte* obj)
    {
        new Span<byte>(obj, (int)ObjectSize - 1).Fill(K.POISON_FREE);
        obj[ObjectSize - 1] = K.POISON_END;
    }
}

/// <summary>What the slab checks found: the title of SLUB's "BUG cache: ..." report and its detail lines.</summary>
internal sealed record SlabProblem(string Reason, params string[] Lines);
