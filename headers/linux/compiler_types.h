/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/compiler_types.h (Linux 6.12): non-sparse,
 * non-RANDSTRUCT build (Debian config: CONFIG_RANDSTRUCT_NONE). */
#ifndef __LINUX_COMPILER_TYPES_H
#define __LINUX_COMPILER_TYPES_H

#include <linux/compiler_attributes.h>

# define __user
# define __iomem
# define __percpu
# define __rcu
# define __force
# define __private

#if defined(RANDSTRUCT) && !defined(__CHECKER__)
# define __randomize_layout __designated_init __attribute__((randomize_layout))
# define __no_randomize_layout __attribute__((no_randomize_layout))
# define randomized_struct_fields_start	struct {
# define randomized_struct_fields_end	} __randomize_layout;
#else
# define __randomize_layout
# define __no_randomize_layout
# define randomized_struct_fields_start
# define randomized_struct_fields_end
#endif

#endif /* __LINUX_COMPILER_TYPES_H */
