/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from arch/x86/include/asm/pkeys.h (Linux 6.12): constants only. */
#ifndef _ASM_X86_PKEYS_H
#define _ASM_X86_PKEYS_H

#define ARCH_VM_PKEY_FLAGS (VM_PKEY_BIT0 | VM_PKEY_BIT1 | VM_PKEY_BIT2 | VM_PKEY_BIT3)

#endif /*_ASM_X86_PKEYS_H */
