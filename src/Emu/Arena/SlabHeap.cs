using System;
using System.Collections.Generic;
using System.Threading;

namespace Emu.Arena;

/// <summary>
/// The machine's kernel heap: one lazily backed address-space reservation cut into 64 KiB
/// chunks. Slab caches take runs of chunks as slabs, large kmallocs take a run each, and
/// kernel globals are packed into runs of their own; every chunk records who owns it, which
/// is Emu's <c>virt_to_slab()</c>.
/// </summary>
/// <remarks>
/// Kernel objects live here and not in the emulated RAM frames on purpose: the page allocator
/// of the emulated machine is a subject of study (its counters, its failures), and slab memory
/// drawn from it would perturb exactly what the scenarios measure. The price is that
/// <c>virt_to_page()</c> of a slab object is meaningless in Emu, as it would be for vmalloc.
/// </remarks>
internal sealed unsafe class SlabHeap : IDisposable
{
    public const int ChunkShift = 16;
    public const ulong ChunkSize = 1UL << ChunkShift;

    /// <summary>4 GiB of address space: free until touched (MAP_NORESERVE).</summary>
    public const ulong DefaultBytes = 4UL << 30;

    /// <summary>Globals are cache-line aligned, so no two share a line and tag bits stay free.</summary>
    public const ulong GlobalAlign = 64;

    private readonly NativeReservation _reservation;
    private readonly object?[] _owner;
    private readonly int[] _runLength;
    private readonly Dictionary<int, Stack<int>> _freeRuns = new();
    private readonly Dictionary<string, (nint Address, ulong Bytes)> _globals = new(StringComparer.Ordinal);
    private readonly GlobalArea _globalOwner = new();
    private readonly Lock _lock = new();
    private int _bump;
    private long _runChunks;
    private long _largeBytes;
    private byte* _globalNext, _globalEnd;
    private ulong _globalBytes;

    public SlabHeap(ulong bytes = DefaultBytes)
    {
        if (bytes < ChunkSize || bytes % ChunkSize != 0 || bytes >> ChunkShift > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, $"a positive multiple of {ChunkSize}");
        _reservation = new NativeReservation(bytes);
        _owner = new object?[bytes >> ChunkShift];
        _runLength = new int[_owner.Length];
    }

    /// <summary>Bytes of address space the heap spans.</summary>
    public ulong Bytes => _reservation.Length;

    /// <summary>Bytes of chunks handed out as slabs and large kmallocs (not globals).</summary>
    public ulong SlabBytes => (ulong)Interlocked.Read(ref _runChunks) << ChunkShift;

    /// <summary>Bytes asked for by the large kmallocs that are live.</summary>
    public ulong LargeKmallocBytes => (ulong)Interlocked.Read(ref _largeBytes);

    /// <summary>Bytes of kernel globals allocated.</summary>
    public ulong GlobalBytes { get { lock (_lock) return _globalBytes; } }

