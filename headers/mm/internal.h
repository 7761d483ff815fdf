/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Trimmed from mm/internal.h (Linux 6.12): constants only (the internal FOLL_* flags too).
 * Lives at headers/mm/internal.h (include as <mm/internal.h>). */
#ifndef __MM_INTERNAL_H
#define __MM_INTERNAL_H

#define ENTIRELY_MAPPED		0x800000
#define FOLIO_PAGES_MAPPED	(ENTIRELY_MAPPED - 1)

enum {
	FOLL_TOUCH = 1 << 16,
	FOLL_TRIED = 1 << 17,
	FOLL_REMOTE = 1 << 18,
	FOLL_PIN = 1 << 19,
	FOLL_FAST_ONLY = 1 << 20,
	FOLL_UNLOCKABLE = 1 << 21,
	FOLL_MADV_POPULATE = 1 << 22,
};

#define INTERNAL_GUP_FLAGS (FOLL_TOUCH | FOLL_TRIED | FOLL_REMOTE | FOLL_PIN | \
			    FOLL_FAST_ONLY | FOLL_UNLOCKABLE | \
			    FOLL_MADV_POPULATE)

#endif /* __MM_INTERNAL_H */
