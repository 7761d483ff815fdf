/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/align.h (Linux 6.12). */
#ifndef _LINUX_ALIGN_H
#define _LINUX_ALIGN_H

#include <linux/const.h>

#define __ALIGN_MASK(x, mask)	__ALIGN_KERNEL_MASK((x), (mask))

#endif	/* _LINUX_ALIGN_H */
