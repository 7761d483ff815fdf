namespace Emu.Kernel;

// include/linux/page_ref.h (the page_ref tracepoints are never active in Emu).
public sealed unsafe partial class Kernel
{
    [Upstream("include/linux/page_ref.h", "set_page_count", "2ee532c1481aebc9")]
    internal static void set_page_count(page* page, int v) => atomic_set(&page->_refcount, v);

    [Upstream("include/linux/page_ref.h", "init_page_count", "daab12cad2b56199")]
    internal static void init_page_count(page* page) => set_page_count(page, 1);
}
