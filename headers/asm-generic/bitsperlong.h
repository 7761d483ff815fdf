/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/asm-generic/bitsperlong.h (Linux 6.12).
 * BITS_PER_LONG follows the (amd64) config, not the ABI, as upstream. */
#ifndef __ASM_GENERIC_BITS_PER_LONG
#define __ASM_GENERIC_BITS_PER_LONG

#ifdef CONFIG_64BIT
#define BITS_PER_LONG 64
#else
#define BITS_PER_LONG 32
#endif

#ifndef BITS_PER_LONG_LONG
#define BITS_PER_LONG_LONG 64
#endif

#endif /* __ASM_GENERIC_BITS_PER_LONG */
