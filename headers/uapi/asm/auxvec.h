/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* Trimmed from arch/x86/include/uapi/asm/auxvec.h (Linux 6.12). */
#ifndef _ASM_X86_AUXVEC_H
#define _ASM_X86_AUXVEC_H

#define AT_SYSINFO_EHDR		33

#if defined(CONFIG_IA32_EMULATION) || !defined(CONFIG_X86_64)
# define AT_VECTOR_SIZE_ARCH 3
#else
# define AT_VECTOR_SIZE_ARCH 2
#endif

#endif /* _ASM_X86_AUXVEC_H */
