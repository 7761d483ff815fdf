/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Trimmed from mm/internal.h (Linux 6.12): constants only.
 * Lives at headers/mm/internal.h (include as <mm/internal.h>). */
#ifndef __MM_INTERNAL_H
#define __MM_INTERNAL_H

#define ENTIRELY_MAPPED		0x800000
#define FOLIO_PAGES_MAPPED	(ENTIRELY_MAPPED - 1)

#endif /* __MM_INTERNAL_H */
