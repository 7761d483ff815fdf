// SPDX-License-Identifier: GPL-2.0-only
// The cache-flush hooks of Linux 6.12.117 include/asm-generic/cacheflush.h (and flush_anon_page from
// include/linux/highmem.h). On x86_64 they are the generic empty inlines; a machine built on the
// aliasing VIPT model (src/Emu/Arch/CacheModels/AliasingDCache.cs) gets that arch's behaviour
// instead, so the transliterated callers stay exactly where upstream has them.
using Emu.Arch.CacheModels;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    /// <summary>The machine's aliasing D-cache, or null on x86_64 (PIPT: every hook is empty).</summary>
    internal AliasingDCache? arch_dcache;

    [Upstream("include/asm-generic/cacheflush.h", "flush_cache_mm", "257c1be96ae69f4b")]
    internal void flush_cache_mm(mm_struct* mm)
    {
        arch_dcache?.FlushAll();
    }

    [Upstream("include/asm-generic/cacheflush.h", "flush_cache_dup_mm", "257c1be96ae69f4b")]
    internal void flush_cache_dup_mm(mm_struct* mm)
    {
        arch_dcache?.FlushAll();
    }

    [Upstream("include/asm-generic/cacheflush.h", "flush_cache_range", "257c1be96ae69f4b")]
    internal void flush_cache_range(vm_area_struct* vma, ulong start, ulong end)
    {
        arch_dcache?.FlushAll();
    }

    [Upstream("include/asm-generic/cacheflush.h", "flush_cache_page", "257c1be96ae69f4b")]
    internal void flush_cache_page(vm_area_struct* vma, ulong vmaddr, ulong pfn)
    {
        arch_dcache?.FlushAlias(pfn, vmaddr);
    }

    // Anonymous pages have no kernel-side dirty lines in the model: nothing to write back (see the model's rules).
    [Upstream("include/asm-generic/cacheflush.h", "flush_dcache_page", "257c1be96ae69f4b")]
    internal void flush_dcache_page(page* page)
    {
    }

    [Upstream("include/linux/highmem.h", "flush_anon_page", "257c1be96ae69f4b")]
    internal void flush_anon_page(vm_area_struct* vma, page* page, ulong vmaddr)
    {
        arch_dcache?.FlushAlias(page_to_pfn(page), vmaddr);
    }
}
