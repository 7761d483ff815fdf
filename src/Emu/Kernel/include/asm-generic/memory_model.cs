namespace Emu.Kernel;

// include/asm-generic/memory_model.h, CONFIG_SPARSEMEM_VMEMMAP branch.
public unsafe partial class Kernel
{
    [Upstream("include/asm-generic/memory_model.h", "__pfn_to_page", UpstreamAttribute.Macro)]
    internal page* pfn_to_page(ulong pfn) => vmemmap + pfn;

    [Upstream("include/asm-generic/memory_model.h", "__page_to_pfn", UpstreamAttribute.Macro)]
    internal ulong page_to_pfn(page* page) => (ulong)(page - vmemmap);
}
