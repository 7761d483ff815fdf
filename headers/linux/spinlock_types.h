/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/spinlock_types.h (Linux 6.12). */
#ifndef __LINUX_SPINLOCK_TYPES_H
#define __LINUX_SPINLOCK_TYPES_H

#include <linux/spinlock_types_raw.h>

#ifndef CONFIG_PREEMPT_RT

typedef struct spinlock {
	union {
		struct raw_spinlock rlock;

#ifdef CONFIG_DEBUG_LOCK_ALLOC
# define LOCK_PADSIZE (offsetof(struct raw_spinlock, dep_map))
		struct {
			u8 __padding[LOCK_PADSIZE];
			struct lockdep_map dep_map;
		};
#endif
	};
} spinlock_t;

#else
# error "CONFIG_PREEMPT_RT spinlock_t not provided"
#endif

#endif /* __LINUX_SPINLOCK_TYPES_H */
