/* SPDX-License-Identifier: GPL-2.0 */
/* include/linux/refcount_types.h (Linux 6.12). */
#ifndef _LINUX_REFCOUNT_TYPES_H
#define _LINUX_REFCOUNT_TYPES_H

#include <linux/types.h>

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

#define REFCOUNT_INIT(n)	{ .refs = ATOMIC_INIT(n), }

#endif /* _LINUX_REFCOUNT_TYPES_H */
