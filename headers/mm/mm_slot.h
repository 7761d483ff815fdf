// SPDX-License-Identifier: GPL-2.0
/* Trimmed from mm/mm_slot.h (Linux 6.12): struct only.
 * Lives at headers/mm/mm_slot.h, as upstream (include as <mm/mm_slot.h>). */
#ifndef _LINUX_MM_SLOT_H
#define _LINUX_MM_SLOT_H

#include <linux/types.h>

struct mm_struct;

struct mm_slot {
	struct hlist_node hash;
	struct list_head mm_node;
	struct mm_struct *mm;
};

#endif /* _LINUX_MM_SLOT_H */
