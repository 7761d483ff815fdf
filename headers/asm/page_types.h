/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from arch/x86/include/asm/page_types.h (Linux 6.12).
 * Emu models a machine without memory encryption (no SME/TDX), where the
 * CONFIG_DYNAMIC_PHYSICAL_MASK variable physical_mask keeps its initial
 * value: __PHYSICAL_MASK takes the constant (!DYNAMIC_PHYSICAL_MASK) form. */
#ifndef _ASM_X86_PAGE_DEFS_H
#define _ASM_X86_PAGE_DEFS_H

#include <linux/const.h>
#include <linux/types.h>

#define PAGE_SHIFT		CONFIG_PAGE_SHIFT
#define PAGE_SIZE		(_AC(1,UL) << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE-1))

#define PHYSICAL_PAGE_MASK	(((signed long)PAGE_MASK) & __PHYSICAL_MASK)
#define PHYSICAL_PMD_PAGE_MASK	(((signed long)PMD_MASK) & __PHYSICAL_MASK)
#define PHYSICAL_PUD_PAGE_MASK	(((signed long)PUD_MASK) & __PHYSICAL_MASK)

#define HPAGE_SHIFT		PMD_SHIFT
#define HPAGE_SIZE		(_AC(1,UL) << HPAGE_SHIFT)
#define HPAGE_MASK		(~(HPAGE_SIZE - 1))
#define HUGETLB_PAGE_ORDER	(HPAGE_SHIFT - PAGE_SHIFT)

#ifdef CONFIG_X86_64
#include <asm/page_64_types.h>
#else
# error "asm/page_32_types.h not provided"
#endif

#define __PHYSICAL_MASK		((phys_addr_t)((1ULL << __PHYSICAL_MASK_SHIFT) - 1))

#endif	/* _ASM_X86_PAGE_DEFS_H */
