// SPDX-License-Identifier: GPL-2.0-only
/* Not an upstream header: the KSM structs and constants below are
 * defined inside mm/ksm.c (Linux 6.12); collected here for Emu. */
#ifndef _EMU_MM_KSM_H
#define _EMU_MM_KSM_H

#include <linux/types.h>
#include <linux/rbtree_types.h>
#include <linux/mm_types.h>
#include <linux/rmap.h>
#include <mm/mm_slot.h>

typedef u8 rmap_age_t;

struct ksm_mm_slot {
	/* emu: upstream mm/ksm.c */
	struct mm_slot slot;
	struct ksm_rmap_item *rmap_list;
};

struct ksm_scan {
	/* emu: upstream mm/ksm.c */
	struct ksm_mm_slot *mm_slot;
	unsigned long address;
	struct ksm_rmap_item **rmap_list;
	unsigned long seqnr;
};

struct ksm_stable_node {
	/* emu: upstream mm/ksm.c */
	union {
		struct rb_node node;
		struct {
			struct list_head *head;
			struct {
				struct hlist_node hlist_dup;
				struct list_head list;
			};
		};
	};
	struct hlist_head hlist;
	union {
		unsigned long kpfn;
		unsigned long chain_prune_time;
	};
#define STABLE_NODE_CHAIN -1024
	int rmap_hlist_len;
#ifdef CONFIG_NUMA
	int nid;
#endif
};

struct ksm_rmap_item {
	/* emu: upstream mm/ksm.c */
	struct ksm_rmap_item *rmap_list;
	union {
		struct anon_vma *anon_vma;
#ifdef CONFIG_NUMA
		int nid;
#endif
	};
	struct mm_struct *mm;
	unsigned long address;
	unsigned int oldchecksum;
	rmap_age_t age;
	rmap_age_t remaining_skips;
	union {
		struct rb_node node;
		struct {
			struct ksm_stable_node *head;
			struct hlist_node hlist;
		};
	};
};

#define SEQNR_MASK	0x0ff
#define UNSTABLE_FLAG	0x100
#define STABLE_FLAG	0x200

#define MM_SLOTS_HASH_BITS 10

#define DEFAULT_PAGES_TO_SCAN 100

#define KSM_ADVISOR_MIN_CPU 10

#define EWMA_WEIGHT 30

struct advisor_ctx {
	/* emu: upstream mm/ksm.c */
	ktime_t start_scan;
	unsigned long scan_time;
	unsigned long change;
	unsigned long long cpu_time;
};

enum ksm_advisor_type {
	KSM_ADVISOR_NONE,
	KSM_ADVISOR_SCAN_TIME,
};

#define KSM_RUN_STOP	0
#define KSM_RUN_MERGE	1
#define KSM_RUN_UNMERGE	2
#define KSM_RUN_OFFLINE	4

struct ksm_next_page_arg {
	/* emu: upstream mm/ksm.c */
	struct folio *folio;
	struct page *page;
	unsigned long addr;
};

enum ksm_get_folio_flags {
	KSM_GET_FOLIO_NOLOCK,
	KSM_GET_FOLIO_LOCK,
	KSM_GET_FOLIO_TRYLOCK
};

#endif /* _EMU_MM_KSM_H */
