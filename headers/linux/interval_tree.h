/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/interval_tree.h (Linux 6.12): struct interval_tree_node only
 * (interval_tree_span_iter needs CONFIG_INTERVAL_TREE_SPAN_ITER, which Debian amd64 leaves off). */
#ifndef _LINUX_INTERVAL_TREE_H
#define _LINUX_INTERVAL_TREE_H

#include <linux/rbtree_types.h>

struct interval_tree_node {
	struct rb_node rb;
	unsigned long start;	/* first index in the interval */
	unsigned long last;	/* last index in the interval, inclusive */
	unsigned long __subtree_last;
};

#endif	/* _LINUX_INTERVAL_TREE_H */
