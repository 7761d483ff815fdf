using System;
using System.Collections.Generic;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;
using KC = Emu.Kernel.KernelConstants;

namespace Emu.Tests.Kernel.Arch;

/// <summary>
/// x86_64 pte encodings (arch/x86/include/asm/pgtable_types.h, pgtable.h, pgtable-invert.h,
/// arch/x86/mm/pgtable.c, pgprot.c). Expectations are the documented bit positions, written out
/// here as literals, and the rules the C states; file:line refer to the 6.12.117 tree.
/// </summary>
public unsafe class PteEncodingTests
{
    // pgtable_types.h:10-30 (_PAGE_BIT_*), :32-49 (the software aliases), :39 SavedDirty = SOFTW5 = 58.
    private const ulong P = 1UL << 0, RW = 1UL << 1, USER = 1UL << 2, PWT = 1UL << 3, PCD = 1UL << 4,
        A = 1UL << 5, D = 1UL << 6, PSE = 1UL << 7, PAT = 1UL << 7, G = 1UL << 8, PROTNONE = 1UL << 8,
        SPECIAL = 1UL << 9, UFFD_WP = 1UL << 10, SOFT_DIRTY = 1UL << 11, DEVMAP = 1UL << 57,
        SAVED_DIRTY = 1UL << 58, NX = 1UL << 63;

    // Physical addresses are 52 bits (page_64_types.h __PHYSICAL_MASK_SHIFT): pfn bits 12..51.
    private const ulong PfnBits = ((1UL << 52) - 1) & ~0xFFFUL;

    private static Machine NewMachine() => new(new MachineOptions { MemoryBytes = 16UL << 20 });

    private static ulong RandomPfn(Random rng) => (ulong)rng.NextInt64(0, 1L << 40);

    private static pgprot Prot(ulong v) => new pgprot { pgprot_ = v };

    [Test]
    public void FlagBitsAreTheDocumentedPositions()
    {
        Assert.Multiple(() =>
        {
            Assert.That(KC._PAGE_PRESENT, Is.EqualTo(P));
            Assert.That(KC._PAGE_RW, Is.EqualTo(RW));
            Assert.That(KC._PAGE_USER, Is.EqualTo(USER));
            Assert.That(KC._PAGE_ACCESSED, Is.EqualTo(A));
            Assert.That(KC._PAGE_DIRTY, Is.EqualTo(D));
            Assert.That(KC._PAGE_PSE, Is.EqualTo(PSE));
            Assert.That(KC._PAGE_PROTNONE, Is.EqualTo(PROTNONE));
            Assert.That(KC._PAGE_SPECIAL, Is.EqualTo(SPECIAL));
            Assert.That(KC._PAGE_UFFD_WP, Is.EqualTo(UFFD_WP));
            Assert.That(KC._PAGE_SOFT_DIRTY, Is.EqualTo(SOFT_DIRTY));
            Assert.That(KC._PAGE_DEVMAP, Is.EqualTo(DEVMAP));
            Assert.That(KC._PAGE_SAVED_DIRTY, Is.EqualTo(SAVED_DIRTY));
            Assert.That(KC._PAGE_NX, Is.EqualTo(NX));
            // Non-present flags reuse RW/USER/PWT (pgtable_types.h:107,114; pgtable_64_types.h:222).
            Assert.That(KC._PAGE_SWP_SOFT_DIRTY, Is.EqualTo(RW));
            Assert.That(KC._PAGE_SWP_UFFD_WP, Is.EqualTo(USER));
            Assert.That(KC._PAGE_SWP_EXCLUSIVE, Is.EqualTo(PWT));
            Assert.That(KC.PTE_PFN_MASK, Is.EqualTo(PfnBits));
            Assert.That(KC.PTE_FLAGS_MASK, Is.EqualTo(~PfnBits));
            // pgtable_types.h:152-156 with _PAGE_CC = 0.
            Assert.That(KC._PAGE_CHG_MASK, Is.EqualTo(PfnBits | PCD | PWT | SPECIAL | A | D | SAVED_DIRTY |
                                                        SOFT_DIRTY | DEVMAP | UFFD_WP | PAT));
        });
    }

