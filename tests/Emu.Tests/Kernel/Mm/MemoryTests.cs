using System.Linq;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Tests.Kernel.Mm;

/// <summary>
/// mm/memory.c faults on a private anonymous vma (MmHarness), with the kernel state each step must
/// leave, from the 6.12.117 C (function cited per assertion).
/// </summary>
public unsafe class MemoryTests
{
    private const ulong Addr = MmHarness.Start + 3 * PAGE_SIZE + 0x123;

    [Test]
    public void ReadFaultMapsTheZeroPage()
    {
        using var h = new MmHarness();
        var k = h.Kernel;
        long free0 = k.nr_free_pages();
        uint ret = h.Fault(Addr, write: false);
        pte_t pte = h.Pte(Addr);
        Assert.Multiple(() =>
        {
            Assert.That(ret, Is.Zero);
            // do_anonymous_page, !FAULT_FLAG_WRITE: pte_mkspecial(pfn_pte(my_zero_pfn(addr), vm_page_prot)).
            Assert.That(pte_pfn(pte), Is.EqualTo(k.zero_pfn));
            Assert.That(pte_special(pte), Is.True);
            Assert.That(pte_present(pte), Is.True);
            // vm_get_page_prot(VM_READ|VM_WRITE) of a private mapping is PAGE_COPY: not writable.
            Assert.That(k.pte_write(pte), Is.False);
            // vm_normal_page: a special pte of the zero pfn has no "normal" page.
            Assert.That(k.vm_normal_page(h.Vma, Addr & PAGE_MASK, pte) == null);
            // No folio was allocated or counted: only the pud, pmd and pte tables.
            Assert.That(k.nr_free_pages(), Is.EqualTo(free0 - 3));
            Assert.That(k.get_mm_counter_sum(h.Mm, MM_ANONPAGES), Is.Zero);
            Assert.That(h.Vma->anon_vma == null, "the zero-page path never calls vmf_anon_prepare");
        });
        // A second read fault on the same pte is spurious: handle_pte_fault finds it present and
        // only sets Accessed (pte_mkyoung); nothing is allocated.
        Assert.That(h.Fault(Addr, write: false), Is.Zero);
        Assert.That(pte_pfn(h.Pte(Addr)), Is.EqualTo(k.zero_pfn));
        Assert.That(k.nr_free_pages(), Is.EqualTo(free0 - 3));
    }

    [Test]
    public void SanitizeFaultFlagsRejectsWhatCannotHappen()
    {
        using var h = new MmHarness();
        var k = h.Kernel;
        uint flags = (uint)(FAULT_FLAG_UNSHARE | FAULT_FLAG_WRITE);
        // memory.c sanitize_fault_flags: UNSHARE together with WRITE is a WARN and SIGSEGV.
        Assert.That(k.sanitize_fault_flags(h.Vma, &flags), Is.EqualTo((uint)VM_FAULT_SIGSEGV));
        Assert.That(h.Machine.Warnings, Has.Count.EqualTo(1));
        // UNSHARE on a COW mapping (VM_MAYWRITE, !VM_SHARED) stays; is_cow_mapping holds for the harness vma.
        flags = (uint)FAULT_FLAG_UNSHARE;
        Assert.That(k.sanitize_fault_flags(h.Vma, &flags), Is.Zero);
        Assert.That(flags, Is.EqualTo((uint)FAULT_FLAG_UNSHARE));
        // Without VM_MAYWRITE the mapping is not COW: UNSHARE is dropped (a read fault).
        h.Vma->__vm_flags &= ~(ulong)VM_MAYWRITE;
        Assert.That(k.sanitize_fault_flags(h.Vma, &flags), Is.Zero);
        Assert.That(flags, Is.Zero);
    }

