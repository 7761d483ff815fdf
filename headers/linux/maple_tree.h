/* SPDX-License-Identifier: GPL-2.0+ */
/* Trimmed from include/linux/maple_tree.h (Linux 6.12): the tree root
 * struct maple_tree (real layout) and its flag constants; nodes and
 * ma_state are not provided. */
#ifndef _LINUX_MAPLE_TREE_H
#define _LINUX_MAPLE_TREE_H

#include <linux/types.h>
#include <linux/spinlock_types.h>

#define MT_FLAGS_ALLOC_RANGE	0x01
#define MT_FLAGS_USE_RCU	0x02
#define MT_FLAGS_HEIGHT_OFFSET	0x02
#define MT_FLAGS_HEIGHT_MASK	0x7C
#define MT_FLAGS_LOCK_MASK	0x300
#define MT_FLAGS_LOCK_IRQ	0x100
#define MT_FLAGS_LOCK_BH	0x200
#define MT_FLAGS_LOCK_EXTERN	0x300
#define MT_FLAGS_ALLOC_WRAPPED	0x0800

#define MAPLE_HEIGHT_MAX	31

#ifdef CONFIG_LOCKDEP
typedef struct lockdep_map *lockdep_map_p;
#else
typedef struct { } lockdep_map_p;
#endif

struct maple_tree {
	union {
		spinlock_t	ma_lock;
		lockdep_map_p	ma_external_lock;
	};
	unsigned int	ma_flags;
	void __rcu      *ma_root;
};

#endif /*_LINUX_MAPLE_TREE_H */
