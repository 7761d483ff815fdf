/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/spinlock_types_raw.h (Linux 6.12).
 * The lock-debugging branches are off in the Debian config. */
#ifndef __LINUX_SPINLOCK_TYPES_RAW_H
#define __LINUX_SPINLOCK_TYPES_RAW_H

#include <linux/types.h>

#if defined(CONFIG_SMP)
# include <asm/spinlock_types.h>
#else
# error "!CONFIG_SMP (spinlock_types_up.h) not provided"
#endif

typedef struct raw_spinlock {
	arch_spinlock_t raw_lock;
#ifdef CONFIG_DEBUG_SPINLOCK
	unsigned int magic, owner_cpu;
	void *owner;
#endif
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	struct lockdep_map dep_map;
#endif
} raw_spinlock_t;

#define SPINLOCK_MAGIC		0xdead4ead

#endif /* __LINUX_SPINLOCK_TYPES_RAW_H */
