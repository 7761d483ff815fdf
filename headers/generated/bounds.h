#ifndef __LINUX_BOUNDS_H__
#define __LINUX_BOUNDS_H__
/* What kernel/bounds.c generates for the Debian 6.12 amd64 config
 * (values checked by compiling against these headers and against the
 * 6.12.117 kernel's BTF: __NR_PAGEFLAGS == 24). */

#define NR_PAGEFLAGS 24 /* __NR_PAGEFLAGS */
#define MAX_NR_ZONES 5 /* __MAX_NR_ZONES */
#define NR_CPUS_BITS 13 /* order_base_2(CONFIG_NR_CPUS) */
#define SPINLOCK_SIZE 4 /* sizeof(spinlock_t) */
#define LRU_GEN_WIDTH 3 /* order_base_2(MAX_NR_GENS + 1) */
#define __LRU_REFS_WIDTH 2 /* MAX_NR_TIERS - 2 */

#endif
