/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/atomic.h (Linux 6.12): types only. */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H

#include <linux/types.h>

#define ATOMIC64_INIT(i)	{ (i) }

#include <linux/atomic/atomic-long.h>

#endif /* _LINUX_ATOMIC_H */
