/* SPDX-License-Identifier: GPL-2.0-only */
/* Trimmed from include/linux/kref.h (Linux 6.12): struct only. */
#ifndef _KREF_H_
#define _KREF_H_

#include <linux/refcount_types.h>

struct kref {
	refcount_t refcount;
};

#endif /* _KREF_H_ */
