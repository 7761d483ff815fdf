/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from arch/x86/include/asm/page_64_types.h (Linux 6.12):
 * the physical address width only. */
#ifndef _ASM_X86_PAGE_64_DEFS_H
#define _ASM_X86_PAGE_64_DEFS_H

#define __PHYSICAL_MASK_SHIFT	52

#endif /* _ASM_X86_PAGE_64_DEFS_H */