    /// <summary>
    /// A run of <paramref name="chunks"/> chunks (zero-filled or reused) and the owner
    /// <paramref name="create"/> makes for its address; null when the heap is full.
    /// </summary>
    public T? AllocateRun<T>(int chunks, Func<nint, T> create) where T : class
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunks, 1);
        lock (_lock)
        {
            int first = TakeRun(chunks);
            if (first < 0)
                return null;
            var owner = create((nint)ChunkAddress(first));
            for (int i = first; i < first + chunks; i++)
                Volatile.Write(ref _owner[i], owner);
            _runLength[first] = chunks;
            Interlocked.Add(ref _runChunks, chunks);
            if (owner is LargeKmalloc large)
                Interlocked.Add(ref _largeBytes, (long)large.Size);
            return owner;
        }
    }

    /// <summary>Gives back a run that <see cref="AllocateRun"/> returned.</summary>
    public void FreeRun(byte* start)
    {
        lock (_lock)
        {
            int first = ChunkIndex(start);
            int chunks = first >= 0 && ChunkAddress(first) == start ? _runLength[first] : 0;
            if (chunks == 0 || _owner[first] == _globalOwner)
                throw new InvalidOperationException($"0x{(ulong)start:x} does not start a heap run");
            if (_owner[first] is LargeKmalloc large)
                Interlocked.Add(ref _largeBytes, -(long)large.Size);
            for (int i = first; i < first + chunks; i++)
                Volatile.Write(ref _owner[i], null);
            _runLength[first] = 0;
            Interlocked.Add(ref _runChunks, -chunks);
            if (!_freeRuns.TryGetValue(chunks, out var stack))
                _freeRuns[chunks] = stack = new Stack<int>();
            stack.Push(first);
        }
    }

    /// <summary>Who owns the chunk holding <paramref name="p"/> (a <see cref="Slab"/>, a <see cref="LargeKmalloc"/>, the globals), or null.</summary>
    public object? OwnerOf(void* p)
    {
        int i = ChunkIndex(p);
        return i < 0 ? null : Volatile.Read(ref _owner[i]);
    }

    /// <summary>Whether <paramref name="p"/> points into the globals area.</summary>
    public bool IsGlobal(void* p) => OwnerOf(p) == _globalOwner;

    /// <summary>
    /// <paramref name="bytes"/> of zeroed memory at a cache-line aligned address that stays put
    /// until the heap is disposed: a kernel global whose address is used as a value.
    /// </summary>
    public byte* AllocateGlobal(string name, ulong bytes)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfZero(bytes);
        lock (_lock)
        {
            if (_globals.ContainsKey(name))
                throw new InvalidOperationException($"kernel global '{name}' is already defined");
            ulong rounded = (bytes + GlobalAlign - 1) & ~(GlobalAlign - 1);
            if (_globalNext is null || (ulong)(_globalEnd - _globalNext) < rounded)
            {
                int chunks = checked((int)((rounded + ChunkSize - 1) >> ChunkShift));
                int first = TakeRun(chunks);
                if (first < 0)
                    throw new OutOfMemoryException($"kernel heap full: no room for global '{name}'");
                for (int i = first; i < first + chunks; i++)
                    _owner[i] = _globalOwner;
                _runLength[first] = chunks;
                _globalNext = ChunkAddress(first);
                _globalEnd = _globalNext + ((ulong)chunks << ChunkShift);
            }
            var p = _globalNext;
            _globalNext += rounded;
            new Span<byte>(p, checked((int)bytes)).Clear();
            _globals[name] = ((nint)p, bytes);
            _globalBytes += bytes;
            return p;
        }
    }

    /// <summary>The name of the global that contains <paramref name="p"/>, or null.</summary>
    public string? GlobalAt(void* p)
    {
        lock (_lock)
        {
            foreach (var (name, (address, bytes)) in _globals)
                if ((ulong)p - (ulong)address < bytes)
                    return name;
            return null;
        }
    }

    public void Dispose() => _reservation.Dispose();

    private int TakeRun(int chunks)
    {
        if (_freeRuns.TryGetValue(chunks, out var exact) && exact.Count > 0)
            return exact.Pop();
        if (_owner.Length - _bump >= chunks)
        {
            _bump += chunks;
            return _bump - chunks;
        }
        // Address space is spent: split a larger freed run.
        foreach (var (length, stack) in _freeRuns)
        {
            if (length <= chunks || stack.Count == 0)
                continue;
            int first = stack.Pop();
            if (!_freeRuns.TryGetValue(length - chunks, out var rest))
                _freeRuns[length - chunks] = rest = new Stack<int>();
            rest.Push(first + chunks);
            return first;
        }
        return -1;
    }

    private byte* ChunkAddress(int index) => _reservation.Base + ((ulong)index << ChunkShift);

    private int ChunkIndex(void* p)
    {
        ulong offset = (ulong)p - (ulong)_reservation.Base;
        return _reservation.Base is null || offset >= _reservation.Length ? -1 : (int)(offset >> ChunkShift);
    }

    /// <summary>Owner mark of the chunks that hold globals.</summary>
    private sealed class GlobalArea
    {
    }
}

/// <summary>A kmalloc too large for the kmalloc caches: a run of its own, as upstream gives it pages of its own.</summary>
internal sealed unsafe class LargeKmalloc
{
    public LargeKmalloc(byte* address, ulong size, ulong bytes)
    {
        Address = address;
        Size = size;
        Bytes = bytes;
    }

    public byte* Address { get; }

    /// <summary>The size kmalloc was asked for.</summary>
    public ulong Size { get; }

    /// <summary>The page-rounded size it holds.</summary>
    public ulong Bytes { get; }
}
