/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from arch/x86/include/asm/pgtable_64_types.h (Linux 6.12).
 * PGDIR_SHIFT/PTRS_PER_P4D are runtime variables under CONFIG_X86_5LEVEL
 * (39 and 1 on a CPU without LA57, which is what Emu models). */
#ifndef _ASM_X86_PGTABLE_64_DEFS_H
#define _ASM_X86_PGTABLE_64_DEFS_H

#include <asm/sparsemem.h>
#include <linux/types.h>
#include <linux/const.h>

typedef unsigned long	pteval_t;
typedef unsigned long	pmdval_t;
typedef unsigned long	pudval_t;
typedef unsigned long	p4dval_t;
typedef unsigned long	pgdval_t;
typedef unsigned long	pgprotval_t;

typedef struct { pteval_t pte; } pte_t;
typedef struct { pmdval_t pmd; } pmd_t;

extern unsigned int __pgtable_l5_enabled;

#ifdef CONFIG_X86_5LEVEL
#define pgtable_l5_enabled() cpu_feature_enabled(X86_FEATURE_LA57)
#else
#define pgtable_l5_enabled() 0
#endif

extern unsigned int pgdir_shift;
extern unsigned int ptrs_per_p4d;

#define SHARED_KERNEL_PMD	0

#ifdef CONFIG_X86_5LEVEL

#define PGDIR_SHIFT	pgdir_shift
#define PTRS_PER_PGD	512

#define P4D_SHIFT		39
#define MAX_PTRS_PER_P4D	512
#define PTRS_PER_P4D		ptrs_per_p4d
#define P4D_SIZE		(_AC(1, UL) << P4D_SHIFT)
#define P4D_MASK		(~(P4D_SIZE - 1))

#define MAX_POSSIBLE_PHYSMEM_BITS	52

#else /* CONFIG_X86_5LEVEL */

#define PGDIR_SHIFT		39
#define PTRS_PER_PGD		512
#define MAX_PTRS_PER_P4D	1

#endif /* CONFIG_X86_5LEVEL */

#define PUD_SHIFT	30
#define PTRS_PER_PUD	512

#define PMD_SHIFT	21
#define PTRS_PER_PMD	512

#define PTRS_PER_PTE	512

#define PMD_SIZE	(_AC(1, UL) << PMD_SHIFT)
#define PMD_MASK	(~(PMD_SIZE - 1))
#define PUD_SIZE	(_AC(1, UL) << PUD_SHIFT)
#define PUD_MASK	(~(PUD_SIZE - 1))
#define PGDIR_SIZE	(_AC(1, UL) << PGDIR_SHIFT)
#define PGDIR_MASK	(~(PGDIR_SIZE - 1))

#define _PAGE_SWP_EXCLUSIVE	_PAGE_PWT

#endif /* _ASM_X86_PGTABLE_64_DEFS_H */
