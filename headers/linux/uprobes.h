/* SPDX-License-Identifier: GPL-2.0+ */
/* Trimmed from include/linux/uprobes.h (Linux 6.12): struct uprobes_state. */
#ifndef _LINUX_UPROBES_H
#define _LINUX_UPROBES_H

#include <linux/types.h>

struct xol_area;

#ifdef CONFIG_UPROBES
struct uprobes_state {
	struct xol_area		*xol_area;
};
#else /* !CONFIG_UPROBES */
struct uprobes_state {
};
#endif /* !CONFIG_UPROBES */

#endif	/* _LINUX_UPROBES_H */
