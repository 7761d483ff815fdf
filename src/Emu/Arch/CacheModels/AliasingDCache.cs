using System;
using System.Collections.Generic;
using System.Numerics;

namespace Emu.Arch.CacheModels;

/// <summary>
/// Model (not a transliteration) of an aliasing VIPT write-back data cache, the kind that makes the
/// kernel's <c>flush_anon_page</c>/<c>flush_dcache_page</c>/<c>flush_cache_page</c> do real work on some
/// arm (ARMv6 VIPT aliasing), mips (R4K with cpu_has_dc_aliases) and parisc machines.
/// </summary>
/// <remarks>
/// Rules, and the upstream behaviour each one mirrors:
/// <list type="number">
/// <item>A cache index is virtual: a user mapping's <b>colour</b> is <c>(vaddr / PAGE_SIZE) % Colours</c>
/// (arm's <c>CACHE_COLOUR</c>, mips' <c>pages_do_alias</c>, parisc's SHM_COLOUR). Lines are keyed by
/// (pfn, colour) and are 64 bytes. Two mappings of a page at the same colour share lines (fork keeps the
/// address, so parent and child hit the same lines); mappings at different colours alias.</item>
/// <item>User stores are write-allocate and write-back: they land in the (pfn, colour) lines only, and
/// memory keeps the old bytes. User loads see their colour's dirty lines over memory.</item>
/// <item>The kernel reaches pages through the direct map (<c>page_address()</c>), whose colour is none of
/// the user's: kernel loads and stores see and change memory only. The model keeps no kernel-side dirty
/// lines, so kernel stores are as if immediately written back (arm's <c>__cpuc_flush_dcache_area</c>
/// after kernel copies).</item>
/// <item><c>flush_anon_page(vma, page, vmaddr)</c> and <c>flush_cache_page(vma, vmaddr, pfn)</c> write back
/// and invalidate the lines of (pfn, colour(vmaddr)): arm's <c>__flush_anon_page</c> and
/// <c>flush_cache_page</c> both end in <c>flush_pfn_alias(pfn, vmaddr)</c> on VIPT aliasing caches.</item>
/// <item><c>flush_dcache_page(page)</c> on an anonymous page writes back the kernel mapping's lines only
/// (arm's and mips' <c>flush_dcache_page</c> do not walk user aliases of a page without a file mapping),
/// which the model never holds dirty: it does not touch user lines.</item>
/// <item><c>flush_cache_range</c>, <c>flush_cache_mm</c> and <c>flush_cache_dup_mm</c> write back the whole
/// cache (arm's VIPT-aliasing versions clean and invalidate the entire D-cache).</item>
/// <item><c>copy_user_highpage(to, from, vaddr, vma)</c> copies what the user sees at vaddr: the source's
/// (pfn, colour(vaddr)) lines are written back first (parisc flushes the source's user alias before the
/// copy; arm copies through a kernel mapping of the same colour).</item>
/// <item>Capacity: at most <see cref="CapacityLines"/> dirty lines. A store that exceeds it evicts (writes
/// back) a line chosen by a xorshift generator seeded from the machine seed, so a run is reproducible
/// for a given seed and sequence of accesses.</item>
/// </list>
/// Clean lines are not modelled: a user load that misses reads memory, as a refill would.
/// </remarks>
internal sealed unsafe class AliasingDCache
{
    public const int LineSize = 64;
    private const int PageSize = 4096;
    private const int LinesPerPage = PageSize / LineSize;

    private sealed class Alias(ulong pfn, int colour)
    {
        public readonly ulong Pfn = pfn;
        public readonly int Colour = colour;
        public readonly byte[] Data = new byte[PageSize];
        public ulong Dirty; // bit n: line n holds bytes memory does not
        public int ListIndex = -1;
    }

    private readonly byte* _memory;
    private readonly Dictionary<(ulong Pfn, int Colour), Alias> _aliases = new();
    // The aliases holding dirty lines, for a reproducible random pick (swap-remove keeps it O(1)).
    private readonly List<Alias> _dirty = new();
    private ulong _rng;
    private int _dirtyLines;

