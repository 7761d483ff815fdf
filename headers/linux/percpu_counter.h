/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/percpu_counter.h (Linux 6.12): struct only. */
#ifndef _LINUX_PERCPU_COUNTER_H
#define _LINUX_PERCPU_COUNTER_H

#include <linux/spinlock_types.h>
#include <linux/types.h>

#ifdef CONFIG_SMP

struct percpu_counter {
	raw_spinlock_t lock;
	s64 count;
#ifdef CONFIG_HOTPLUG_CPU
	struct list_head list;
#endif
	s32 __percpu *counters;
};

#else /* !CONFIG_SMP */

struct percpu_counter {
	s64 count;
};

#endif	/* CONFIG_SMP */

#endif /* _LINUX_PERCPU_COUNTER_H */
