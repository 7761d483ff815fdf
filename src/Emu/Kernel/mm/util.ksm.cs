// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117: memcmp_pages (mm/util.c, the __weak generic version;
// x86 has no override) and pages_identical (include/linux/mm.h), which KSM compares with.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("mm/util.c", "memcmp_pages", "c79505a062595b6d")]
    internal int memcmp_pages(page* page1, page* page2)
    {
        byte* addr1, addr2;
        int ret;

        addr1 = (byte*)kmap_local_page(page1);
        addr2 = (byte*)kmap_local_page(page2);
        ret = memcmp(addr1, addr2, (nuint)PAGE_SIZE);
        kunmap_local(addr2);
        kunmap_local(addr1);
        return ret;
    }

    [Upstream("include/linux/mm.h", "pages_identical", "7dd83588332f81da")]
    internal bool pages_identical(page* page1, page* page2)
    {
        return ksm_counters.PagesIdentical(memcmp_pages(page1, page2) == 0); // Emu: counted
    }
}
