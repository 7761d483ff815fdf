using System;
using System.Linq;
using Emu.Arch.CacheModels;
using NUnit.Framework;

namespace Emu.Tests.Arch;

/// <summary>
/// The aliasing VIPT D-cache model (Arch/CacheModels/AliasingDCache.cs): user stores stay in the user alias
/// until a flush or an eviction; the kernel's page_address() view is memory; eviction is a function of the seed.
/// </summary>
[TestFixture]
public sealed unsafe class AliasingDCacheTests
{
    private const ulong Page = 4096;

    private static Machine NewMachine(ulong seed, int lines = 512, ArchModel arch = ArchModel.AliasingVipt) =>
        new(new MachineOptions { MemoryBytes = 16UL << 20, Arch = arch, Seed = seed, DCacheLines = lines });

    // The kernel's view: the bytes page_address() reads for the page mapped at addr.
    private static byte[] KernelView(Machine m, Process p, ulong addr, int length)
    {
        ulong pfn = p.ReadPagemap(addr) & ((1UL << 55) - 1);
        byte* va = (byte*)m.Kernel.page_address(m.Kernel.pfn_to_page(pfn));
        return new ReadOnlySpan<byte>(va + (addr & (Page - 1)), length).ToArray();
    }

    // A process with one private anonymous page at `a`, its first `fill` bytes set to `value` (the page's pfn after the fault).
    private static (Process P, ulong A, ulong Pfn) OnePage(Machine m, ulong fill, byte value)
    {
        var p = m.Spawn();
        ulong a = p.Mmap(Page, Protection.Read | Protection.Write, MapFlags.Private | MapFlags.Anonymous);
        p.Fill(a, fill, value);
        return (p, a, p.ReadPagemap(a) & ((1UL << 55) - 1));
    }

    [Test]
    public void UserWriteIsInvisibleToPageAddressUntilFlushAnonPage()
    {
        using var m = NewMachine(seed: 1);
        var p = m.Spawn();
        ulong a = p.Mmap(Page, Protection.Read | Protection.Write, MapFlags.Private | MapFlags.Anonymous);
        var data = Enumerable.Range(1, 100).Select(i => (byte)i).ToArray();
        p.Write(a + 8, data);

        // The user reads its alias; the kernel reads memory, still the zeroed page do_anonymous_page mapped.
        var back = new byte[100];
        p.Read(a + 8, back);
        Assert.That(back, Is.EqualTo(data));
        Assert.That(KernelView(m, p, a + 8, 100), Is.All.EqualTo((byte)0));
        ulong pfn = p.ReadPagemap(a) & ((1UL << 55) - 1);
        Assert.That(m.Kernel.arch_dcache!.IsStale(pfn), Is.True);

        // flush_anon_page(vma, page, addr) writes the alias back (arm: flush_pfn_alias).
        m.Kernel.flush_anon_page(null, m.Kernel.pfn_to_page(pfn), a);
        Assert.That(KernelView(m, p, a + 8, 100), Is.EqualTo(data));
        Assert.That(m.Kernel.arch_dcache.IsStale(pfn), Is.False);
        Assert.That(m.Kernel.arch_dcache.DirtyLinesOf(pfn), Is.Zero);
        p.Read(a + 8, back);
        Assert.That(back, Is.EqualTo(data));
    }

    [Test]
    public void FlushAtAnotherColourLeavesTheAliasDirty()
    {
        using var m = NewMachine(seed: 1);
        var (p, a, pfn) = OnePage(m, 64, 0xAB);
        var dc = m.Kernel.arch_dcache!;
        // The colour of a + PAGE_SIZE differs (4 colours): its lines are not this mapping's.
        m.Kernel.flush_cache_page(null, a + Page, pfn);
        Assert.That(KernelView(m, p, a, 64), Is.All.EqualTo((byte)0));
        m.Kernel.flush_cache_page(null, a + 4 * Page, pfn); // same colour again: flushes
        Assert.That(KernelView(m, p, a, 64), Is.All.EqualTo((byte)0xAB));
        Assert.That(dc.FlushedLines, Is.EqualTo(1));
    }

    [Test]
    public void FlushDcachePageLeavesUserLinesOfAnAnonymousPage()
    {
        using var m = NewMachine(seed: 1);
        var (p, a, pfn) = OnePage(m, 16, 7);
        m.Kernel.flush_dcache_page(m.Kernel.pfn_to_page(pfn));
        Assert.That(KernelView(m, p, a, 16), Is.All.EqualTo((byte)0));
    }

