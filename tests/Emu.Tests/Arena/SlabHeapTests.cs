using System;
using System.Collections.Generic;
using Emu.Arena;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.KernelConstants;

namespace Emu.Tests.Arena;

/// <summary>The kernel heap under the slab caches: runs of 64 KiB chunks, their owners, globals, and disposal.</summary>
public unsafe class SlabHeapTests
{
    private sealed class Owner
    {
        public Owner(nint address) => Address = address;

        public nint Address { get; }
    }

    [Test]
    public void RunsAreDisjointOwnedAndReused()
    {
        using var heap = new SlabHeap(16 * SlabHeap.ChunkSize);
        var a = heap.AllocateRun(3, p => new Owner(p))!;
        var b = heap.AllocateRun(1, p => new Owner(p))!;
        Assert.Multiple(() =>
        {
            Assert.That((ulong)(b.Address - a.Address), Is.GreaterThanOrEqualTo(3 * SlabHeap.ChunkSize));
            Assert.That(heap.OwnerOf((byte*)a.Address + 3 * SlabHeap.ChunkSize - 1), Is.SameAs(a));
            Assert.That(heap.OwnerOf((byte*)b.Address), Is.SameAs(b));
            Assert.That(heap.SlabBytes, Is.EqualTo(4 * SlabHeap.ChunkSize));
        });
        heap.FreeRun((byte*)a.Address);
        Assert.That(heap.OwnerOf((byte*)a.Address), Is.Null);
        var c = heap.AllocateRun(3, p => new Owner(p))!;
        Assert.That(c.Address, Is.EqualTo(a.Address), "a freed run of the same length is reused");
        Assert.Throws<InvalidOperationException>(() => heap.FreeRun((byte*)c.Address + 8));
    }

    [Test]
    public void AFullHeapSaysSoAndSplitsFreedRuns()
    {
        using var heap = new SlabHeap(8 * SlabHeap.ChunkSize);
        var big = heap.AllocateRun(6, p => new Owner(p))!;
        Assert.That(heap.AllocateRun(1, p => new Owner(p)), Is.Not.Null);
        Assert.That(heap.AllocateRun(2, p => new Owner(p)), Is.Null, "one chunk left");
        heap.FreeRun((byte*)big.Address);
        var x = heap.AllocateRun(2, p => new Owner(p))!;
        var y = heap.AllocateRun(4, p => new Owner(p))!;
        Assert.That(heap.AllocateRun(2, p => new Owner(p)), Is.Null);
        Assert.That(new[] { x.Address, y.Address }, Is.EquivalentTo(new[] { big.Address, big.Address + (nint)(2 * SlabHeap.ChunkSize) }));
    }

    [Test]
    public void GlobalsAreZeroedAlignedNamedAndNotSlabs()
    {
        using var heap = new SlabHeap(4 * SlabHeap.ChunkSize);
        var first = heap.AllocateGlobal("first", 24);
        var second = heap.AllocateGlobal("second", 100);
        Assert.Multiple(() =>
        {
            Assert.That((ulong)first % SlabHeap.GlobalAlign, Is.Zero);
            Assert.That((ulong)second % SlabHeap.GlobalAlign, Is.Zero);
            Assert.That(second - first, Is.GreaterThanOrEqualTo(24));
            Assert.That(new ReadOnlySpan<byte>(second, 100).IndexOfAnyExcept((byte)0), Is.EqualTo(-1));
            Assert.That(heap.GlobalAt(second + 99), Is.EqualTo("second"));
            Assert.That(heap.GlobalAt(second + 100), Is.Null);
            Assert.That(heap.IsGlobal(first), Is.True);
            Assert.That(heap.SlabBytes, Is.Zero, "globals are not slab memory");
            Assert.That(heap.GlobalBytes, Is.EqualTo(124UL));
        });
        Assert.Throws<InvalidOperationException>(() => heap.FreeRun(first));
    }

    [Test]
    public void DisposingAMachineFreesItsHeap()
    {
        long before = Machine.ReservedNativeBytes;
        var machine = new Machine(new MachineOptions { MemoryBytes = 16UL << 20 });
        var k = machine.Kernel;
        Assert.That(Machine.ReservedNativeBytes - before, Is.GreaterThanOrEqualTo((long)SlabHeap.DefaultBytes + (16L << 20)));
        var s = k.kmem_cache_create("dispose-test", 256, 0, 0, null)!;
        var objects = new List<nint>();
        for (int i = 0; i < 1000; i++)
            objects.Add((nint)k.kmem_cache_alloc(s, GFP_KERNEL));
        k.AllocateGlobal<list_head>("test_mm_head"); // not a KSM name: ksm_init runs at boot
        k.kmalloc(1 << 20, GFP_KERNEL);
        machine.Dispose();
        Assert.That(Machine.ReservedNativeBytes, Is.EqualTo(before));
    }
}
