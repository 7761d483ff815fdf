/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/const.h (Linux 6.12). */
#ifndef _LINUX_CONST_H
#define _LINUX_CONST_H

#include <vdso/const.h>

#endif /* _LINUX_CONST_H */
