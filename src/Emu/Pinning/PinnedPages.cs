using System;
using System.Runtime.InteropServices;
using Emu.Kernel;
using static Emu.Kernel.KernelConstants;

namespace Emu;

/// <summary>
/// Pages of a process held by GUP: FOLL_PIN pins (<see cref="Process.Pin"/>) or FOLL_GET references
/// (<see cref="Process.Get"/>). The holder keeps the physical pages whatever the process does next
/// (munmap, fork, exit); <see cref="Release"/> or <see cref="Dispose"/> drops them.
/// </summary>
public sealed unsafe class PinnedPages : IDisposable
{
    private readonly Machine _machine;
    private page** _pages;

    internal PinnedPages(Machine machine, ulong address, int requested, bool pinned, page** pages, int count)
    {
        _machine = machine;
        Address = address;
        Requested = requested;
        IsPin = pinned;
        _pages = pages;
        Count = count;
    }

    /// <summary>The user address of the first page.</summary>
    public ulong Address { get; }

    /// <summary>How many pages were asked for.</summary>
    public int Requested { get; }

    /// <summary>How many pages GUP took (it may stop early, as the kernel's callers see).</summary>
    public int Count { get; }

    /// <summary>True for FOLL_PIN pins, false for FOLL_GET references.</summary>
    public bool IsPin { get; }

    /// <summary>False once released.</summary>
    public bool IsHeld => _pages != null;

    /// <summary>The page frame number of page <paramref name="index"/>.</summary>
    public ulong Pfn(int index) => _machine.Kernel.page_to_pfn(PageAt(index));

    /// <summary>Copies page <paramref name="index"/>'s contents as the kernel sees them (through the direct map).</summary>
    public void ReadPage(int index, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(buffer.Length, (int)PAGE_SIZE);
        new ReadOnlySpan<byte>(_machine.Kernel.page_address(PageAt(index)), buffer.Length).CopyTo(buffer);
    }

    /// <summary>Writes into page <paramref name="index"/> through the direct map, as DMA into a pinned buffer would.</summary>
    public void WritePage(int index, ReadOnlySpan<byte> data, int offset = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + data.Length, (int)PAGE_SIZE);
        data.CopyTo(new Span<byte>((byte*)_machine.Kernel.page_address(PageAt(index)) + offset, data.Length));
    }

    internal page* PageAt(int index)
    {
        ObjectDisposedException.ThrowIf(_pages == null, this);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _pages[index];
    }

    /// <summary>
    /// Drops the pins (unpin_user_pages_dirty_lock) or references (put_page), marking the folios
    /// dirty first when <paramref name="dirty"/> (the device wrote to them). Idempotent.
    /// </summary>
    public void Release(bool dirty = false)
    {
        if (_pages == null)
            return;
        using (var entry = _machine.EnterKernel(null))
        {
            var k = entry.Kernel;
            if (IsPin)
                k.unpin_user_pages_dirty_lock(_pages, (ulong)Count, dirty);
            else
                for (int i = 0; i < Count; i++)
                {
                    if (dirty)
                        k.set_page_dirty_lock(_pages[i]);
                    k.put_page(_pages[i]);
                }
            entry.Complete();
        }
        NativeMemory.Free(_pages);
        _pages = null;
    }

    /// <summary>Same as <see cref="Release"/> without dirtying.</summary>
    public void Dispose() => Release();
}
