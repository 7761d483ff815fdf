/* SPDX-License-Identifier: GPL-2.0 */
/* arch/x86/include/asm/bitsperlong.h -> asm-generic (Linux 6.12). */
#ifndef __ASM_X86_BITSPERLONG_H
#define __ASM_X86_BITSPERLONG_H

#include <asm-generic/bitsperlong.h>

#endif /* __ASM_X86_BITSPERLONG_H */
