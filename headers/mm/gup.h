// SPDX-License-Identifier: GPL-2.0-only
/* Not an upstream header: the structs below are defined inside mm/gup.c
 * (Linux 6.12); collected here for Emu. */
#ifndef _EMU_MM_GUP_H
#define _EMU_MM_GUP_H

#include <linux/types.h>

struct dev_pagemap;
struct page;
struct folio;

struct follow_page_context {
	/* emu: upstream mm/gup.c */
	struct dev_pagemap *pgmap;
	unsigned int page_mask;
};

struct pages_or_folios {
	/* emu: upstream mm/gup.c */
	union {
		struct page **pages;
		struct folio **folios;
		void **entries;
	};
	bool has_folios;
	long nr_entries;
};

#endif /* _EMU_MM_GUP_H */
