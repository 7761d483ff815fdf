/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/kconfig.h (Linux 6.12). */
#ifndef __LINUX_KCONFIG_H
#define __LINUX_KCONFIG_H

#include <generated/autoconf.h>

#ifdef CONFIG_CPU_BIG_ENDIAN
#define __BIG_ENDIAN 4321
#else
#define __LITTLE_ENDIAN 1234
#endif

#endif /* __LINUX_KCONFIG_H */
