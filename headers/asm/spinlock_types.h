/* SPDX-License-Identifier: GPL-2.0 */
/* arch/x86/include/asm/spinlock_types.h (Linux 6.12), qrwlock dropped. */
#ifndef _ASM_X86_SPINLOCK_TYPES_H
#define _ASM_X86_SPINLOCK_TYPES_H

#include <linux/types.h>
#include <asm-generic/qspinlock_types.h>

#endif /* _ASM_X86_SPINLOCK_TYPES_H */
