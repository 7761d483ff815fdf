// SPDX-License-Identifier: GPL-2.0-only
// include/linux/memremap.h with CONFIG_DEVICE_PRIVATE off (Debian amd64): no device-private pages.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    [Upstream("include/linux/memremap.h", "is_device_private_page", "984313e65ea959d3")]
    internal static bool is_device_private_page(page* page)
    {
        // IS_ENABLED(CONFIG_DEVICE_PRIVATE) is 0: the rest of the test never runs.
        return false;
    }

    [Upstream("include/linux/memremap.h", "folio_is_device_private", "462261e2e2d7546d")]
    internal static bool folio_is_device_private(folio* folio)
    {
        return is_device_private_page(&folio->page);
    }
}
