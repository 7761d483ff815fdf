using System;

namespace Emu.Kernel;

// Stub: Emu has no swap devices, so no folio is ever in the swap cache (PG_swapcache stays clear).
public unsafe partial class Kernel
{
    [Upstream("mm/swap.h", "swap_address_space", UpstreamAttribute.Macro)]
    internal static void* swap_address_space(swp_entry_t entry) =>
        throw new NotSupportedException("Emu models no swap: swap_address_space() on a swap-cache folio");
}
