using System;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;
using KC = Emu.Kernel.KernelConstants;

namespace Emu.Tests.Kernel.Arch;

/// <summary>
/// Swap entries: the arch-independent swp_entry_t of include/linux/swapops.h and the x86_64
/// non-present pte of arch/x86/include/asm/pgtable_64.h, whose layout comment (pgtable_64.h:190)
/// is the expectation: type in bits 59-63, the offset inverted in bits 9-58, bits 0 and 5-8 zero,
/// bits 1-3 the swp soft-dirty / uffd-wp / exclusive flags.
/// </summary>
public unsafe class SwapEntryTests
{
    private const int OffsetBits = 50; // bits 9..58

    // The raw pte for (type, offset), built bit by bit from the layout, not from the macros.
    private static ulong ExpectedRaw(ulong type, ulong offset)
    {
        ulong raw = type << 59;
        for (int i = 0; i < OffsetBits; i++)
            if (((offset >> i) & 1) == 0)
                raw |= 1UL << (9 + i);
        return raw;
    }

    [Test]
    public void SwapTypeNumbersAreUpstreams()
    {
        // swap.h:50-121 with CONFIG_MIGRATION, CONFIG_MEMORY_FAILURE, no CONFIG_DEVICE_PRIVATE:
        // 32 types, minus 3 migration, 1 hwpoison, 1 marker.
        Assert.Multiple(() =>
        {
            Assert.That(KC.MAX_SWAPFILES, Is.EqualTo(27));
            Assert.That(KC.SWP_HWPOISON, Is.EqualTo(27));
            Assert.That(new[] { KC.SWP_MIGRATION_READ, KC.SWP_MIGRATION_READ_EXCLUSIVE, KC.SWP_MIGRATION_WRITE }, Is.EqualTo(new[] { 28, 29, 30 }));
            Assert.That(KC.SWP_PTE_MARKER, Is.EqualTo(31));
            // swapops.h:27-28: BITS_PER_XA_VALUE (63) - MAX_SWAPFILES_SHIFT (5).
            Assert.That(KC.SWP_TYPE_SHIFT, Is.EqualTo(58));
            Assert.That(KC.SWP_OFFSET_MASK, Is.EqualTo((1UL << 58) - 1));
            Assert.That(KC.SWP_TYPE_BITS, Is.EqualTo(5));
            Assert.That(KC.SWP_OFFSET_FIRST_BIT, Is.EqualTo(9));
        });
    }

    [Test]
    public void SwapPtesCarryTheInvertedOffset()
    {
        var rng = new Random(59);
        for (int i = 0; i < 5000; i++)
        {
            ulong type = (ulong)rng.Next(0, 32);
            ulong offset = i switch
            {
                0 => 0,
                1 => 1,
                2 => (1UL << OffsetBits) - 2,
                _ => (ulong)rng.NextInt64(0, (1L << OffsetBits) - 1),
            };
            var entry = swp_entry(type, offset);
            // swapops.h:86-91: the arch-independent form is type << 58 | offset.
            Assert.That(entry.val, Is.EqualTo((type << 58) | offset));

            var pte = swp_entry_to_pte(entry);
            Assert.That(pte_val(pte), Is.EqualTo(ExpectedRaw(type, offset)), $"type {type} offset {offset:x}");
            Assert.That(is_swap_pte(pte) && !pte_present(pte) && !pte_none(pte), Is.True);

            var back = pte_to_swp_entry(pte);
            Assert.That((swp_type(back), swp_offset(back)), Is.EqualTo(((uint)type, offset)));

            // The flag bits do not disturb type or offset (swapops.h:70-80).
            var flagged = pte_swp_mkexclusive(pte_swp_mkuffd_wp(pte_swp_mksoft_dirty(pte)));
            Assert.That(pte_val(flagged), Is.EqualTo(pte_val(pte) | 0b1110));
            Assert.That(pte_swp_exclusive(flagged) && pte_swp_uffd_wp(flagged) && pte_swp_soft_dirty(flagged), Is.True);
            Assert.That(pte_to_swp_entry(flagged).val, Is.EqualTo(entry.val));
            Assert.That(pte_val(pte_swp_clear_flags(flagged)), Is.EqualTo(pte_val(pte)));

            // The pmd form is the same encoding (pgtable_64.h:240-242).
            var pmd = swp_entry_to_pmd(entry);
            Assert.That(pmd_val(pmd), Is.EqualTo(ExpectedRaw(type, offset)));
            Assert.That(pmd_to_swp_entry(pmd_swp_mksoft_dirty(pmd_swp_mkuffd_wp(pmd))).val, Is.EqualTo(entry.val));
        }
    }

