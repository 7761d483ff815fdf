/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/pgtable.h (Linux 6.12): its constants. */
#ifndef _LINUX_PGTABLE_H
#define _LINUX_PGTABLE_H

#include <asm/pgtable.h>

#define PMD_ORDER	(PMD_SHIFT - PAGE_SHIFT)
#define PUD_ORDER	(PUD_SHIFT - PAGE_SHIFT)

#define USER_PGTABLES_CEILING	0UL

#define FIRST_USER_ADDRESS	0UL

#endif /* _LINUX_PGTABLE_H */
