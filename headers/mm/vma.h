/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Trimmed from mm/vma.h (Linux 6.12): the structs and enums only. */
#ifndef _EMU_MM_VMA_H
#define _EMU_MM_VMA_H

#include <linux/types.h>
#include <linux/mm_types.h>

struct file;
struct address_space;
struct anon_vma;
struct mempolicy;
struct anon_vma_name;

struct vma_prepare {
	struct vm_area_struct *vma;
	struct vm_area_struct *adj_next;
	struct file *file;
	struct address_space *mapping;
	struct anon_vma *anon_vma;
	struct vm_area_struct *insert;
	struct vm_area_struct *remove;
	struct vm_area_struct *remove2;

	bool skip_vma_uprobe :1;
};

struct unlink_vma_file_batch {
	int count;
	struct vm_area_struct *vmas[8];
};

struct vma_munmap_struct {
	struct vma_iterator *vmi;
	struct vm_area_struct *vma;
	struct vm_area_struct *prev;
	struct vm_area_struct *next;
	struct list_head *uf;
	unsigned long start;
	unsigned long end;
	unsigned long unmap_start;
	unsigned long unmap_end;
	int vma_count;
	bool unlock;
	bool clear_ptes;
	unsigned long nr_pages;
	unsigned long locked_vm;
	unsigned long nr_accounted;
	unsigned long exec_vm;
	unsigned long stack_vm;
	unsigned long data_vm;
};

enum vma_merge_state {
	VMA_MERGE_START,
	VMA_MERGE_ERROR_NOMEM,
	VMA_MERGE_NOMERGE,
	VMA_MERGE_SUCCESS,
};

enum vma_merge_flags {
	VMG_FLAG_DEFAULT = 0,
	VMG_FLAG_JUST_EXPAND = 1 << 0,
};

struct vma_merge_struct {
	struct mm_struct *mm;
	struct vma_iterator *vmi;
	pgoff_t pgoff;
	struct vm_area_struct *prev;
	struct vm_area_struct *next;
	struct vm_area_struct *vma;
	unsigned long start;
	unsigned long end;
	unsigned long flags;
	struct file *file;
	struct anon_vma *anon_vma;
	struct mempolicy *policy;
	struct vm_userfaultfd_ctx uffd_ctx;
	struct anon_vma_name *anon_name;
	enum vma_merge_flags merge_flags;
	enum vma_merge_state state;

	bool give_up_on_oom :1;

	bool skip_vma_uprobe :1;
};

#endif