    [Test]
    public void UserProtectionsAreUpstreams()
    {
        // pgtable_types.h:206-213.
        Assert.Multiple(() =>
        {
            Assert.That(pgprot_val(PAGE_NONE), Is.EqualTo(A | PROTNONE));
            Assert.That(pgprot_val(PAGE_SHARED), Is.EqualTo(P | RW | USER | A | NX));
            Assert.That(pgprot_val(PAGE_SHARED_EXEC), Is.EqualTo(P | RW | USER | A));
            Assert.That(pgprot_val(PAGE_COPY), Is.EqualTo(P | USER | A | NX));
            Assert.That(pgprot_val(PAGE_COPY_NOEXEC), Is.EqualTo(P | USER | A | NX));
            Assert.That(pgprot_val(PAGE_COPY_EXEC), Is.EqualTo(P | USER | A));
            Assert.That(pgprot_val(PAGE_READONLY), Is.EqualTo(P | USER | A | NX));
            Assert.That(pgprot_val(PAGE_READONLY_EXEC), Is.EqualTo(P | USER | A));
        });
    }

    [Test]
    public void VmGetPageProtFollowsProtectionMap()
    {
        using var machine = NewMachine();
        var k = machine.Kernel;
        // arch/x86/mm/pgprot.c:8-25: private writable mappings are read-only (COW); shared ones writable.
        ulong ro = P | USER | A | NX, rx = P | USER | A, rw = P | RW | USER | A | NX, rwx = P | RW | USER | A;
        var expected = new ulong[16]
        {
            A | PROTNONE, ro, ro, ro, rx, rx, rx, rx,
            A | PROTNONE, ro, rw, rw, rx, rx, rwx, rwx,
        };
        for (ulong flags = 0; flags < 16; flags++)
            Assert.That(pgprot_val(k.vm_get_page_prot(flags)), Is.EqualTo(expected[flags]), $"vm_flags {flags:x}");
        // pgprot.c:47-54: VM_PKEY_BIT0..3 (vm_flags bits 32..35) become pte bits 59..62.
        Assert.That(pgprot_val(k.vm_get_page_prot(KC.VM_READ | (0b1010UL << 32))), Is.EqualTo(ro | (0b1010UL << 59)));
    }

