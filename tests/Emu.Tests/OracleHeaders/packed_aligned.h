/* SPDX-License-Identifier: GPL-2.0-only */
/* Layout-oracle corner cases: packed and aligned attributes. */
#ifndef ORACLE_PACKED_ALIGNED_H
#define ORACLE_PACKED_ALIGNED_H

struct pk_struct {
	char a;
	int b;
	short c;
	long long d;
} __attribute__((packed));

struct __attribute__((packed)) pk_prefix {
	char a;
	void *p;
};

struct pk_member {
	char a;
	int b __attribute__((packed));
	char c;
	long long d __attribute__((packed));
	short e;
};

struct pk_aligned {
	char a;
	int b;
} __attribute__((packed, aligned(4)));

struct al_struct {
	char a;
} __attribute__((aligned(16)));

struct al_member {
	char a;
	int b __attribute__((aligned(8)));
	char c;
};

struct al_member_in_packed {
	char a;
	int b __attribute__((aligned(4)));
	char c;
} __attribute__((packed));

/* aligned(N) on a member never lowers alignment... */
struct al_member_lower {
	char a;
	long long b __attribute__((aligned(2)));
};

/* ...but on a typedef it does. */
typedef long long al_ll4 __attribute__((aligned(4)));
typedef int al_int8 __attribute__((aligned(8)));

struct al_typedef {
	char a;
	al_int8 b;
	char c;
	al_ll4 d;
};

typedef struct {
	char a;
	short b;
} __attribute__((aligned(32))) al_anon_t;

struct al_biggest {
	char a;
} __attribute__((aligned));

struct pk_nested {
	char a;
	struct pk_struct s;
	char b;
	struct al_struct t;
	al_anon_t u;
};

struct al_array_member {
	char a;
	char b[3] __attribute__((aligned(8)));
	short c;
};

#endif
