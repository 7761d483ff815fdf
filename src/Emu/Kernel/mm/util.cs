using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

// mm/util.c
public unsafe partial class Kernel
{
    [Upstream("mm/util.c", "folio_mapping", "4c6a51a9f99d7d18")]
    internal void* folio_mapping(folio* folio)
    {
        void* mapping;
        if (folio_test_slab(folio))
            return null;
        if (folio_test_swapcache(folio))
            return swap_address_space(folio->swap);
        mapping = folio->mapping;
        if (((ulong)mapping & PAGE_MAPPING_FLAGS) != 0)
            return null;
        return mapping;
    }
}
