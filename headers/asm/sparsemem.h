/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from arch/x86/include/asm/sparsemem.h (Linux 6.12).
 * MAX_PHYSMEM_BITS is runtime on 5-level x86_64 (not a constant). */
#ifndef _ASM_X86_SPARSEMEM_H
#define _ASM_X86_SPARSEMEM_H

#include <linux/types.h>

#ifdef CONFIG_SPARSEMEM
#ifdef CONFIG_X86_32
# ifdef CONFIG_X86_PAE
#  define SECTION_SIZE_BITS	29
#  define MAX_PHYSMEM_BITS	36
# else
#  define SECTION_SIZE_BITS	26
#  define MAX_PHYSMEM_BITS	32
# endif
#else /* CONFIG_X86_32 */
# define SECTION_SIZE_BITS	27
# define MAX_PHYSMEM_BITS	(pgtable_l5_enabled() ? 52 : 46)
#endif
#endif /* CONFIG_SPARSEMEM */

#endif /* _ASM_X86_SPARSEMEM_H */
