using System.Text;
using static Emu.Kernel.KernelConstants;
using static Emu.Kernel.PageFlagAccessors;

namespace Emu.Kernel;

// mm/debug.c: the dumps that VM_BUG_ON_* print before they BUG. The %pGp/%pGv flag names
// come from include/trace/events/mmflags.h; the flag strings are built as lib/vsprintf.c does.
public unsafe partial class Kernel
{
    /// <summary>CONFIG_ARCH_HAS_GIGANTIC_PAGE: 1 << PUD_ORDER (PUD_SHIFT 30 - PAGE_SHIFT 12).</summary>
    private const ulong MAX_FOLIO_NR_PAGES = 1UL << (30 - PAGE_SHIFT);

    /// <summary>pageflag_names: __def_pageflag_names with MLOCK, HWPOISON, IDLE and ARCH_2 configured in.</summary>
    private static readonly (ulong Mask, string Name)[] pageflag_names =
    [
        (1UL << PG_locked, "locked"), (1UL << PG_waiters, "waiters"), (1UL << PG_referenced, "referenced"),
        (1UL << PG_uptodate, "uptodate"), (1UL << PG_dirty, "dirty"), (1UL << PG_lru, "lru"),
        (1UL << PG_active, "active"), (1UL << PG_workingset, "workingset"), (1UL << PG_owner_priv_1, "owner_priv_1"),
        (1UL << PG_owner_2, "owner_2"), (1UL << PG_arch_1, "arch_1"), (1UL << PG_reserved, "reserved"),
        (1UL << PG_private, "private"), (1UL << PG_private_2, "private_2"), (1UL << PG_writeback, "writeback"),
        (1UL << PG_head, "head"), (1UL << PG_reclaim, "reclaim"), (1UL << PG_swapbacked, "swapbacked"),
        (1UL << PG_unevictable, "unevictable"), (1UL << PG_mlocked, "mlocked"), (1UL << PG_hwpoison, "hwpoison"),
        (1UL << PG_idle, "idle"), (1UL << PG_young, "young"), (1UL << PG_arch_2, "arch_2"),
    ];

    private static readonly string[] page_type_names = ["buddy", "offline", "table", "guard", "hugetlb", "slab", "zsmalloc", "unaccepted"];

    [Upstream("mm/debug.c", "page_type_name", "4d3bd7c50cbf422f")]
    private static string page_type_name(uint page_type)
    {
        uint i = (page_type >> 24) - 0xf0;
        if (i >= page_type_names.Length)
            return "unknown";
        return page_type_names[i];
    }

    [Upstream("lib/vsprintf.c", "format_flags", "025fcff9655e6831")]
    private static void format_flags(StringBuilder buf, ulong flags, (ulong Mask, string Name)[] names)
    {
        foreach (var (mask, name) in names)
        {
            if (flags == 0)
                break;
            if ((flags & mask) != mask)
                continue;
            buf.Append(name);
            flags &= ~mask;
            if (flags != 0)
                buf.Append('|');
        }
        if (flags != 0)
            buf.Append($"0x{flags:x}");
    }

    /// <summary>%pGp: the raw value, then flag names and the node/zone/lastcpupid fields.</summary>
    [Upstream("lib/vsprintf.c", "format_page_flags", "9b44e7b324f33329")]
    internal static string format_page_flags(ulong flags)
    {
        var buf = new StringBuilder($"0x{flags:x}(");
        ulong main_flags = flags & PAGEFLAGS_MASK;
        bool append = false;
        if (main_flags != 0)
        {
            format_flags(buf, main_flags, pageflag_names);
            append = true;
        }
        foreach (var (width, shift, mask, hex, name) in new (int, ulong, ulong, bool, string)[]
        {
            (SECTIONS_WIDTH, SECTIONS_PGSHIFT, SECTIONS_MASK, false, "section"),
            (NODES_WIDTH, NODES_PGSHIFT, NODES_MASK, false, "node"),
            (ZONES_WIDTH, ZONES_PGSHIFT, ZONES_MASK, false, "zone"),
            (LAST_CPUPID_WIDTH, LAST_CPUPID_PGSHIFT, LAST_CPUPID_MASK, true, "lastcpupid"),
            (KASAN_TAG_WIDTH, KASAN_TAG_PGSHIFT, KASAN_TAG_MASK, true, "kasantag"),
        })
        {
            if (width == 0)
                continue;
            if (append)
                buf.Append('|');
            ulong v = (flags >> (int)shift) & mask;
            buf.Append(name).Append('=').Append(hex ? $"0x{v:x}" : v.ToString());
            append = true;
        }
        return buf.Append(')').ToString();
    }

