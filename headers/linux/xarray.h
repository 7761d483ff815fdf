/* SPDX-License-Identifier: GPL-2.0+ */
/* Trimmed from include/linux/xarray.h (Linux 6.12): the value-entry width. */
#ifndef _LINUX_XARRAY_H
#define _LINUX_XARRAY_H

#include <asm/bitsperlong.h>

#define BITS_PER_XA_VALUE	(BITS_PER_LONG - 1)

#endif /* _LINUX_XARRAY_H */
