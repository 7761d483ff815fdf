/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/rwsem.h (Linux 6.12): struct only. */
#ifndef _LINUX_RWSEM_H
#define _LINUX_RWSEM_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/spinlock_types.h>
#include <linux/osq_lock.h>

#ifndef CONFIG_PREEMPT_RT

struct rw_semaphore {
	atomic_long_t count;
	atomic_long_t owner;
#ifdef CONFIG_RWSEM_SPIN_ON_OWNER
	struct optimistic_spin_queue osq;
#endif
	raw_spinlock_t wait_lock;
	struct list_head wait_list;
#ifdef CONFIG_DEBUG_RWSEMS
	void *magic;
#endif
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	struct lockdep_map	dep_map;
#endif
};

#else
# error "CONFIG_PREEMPT_RT rw_semaphore not provided"
#endif

#endif /* _LINUX_RWSEM_H */