    [Upstream("mm/debug.c", "__dump_folio", "4daef08c65638908")]
    private void __dump_folio(folio* folio, page* page, ulong pfn, ulong idx)
    {
        void* mapping = folio_mapping(folio);
        int mapcount = atomic_read(&page->_mapcount);
        string type = "";

        mapcount = page_mapcount_is_type((uint)mapcount) ? 0 : mapcount + 1;
        pr_warn($"page: refcount:{folio_ref_count(folio)} mapcount:{mapcount} mapping:{(ulong)mapping:x16} index:0x{folio->index + idx:x} pfn:0x{pfn:x}");
        if (folio_test_large(folio))
        {
            pr_warn($"head: order:{folio_order(folio)} mapcount:{folio_mapcount(folio)} entire_mapcount:{folio_entire_mapcount(folio)} " +
                    $"nr_pages_mapped:{folio_nr_pages_mapped(folio)} pincount:{atomic_read(&folio->_pincount)}");
        }
        if (folio->memcg_data != 0)
            pr_warn($"memcg:{folio->memcg_data:x}");
        if (folio_test_ksm(folio))
            type = "ksm ";
        else if (folio_test_anon(folio))
            type = "anon ";
        // dump_mapping: Emu has no file-backed mappings.
        pr_warn($"{type}flags: {format_page_flags(folio->flags)}");
        if (page_has_type(&folio->page))
            pr_warn($"page_type: {folio->page.page_type >> 24:x}({page_type_name(folio->page.page_type)})");
        print_hex_dump("raw: ", (ulong*)page, (ulong)sizeof(page));
        if (folio_test_large(folio))
            print_hex_dump("head: ", (ulong*)folio, 2 * (ulong)sizeof(page));
    }

    /// <summary>print_hex_dump with 32 bytes a row in 8-byte groups, as __dump_folio asks for.</summary>
    private void print_hex_dump(string prefix, ulong* words, ulong bytes)
    {
        for (ulong i = 0; i < bytes / 8; i += 4)
        {
            var row = new StringBuilder(prefix);
            for (ulong j = i; j < i + 4 && j < bytes / 8; j++)
                row.Append(j == i ? "" : " ").Append($"{words[j]:x16}");
            pr_warn(row.ToString());
        }
    }

    /// <summary>The snapshot copies (memcpy of page and folio) keep the dump consistent against concurrent change.</summary>
    [Upstream("mm/debug.c", "__dump_page", "7525c2ff0610f2d9")]
    private void __dump_page(page* page)
    {
        folio* foliop;
        folio folio;
        page precise;
        ulong head;
        ulong pfn = page_to_pfn(page);
        ulong idx, nr_pages = 1;
        int loops = 5;

    again:
        precise = *page;
        head = precise.compound_head;
        if ((head & 1) == 0)
        {
            foliop = (folio*)&precise;
            idx = 0;
            if (!folio_test_large(foliop))
                goto dump;
            foliop = (folio*)page;
        }
        else
        {
            foliop = (folio*)(head - 1);
            idx = folio_page_idx(foliop, page);
        }

        if (idx < MAX_FOLIO_NR_PAGES)
        {
            // Copy two struct pages' worth, as upstream does; struct folio is larger, so zero the rest.
            folio = default;
            System.Buffer.MemoryCopy(foliop, &folio, sizeof(folio), 2 * sizeof(page));
            nr_pages = (ulong)folio_nr_pages(&folio);
            foliop = &folio;
        }

        if (idx > nr_pages)
        {
            if (loops-- > 0)
                goto again;
            pr_warn("page does not match folio");
            precise.compound_head &= ~1UL;
            foliop = (folio*)&precise;
            idx = 0;
        }

    dump:
        __dump_folio(foliop, &precise, pfn, idx);
    }