    [Test]
    public void WriteFaultAllocatesAnExclusiveAnonFolio()
    {
        using var h = new MmHarness();
        var k = h.Kernel;
        long free0 = k.nr_free_pages();
        MmHarness.NeedsLandedAreas(() => h.Fault(Addr, write: true));
        pte_t pte = h.Pte(Addr);
        page* page = k.pfn_to_page(pte_pfn(pte));
        folio* folio = page_folio(page);
        Assert.Multiple(() =>
        {
            // do_anonymous_page: mk_pte + pte_mkwrite(pte_mkdirty()) for a VM_WRITE vma.
            Assert.That(k.pte_write(pte) && pte_dirty(pte), Is.True);
            Assert.That(pte_special(pte), Is.False);
            // folio_prealloc: the page table's reference; folio_add_lru_vma -> folio_add_lru takes one
            // more while the folio sits in the per-CPU lru_add batch (mm/swap.c folio_add_lru: folio_get).
            Assert.That(folio_ref_count(folio), Is.EqualTo(2));
            // folio_add_new_anon_rmap(RMAP_EXCLUSIVE): mapcount 1, anon, PageAnonExclusive.
            Assert.That(k.folio_mapcount(folio), Is.EqualTo(1));
            Assert.That(folio_test_anon(folio) && PageAnonExclusive(page), Is.True);
            // add_mm_counter(MM_ANONPAGES, nr_pages).
            Assert.That(k.get_mm_counter_sum(h.Mm, MM_ANONPAGES), Is.EqualTo(1UL));
            Assert.That(k.nr_free_pages(), Is.EqualTo(free0 - 4));
        });
        // folio_add_lru_vma -> __folio_batch_add_and_move held a folio_get() while the folio sat in the
        // per-CPU lru_add batch: lru_add_drain moves the batch onto the LRU and drops that reference.
        Assert.That(folio_test_lru(folio), Is.False, "still in the per-CPU batch");
        k.lru_add_drain();
        Assert.That(folio_ref_count(folio), Is.EqualTo(1));
        Assert.That(folio_test_lru(folio), Is.True);
    }

    [Test]
    public void ZapThenFreePgdRangeGiveBackEveryFrame()
    {
        using var h = new MmHarness();
        var k = h.Kernel;
        long free0 = k.nr_free_pages();
        Assert.That(h.Fault(Addr, write: false), Is.Zero);
        ulong len = h.Vma->vm_end - h.Vma->vm_start;

        k.zap_page_range_single(h.Vma, h.Vma->vm_start, len, null);
        Assert.Multiple(() =>
        {
            // zap_present_ptes: the zero page has no normal page, its pte is just cleared.
            Assert.That(h.Pte(Addr).pte, Is.Zero);
            // The tables stay until free_pgtables/free_pgd_range.
            Assert.That(mm_pgtables_bytes(h.Mm), Is.EqualTo(3UL * 4096));
            // tlb_finish_mmu -> dec_tlb_flush_pending balances __tlb_gather_mmu's inc.
            Assert.That(h.Mm->tlb_flush_pending.counter, Is.Zero);
        });

        mmu_gather tlb;
        k.tlb_gather_mmu(&tlb, h.Mm);
        // floor FIRST_USER_ADDRESS (0), ceiling USER_PGTABLES_CEILING (0): nothing else needs the tables.
        k.free_pgd_range(&tlb, h.Vma->vm_start, h.Vma->vm_end, 0, 0);
        Assert.That(tlb.freed_tables, Is.EqualTo(1u), "pte_free_tlb sets tlb->freed_tables");
        k.tlb_finish_mmu(&tlb);
        Assert.Multiple(() =>
        {
            // free_pte_range/free_pmd_range/free_pud_range: mm_dec_nr_* for each level.
            Assert.That(mm_pgtables_bytes(h.Mm), Is.Zero);
            // The three table pages went through the gather (___p*_free_tlb -> tlb_remove_page).
            Assert.That(k.nr_free_pages(), Is.EqualTo(free0));
            Assert.That(h.Mm->pgd[k.pgd_index(Addr)].pgd, Is.Zero);
        });
        k.mmput(h.Mm);
        Assert.That(h.Machine.KernelLog.Where(l => l.StartsWith("BUG")), Is.Empty);
        Assert.That(h.Machine.Warnings, Is.Empty);
    }

