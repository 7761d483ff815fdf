using System;
using System.Collections.Generic;
using NUnit.Framework;
using static Emu.Kernel.KernelConstants;

namespace Emu.Tests.Processes;

/// <summary>
/// What one emulated process's memory must read as (page address → contents), for the seeded
/// random tests: writes are mirrored here, every read is checked against it.
/// </summary>
internal sealed class ShadowMemory
{
    public const int Page = (int)PAGE_SIZE;

    private readonly SortedDictionary<ulong, byte[]> _pages = new();
    private List<(ulong Start, ulong End)>? _ranges; // Ranges() until a page is added or removed

    public IEnumerable<KeyValuePair<ulong, byte[]>> Pages => _pages;

    public byte[] this[ulong page] => _pages[page];

    /// <summary>A zero-filled page at <paramref name="page"/>; false if one is already there.</summary>
    public bool TryAddPage(ulong page)
    {
        _ranges = null;
        return _pages.TryAdd(page, new byte[Page]);
    }

    public void RemovePage(ulong page)
    {
        _ranges = null;
        _pages.Remove(page);
    }

    /// <summary>fork(2): the child's memory reads as the parent's.</summary>
    public ShadowMemory Clone()
    {
        var s = new ShadowMemory();
        foreach (var (a, d) in _pages)
            s._pages.Add(a, (byte[])d.Clone());
        return s;
    }

    /// <summary>Maximal runs of contiguous pages as [start, end).</summary>
    public List<(ulong Start, ulong End)> Ranges()
    {
        if (_ranges is { } cached)
            return cached;
        var list = new List<(ulong, ulong)>();
        foreach (var a in _pages.Keys)
        {
            if (list.Count > 0 && list[^1].Item2 == a)
                list[^1] = (list[^1].Item1, a + (ulong)Page);
            else
                list.Add((a, a + (ulong)Page));
        }
        return _ranges = list;
    }

    /// <summary>A random page-aligned piece of one of <paramref name="ranges"/>.</summary>
    public static (ulong At, ulong Len) SubRange(Random rng, List<(ulong Start, ulong End)> ranges)
    {
        var (start, end) = ranges[rng.Next(ranges.Count)];
        int pages = (int)((end - start) / (ulong)Page);
        int first = rng.Next(pages);
        int n = rng.Next(1, pages - first + 1);
        return (start + (ulong)(first * Page), (ulong)(n * Page));
    }

    public void Write(ulong at, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            ulong page = at & ~(ulong)(Page - 1);
            int off = (int)(at - page), n = Math.Min(data.Length, Page - off);
            data[..n].CopyTo(_pages[page].AsSpan(off));
            data = data[n..];
            at += (ulong)n;
        }
    }

    /// <summary>Fails the test unless <paramref name="got"/>, read at <paramref name="at"/>, is what the shadow holds.</summary>
    public void AssertReads(ulong at, ReadOnlySpan<byte> got, Emu.Process p, int op)
    {
        ulong a = at;
        while (!got.IsEmpty)
        {
            ulong page = a & ~(ulong)(Page - 1);
            int off = (int)(a - page), n = Math.Min(got.Length, Page - off);
            if (!got[..n].SequenceEqual(_pages[page].AsSpan(off, n)))
                Assert.Fail($"op {op}: {p} read 0x{a:x}+{n} differs from its shadow");
            got = got[n..];
            a += (ulong)n;
        }
    }
}
