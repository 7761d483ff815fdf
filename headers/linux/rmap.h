/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed from include/linux/rmap.h (Linux 6.12): structs, enums and flag macros only. */
#ifndef _LINUX_RMAP_H
#define _LINUX_RMAP_H

#include <linux/types.h>
#include <linux/rbtree_types.h>
#include <linux/rwsem.h>
#include <linux/mm_types.h>
#include <linux/bits.h>
#include <linux/spinlock_types.h>
#include <asm/pgtable_types.h>

struct anon_vma {
	struct anon_vma *root;
	struct rw_semaphore rwsem;
	atomic_t refcount;

	unsigned long num_children;
	unsigned long num_active_vmas;

	struct anon_vma *parent;

	struct rb_root_cached rb_root;
};

struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;
	struct rb_node rb;
	unsigned long rb_subtree_last;
#ifdef CONFIG_DEBUG_VM_RB
	unsigned long cached_vma_start, cached_vma_last;
#endif
};

enum ttu_flags {
	TTU_SPLIT_HUGE_PMD	= 0x4,
	TTU_IGNORE_MLOCK	= 0x8,
	TTU_SYNC		= 0x10,
	TTU_HWPOISON		= 0x20,
	TTU_BATCH_FLUSH		= 0x40,
	TTU_RMAP_LOCKED		= 0x80,
};

typedef int __bitwise rmap_t;

#define RMAP_NONE		((__force rmap_t)0)

#define RMAP_EXCLUSIVE		((__force rmap_t)BIT(0))

enum rmap_level {
	RMAP_LEVEL_PTE = 0,
	RMAP_LEVEL_PMD,
};

#define PVMW_SYNC		(1 << 0)
#define PVMW_MIGRATION		(1 << 1)

struct page_vma_mapped_walk {
	unsigned long pfn;
	unsigned long nr_pages;
	pgoff_t pgoff;
	struct vm_area_struct *vma;
	unsigned long address;
	pmd_t *pmd;
	pte_t *pte;
	spinlock_t *ptl;
	unsigned int flags;
};

enum rmp_flags {
	RMP_LOCKED		= 1 << 0,
	RMP_USE_SHARED_ZEROPAGE	= 1 << 1,
};

struct rmap_walk_control {
	void *arg;
	bool try_lock;
	bool contended;
	bool (*rmap_one)(struct folio *folio, struct vm_area_struct *vma,
					unsigned long addr, void *arg);
	int (*done)(struct folio *folio);
	struct anon_vma *(*anon_lock)(struct folio *folio,
				      struct rmap_walk_control *rwc);
	bool (*invalid_vma)(struct vm_area_struct *vma, void *arg);
};

#endif	/* _LINUX_RMAP_H */
