/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from arch/x86/include/asm/cpufeatures.h (Linux 6.12):
 * the feature bits the page-table code tests. */
#ifndef _ASM_X86_CPUFEATURES_H
#define _ASM_X86_CPUFEATURES_H

#define NCAPINTS			22
#define NBUGINTS			2

#define X86_FEATURE_PSE			( 0*32+ 3)
#define X86_FEATURE_PGE			( 0*32+13)
#define X86_FEATURE_NX			( 1*32+20)
#define X86_FEATURE_PTI			( 7*32+11)
#define X86_FEATURE_USER_SHSTK		(11*32+23)
#define X86_FEATURE_PKU			(16*32+ 3)
#define X86_FEATURE_OSPKE		(16*32+ 4)
#define X86_FEATURE_SHSTK		(16*32+ 7)
#define X86_FEATURE_LA57		(16*32+16)

#endif /* _ASM_X86_CPUFEATURES_H */
