using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using Emu.Kernel;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;
using K = Emu.Kernel.Kernel;

namespace Emu.Diagnostics;

/// <summary>The machine's memory state broke an invariant the kernel relies on.</summary>
public sealed class InvariantViolationException(IReadOnlyList<string> violations)
    : Exception("kernel state invariants violated:\n  " + string.Join("\n  ", violations))
{
    public IReadOnlyList<string> Violations { get; } = violations;
}

/// <summary>
/// Checks, from every live process's page tables, what 6.12 keeps true between system calls:
/// each page's _mapcount and each folio's mapcount equal the PTEs that map it; references are at
/// least the mappings; a PTE never maps a free page; the zero page is never writable; a writable
/// anonymous PTE maps a PageAnonExclusive page, and an exclusive page has one mapping; an anonymous
/// page sits at its linear index in a VMA whose anon_vma chain holds the folio's anon_vma; the
/// MM_ANONPAGES counter equals the anonymous PTEs.
/// </summary>
internal static unsafe class InvariantChecker
{
    private const int MaxReported = 20;

    // Reused between calls (the checker runs after every system call): cleared, never reallocated.
    [ThreadStatic] private static Dictionary<nint, int>? t_pageMaps, t_folioMaps;
    [ThreadStatic] private static List<nint>? t_vmas;

    public static void Check(Machine machine)
    {
        var k = machine.Kernel;
        var errors = new List<string>();
        var pageMaps = t_pageMaps ??= new Dictionary<nint, int>();
        var folioMaps = t_folioMaps ??= new Dictionary<nint, int>();
        var vmas = t_vmas ??= new List<nint>();
        pageMaps.Clear();
        folioMaps.Clear();
        foreach (var p in machine.ProcessesUnlocked)
        {
            if (p.Mm == null)
                continue;
            long anon;
            // Read the tables and VMAs as /proc/pid/smaps does: under the mmap read lock.
            k.mmap_read_lock(p.Mm);
            try
            {
                vmas.Clear();
                vma_iterator vmi;
                vm_area_struct* vma;
                K.vma_iter_init(&vmi, p.Mm, 0); // VMA_ITERATOR
                while ((vma = k.vma_next(&vmi)) != null) // for_each_vma
                    vmas.Add((nint)vma);
                anon = WalkPresentPtes(k, p, vmas, pageMaps, folioMaps, errors);
            }
            finally
            {
                k.mmap_read_unlock(p.Mm);
            }
            // get_mm_counter reads only the folded count (percpu batch): the exact value is the sum.
            long rss = (long)k.get_mm_counter_sum(p.Mm, MM_ANONPAGES);
            if (rss != anon)
                errors.Add($"{p}: MM_ANONPAGES is {rss} but {anon} anonymous PTEs are present");
        }
        foreach (var (pg, maps) in pageMaps)
        {
            page* page = (page*)pg;
            int mapcount = K.atomic_read(&page->_mapcount) + 1;
            if (mapcount != maps)
                errors.Add($"pfn 0x{k.page_to_pfn(page):x}: _mapcount says {mapcount} mappings, page tables have {maps}");
            if (K.PageAnonExclusive(page) && maps != 1)
                errors.Add($"pfn 0x{k.page_to_pfn(page):x}: PageAnonExclusive but mapped {maps} times");
        }
        foreach (var (f, maps) in folioMaps)
        {
            folio* folio = (folio*)f;
            int mapcount = k.folio_mapcount(folio);
            if (mapcount != maps)
                errors.Add($"folio pfn 0x{k.page_to_pfn(&folio->page):x}: folio_mapcount {mapcount}, page tables {maps}");
            if (K.folio_ref_count(folio) < maps)
                errors.Add($"folio pfn 0x{k.page_to_pfn(&folio->page):x}: {K.folio_ref_count(folio)} references for {maps} mappings");
        }
        if (errors.Count > 0)
        {
            if (errors.Count > MaxReported)
                errors.RemoveRange(MaxReported, errors.Count - MaxReported);
            throw new InvariantViolationException(errors);
        }
    }