    [Test]
    public void TheSwapPfnIsTheInvertedOffset()
    {
        // Bits 12..51 of a swap pte are ~offset bits 3..42: pte_pfn un-inverts them (pgtable-invert.h).
        ulong offset = 0x1234_5678_9aUL;
        var pte = swp_entry_to_pte(swp_entry(3, offset));
        Assert.That(pte_pfn(pte), Is.EqualTo((offset >> 3) & ((1UL << 40) - 1)));
    }

    [Test]
    public void MigrationHwpoisonAndNonSwapEntries()
    {
        for (ulong type = 0; type < 32; type++)
        {
            var e = swp_entry(type, 77);
            bool migration = type is 28 or 29 or 30;
            Assert.Multiple(() =>
            {
                Assert.That(is_migration_entry(e), Is.EqualTo(migration), $"type {type}");
                Assert.That(is_writable_migration_entry(e), Is.EqualTo(type == 30));
                Assert.That(is_readable_migration_entry(e), Is.EqualTo(type == 28));
                Assert.That(is_readable_exclusive_migration_entry(e), Is.EqualTo(type == 29));
                Assert.That(is_hwpoison_entry(e), Is.EqualTo(type == 27));
                Assert.That(is_pte_marker_entry(e), Is.EqualTo(type == 31));
                Assert.That(non_swap_entry(e), Is.EqualTo(type >= 27), "swapops.h:615");
                // swapops.h:554-570: a non-present pmd holding a migration entry.
                Assert.That(is_pmd_migration_entry(swp_entry_to_pmd(e)), Is.EqualTo(migration));
            });
        }
        Assert.That(swp_type(make_writable_migration_entry(5)), Is.EqualTo(30u));
        Assert.That(swp_offset(make_readable_exclusive_migration_entry(5)), Is.EqualTo(5UL));
        Assert.That(is_pmd_migration_entry(__pmd((1UL << 12) | 1)), Is.False, "present");
    }

    [Test]
    public void PteMarkersAreSwapPtesOfTheMarkerType()
    {
        // swapops.h:423-480: PTE_MARKER_UFFD_WP = BIT(0), POISONED = BIT(1), type SWP_PTE_MARKER (31).
        var marker = make_pte_marker(KC.PTE_MARKER_UFFD_WP);
        Assert.Multiple(() =>
        {
            Assert.That(pte_val(marker), Is.EqualTo(ExpectedRaw(31, 1)));
            Assert.That(is_pte_marker(marker) && pte_none_mostly(marker) && is_swap_pte(marker), Is.True);
            Assert.That(pte_marker_get(pte_to_swp_entry(marker)), Is.EqualTo(1UL));
            Assert.That(is_poisoned_swp_entry(pte_to_swp_entry(marker)), Is.False);
            Assert.That(is_poisoned_swp_entry(make_poisoned_swp_entry()), Is.True);
            Assert.That(pte_marker_get(swp_entry(31, 0xFC | 2)), Is.EqualTo(2UL), "PTE_MARKER_MASK keeps 2 bits");
            Assert.That(is_pte_marker(swp_entry_to_pte(swp_entry(3, 1))), Is.False);
            Assert.That(pte_none_mostly(__pte(0)) && !pte_none_mostly(__pte(1)), Is.True);
        });
    }
}
