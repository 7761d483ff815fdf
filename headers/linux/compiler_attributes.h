/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/compiler_attributes.h (Linux 6.12). */
#ifndef __LINUX_COMPILER_ATTRIBUTES_H
#define __LINUX_COMPILER_ATTRIBUTES_H

#define __aligned(x)			__attribute__((__aligned__(x)))
#define __packed			__attribute__((__packed__))

#endif /* __LINUX_COMPILER_ATTRIBUTES_H */
