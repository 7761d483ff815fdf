/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/osq_lock.h (Linux 6.12). */
#ifndef __LINUX_OSQ_LOCK_H
#define __LINUX_OSQ_LOCK_H

#include <linux/types.h>

struct optimistic_spin_queue {
	atomic_t tail;
};

#define OSQ_UNLOCKED_VAL (0)

#endif
