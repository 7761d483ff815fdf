#!/bin/sh
# Compile-check every header under headers/ on the four Emu ABIs.
# Usage: headers/check.sh   (from anywhere; needs gcc, gcc-multilib, clang-14)
set -u
HDIR=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

COMMON="-include linux/kconfig.h -I $HDIR -std=gnu11 -fsyntax-only -Werror -Wall -Wno-pedantic -nostdinc -ffreestanding"

fail=0
total=0

headers=$(cd "$HDIR" && find . -name '*.h' | sed 's|^\./||' | LC_ALL=C sort)

: > "$TMP/all.c"
for h in $headers; do
	printf '#include <%s>\n' "$h" >> "$TMP/all.c"
done

run() { # name, compiler words..., ; reads $src
	name=$1; shift
	for h in $headers; do
		total=$((total + 1))
		printf '#include <%s>\n' "$h" > "$TMP/one.c"
		if ! "$@" $COMMON -c "$TMP/one.c" -o /dev/null 2> "$TMP/err"; then
			echo "FAIL [$name] $h"; sed 's/^/    /' "$TMP/err" | head -20
			fail=$((fail + 1))
		fi
	done
	total=$((total + 1))
	if ! "$@" $COMMON -c "$TMP/all.c" -o /dev/null 2> "$TMP/err"; then
		echo "FAIL [$name] <all headers>"; sed 's/^/    /' "$TMP/err" | head -20
		fail=$((fail + 1))
	else
		echo "ok   [$name] $(echo "$headers" | wc -l) headers + all-in-one"
	fi
}

run x86_64  gcc
run i386    gcc -m32
run aarch64 clang-14 --target=aarch64-linux-gnu
run armv7   clang-14 --target=armv7-linux-gnueabihf

# Layout spot check (x86_64): sizes that must match the Debian 6.12 kernel.
cat > "$TMP/layout.c" <<'EOC'
#include <linux/mm.h>
#include <linux/rmap.h>
#include <mm/ksm.h>
_Static_assert(sizeof(struct page) == 64, "struct page");
_Static_assert(sizeof(struct folio) == 256, "struct folio");
_Static_assert(sizeof(struct ptdesc) == 64, "struct ptdesc");
_Static_assert(sizeof(spinlock_t) == 4, "spinlock_t");
_Static_assert(sizeof(struct rw_semaphore) == 40, "rw_semaphore");
_Static_assert(sizeof(struct list_head) == 16, "list_head");
_Static_assert(sizeof(struct rb_node) == 24, "rb_node");
_Static_assert(sizeof(struct anon_vma) == 96, "anon_vma");
_Static_assert(sizeof(struct anon_vma_chain) == 64, "anon_vma_chain");
_Static_assert(sizeof(struct mm_slot) == 40, "mm_slot");
_Static_assert(sizeof(struct ksm_rmap_item) == 64, "ksm_rmap_item");
_Static_assert(sizeof(struct ksm_stable_node) == 64, "ksm_stable_node");
_Static_assert(NR_PAGEFLAGS == __NR_PAGEFLAGS, "bounds.h NR_PAGEFLAGS");
_Static_assert(SPINLOCK_SIZE == sizeof(spinlock_t), "bounds.h SPINLOCK_SIZE");
EOC
total=$((total + 1))
if gcc $COMMON -c "$TMP/layout.c" -o /dev/null 2> "$TMP/err"; then
	echo "ok   [x86_64] layout spot checks"
else
	echo "FAIL [x86_64] layout spot checks"; sed 's/^/    /' "$TMP/err" | head -20
	fail=$((fail + 1))
fi

echo "$((total - fail))/$total passed"
[ "$fail" -eq 0 ]