    /// <param name="memory">where pfn 0's bytes are (the direct map's base)</param>
    /// <param name="seed">the machine seed; eviction choices follow from it</param>
    /// <param name="capacityLines">dirty lines the cache holds before it evicts</param>
    /// <param name="colours">cache colours (way size / page size); a power of two</param>
    public AliasingDCache(byte* memory, ulong seed, int capacityLines, int colours)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityLines, 1);
        if (colours < 1 || !BitOperations.IsPow2(colours))
            throw new ArgumentOutOfRangeException(nameof(colours), colours, "a power of two");
        _memory = memory;
        CapacityLines = capacityLines;
        Colours = colours;
        _rng = seed * 0x9E3779B97F4A7C15UL ^ 0xD1B54A32D192ED03UL;
        if (_rng == 0) _rng = 1;
    }

    public int CapacityLines { get; }
    public int Colours { get; }

    /// <summary>Dirty lines held now.</summary>
    public int DirtyLines => _dirtyLines;

    /// <summary>Lines written back by a flush.</summary>
    public long FlushedLines { get; private set; }

    /// <summary>Lines written back because the cache was full.</summary>
    public long EvictedLines { get; private set; }

    public int ColourOf(ulong vaddr) => (int)((vaddr / PageSize) & (ulong)(Colours - 1));

    private byte* Frame(ulong pfn) => _memory + pfn * PageSize;

    /// <summary>A user store of <paramref name="data"/> at page offset <paramref name="offset"/> of pfn, mapped at vaddr.</summary>
    public void UserStore(ulong pfn, ulong vaddr, int offset, ReadOnlySpan<byte> data)
    {
        var key = (pfn, ColourOf(vaddr));
        if (!_aliases.TryGetValue(key, out var a))
            _aliases[key] = a = new Alias(pfn, key.Item2);
        byte* frame = Frame(pfn);
        int first = offset / LineSize, last = (offset + data.Length - 1) / LineSize;
        for (int l = first; l <= last; l++)
        {
            ulong bit = 1UL << l;
            if ((a.Dirty & bit) == 0)
            {
                // Write-allocate: the line is filled from memory before the store merges into it.
                new ReadOnlySpan<byte>(frame + l * LineSize, LineSize).CopyTo(a.Data.AsSpan(l * LineSize, LineSize));
                if (a.Dirty == 0)
                {
                    a.ListIndex = _dirty.Count;
                    _dirty.Add(a);
                }
                a.Dirty |= bit;
                _dirtyLines++;
            }
        }
        data.CopyTo(a.Data.AsSpan(offset, data.Length));
        while (_dirtyLines > CapacityLines && EvictOne(a, first, last))
        {
        }
    }

    /// <summary>A user load at page offset <paramref name="offset"/> of pfn mapped at vaddr: memory with the colour's dirty lines over it.</summary>
    public void UserLoad(ulong pfn, ulong vaddr, int offset, Span<byte> buffer)
    {
        new ReadOnlySpan<byte>(Frame(pfn) + offset, buffer.Length).CopyTo(buffer);
        if (!_aliases.TryGetValue((pfn, ColourOf(vaddr)), out var a) || a.Dirty == 0)
            return;
        int first = offset / LineSize, last = (offset + buffer.Length - 1) / LineSize;
        for (int l = first; l <= last; l++)
        {
            if ((a.Dirty & (1UL << l)) == 0) continue;
            int s = Math.Max(offset, l * LineSize), e = Math.Min(offset + buffer.Length, (l + 1) * LineSize);
            a.Data.AsSpan(s, e - s).CopyTo(buffer.Slice(s - offset));
        }
    }

    /// <summary>Writes back and invalidates the lines of (pfn, colour(vaddr)): flush_anon_page, flush_cache_page.</summary>
    public void FlushAlias(ulong pfn, ulong vaddr)
    {
        if (_aliases.TryGetValue((pfn, ColourOf(vaddr)), out var a))
            WriteBack(a, a.Dirty, evicted: false);
    }

    /// <summary>Writes back every line: flush_cache_range, flush_cache_mm, flush_cache_dup_mm on VIPT-aliasing arm.</summary>
    public void FlushAll()
    {
        while (_dirty.Count > 0)
            WriteBack(_dirty[^1], _dirty[^1].Dirty, evicted: false);
    }

    /// <summary>True when some user alias of pfn holds bytes that memory (what page_address() reads) does not.</summary>
    public bool IsStale(ulong pfn)
    {
        byte* frame = Frame(pfn);
        for (int c = 0; c < Colours; c++)
        {
            if (!_aliases.TryGetValue((pfn, c), out var a) || a.Dirty == 0) continue;
            for (int l = 0; l < LinesPerPage; l++)
                if ((a.Dirty & (1UL << l)) != 0 &&
                    !new ReadOnlySpan<byte>(frame + l * LineSize, LineSize).SequenceEqual(a.Data.AsSpan(l * LineSize, LineSize)))
                    return true;
        }
        return false;
    }

    /// <summary>Dirty lines held for pfn at any colour.</summary>
    public int DirtyLinesOf(ulong pfn)
    {
        int n = 0;
        for (int c = 0; c < Colours; c++)
            if (_aliases.TryGetValue((pfn, c), out var a))
                n += BitOperations.PopCount(a.Dirty);
        return n;
    }

    private ulong Next()
    {
        _rng ^= _rng << 13;
        _rng ^= _rng >> 7;
        _rng ^= _rng << 17;
        return _rng;
    }

    // Evicts one dirty line, never one of the lines the current store just wrote.
    private bool EvictOne(Alias storing, int first, int last)
    {
        for (int tries = 0; tries < 64; tries++)
        {
            var a = _dirty[(int)(Next() % (ulong)_dirty.Count)];
            ulong candidates = a.Dirty;
            if (a == storing)
                candidates &= ~(((last == 63 ? ~0UL : (1UL << (last + 1)) - 1)) & ~((1UL << first) - 1));
            if (candidates == 0) continue;
            int pick = (int)(Next() % (ulong)BitOperations.PopCount(candidates));
            ulong c = candidates;
            for (int k = 0; k < pick; k++) c &= c - 1;
            WriteBack(a, c & (~c + 1), evicted: true);
            return true;
        }
        // Everything dirty belongs to this one store (capacity below the store's size): let it exceed.
        return false;
    }

    private void WriteBack(Alias a, ulong lines, bool evicted)
    {
        lines &= a.Dirty;
        if (lines == 0) return;
        byte* frame = Frame(a.Pfn);
        for (ulong m = lines; m != 0; m &= m - 1)
        {
            int l = BitOperations.TrailingZeroCount(m);
            a.Data.AsSpan(l * LineSize, LineSize).CopyTo(new Span<byte>(frame + l * LineSize, LineSize));
        }
        int n = BitOperations.PopCount(lines);
        a.Dirty &= ~lines;
        _dirtyLines -= n;
        if (evicted) EvictedLines += n; else FlushedLines += n;
        if (a.Dirty == 0)
        {
            var lastAlias = _dirty[^1];
            _dirty[a.ListIndex] = lastAlias;
            lastAlias.ListIndex = a.ListIndex;
            _dirty.RemoveAt(_dirty.Count - 1);
            a.ListIndex = -1;
            _aliases.Remove((a.Pfn, a.Colour));
        }
    }
}
