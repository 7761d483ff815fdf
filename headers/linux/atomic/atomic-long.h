/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/atomic/atomic-long.h (Linux 6.12): types only.
 * Emu deviation: upstream tests only CONFIG_64BIT, which in a real build
 * implies sizeof(long) == 8.  Since the amd64 config is also used for the
 * 32-bit ABIs, the ABI's long size is tested too, so that atomic_long_t
 * stays long-sized (struct page keeps its five-word union). */
#ifndef _LINUX_ATOMIC_LONG_H
#define _LINUX_ATOMIC_LONG_H

#include <linux/types.h>

#if defined(CONFIG_64BIT) && __SIZEOF_LONG__ == 8
typedef atomic64_t atomic_long_t;
#define ATOMIC_LONG_INIT(i)		ATOMIC64_INIT(i)
#else
typedef atomic_t atomic_long_t;
#define ATOMIC_LONG_INIT(i)		ATOMIC_INIT(i)
#endif

#endif /* _LINUX_ATOMIC_LONG_H */
