/* SPDX-License-Identifier: GPL-2.0-only */
/* Layout-oracle corner cases: flexible arrays, nesting, scalars, enums. */
#ifndef ORACLE_AGGREGATES_H
#define ORACLE_AGGREGATES_H

struct fx_flex {
	int n;
	char c;
	long data[];
};

struct fx_flex_char {
	short n;
	char s[];
};

struct nest_anon {
	int a;
	union {
		struct {
			short b;
			union {
				char c;
				long long d;
			};
		};
		double e;
	};
	struct {
		char f;
	} g;
	struct {
		int h;
		char i;
	} arr[3];
	union {
		struct {
			char j;
		};
		struct {
			short k;
			char l;
		};
	};
};

struct elem {
	char c;
	int i;
};

struct arr_of_struct {
	char a;
	struct elem e[3];
	char z;
	struct elem m[2][2];
	char tail;
};

/* char is unsigned on arm/aarch64, signed on x86: layout must not care. */
struct scalars {
	char c;
	signed char sc;
	unsigned char uc;
	short s;
	long l;
	long long ll;
	float f;
	double d;
	long double ld;
	void *p;
	void (*fn)(int);
	_Bool b;
	unsigned long ul[2];
};

/* 8-byte scalars: 4-aligned inside structs on i386, 8-aligned on arm. */
struct ll_double {
	char c;
	long long ll;
	char c2;
	double d;
	char c3;
};

union un_mixed {
	char c[5];
	int i;
	short s[3];
};

enum big_enum { BIG_A = 1, BIG_B = 0x100000000ULL };
enum neg_enum { NEG_A = -1, NEG_B = 1 };
enum __attribute__((packed)) small_enum { SMALL_A, SMALL_B = 200 };

struct enums {
	char c;
	enum big_enum big;
	char c2;
	enum neg_enum neg;
	enum small_enum small;
	char c3;
};

typedef struct {
	int counter;
} atomic_like_t;

struct uses_typedef {
	atomic_like_t a;
	char c;
	atomic_like_t b[2];
};

#endif
