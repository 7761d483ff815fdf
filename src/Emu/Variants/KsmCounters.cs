using System.Collections.Generic;

namespace Emu.Variants
{
    /// <summary>
    /// What a KSM patch review asks about, counted where it happens in the transliterated code (one line
    /// each: calc_checksum, pages_identical, replace_page; COW breaks of KSM pages come from do_wp_page's
    /// COW_KSM event). Per machine, from boot.
    /// </summary>
    public sealed class KsmCounters
    {
        /// <summary>calc_checksum calls (ksm_init's zero-page checksum included).</summary>
        public long ChecksumCalls { get; internal set; }

        /// <summary>Checksums computed while some user alias of the page held bytes memory did not (aliasing model only).</summary>
        public long StaleChecksums { get; internal set; }

        /// <summary>pages_identical calls.</summary>
        public long PagesIdenticalCalls { get; internal set; }

        /// <summary>pages_identical calls that found the pages different.</summary>
        public long PagesIdenticalFailures { get; internal set; }

        /// <summary>replace_page successes: a PTE now maps the KSM page or the zero page instead of the anon page.</summary>
        public long Merges { get; internal set; }

        /// <summary>Write faults that copied a KSM page (vm event COW_KSM).</summary>
        public long CowBreaks { get; internal set; }

        internal bool PagesIdentical(bool identical)
        {
            PagesIdenticalCalls++;
            if (!identical) PagesIdenticalFailures++;
            return identical;
        }

        public KsmCounters Clone() => (KsmCounters)MemberwiseClone();
    }
}

namespace Emu.Kernel
{
    public unsafe partial class Kernel
    {
        /// <summary>The KSM review counters (src/Emu/Variants/KsmCounters.cs).</summary>
        internal readonly Emu.Variants.KsmCounters ksm_counters = new();

        /// <summary>vm events by name (CONFIG_VM_EVENT_COUNTERS, for the events count_vm_event names).</summary>
        internal readonly Dictionary<string, long> vm_events = new();

        // calc_checksum's counter: the call, and whether memory lags a user alias of the page right now.
        internal void count_checksum(page* page)
        {
            ksm_counters.ChecksumCalls++;
            if (arch_dcache != null && arch_dcache.IsStale(page_to_pfn(page)))
                ksm_counters.StaleChecksums++;
        }
    }
}
