/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/mm_types_task.h (Linux 6.12);
 * struct tlbflush_unmap_batch (needs cpumask) dropped. */
#ifndef _LINUX_MM_TYPES_TASK_H
#define _LINUX_MM_TYPES_TASK_H

#include <linux/types.h>
#include <generated/bounds.h>
#include <asm/bitsperlong.h>
#include <asm/page_types.h>

#define ALLOC_SPLIT_PTLOCKS	(SPINLOCK_SIZE > BITS_PER_LONG/8)

enum {
	MM_FILEPAGES,
	MM_ANONPAGES,
	MM_SWAPENTS,
	MM_SHMEMPAGES,
	NR_MM_COUNTERS
};

struct page;

struct page_frag {
	struct page *page;
#if (BITS_PER_LONG > 32) || (PAGE_SIZE >= 65536)
	__u32 offset;
	__u32 size;
#else
	__u16 offset;
	__u16 size;
#endif
};

#endif /* _LINUX_MM_TYPES_TASK_H */
