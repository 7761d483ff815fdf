/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* Trimmed from include/uapi/asm-generic/posix_types.h (Linux 6.12).
 * The 64-bit branch is used on every ABI (size_t is unsigned long). */
#ifndef __ASM_GENERIC_POSIX_TYPES_H
#define __ASM_GENERIC_POSIX_TYPES_H

#include <asm/bitsperlong.h>

typedef long		__kernel_long_t;
typedef unsigned long	__kernel_ulong_t;

typedef int		__kernel_pid_t;
typedef unsigned int	__kernel_uid32_t;
typedef unsigned int	__kernel_gid32_t;

typedef __kernel_ulong_t __kernel_size_t;
typedef __kernel_long_t	__kernel_ssize_t;
typedef __kernel_long_t	__kernel_ptrdiff_t;

typedef long long	__kernel_loff_t;

#endif /* __ASM_GENERIC_POSIX_TYPES_H */
