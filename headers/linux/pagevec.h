/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/pagevec.h (Linux 6.12): struct folio_batch. */
#ifndef _LINUX_PAGEVEC_H
#define _LINUX_PAGEVEC_H

#include <linux/types.h>

#define PAGEVEC_SIZE	31

struct folio;

struct folio_batch {
	unsigned char nr;
	unsigned char i;
	bool percpu_pvec_drained;
	struct folio *folios[PAGEVEC_SIZE];
};

#endif /* _LINUX_PAGEVEC_H */
