/* SPDX-License-Identifier: GPL-2.0-only */
/* Layout-oracle corner cases: bitfields. Layouts come from the compilers, never from this file. */
#ifndef ORACLE_BITFIELDS_H
#define ORACLE_BITFIELDS_H

struct bf_basic {
	unsigned int a:3;
	unsigned int b:5;
	unsigned int c:24;
	unsigned int d:1;
};

/* :0 closes the current storage unit; unnamed widths are padding. */
struct bf_zero {
	char x;
	int :0;
	char y;
	unsigned int z:4;
	unsigned int :0;
	unsigned char w:2;
	long long :0;
	char v;
};

struct bf_unnamed {
	unsigned int a:4;
	unsigned int :4;
	unsigned int b:4;
	int :3;
	signed int s:5;
};

struct bf_signed {
	signed char a:3;
	short b:9;
	int c:17;
	long long d:33;
	char e:2;
};

struct bf_bool {
	_Bool a:1;
	_Bool b:1;
	unsigned char c;
	_Bool d:1;
};

/* Fields that do not fit the rest of their unit start a new one (or straddle, per ABI). */
struct bf_cross {
	unsigned char a:7;
	unsigned char b:3;
	unsigned short c:10;
	unsigned short d:10;
	unsigned int e:30;
	unsigned int f:5;
	unsigned long long g:60;
	unsigned long long h:8;
};

struct bf_long {
	unsigned long a:31;
	unsigned long b:2;
	unsigned long c:31;
};

struct bf_mixed_types {
	char a;
	int b:4;
	long c:20;
	short d:3;
	long long e:7;
};

union bf_union {
	unsigned int a:3;
	unsigned long long b:40;
	char c;
};

struct bf_in_anon {
	int x;
	union {
		struct {
			unsigned int lo:16;
			unsigned int hi:16;
		};
		unsigned int all;
	};
	struct {
		unsigned char f1:1, f2:1;
		unsigned short f3:9;
	} flags;
	char tail;
};

enum bf_color { BF_RED, BF_GREEN, BF_BLUE };

struct bf_enum {
	char c;
	enum bf_color color:2;
	enum bf_color other:5;
};

struct bf_packed {
	char a;
	unsigned int b:20;
	unsigned int c:20;
	unsigned long long d:50;
} __attribute__((packed));

struct bf_packed_member {
	char a;
	unsigned int b:20 __attribute__((packed));
	unsigned char c;
};

#endif
