namespace Emu.Kernel;

/// <summary>One emulated kernel: the transliterated mm code, with the kernel's globals as fields.</summary>
public unsafe partial class Kernel
{
    /// <summary>The struct page array (SPARSEMEM_VMEMMAP: virtually contiguous, indexed by pfn).</summary>
    internal page* vmemmap;

    /// <summary>Where physical address 0 appears: the direct map's PAGE_OFFSET.</summary>
    internal byte* PAGE_OFFSET;

    /// <summary>One past the highest pfn of RAM.</summary>
    internal ulong max_pfn;
}