    [Test]
    public void ForkSharesThenChildCopiesAndParentReuses()
    {
        using var h = new MmHarness();
        var k = h.Kernel;
        Assert.That(h.Fault(Addr, write: true), Is.Zero);
        k.lru_add_drain();
        pte_t ppte = h.Pte(Addr);
        page* page = k.pfn_to_page(pte_pfn(ppte));
        folio* folio = page_folio(page);

        vm_area_struct* cvma = h.ForkVma(out mm_struct* child);
        pte_t cpte = h.Pte(child, Addr);
        ppte = h.Pte(Addr);
        Assert.Multiple(() =>
        {
            // copy_present_ptes: folio_get + folio_try_dup_anon_rmap_pte (mapcount +1, exclusive cleared).
            Assert.That(folio_ref_count(folio), Is.EqualTo(2));
            Assert.That(k.folio_mapcount(folio), Is.EqualTo(2));
            Assert.That(PageAnonExclusive(page), Is.False);
            // __copy_present_ptes: a COW mapping's writable pte is write-protected on both sides.
            Assert.That(k.pte_write(ppte) || k.pte_write(cpte), Is.False);
            Assert.That(pte_pfn(cpte), Is.EqualTo(pte_pfn(ppte)));
            // pte_mkold on the child's copy.
            Assert.That(pte_young(cpte), Is.False);
            // add_mm_rss_vec(dst_mm, rss): MM_ANONPAGES 1 in the child.
            Assert.That(k.get_mm_counter_sum(child, MM_ANONPAGES), Is.EqualTo(1UL));
        });

        // Child writes: not exclusive and refcount 2 > 1, so wp_page_copy gives it its own folio.
        Assert.That(h.Fault(cvma, Addr, write: true), Is.Zero);
        k.lru_add_drain();
        cpte = h.Pte(child, Addr);
        Assert.Multiple(() =>
        {
            Assert.That(pte_pfn(cpte), Is.Not.EqualTo(pte_pfn(ppte)));
            Assert.That(k.pte_write(cpte), Is.True);
            Assert.That(PageAnonExclusive(k.pfn_to_page(pte_pfn(cpte))), Is.True);
            // wp_page_copy: folio_remove_rmap_pte + folio_put on the old folio.
            Assert.That(folio_ref_count(folio), Is.EqualTo(1));
            Assert.That(k.folio_mapcount(folio), Is.EqualTo(1));
        });

        // Parent writes: wp_can_reuse_anon_folio (small, not KSM, refcount 1, trylock) -> reuse in place.
        Assert.That(h.Fault(Addr, write: true), Is.Zero);
        ppte = h.Pte(Addr);
        Assert.Multiple(() =>
        {
            Assert.That(pte_pfn(ppte), Is.EqualTo(k.page_to_pfn(page)));
            Assert.That(k.pte_write(ppte), Is.True);
            // do_wp_page: SetPageAnonExclusive on reuse.
            Assert.That(PageAnonExclusive(page), Is.True);
            Assert.That(folio_ref_count(folio), Is.EqualTo(1));
        });

        // Zap both: rss back to 0 (zap_present_folio_ptes rss[MM_ANONPAGES] -= nr).
        k.zap_page_range_single(cvma, cvma->vm_start, cvma->vm_end - cvma->vm_start, null);
        k.zap_page_range_single(h.Vma, h.Vma->vm_start, h.Vma->vm_end - h.Vma->vm_start, null);
        Assert.That(k.get_mm_counter_sum(child, MM_ANONPAGES), Is.Zero);
        Assert.That(k.get_mm_counter_sum(h.Mm, MM_ANONPAGES), Is.Zero);
        Assert.That(h.Machine.Warnings, Is.Empty);
    }
}
