namespace Emu.Kernel;

// arch/x86/include/asm/page.h: the direct map is one linear offset from physical addresses.
public unsafe partial class Kernel
{
    [Upstream("arch/x86/include/asm/page.h", "__va", UpstreamAttribute.Macro)]
    internal void* __va(ulong x) => PAGE_OFFSET + x;

    [Upstream("arch/x86/include/asm/page.h", "__pa", UpstreamAttribute.Macro)]
    internal ulong __pa(void* x) => (ulong)((byte*)x - PAGE_OFFSET);

    [Upstream("arch/x86/include/asm/page.h", "virt_to_page", UpstreamAttribute.Macro)]
    internal page* virt_to_page(void* kaddr) => pfn_to_page(__pa(kaddr) >> KernelConstants.PAGE_SHIFT);
}
