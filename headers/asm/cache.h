/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from arch/x86/include/asm/cache.h (Linux 6.12). */
#ifndef _ASM_X86_CACHE_H
#define _ASM_X86_CACHE_H

#define L1_CACHE_SHIFT	(CONFIG_X86_L1_CACHE_SHIFT)
#define L1_CACHE_BYTES	(1 << L1_CACHE_SHIFT)

#endif /* _ASM_X86_CACHE_H */
