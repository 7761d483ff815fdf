/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/numa.h (Linux 6.12). */
#ifndef _LINUX_NUMA_H
#define _LINUX_NUMA_H

#include <linux/types.h>

#ifdef CONFIG_NODES_SHIFT
#define NODES_SHIFT     CONFIG_NODES_SHIFT
#else
#define NODES_SHIFT     0
#endif

#define MAX_NUMNODES    (1 << NODES_SHIFT)

#define	NUMA_NO_NODE	(-1)
#define	NUMA_NO_MEMBLK	(-1)

#endif /* _LINUX_NUMA_H */