    [Test]
    public void SavedDirtyShiftMovesDirtyOnlyOnReadOnlyEntries()
    {
        // pgtable.h:404-423: cond = !RW moves D to SavedDirty; cond = RW moves SavedDirty back to D.
        var rng = new Random(58);
        for (int i = 0; i < 4000; i++)
        {
            ulong v = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40);
            bool w = (v & RW) != 0, d = (v & D) != 0, sd = (v & SAVED_DIRTY) != 0;
            ulong rest = v & ~(D | SAVED_DIRTY);

            ulong mk = rest | (!w ? ((d || sd) ? SAVED_DIRTY : 0) : (d ? D : 0) | (sd ? SAVED_DIRTY : 0));
            Assert.That(mksaveddirty_shift(v), Is.EqualTo(mk), $"mksaveddirty_shift({v:x16})");

            ulong clr = rest | (w ? ((d || sd) ? D : 0) : (d ? D : 0) | (sd ? SAVED_DIRTY : 0));
            Assert.That(clear_saveddirty_shift(v), Is.EqualTo(clr), $"clear_saveddirty_shift({v:x16})");
        }
    }

    [Test]
    public void WrprotectMovesDirtyToSavedDirtyAndMkwriteMovesItBack()
    {
        var vma = new vm_area_struct();
        ulong pfn = 0x12345;
        var pte = __pte((pfn << 12) | P | RW | USER | A | D | NX);

        // pgtable.h:440-450: RW cleared, then Dirty -> SavedDirty (no Write=0,Dirty=1 entry).
        var wp = pte_wrprotect(pte);
        Assert.That(pte_val(wp), Is.EqualTo((pfn << 12) | P | USER | A | SAVED_DIRTY | NX));
        Assert.That(pte_dirty(wp), Is.True, "SavedDirty still counts as dirty (pgtable.h:153, _PAGE_DIRTY_BITS)");

        // pgtable.h:503: pte_mkwrite_novma only sets RW; SavedDirty stays where it is.
        Assert.That(pte_val(pte_mkwrite_novma(wp)), Is.EqualTo(pte_val(wp) | RW));

        // arch/x86/mm/pgtable.c:902-910: pte_mkwrite also moves SavedDirty back to Dirty.
        Assert.That(pte_val(pte_mkwrite(wp, &vma)), Is.EqualTo(pte_val(pte)));

        // A clean writable pte write-protects without any dirty bit.
        var clean = __pte((pfn << 12) | P | RW | USER | A);
        Assert.That(pte_val(pte_wrprotect(clean)), Is.EqualTo((pfn << 12) | P | USER | A));
        Assert.That(pte_dirty(pte_wrprotect(clean)), Is.False);

        // VM_SHADOW_STACK (mm.h: VM_HIGH_ARCH_5, bit 37): Write=0,Dirty=1 on purpose.
        vma.__vm_flags = 1UL << 37;
        Assert.That(pte_val(pte_mkwrite(clean, &vma)), Is.EqualTo((pfn << 12) | P | USER | A | D));
    }

    [Test]
    public void MkdirtyOnAReadOnlyEntrySetsSavedDirty()
    {
        // pgtable.h:484-489: Dirty and SoftDirty set, then the SavedDirty shift for Write=0.
        var ro = __pte((7UL << 12) | P | USER | A);
        Assert.That(pte_val(pte_mkdirty(ro)), Is.EqualTo((7UL << 12) | P | USER | A | SOFT_DIRTY | SAVED_DIRTY));
        var rw = __pte((7UL << 12) | P | RW | USER | A);
        Assert.That(pte_val(pte_mkdirty(rw)), Is.EqualTo((7UL << 12) | P | RW | USER | A | SOFT_DIRTY | D));
        // pgtable.h:469: mkclean clears both dirty bits; soft-dirty is separate.
        Assert.That(pte_val(pte_mkclean(pte_mkdirty(ro))), Is.EqualTo((7UL << 12) | P | USER | A | SOFT_DIRTY));
        Assert.That(pte_val(pte_clear_soft_dirty(pte_mkdirty(rw))), Is.EqualTo((7UL << 12) | P | RW | USER | A | D));
        // pgtable.h:458: uffd-wp sets its bit and write-protects.
        Assert.That(pte_val(pte_mkuffd_wp(pte_mkdirty(rw))),
            Is.EqualTo((7UL << 12) | P | USER | A | SOFT_DIRTY | SAVED_DIRTY | UFFD_WP));
        Assert.That(pte_uffd_wp(pte_mkuffd_wp(rw)) && !pte_uffd_wp(pte_clear_uffd_wp(pte_mkuffd_wp(rw))), Is.True);
    }

    [Test]
    public void FlagTestsReadTheirBits()
    {
        using var machine = NewMachine();
        var k = machine.Kernel;
        var pte = __pte((3UL << 12) | P | RW | USER | A | D | SPECIAL | SOFT_DIRTY | UFFD_WP | PSE | G);
        Assert.Multiple(() =>
        {
            Assert.That(pte_young(pte) && pte_dirty(pte) && k.pte_write(pte) && pte_special(pte), Is.True);
            Assert.That(pte_soft_dirty(pte) && pte_uffd_wp(pte) && pte_huge(pte) && pte_global(pte), Is.True);
            Assert.That(pte_exec(pte), Is.True, "NX clear");
            Assert.That(pte_exec(pte_set_flags(pte, NX)), Is.False);
            Assert.That(pte_young(pte_mkold(pte)), Is.False);
            Assert.That(pte_val(pte_mkyoung(pte_mkold(pte))), Is.EqualTo(pte_val(pte)));
            Assert.That(pte_val(pte_mkexec(pte_set_flags(pte, NX))), Is.EqualTo(pte_val(pte)));
            Assert.That(pte_val(pte_mkspecial(__pte(P))), Is.EqualTo(P | SPECIAL));
            Assert.That(pte_val(pte_mksoft_dirty(__pte(P))), Is.EqualTo(P | SOFT_DIRTY));
            Assert.That(pte_val(pte_mkhuge(__pte(P))), Is.EqualTo(P | PSE));
            Assert.That(pte_flags(pte), Is.EqualTo(pte_val(pte) & ~PfnBits));
            Assert.That(pgprot_val(pte_pgprot(pte)), Is.EqualTo(pte_val(pte) & ~PfnBits));
            // pgtable.h:991: A and D alone are the KNL erratum, still none.
            Assert.That(pte_none(__pte(A | D)), Is.True);
            Assert.That(pte_none(__pte(PWT)), Is.False);
            Assert.That(pte_same(pte, __pte(pte_val(pte))) && !pte_same(pte, pte_mkold(pte)), Is.True);
        });
    }

    [Test]
    public void ShadowStackEntriesAreWritableOnlyOnAShadowStackCpu()
    {
        using var machine = NewMachine();
        var k = machine.Kernel;
        var shstk = __pte((9UL << 12) | P | USER | A | D); // Write=0,Dirty=1
        // The emulated CPU has no X86_FEATURE_SHSTK (16*32+7): pte_shstk is false (pgtable.h:156).
        Assert.That(k.pte_write(shstk), Is.False);
        k.x86_capability[16] |= 1u << 7;
        Assert.That(k.pte_shstk(shstk) && k.pte_write(shstk), Is.True);
        Assert.That(k.pte_write(pte_wrprotect(__pte(pte_val(shstk) | RW))), Is.False, "wrprotect never makes one");
    }

    [Test]
    public void PfnPteRoundTripsBelowThePhysicalMask()
    {
        using var machine = NewMachine();
        var k = machine.Kernel;
        var rng = new Random(40);
        var prots = new[] { PAGE_READONLY, PAGE_SHARED, PAGE_COPY_EXEC, PAGE_SHARED_EXEC };
        for (int i = 0; i < 2000; i++)
        {
            ulong pfn = i == 0 ? (1UL << 40) - 1 : RandomPfn(rng);
            var prot = prots[i % prots.Length];
            var pte = k.pfn_pte(pfn, prot);
            Assert.That(pte_val(pte), Is.EqualTo((pfn << 12) | pgprot_val(prot)), $"pfn {pfn:x}");
            Assert.That(pte_pfn(pte), Is.EqualTo(pfn));
            Assert.That(pte_present(pte) && !pte_protnone(pte) && !pte_none(pte), Is.True);
            // Bits above the physical mask are cut: pfn 2^40 has no room in bits 12..51.
            Assert.That(pte_pfn(k.pfn_pte(pfn | (1UL << 40), prot)), Is.EqualTo(pfn));
        }
        Assert.That(machine.Warnings, Is.Empty);
    }

    [Test]
    public void ProtNoneEntriesStoreTheirPfnInverted()
    {
        using var machine = NewMachine();
        var k = machine.Kernel;
        var rng = new Random(8);
        for (int i = 0; i < 2000; i++)
        {
            ulong pfn = RandomPfn(rng);
            var pte = k.pfn_pte(pfn, PAGE_NONE);
            // pgtable-invert.h:18-24, pgtable.h:784-790: non-present and non-zero, so the pfn bits are
            // the complement of pfn << 12 within bits 12..51; the flags are PAGE_NONE's.
            Assert.That(pte_val(pte) & PfnBits, Is.EqualTo(~(pfn << 12) & PfnBits), $"pfn {pfn:x}");
            Assert.That(pte_val(pte) & ~PfnBits, Is.EqualTo(A | PROTNONE));
            Assert.That(pte_pfn(pte), Is.EqualTo(pfn), "pte_pfn undoes the inversion (pgtable.h:263-268)");
            Assert.That(pte_present(pte) && pte_protnone(pte) && !pte_none(pte), Is.True);

            // pte_modify crosses present <-> PROT_NONE by flipping the pfn (pgtable.h:822-831).
            var present = k.pte_modify(pte, PAGE_READONLY);
            Assert.That(pte_val(present), Is.EqualTo((pfn << 12) | P | USER | A | NX));
            Assert.That(pte_val(k.pte_modify(present, PAGE_NONE)), Is.EqualTo(pte_val(pte)));

            // An inverted pfn advances downward in the raw value (pgtable.h:1002-1007).
            Assert.That(pte_pfn(pte_advance_pfn(pte, 3)), Is.EqualTo(pfn + 3));
            Assert.That(pte_pfn(pte_next_pfn(present)), Is.EqualTo(pfn + 1));
        }
    }

    [Test]
    public void PteModifyKeepsTheChangeMaskAndShiftsDirty()
    {
        using var machine = NewMachine();
        var k = machine.Kernel;
        ulong pfn = 0xabcde;
        var dirtyRw = __pte((pfn << 12) | P | RW | USER | A | D | SOFT_DIRTY | SPECIAL);
        // Kept: pfn, A, D, soft-dirty, special (_PAGE_CHG_MASK); taken from newprot: P, RW, USER, NX.
        // Old Write=1 and new Write=0: Dirty moves to SavedDirty (pgtable.h:838-841).
        Assert.That(pte_val(k.pte_modify(dirtyRw, PAGE_READONLY)),
            Is.EqualTo((pfn << 12) | P | USER | A | NX | SOFT_DIRTY | SPECIAL | SAVED_DIRTY));
        // Old Write=0 with SavedDirty, new Write=1: SavedDirty moves back (clear_saveddirty_shift).
        var savedRo = __pte((pfn << 12) | P | USER | A | SAVED_DIRTY);
        Assert.That(pte_val(k.pte_modify(savedRo, PAGE_SHARED)), Is.EqualTo((pfn << 12) | P | RW | USER | A | NX | D));
        // newprot's Dirty is filtered out by the change mask.
        Assert.That(pte_val(k.pte_modify(__pte((pfn << 12) | P | RW | USER), Prot(P | RW | USER | D))),
            Is.EqualTo((pfn << 12) | P | RW | USER));
        // pgprot_modify (pgtable.h:881-886) keeps the old change-mask bits (cache bits here) and takes
        // only newprot's bits outside the mask: newprot's Accessed is in the mask, so it is not taken.
        Assert.That(pgprot_val(pgprot_modify(Prot(P | PCD | PWT), PAGE_READONLY)), Is.EqualTo(P | USER | NX | PCD | PWT));
    }

    [Test]
    public void UnsupportedProtectionBitsAreDroppedWithAWarning()
    {
        using var machine = NewMachine();
        var k = machine.Kernel;
        // pgtable.h:757-780: present protections are masked by __supported_pte_mask; CONFIG_DEBUG_VM warns.
        k.__supported_pte_mask &= ~NX;
        var pte = k.pfn_pte(5, PAGE_READONLY);
        Assert.That(pte_val(pte), Is.EqualTo((5UL << 12) | P | USER | A));
        Assert.That(machine.Warnings, Has.Count.EqualTo(1));
        Assert.That(machine.Warnings[0].Message, Does.Contain("8000000000000000"));
        // A non-present protection is left alone.
        Assert.That(pte_val(k.pfn_pte(5, PAGE_NONE)) & ~PfnBits, Is.EqualTo(A | PROTNONE));
    }

    [Test]
    public void MkPteWarnsOnDirtyWithoutWrite()
    {
        using var machine = NewMachine();
        var k = machine.Kernel;
        var page = machine.PageOf(17);
        // pgtable.h:1084-1091: Write=0,Dirty=1 would be a shadow-stack entry.
        Assert.That(pte_pfn(k.mk_pte(page, PAGE_SHARED)), Is.EqualTo(17UL));
        Assert.That(machine.Warnings, Is.Empty);
        k.mk_pte(page, Prot(P | USER | D));
        Assert.That(machine.Warnings, Has.Count.EqualTo(1));
        Assert.That((ulong)k.pte_page(k.mk_pte(page, PAGE_READONLY)), Is.EqualTo((ulong)page));
    }

    [Test]
    public void PmdAndPudTests()
    {
        using var machine = NewMachine();
        var k = machine.Kernel;
        // _KERNPG_TABLE / _PAGE_TABLE (pgtable_types.h:229-232): a table pointer is P|RW|A|D (+USER).
        var table = __pmd((42UL << 12) | P | RW | USER | A | D);
        var huge = k.pfn_pmd(512, PAGE_SHARED);
        Assert.Multiple(() =>
        {
            Assert.That(KC._KERNPG_TABLE, Is.EqualTo(P | RW | A | D));
            Assert.That(KC._PAGE_TABLE, Is.EqualTo(P | RW | USER | A | D));
            Assert.That(pmd_present(table) && !pmd_none(table) && !pmd_bad(table) && !pmd_leaf(table), Is.True);
            Assert.That(pmd_pfn(table), Is.EqualTo(42UL));
            // pgtable.h:1099: anything but USER/A differing from _KERNPG_TABLE is bad.
            Assert.That(pmd_bad(__pmd((42UL << 12) | P | USER | A | D)), Is.True, "no RW");
            Assert.That(pmd_bad(__pmd((42UL << 12) | P | RW | A | D | NX)), Is.True, "NX");
            // A huge pmd: PSE set, 2 MiB-aligned pfn (PHYSICAL_PMD_PAGE_MASK), trans-huge unless devmap.
            Assert.That(pmd_val(huge), Is.EqualTo((512UL << 12) | P | RW | USER | A | NX));
            Assert.That(pmd_leaf(huge), Is.False, "PAGE_SHARED has no PSE");
            var leaf = pmd_mkhuge(huge);
            Assert.That(pmd_leaf(leaf) && pmd_trans_huge(leaf) && !pmd_trans_huge(pmd_mkdevmap(leaf)), Is.True);
            Assert.That(pmd_pfn(__pmd(pmd_val(leaf) | (5UL << 12))), Is.EqualTo(512UL), "PSE pfn mask drops bits 12..20");
            // _PAGE_PSE alone keeps a pmd "present" while split_huge_page clears P (pgtable.h:1026-1035).
            Assert.That(pmd_present(__pmd(PSE)), Is.True);
            var invalid = k.pmd_mkinvalid(leaf);
            Assert.That(pmd_present(invalid) && (pmd_val(invalid) & P) == 0 && pmd_pfn(invalid) == 512, Is.True);
            Assert.That(pmd_val(pmd_wrprotect(pmd_mkdirty(leaf))) & (RW | D | SAVED_DIRTY), Is.EqualTo(SAVED_DIRTY));
            Assert.That(pud_val(pud_mkwrite(pud_wrprotect(__pud(P | RW | D | PSE)))), Is.EqualTo(P | RW | D | PSE));
            Assert.That(pud_bad(__pud((3UL << 12) | P | RW | USER | A | D)), Is.False);
            Assert.That(pud_bad(__pud((3UL << 12) | P | RW | A | D | NX)), Is.True);
            // p4d_bad ignores NX under CONFIG_MITIGATION_PAGE_TABLE_ISOLATION (pgtable.h:1166-1174).
            Assert.That(p4d_bad(__p4d((3UL << 12) | P | RW | A | D | NX)), Is.False);
        });
    }
}
