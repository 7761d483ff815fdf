using System.Runtime.CompilerServices;

namespace Emu.Kernel;

// include/linux/mmdebug.h with CONFIG_DEBUG_VM on: Emu always runs the VM debug checks, though
// Debian's config leaves them off, so misuse the real kernel would survive silently shows up.
// The *_ONCE variants are once per call site, as the kernel's static __warned is.
public unsafe partial class Kernel
{
    [Upstream("include/linux/mmdebug.h", "VM_BUG_ON", UpstreamAttribute.Macro)]
    internal void VM_BUG_ON(bool cond, [CallerArgumentExpression(nameof(cond))] string expr = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (cond)
            BUG(-1, file, line);
    }

    [Upstream("include/linux/mmdebug.h", "VM_BUG_ON_PAGE", UpstreamAttribute.Macro)]
    internal void VM_BUG_ON_PAGE(bool cond, page* page, [CallerArgumentExpression(nameof(cond))] string expr = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (!cond)
            return;
        int mark = LogMark;
        dump_page(page, $"VM_BUG_ON_PAGE({expr})");
        BUG(mark, file, line);
    }

    [Upstream("include/linux/mmdebug.h", "VM_BUG_ON_FOLIO", UpstreamAttribute.Macro)]
    internal void VM_BUG_ON_FOLIO(bool cond, folio* folio, [CallerArgumentExpression(nameof(cond))] string expr = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (!cond)
            return;
        int mark = LogMark;
        dump_page(&folio->page, $"VM_BUG_ON_FOLIO({expr})");
        BUG(mark, file, line);
    }

    [Upstream("include/linux/mmdebug.h", "VM_BUG_ON_VMA", UpstreamAttribute.Macro)]
    internal void VM_BUG_ON_VMA(bool cond, vm_area_struct* vma, [CallerArgumentExpression(nameof(cond))] string expr = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (!cond)
            return;
        int mark = LogMark;
        dump_vma(vma);
        BUG(mark, file, line);
    }

    [Upstream("include/linux/mmdebug.h", "VM_BUG_ON_MM", UpstreamAttribute.Macro)]
    internal void VM_BUG_ON_MM(bool cond, mm_struct* mm, [CallerArgumentExpression(nameof(cond))] string expr = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (!cond)
            return;
        int mark = LogMark;
        dump_mm(mm);
        BUG(mark, file, line);
    }

    [Upstream("include/linux/mmdebug.h", "VM_WARN_ON_ONCE_PAGE", UpstreamAttribute.Macro)]
    internal bool VM_WARN_ON_ONCE_PAGE(bool cond, page* page, [CallerArgumentExpression(nameof(cond))] string expr = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (cond && FirstTime(file, line))
        {
            dump_page(page, $"VM_WARN_ON_ONCE_PAGE({expr})");
            WARN_ON(true, expr, file, line);
        }
        return cond;
    }

    [Upstream("include/linux/mmdebug.h", "VM_WARN_ON_FOLIO", UpstreamAttribute.Macro)]
    internal bool VM_WARN_ON_FOLIO(bool cond, folio* folio, [CallerArgumentExpression(nameof(cond))] string expr = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (cond)
        {
            dump_page(&folio->page, $"VM_WARN_ON_FOLIO({expr})");
            WARN_ON(true, expr, file, line);
        }
        return cond;
    }

    [Upstream("include/linux/mmdebug.h", "VM_WARN_ON_ONCE_FOLIO", UpstreamAttribute.Macro)]
    internal bool VM_WARN_ON_ONCE_FOLIO(bool cond, folio* folio, [CallerArgumentExpression(nameof(cond))] string expr = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (cond && FirstTime(file, line))
        {
            dump_page(&folio->page, $"VM_WARN_ON_ONCE_FOLIO({expr})");
            WARN_ON(true, expr, file, line);
        }
        return cond;
    }

    [Upstream("include/linux/mmdebug.h", "VM_WARN_ON", UpstreamAttribute.Macro)]
    internal void VM_WARN_ON(bool cond, [CallerArgumentExpression(nameof(cond))] string expr = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => WARN_ON(cond, expr, file, line);

    [Upstream("include/linux/mmdebug.h", "VM_WARN_ON_ONCE", UpstreamAttribute.Macro)]
    internal void VM_WARN_ON_ONCE(bool cond, [CallerArgumentExpression(nameof(cond))] string expr = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => WARN_ON_ONCE(cond, expr, file, line);
}
