// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 arch/x86/mm/pgprot.c: the pte protection of a vma's
// VM_READ/VM_WRITE/VM_EXEC/VM_SHARED (private writable maps read-only, for COW) plus its pkey bits.
// No SME (sme_me_mask is 0), so add_encrypt_protection_map() never runs and __sme_set() is a no-op.
using static Emu.Kernel.KernelConstants;
using pgprot_t = Emu.Kernel.pgprot;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // The static table protection_map[16] (a data definition, so no marker).
    private static readonly pgprot_t[] protection_map = ProtectionMap();

    private static pgprot_t[] ProtectionMap()
    {
        var map = new pgprot_t[16];
        map[VM_NONE] = PAGE_NONE;
        map[VM_READ] = PAGE_READONLY;
        map[VM_WRITE] = PAGE_COPY;
        map[VM_WRITE | VM_READ] = PAGE_COPY;
        map[VM_EXEC] = PAGE_READONLY_EXEC;
        map[VM_EXEC | VM_READ] = PAGE_READONLY_EXEC;
        map[VM_EXEC | VM_WRITE] = PAGE_COPY_EXEC;
        map[VM_EXEC | VM_WRITE | VM_READ] = PAGE_COPY_EXEC;
        map[VM_SHARED] = PAGE_NONE;
        map[VM_SHARED | VM_READ] = PAGE_READONLY;
        map[VM_SHARED | VM_WRITE] = PAGE_SHARED;
        map[VM_SHARED | VM_WRITE | VM_READ] = PAGE_SHARED;
        map[VM_SHARED | VM_EXEC] = PAGE_READONLY_EXEC;
        map[VM_SHARED | VM_EXEC | VM_READ] = PAGE_READONLY_EXEC;
        map[VM_SHARED | VM_EXEC | VM_WRITE] = PAGE_SHARED_EXEC;
        map[VM_SHARED | VM_EXEC | VM_WRITE | VM_READ] = PAGE_SHARED_EXEC;
        return map;
    }

    [Upstream("arch/x86/mm/pgprot.c", "vm_get_page_prot", "b7770b461819d100")]
    internal pgprot_t vm_get_page_prot(ulong vm_flags)
    {
        ulong val = pgprot_val(protection_map[vm_flags &
                                     (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED)]);

        // CONFIG_X86_INTEL_MEMORY_PROTECTION_KEYS: the vma's pkey into pte bits 59-62.
        if ((vm_flags & VM_PKEY_BIT0) != 0)
            val |= _PAGE_PKEY_BIT0;
        if ((vm_flags & VM_PKEY_BIT1) != 0)
            val |= _PAGE_PKEY_BIT1;
        if ((vm_flags & VM_PKEY_BIT2) != 0)
            val |= _PAGE_PKEY_BIT2;
        if ((vm_flags & VM_PKEY_BIT3) != 0)
            val |= _PAGE_PKEY_BIT3;

        // val = __sme_set(val): sme_me_mask is 0.
        if ((val & _PAGE_PRESENT) != 0)
            val &= __supported_pte_mask;
        return __pgprot(val);
    }
}