    [Test]
    public void X86HasNoCacheBetweenUserAndMemory()
    {
        using var m = NewMachine(seed: 1, arch: ArchModel.X86_64);
        var (p, a, _) = OnePage(m, 32, 5);
        Assert.That(m.Kernel.arch_dcache, Is.Null);
        Assert.That(KernelView(m, p, a, 32), Is.All.EqualTo((byte)5));
    }

    [Test]
    public void MunmapWritesTheCacheBackBeforeThePagesAreFreed()
    {
        using var m = NewMachine(seed: 3);
        var p = m.Spawn();
        ulong a = p.Mmap(4 * Page, Protection.Read | Protection.Write, MapFlags.Private | MapFlags.Anonymous);
        p.Fill(a, 4 * Page, 9);
        Assert.That(m.Kernel.arch_dcache!.DirtyLines, Is.EqualTo(4 * 64));
        p.Munmap(a, 4 * Page);
        // tlb_start_vma's flush_cache_range (arm VIPT aliasing: the whole D-cache).
        Assert.That(m.Kernel.arch_dcache.DirtyLines, Is.Zero);
    }

    [Test]
    public void ForkChildSeesTheParentsLinesAndCowCopiesWhatTheUserSaw()
    {
        using var m = NewMachine(seed: 4);
        var p = m.Spawn();
        ulong a = p.Mmap(Page, Protection.Read | Protection.Write, MapFlags.Private | MapFlags.Anonymous);
        p.Fill(a, Page, 0x11);
        var c = p.Fork();
        var buf = new byte[Page];
        c.Read(a, buf);
        Assert.That(buf, Is.All.EqualTo((byte)0x11));
        // The child's store breaks COW: the copy must carry the parent's bytes, not stale memory.
        c.Write(a, [0x22]);
        c.Read(a, buf);
        Assert.That(buf[0], Is.EqualTo(0x22));
        Assert.That(buf.Skip(1), Is.All.EqualTo((byte)0x11));
        p.Read(a, buf);
        Assert.That(buf, Is.All.EqualTo((byte)0x11));
    }

    // Writes `pages` pages through a small cache and returns (evicted lines, kernel view of each page's first line).
    private static (long Evicted, string Memory) EvictionRun(ulong seed)
    {
        using var m = NewMachine(seed, lines: 40);
        var p = m.Spawn();
        const int pages = 8;
        ulong a = p.Mmap(pages * Page, Protection.Read | Protection.Write, MapFlags.Private | MapFlags.Anonymous);
        for (int i = 0; i < pages; i++)
            for (int l = 0; l < 64; l += 8)
                p.Fill(a + (ulong)i * Page + (ulong)l * 64, 64, (byte)(i + 1));
        var mem = string.Concat(Enumerable.Range(0, pages).SelectMany(i =>
            Enumerable.Range(0, 8).Select(l => KernelView(m, p, a + (ulong)i * Page + (ulong)l * 8 * 64, 1)[0] == 0 ? '.' : '#')));
        // Whatever the cache chose, the user still reads every byte it wrote.
        for (int i = 0; i < pages; i++)
        {
            var b = new byte[Page];
            p.Read(a + (ulong)i * Page, b);
            for (int l = 0; l < 64; l += 8)
                Assert.That(b.Skip(l * 64).Take(64), Is.All.EqualTo((byte)(i + 1)));
        }
        return (m.Kernel.arch_dcache!.EvictedLines, mem);
    }

    [Test]
    public void EvictionIsDeterministicPerSeed()
    {
        var first = EvictionRun(42);
        var again = EvictionRun(42);
        Assert.That(again, Is.EqualTo(first));
        // 8 pages x 8 lines = 64 dirty lines through a 40-line cache: 24 written back by eviction.
        Assert.That(first.Evicted, Is.EqualTo(64 - 40));
        Assert.That(first.Memory.Count(ch => ch == '#'), Is.EqualTo(24));
        var others = new ulong[] { 1, 2, 3, 4, 5 }.Select(s => EvictionRun(s).Memory).ToList();
        Assert.That(others.Append(first.Memory).Distinct().Count(), Is.GreaterThan(1), "different seeds evict different lines");
    }

    [Test]
    public void ModelRejectsBadGeometry()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AliasingDCache(null, 0, 0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AliasingDCache(null, 0, 8, 3));
    }
}
