/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/swapops.h (Linux 6.12): the arch-independent
 * swp_entry_t layout and the pte marker bits. */
#ifndef _LINUX_SWAPOPS_H
#define _LINUX_SWAPOPS_H

#include <linux/bits.h>
#include <linux/swap.h>
#include <linux/xarray.h>

#define SWP_TYPE_SHIFT	(BITS_PER_XA_VALUE - MAX_SWAPFILES_SHIFT)
#define SWP_OFFSET_MASK	((1UL << SWP_TYPE_SHIFT) - 1)

typedef unsigned long pte_marker;

#define  PTE_MARKER_UFFD_WP			BIT(0)
#define  PTE_MARKER_POISONED			BIT(1)
#define  PTE_MARKER_MASK			(BIT(2) - 1)

#endif /* _LINUX_SWAPOPS_H */
