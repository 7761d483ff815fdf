/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/seqlock_types.h (Linux 6.12): seqcount_t only. */
#ifndef __LINUX_SEQLOCK_TYPES_H
#define __LINUX_SEQLOCK_TYPES_H

#include <linux/types.h>

typedef struct seqcount {
	unsigned sequence;
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	struct lockdep_map dep_map;
#endif
} seqcount_t;

#endif /* __LINUX_SEQLOCK_TYPES_H */
