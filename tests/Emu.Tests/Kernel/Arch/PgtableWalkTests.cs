using System;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;
using KC = Emu.Kernel.KernelConstants;

namespace Emu.Tests.Kernel.Arch;

/// <summary>
/// Walking a 4-level table built by hand in arena frames (include/linux/pgtable.h index/offset
/// helpers, p4d folded at run time as arch/x86 does without LA57), and the entry primitives on
/// real table memory. Expected pointers are computed from the frame numbers and the documented
/// shifts 39/30/21/12 with 9 index bits each.
/// </summary>
public unsafe class PgtableWalkTests
{
    private const ulong TableFlags = 0x67; // _PAGE_TABLE: P|RW|USER|A|D (pgtable_types.h:231)
    private const ulong PgdPfn = 10, PudPfn = 11, PmdPfn = 12, PtePfn = 13, DataPfn = 14;

    private static ulong Index(ulong addr, int shift) => (addr >> shift) & 511;

    [Test]
    public void IndicesAreNineBitFieldsOfTheAddress()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 16UL << 20 });
        var k = machine.Kernel;
        var rng = new Random(4);
        for (int i = 0; i < 5000; i++)
        {
            ulong addr = (ulong)rng.NextInt64() & ((1UL << 47) - 1);
            Assert.Multiple(() =>
            {
                Assert.That(pte_index(addr), Is.EqualTo(Index(addr, 12)));
                Assert.That(pmd_index(addr), Is.EqualTo(Index(addr, 21)));
                Assert.That(pud_index(addr), Is.EqualTo(Index(addr, 30)));
                Assert.That(k.pgd_index(addr), Is.EqualTo(Index(addr, 39)));
                // PTRS_PER_P4D is 1 without LA57 (arch/x86/kernel/head64.c: ptrs_per_p4d = 1).
                Assert.That(k.p4d_index(addr), Is.EqualTo(0UL));
            });
        }
        Assert.That(k.pgtable_l5_enabled(), Is.False);
        Assert.That(k.mm_p4d_folded(null), Is.True);
        Assert.That(k.PGDIR_SIZE, Is.EqualTo(1UL << 39));
    }

    [Test]
    public void AddrEndStopsAtTheNextBoundaryOrEnd()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 16UL << 20 });
        var k = machine.Kernel;
        Assert.Multiple(() =>
        {
            Assert.That(pmd_addr_end(0x201000, 0x800000), Is.EqualTo(0x400000UL));
            Assert.That(pmd_addr_end(0x201000, 0x300000), Is.EqualTo(0x300000UL));
            Assert.That(pud_addr_end(0x4000_1000, ulong.MaxValue), Is.EqualTo(0x8000_0000UL));
            Assert.That(k.pgd_addr_end(0x80_0000_1000, ulong.MaxValue), Is.EqualTo(0x100_0000_0000UL));
            // The boundary wraps to 0 at the top: end - 1 comparison picks end (pgtable.h:1199-1202).
            Assert.That(k.pgd_addr_end(0xFFFF_FF80_0000_1000, 0), Is.EqualTo(0UL));
        });
    }

    private sealed class Tables : IDisposable
    {
        public readonly Machine Machine = new(new MachineOptions { MemoryBytes = 16UL << 20 });
        public Emu.Kernel.Kernel K => Machine.Kernel;
        public mm_struct Mm;

        public Tables()
        {
            foreach (var pfn in new[] { PgdPfn, PudPfn, PmdPfn, PtePfn, DataPfn })
                new Span<byte>(K.page_address(Machine.PageOf(pfn)), 4096).Clear();
            Mm.pgd = (pgd_t*)Frame(PgdPfn);
        }

        public byte* Frame(ulong pfn) => (byte*)K.__va(pfn << 12);

        public void Map(ulong addr)
        {
            ((ulong*)Frame(PgdPfn))[Index(addr, 39)] = (PudPfn << 12) | TableFlags;
            ((ulong*)Frame(PudPfn))[Index(addr, 30)] = (PmdPfn << 12) | TableFlags;
            ((ulong*)Frame(PmdPfn))[Index(addr, 21)] = (PtePfn << 12) | TableFlags;
        }

        public void Dispose() => Machine.Dispose();
    }

    [Test]
    public void OffsetsWalkDownToTheEntryOfTheAddress()
    {
        using var t = new Tables();
        var k = t.K;
        ulong addr = 0x7f12_3456_7000UL | 0x123;
        t.Map(addr);
        fixed (mm_struct* mm = &t.Mm)
        {
            pgd_t* pgd = k.pgd_offset(mm, addr);
            Assert.That((ulong)pgd, Is.EqualTo((ulong)(t.Frame(PgdPfn) + 8 * Index(addr, 39))));
            // Folded p4d: the pgd entry itself (pgtable.h:1202-1207), always present, never none/bad.
            p4d_t* p4d = k.p4d_offset(pgd, addr);
            Assert.That((ulong)p4d, Is.EqualTo((ulong)pgd));
            Assert.That(k.pgd_present(*pgd) && !k.pgd_none(*pgd) && !k.pgd_bad(*pgd), Is.True);
            Assert.That(p4d_present(*p4d) && !p4d_none(*p4d) && !p4d_bad(*p4d), Is.True);

            pud_t* pud = k.pud_offset(p4d, addr);
            Assert.That((ulong)pud, Is.EqualTo((ulong)(t.Frame(PudPfn) + 8 * Index(addr, 30))));
            pmd_t* pmd = k.pmd_offset(pud, addr);
            Assert.That((ulong)pmd, Is.EqualTo((ulong)(t.Frame(PmdPfn) + 8 * Index(addr, 21))));
            Assert.That((ulong)k.pmd_off(mm, addr), Is.EqualTo((ulong)pmd));
            pte_t* pte = k.pte_offset_kernel(pmd, addr);
            Assert.That((ulong)pte, Is.EqualTo((ulong)(t.Frame(PtePfn) + 8 * Index(addr, 12))));
            Assert.That((ulong)k.pmd_page(*pmd), Is.EqualTo((ulong)t.Machine.PageOf(PtePfn)));

            set_pte_at(mm, addr, pte, k.pfn_pte(DataPfn, PAGE_SHARED));
            Assert.That(*(ulong*)(t.Frame(PtePfn) + 8 * Index(addr, 12)), Is.EqualTo((DataPfn << 12) | 0x8000000000000027UL));
            Assert.That((ulong)k.pte_page(ptep_get(pte)), Is.EqualTo((ulong)t.Machine.PageOf(DataPfn)));

            // pte_offset_map: the same entry, inside an RCU read-side section until pte_unmap.
            Assert.That(rcu_read_lock_depth, Is.EqualTo(0));
            pte_t* mapped = k.pte_offset_map(pmd, addr);
            Assert.That((ulong)mapped, Is.EqualTo((ulong)pte));
            Assert.That(rcu_read_lock_depth, Is.EqualTo(1));
            pte_unmap(mapped);
            Assert.That(rcu_read_lock_depth, Is.EqualTo(0));
        }
        Assert.That(t.Machine.Warnings, Is.Empty);
    }

    [Test]
    public void PteOffsetMapFindsNoTableUnderNoneHugeBadOrMigratingPmds()
    {
        using var t = new Tables();
        var k = t.K;
        ulong addr = 0x4000_0000UL;
        t.Map(addr);
        var pmd = (pmd_t*)(t.Frame(PmdPfn) + 8 * Index(addr, 21));
        pmd_t seen;

        // mm/pgtable-generic.c:282-306.
        *pmd = __pmd(0);
        Assert.That((ulong)k.__pte_offset_map(pmd, addr, &seen), Is.EqualTo(0UL), "pmd_none");
        Assert.That(pmd_val(seen), Is.EqualTo(0UL));

        *pmd = __pmd((512UL << 12) | TableFlags | KC._PAGE_PSE);
        Assert.That((ulong)k.pte_offset_map(pmd, addr), Is.EqualTo(0UL), "trans-huge");

        *pmd = swp_entry_to_pmd(make_writable_migration_entry(77));
        Assert.That((ulong)k.pte_offset_map(pmd, addr), Is.EqualTo(0UL), "migration entry");
        Assert.That(pmd_val(*pmd), Is.Not.EqualTo(0UL), "left in place");
        Assert.That(t.Machine.KernelLog, Is.Empty);

        // Bad (no RW): reported with pmd_ERROR and cleared (pmd_clear_bad, pgtable-generic.c:41-45).
        *pmd = __pmd((PtePfn << 12) | 0x65);
        Assert.That((ulong)k.pte_offset_map(pmd, addr), Is.EqualTo(0UL), "bad");
        Assert.That(pmd_val(*pmd), Is.EqualTo(0UL));
        Assert.That(t.Machine.KernelLog, Has.Count.EqualTo(1));
        Assert.That(t.Machine.KernelLog[0], Does.Contain("bad pmd").And.Contain("000000000000d065"));

        Assert.That(rcu_read_lock_depth, Is.EqualTo(0), "every failed map left its RCU section");
    }

    [Test]
    public void EntryPrimitivesActOnTableMemory()
    {
        using var t = new Tables();
        var k = t.K;
        ulong addr = 0x1000;
        t.Map(addr);
        var vma = new vm_area_struct();
        fixed (mm_struct* mm = &t.Mm)
        {
            vma.vm_mm = mm;
            var pte = (pte_t*)(t.Frame(PtePfn) + 8 * Index(addr, 12));
            ulong dirtyRw = (DataPfn << 12) | 0x67 | (1UL << 63); // P|RW|USER|A|D|NX

            set_pte_at(mm, addr, pte, __pte(dirtyRw));
            // ptep_set_wrprotect (pgtable.h:1303-1316): RW off, Dirty -> SavedDirty, in place.
            ptep_set_wrprotect(mm, addr, pte);
            Assert.That(pte->pte, Is.EqualTo((dirtyRw & ~0x42UL) | (1UL << 58)));

            // ptep_test_and_clear_young (arch/x86/mm/pgtable.c:557-567): 1 and clears A, then 0.
            Assert.That(ptep_test_and_clear_young(&vma, addr, pte), Is.EqualTo(1));
            Assert.That(pte->pte & 0x20, Is.EqualTo(0UL));
            Assert.That(ptep_clear_flush_young(&vma, addr, pte), Is.EqualTo(0));

            // ptep_set_access_flags writes only a changed entry, and only when dirty != 0.
            var writable = __pte(dirtyRw);
            Assert.That(ptep_set_access_flags(&vma, addr, pte, writable, 0), Is.EqualTo(1));
            Assert.That(pte->pte, Is.Not.EqualTo(dirtyRw));
            Assert.That(ptep_set_access_flags(&vma, addr, pte, writable, 1), Is.EqualTo(1));
            Assert.That(pte->pte, Is.EqualTo(dirtyRw));
            Assert.That(ptep_set_access_flags(&vma, addr, pte, writable, 1), Is.EqualTo(0));

            // ptep_clear_flush returns the old entry and leaves none (pgtable-generic.c:94-103).
            Assert.That(pte_val(ptep_clear_flush(&vma, addr, pte)), Is.EqualTo(dirtyRw));
            Assert.That(pte_none(ptep_get(pte)), Is.True);

            // set_ptes advances the pfn entry by entry (pgtable.h:268-280).
            set_ptes(mm, addr, pte, k.pfn_pte(DataPfn, PAGE_READONLY), 3);
            for (int i = 0; i < 3; i++)
                Assert.That(pte_pfn(pte[i]), Is.EqualTo(DataPfn + (ulong)i));
            Assert.That(pte_val(ptep_get_and_clear_full(mm, addr, pte + 1, 1)) >> 12 & 0xFFFFFFFFFF, Is.EqualTo(DataPfn + 1));
            pte_clear(mm, addr, pte + 2);
            ptep_clear(mm, addr, pte);
            Assert.That(pte[0].pte | pte[1].pte | pte[2].pte, Is.EqualTo(0UL));

            // pmd level: wrprotect in place and an atomic establish.
            var pmd = (pmd_t*)(t.Frame(PmdPfn) + 8 * Index(addr, 21));
            var huge = pmd_mkdirty(pmd_mkhuge(k.pfn_pmd(512, PAGE_SHARED)));
            set_pmd_at(mm, addr, pmd, huge);
            pmdp_set_wrprotect(mm, addr, pmd);
            Assert.That(k.pmd_write(huge) && !k.pmd_write(*pmd) && pmd_dirty(*pmd), Is.True);
            Assert.That(pmd_val(pmdp_establish(&vma, addr, pmd, __pmd(0))), Is.EqualTo(pmd_val(pmd_wrprotect(huge))));
            Assert.That(pmd_none(*pmd), Is.True);
        }
    }
}
