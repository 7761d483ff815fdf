/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from arch/x86/include/asm/pgtable.h (Linux 6.12): its constants. */
#ifndef _ASM_X86_PGTABLE_H
#define _ASM_X86_PGTABLE_H

#include <asm/page_types.h>
#include <asm/pgtable_types.h>
#include <asm/pgtable_64.h>

#define PFN_PTE_SHIFT	PAGE_SHIFT

#endif /* _ASM_X86_PGTABLE_H */
