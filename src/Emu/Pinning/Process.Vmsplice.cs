using System;
using static Emu.Kernel.KernelConstants;

namespace Emu;

// vmsplice(2) into a pipe, modelled: fs/splice.c vmsplice_to_pipe -> iter_to_pipe takes the user
// pages with iov_iter_get_pages2, i.e. get_user_pages_fast() with FOLL_GET and no FOLL_WRITE (the
// iterator is a source), and the pipe buffers keep those references until they are read.
public sealed unsafe partial class Process
{
    /// <summary>
    /// Splices <paramref name="length"/> bytes of this process's memory at <paramref name="address"/>
    /// into a new pipe, by reference (R/O FOLL_GET, as vmsplice does). The pipe keeps the pages
    /// whatever the process does to its mapping afterwards; read it with <see cref="SplicedPipe.Read"/>.
    /// </summary>
    public SplicedPipe Vmsplice(ulong address, ulong length)
    {
        ArgumentOutOfRangeException.ThrowIfZero(length);
        ulong first = address & PAGE_MASK;
        ulong last = (address + length - 1) & PAGE_MASK;
        int pages = (int)((last - first) / PAGE_SIZE + 1);
        var held = Get(first, pages, PinFlags.Fast);
        return new SplicedPipe(held, (int)(address - first), length);
    }
}

/// <summary>A pipe filled by <see cref="Process.Vmsplice"/>: it holds FOLL_GET references to the spliced pages.</summary>
public sealed class SplicedPipe : IDisposable
{
    private readonly PinnedPages _pages;
    private int _offset;
    private ulong _remaining;

    internal SplicedPipe(PinnedPages pages, int offset, ulong length)
    {
        _pages = pages;
        _offset = offset;
        // Only what GUP took reached the pipe (vmsplice returns the bytes spliced).
        ulong taken = (ulong)pages.Count * PAGE_SIZE - (ulong)offset;
        _remaining = Math.Min(length, taken);
        Length = _remaining;
    }

    /// <summary>How many bytes the splice put into the pipe.</summary>
    public ulong Length { get; }

    /// <summary>The spliced pages' frame numbers, in order.</summary>
    public ulong Pfn(int index) => _pages.Pfn(index);

    /// <summary>read(2) from the pipe: copies the pages' current contents; returns the bytes read.</summary>
    public int Read(Span<byte> buffer)
    {
        int done = 0;
        Span<byte> page = stackalloc byte[(int)PAGE_SIZE];
        while (done < buffer.Length && _remaining > 0)
        {
            int index = _offset / (int)PAGE_SIZE, inPage = _offset % (int)PAGE_SIZE;
            int n = (int)Math.Min((ulong)Math.Min(buffer.Length - done, (int)PAGE_SIZE - inPage), _remaining);
            _pages.ReadPage(index, page);
            page.Slice(inPage, n).CopyTo(buffer[done..]);
            done += n;
            _offset += n;
            _remaining -= (ulong)n;
        }
        if (_remaining == 0)
            _pages.Release();
        return done;
    }

    /// <summary>Closes the pipe: the references are dropped.</summary>
    public void Dispose() => _pages.Release();
}
