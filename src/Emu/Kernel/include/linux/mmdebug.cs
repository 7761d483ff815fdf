// SPDX-License-Identifier: GPL-2.0-only
// Linux 6.12.117 include/linux/mmdebug.h, CONFIG_DEBUG_VM branch (Emu runs with DEBUG_VM checks on).
// Only what transliterated code calls so far.
using System.Runtime.CompilerServices;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    [Upstream("include/linux/mmdebug.h", "VM_BUG_ON_VMA", UpstreamAttribute.Macro)]
    internal void VM_BUG_ON_VMA(bool cond, vm_area_struct* vma, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (cond)
        {
            int mark = LogMark; // the oops text quotes the dump
            dump_vma(vma);
            BUG(mark, file, line);
        }
    }
}
