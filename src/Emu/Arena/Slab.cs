using System.Collections.Generic;

namespace Emu.Arena;

/// <summary>
/// One slab: a heap run cut into equal objects, with its free list and an in-use bitmap kept
/// beside the objects (not inside them), so a freed object can be poisoned whole and a double
/// free is caught by the bitmap rather than by walking a free list.
/// </summary>
internal sealed unsafe class Slab
{
    private readonly int[] _free;
    private readonly ulong[] _allocated;
    private int _freeCount;

    public Slab(SlabCache cache, byte* address, int objects)
    {
        Cache = cache;
        Address = address;
        Objects = objects;
        _free = new int[objects];
        _allocated = new ulong[(objects + 63) / 64];
        // Lowest address first: object 0 is on top of the free stack.
        for (int i = 0; i < objects; i++)
            _free[i] = objects - 1 - i;
        _freeCount = objects;
    }

    public SlabCache Cache { get; }

    /// <summary>First object's address (slab_address()).</summary>
    public byte* Address { get; }

    public int Objects { get; }

    /// <summary>Objects handed out and not freed (slab->inuse).</summary>
    public int InUse => Objects - _freeCount;

    /// <summary>Set once the slab went back to the heap.</summary>
    public bool Discarded { get; set; }

    /// <summary>This slab's place on its cache's partial list, when it has free objects.</summary>
    public LinkedListNode<Slab>? PartialNode { get; set; }

    public byte* ObjectAt(int index) => Address + (ulong)index * Cache.Size;

    public bool IsAllocated(int index) => (_allocated[index >> 6] & (1UL << index)) != 0;

    /// <summary>Takes the most recently freed object (LIFO, as a SLUB freelist).</summary>
    public int Pop()
    {
        int index = _free[--_freeCount];
        _allocated[index >> 6] |= 1UL << index;
        return index;
    }

    public void Push(int index)
    {
        _allocated[index >> 6] &= ~(1UL << index);
        _free[_freeCount++] = index;
    }
}
