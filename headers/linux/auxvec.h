/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/auxvec.h (Linux 6.12). */
#ifndef _LINUX_AUXVEC_H
#define _LINUX_AUXVEC_H

#include <uapi/asm/auxvec.h>

#define AT_VECTOR_SIZE_BASE 22

#endif /* _LINUX_AUXVEC_H */
