/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from mm/gup_test.h (Linux 6.12): the PIN_LONGTERM_TEST interface. */
#ifndef __GUP_TEST_H
#define __GUP_TEST_H

#include <linux/types.h>

#define PIN_LONGTERM_TEST_FLAG_USE_WRITE	1
#define PIN_LONGTERM_TEST_FLAG_USE_FAST		2

struct pin_longterm_test {
	__u64 addr;
	__u64 size;
	__u32 flags;
};

#endif	/* __GUP_TEST_H */