    [Upstream("mm/debug.c", "dump_page", "aaa2aeae923b31f1")]
    internal void dump_page(page* page, string? reason)
    {
        if (PagePoisoned(page))
            pr_warn($"page:{(ulong)page:x16} is uninitialized and poisoned");
        else
            __dump_page(page);
        if (reason is not null)
            pr_warn($"page dumped because: {reason}");
        // dump_page_owner: CONFIG_PAGE_OWNER is off.
    }

    [Upstream("mm/debug.c", "dump_vma", "3a4c5a6504366c4d")]
    internal void dump_vma(vm_area_struct* vma)
    {
        pr_emerg($"vma {(ulong)vma:x16} start {vma->vm_start:x16} end {vma->vm_end:x16} mm {(ulong)vma->vm_mm:x16}\n" +
                 $"prot {vma->vm_page_prot.pgprot_:x} anon_vma {(ulong)vma->anon_vma:x16} vm_ops {(ulong)vma->vm_ops:x16}\n" +
                 $"pgoff {vma->vm_pgoff:x} file {(ulong)vma->vm_file:x16} private_data {(ulong)vma->vm_private_data:x16}\n" +
                 $"flags: 0x{vma->vm_flags:x}");
    }

    [Upstream("mm/debug.c", "dump_mm", "aeb79ea1fef7ad2b")]
    internal void dump_mm(mm_struct* mm)
    {
        pr_emerg($"mm {(ulong)mm:x16} task_size {mm->task_size}\n" +
                 $"mmap_base {mm->mmap_base} mmap_legacy_base {mm->mmap_legacy_base}\n" +
                 $"pgd {(ulong)mm->pgd:x16} mm_users {atomic_read(&mm->mm_users)} mm_count {atomic_read(&mm->mm_count)} " +
                 $"pgtables_bytes {atomic_long_read(&mm->pgtables_bytes)} map_count {mm->map_count}\n" +
                 $"hiwater_rss {mm->hiwater_rss:x} hiwater_vm {mm->hiwater_vm:x} total_vm {mm->total_vm:x} locked_vm {mm->locked_vm:x}\n" +
                 $"pinned_vm {mm->pinned_vm.counter:x} data_vm {mm->data_vm:x} exec_vm {mm->exec_vm:x} stack_vm {mm->stack_vm:x}\n" +
                 $"start_code {mm->start_code:x} end_code {mm->end_code:x} start_data {mm->start_data:x} end_data {mm->end_data:x}\n" +
                 $"start_brk {mm->start_brk:x} brk {mm->brk:x} start_stack {mm->start_stack:x}\n" +
                 $"arg_start {mm->arg_start:x} arg_end {mm->arg_end:x} env_start {mm->env_start:x} env_end {mm->env_end:x}\n" +
                 $"binfmt {(ulong)mm->binfmt:x16} flags {mm->flags:x}\n" +
                 $"ioctx_table {(ulong)mm->ioctx_table:x16}\n" +
                 $"owner {(ulong)mm->owner:x16} exe_file {(ulong)mm->exe_file:x16}\n" +
                 $"notifier_subscriptions {(ulong)mm->notifier_subscriptions:x16}\n" +
                 $"numa_next_scan {mm->numa_next_scan} numa_scan_offset {mm->numa_scan_offset} numa_scan_seq {mm->numa_scan_seq}\n" +
                 $"tlb_flush_pending {atomic_read(&mm->tlb_flush_pending)}\n" +
                 $"def_flags: 0x{mm->def_flags:x}");
    }
}
