namespace Emu.Kernel;

// include/linux/mm_types.h: the inlines next to the struct definitions.
public unsafe partial class Kernel
{
    [Upstream("include/linux/mm_types.h", "set_page_private", "bd98d78c662922ee")]
    internal static void set_page_private(page* page, ulong @private) => page->@private = @private;
}
