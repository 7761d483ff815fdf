/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* Trimmed from include/uapi/linux/mman.h (Linux 6.12): the mapping types; asm/mman.h on x86
 * is asm-generic/mman.h; the MAP_HUGE_* size encodings are dropped. */
#ifndef _UAPI_LINUX_MMAN_H
#define _UAPI_LINUX_MMAN_H

#include <uapi/asm-generic/mman.h>

#define MREMAP_MAYMOVE		1
#define MREMAP_FIXED		2
#define MREMAP_DONTUNMAP	4

#define OVERCOMMIT_GUESS		0
#define OVERCOMMIT_ALWAYS		1
#define OVERCOMMIT_NEVER		2

#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_DROPPABLE	0x08

#endif /* _UAPI_LINUX_MMAN_H */