    /// <summary>The VMA covering addr (null: none) maps the page at its linear index and links the folio's anon_vma.</summary>
    private static void CheckAnonRmap(Process p, vm_area_struct* vma, ulong addr, page* page, folio* folio, List<string> errors)
    {
        if (vma == null)
        {
            errors.Add($"{p}: anonymous page at 0x{addr:x} outside every VMA");
            return;
        }
        ulong expected = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
        ulong index = folio->index + K.folio_page_idx(folio, page);
        if (index != expected)
            errors.Add($"{p}: page at 0x{addr:x} has index 0x{index:x}, its VMA puts 0x{expected:x} there");
        var anonVma = (anon_vma*)((ulong)folio->mapping & ~(ulong)PAGE_MAPPING_FLAGS);
        list_head* head = &vma->anon_vma_chain;
        for (list_head* pos = head->next; pos != head; pos = pos->next)
        {
            var avc = (anon_vma_chain*)((byte*)pos - offsetof.anon_vma_chain.same_vma);
            if (avc->anon_vma == anonVma)
                return;
        }
        errors.Add($"{p}: anon_vma of the page at 0x{addr:x} is not on its VMA's anon_vma_chain");
    }

    /// <summary>
    /// Checks every present PTE of the user half of p's page tables (4 levels, p4d folded), in
    /// address order, so the VMA covering each address comes from a cursor over p's VMAs (sorted,
    /// as the VMA iterator returns them) instead of a find_vma per page. Returns the anonymous PTEs.
    /// </summary>
    private static long WalkPresentPtes(K k, Process p, List<nint> vmas, Dictionary<nint, int> pageMaps,
        Dictionary<nint, int> folioMaps, List<string> errors)
    {
        long anon = 0;
        int cursor = 0;
        var pgd = (ulong*)p.Mm->pgd;
        for (ulong i = 0; i < 256; i++)
        {
            if ((pgd[i] & _PAGE_PRESENT) == 0)
                continue;
            var pud = (ulong*)k.__va(pgd[i] & PTE_PFN_MASK);
            for (ulong j = 0; j < 512; j++)
            {
                if ((pud[j] & _PAGE_PRESENT) == 0)
                    continue;
                var pmd = (ulong*)k.__va(pud[j] & PTE_PFN_MASK);
                for (ulong l = 0; l < 512; l++)
                {
                    if ((pmd[l] & _PAGE_PRESENT) == 0)
                        continue;
                    var ptes = (pte_t*)k.__va(pmd[l] & PTE_PFN_MASK);
                    for (ulong m = 0; m < 512; m++)
                    {
                        pte_t pte = ptes[m];
                        if (!K.pte_present(pte))
                            continue;
                        ulong addr = i << 39 | j << 30 | l << 21 | m << 12;
                        ulong pfn = K.pte_pfn(pte);
                        if (pfn == k.zero_pfn)
                        {
                            if (k.pte_write(pte))
                                errors.Add($"{p}: zero page mapped writable at 0x{addr:x}");
                            continue;
                        }
                        page* page = k.pfn_to_page(pfn);
                        folio* folio = K.page_folio(page);
                        if (K.folio_ref_count(folio) <= 0 || PageBuddy(&folio->page))
                        {
                            errors.Add($"{p}: PTE at 0x{addr:x} maps free pfn 0x{pfn:x}");
                            continue;
                        }
                        CollectionsMarshal.GetValueRefOrAddDefault(pageMaps, (nint)page, out _)++;
                        CollectionsMarshal.GetValueRefOrAddDefault(folioMaps, (nint)folio, out _)++;
                        if (!K.folio_test_anon(folio))
                            continue;
                        anon++;
                        if (k.pte_write(pte) && !K.PageAnonExclusive(page))
                            errors.Add($"{p}: writable PTE at 0x{addr:x} maps pfn 0x{pfn:x} without PageAnonExclusive");
                        if (K.folio_test_ksm(folio))
                            continue;
                        // find_vma(mm, addr): the first VMA ending above addr, if it starts at or below it.
                        while (cursor < vmas.Count && ((vm_area_struct*)vmas[cursor])->vm_end <= addr)
                            cursor++;
                        var vma = cursor < vmas.Count && ((vm_area_struct*)vmas[cursor])->vm_start <= addr
                            ? (vm_area_struct*)vmas[cursor] : null;
                        CheckAnonRmap(p, vma, addr, page, folio, errors);
                    }
                }
            }
        }
        return anon;
    }
}
