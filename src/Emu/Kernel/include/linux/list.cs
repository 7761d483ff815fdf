// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 include/linux/list.h (with the poison values of
// include/linux/poison.h, and the checks of
// lib/list_debug.c that list.h calls), as configured by the Debian amd64 config:
// CONFIG_LIST_HARDENED=y, CONFIG_DEBUG_LIST=y, CONFIG_BUG_ON_DATA_CORRUPTION=y,
// CONFIG_ILLEGAL_POINTER_VALUE=0xdead000000000000.
//
// Idioms:
//  - READ_ONCE/WRITE_ONCE are plain loads/stores; smp_load_acquire/smp_store_release are Volatile.
//  - int-returning predicates (list_empty, hlist_unhashed ...) return bool.
//  - A `member` argument is the member's byte offset: offsetof.T.member from the generated structs.
//  - The for-each macros return ref-struct enumerators for foreach; the *_safe ones fetch the next
//    entry before the body runs, the others after, exactly as the macros do.
using System;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using static Emu.Kernel.ListDebugSupport;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    // ---- lib/list_debug.c (CONFIG_DEBUG_LIST) ----

    [Upstream("lib/list_debug.c", "__list_add_valid_or_report", "c284d9fe63a5aaaf")]
    public static bool __list_add_valid_or_report(list_head* @new, list_head* prev,
        list_head* next)
    {
        if (CHECK_DATA_CORRUPTION(prev == null,
                "list_add corruption. prev is NULL.\n") ||
            CHECK_DATA_CORRUPTION(next == null,
                "list_add corruption. next is NULL.\n") ||
            CHECK_DATA_CORRUPTION(next->prev != prev,
                $"list_add corruption. next->prev should be prev ({px(prev)}), but was {px(next->prev)}. (next={px(next)}).\n") ||
            CHECK_DATA_CORRUPTION(prev->next != next,
                $"list_add corruption. prev->next should be next ({px(next)}), but was {px(prev->next)}. (prev={px(prev)}).\n") ||
            CHECK_DATA_CORRUPTION(@new == prev || @new == next,
                $"list_add double add: new={px(@new)}, prev={px(prev)}, next={px(next)}.\n"))
            return false;

        return true;
    }

    [Upstream("lib/list_debug.c", "__list_del_entry_valid_or_report", "f0344a1e04fc25c9")]
    public static bool __list_del_entry_valid_or_report(list_head* entry)
    {
        list_head* prev, next;

        prev = entry->prev;
        next = entry->next;

        if (CHECK_DATA_CORRUPTION(next == null,
                $"list_del corruption, {px(entry)}->next is NULL\n") ||
            CHECK_DATA_CORRUPTION(prev == null,
                $"list_del corruption, {px(entry)}->prev is NULL\n") ||
            CHECK_DATA_CORRUPTION(next == LIST_POISON1,
                $"list_del corruption, {px(entry)}->next is LIST_POISON1 ({px(LIST_POISON1)})\n") ||
            CHECK_DATA_CORRUPTION(prev == LIST_POISON2,
                $"list_del corruption, {px(entry)}->prev is LIST_POISON2 ({px(LIST_POISON2)})\n") ||
            CHECK_DATA_CORRUPTION(prev->next != entry,
                $"list_del corruption. prev->next should be {px(entry)}, but was {px(prev->next)}. (prev={px(prev)})\n") ||
            CHECK_DATA_CORRUPTION(next->prev != entry,
                $"list_del corruption. next->prev should be {px(entry)}, but was {px(next->prev)}. (next={px(next)})\n"))
            return false;

        return true;
    }

    // ---- include/linux/list.h: list_head ----

    [Upstream("include/linux/list.h", "INIT_LIST_HEAD", "78e9d76e30a0fec4")]
    public static void INIT_LIST_HEAD(list_head* list)
    {
        list->next = list;
        list->prev = list;
    }

    [Upstream("include/linux/list.h", "__list_add_valid", "88bcc7faa65867c9")]
    public static bool __list_add_valid(list_head* @new, list_head* prev, list_head* next)
    {
        bool ret = true;

        // IS_ENABLED(CONFIG_DEBUG_LIST): the inline fast check is skipped, the full one always runs.
        ret &= __list_add_valid_or_report(@new, prev, next);
        return ret;
    }

    [Upstream("include/linux/list.h", "__list_del_entry_valid", "a30cb83c6ab238da")]
    public static bool __list_del_entry_valid(list_head* entry)
    {
        bool ret = true;

        // IS_ENABLED(CONFIG_DEBUG_LIST), as above.
        ret &= __list_del_entry_valid_or_report(entry);
        return ret;
    }

    [Upstream("include/linux/list.h", "__list_add", "a9ddfe1fd4aa43b0")]
    public static void __list_add(list_head* @new, list_head* prev, list_head* next)
    {
        if (!__list_add_valid(@new, prev, next))
            return;

        next->prev = @new;
        @new->next = next;
        @new->prev = prev;
        prev->next = @new;
    }

    [Upstream("include/linux/list.h", "list_add", "d3ab99dcc638406b")]
    public static void list_add(list_head* @new, list_head* head)
    {
        __list_add(@new, head, head->next);
    }

    [Upstream("include/linux/list.h", "list_add_tail", "b15d5607cc2202e0")]
    public static void list_add_tail(list_head* @new, list_head* head)
    {
        __list_add(@new, head->prev, head);
    }

    [Upstream("include/linux/list.h", "__list_del", "262d7c55197eeb76")]
    public static void __list_del(list_head* prev, list_head* next)
    {
        next->prev = prev;
        prev->next = next;
    }

    [Upstream("include/linux/list.h", "__list_del_clearprev", "43bc152d5a2784a0")]
    public static void __list_del_clearprev(list_head* entry)
    {
        __list_del(entry->prev, entry->next);
        entry->prev = null;
    }

    [Upstream("include/linux/list.h", "__list_del_entry", "ee7510296b2837ef")]
    public static void __list_del_entry(list_head* entry)
    {
        if (!__list_del_entry_valid(entry))
            return;

        __list_del(entry->prev, entry->next);
    }

    [Upstream("include/linux/list.h", "list_del", "aaa65b1f288be2a2")]
    public static void list_del(list_head* entry)
    {
        __list_del_entry(entry);
        entry->next = (list_head*)LIST_POISON1;
        entry->prev = (list_head*)LIST_POISON2;
    }

    [Upstream("include/linux/list.h", "list_replace", "c7d531cbc6ad1295")]
    public static void list_replace(list_head* old, list_head* @new)
    {
        @new->next = old->next;
        @new->next->prev = @new;
        @new->prev = old->prev;
        @new->prev->next = @new;
    }

    [Upstream("include/linux/list.h", "list_replace_init", "4d910ff96731dc53")]
    public static void list_replace_init(list_head* old, list_head* @new)
    {
        list_replace(old, @new);
        INIT_LIST_HEAD(old);
    }

    [Upstream("include/linux/list.h", "list_swap", "6014c49b12ddb933")]
    public static void list_swap(list_head* entry1, list_head* entry2)
    {
        list_head* pos = entry2->prev;

        list_del(entry2);
        list_replace(entry1, entry2);
        if (pos == entry1)
            pos = entry2;
        list_add(entry1, pos);
    }

    [Upstream("include/linux/list.h", "list_del_init", "875cc10fd6df8fef")]
    public static void list_del_init(list_head* entry)
    {
        __list_del_entry(entry);
        INIT_LIST_HEAD(entry);
    }

    [Upstream("include/linux/list.h", "list_move", "cca8df589bd42e1a")]
    public static void list_move(list_head* list, list_head* head)
    {
        __list_del_entry(list);
        list_add(list, head);
    }

    [Upstream("include/linux/list.h", "list_move_tail", "6f28e074dd4600d7")]
    public static void list_move_tail(list_head* list, list_head* head)
    {
        __list_del_entry(list);
        list_add_tail(list, head);
    }

    [Upstream("include/linux/list.h", "list_bulk_move_tail", "13582c3f733705ca")]
    public static void list_bulk_move_tail(list_head* head, list_head* first, list_head* last)
    {
        first->prev->next = last->next;
        last->next->prev = first->prev;

        head->prev->next = first;
        first->prev = head->prev;

        last->next = head;
        head->prev = last;
    }

    [Upstream("include/linux/list.h", "list_is_first", "4680882f08c5aae2")]
    public static bool list_is_first(list_head* list, list_head* head)
    {
        return list->prev == head;
    }

    [Upstream("include/linux/list.h", "list_is_last", "072517f32a14e545")]
    public static bool list_is_last(list_head* list, list_head* head)
    {
        return list->next == head;
    }

    [Upstream("include/linux/list.h", "list_is_head", "0a47280148cf3bdf")]
    public static bool list_is_head(list_head* list, list_head* head)
    {
        return list == head;
    }

    [Upstream("include/linux/list.h", "list_empty", "4f6e81e5ad1609ad")]
    public static bool list_empty(list_head* head)
    {
        return head->next == head;
    }

    [Upstream("include/linux/list.h", "list_del_init_careful", "fecf5968752ede17")]
    public static void list_del_init_careful(list_head* entry)
    {
        __list_del_entry(entry);
        entry->prev = entry;
        Volatile.Write(ref *(nint*)&entry->next, (nint)entry); // smp_store_release
    }

    [Upstream("include/linux/list.h", "list_empty_careful", "d1509374a2a09584")]
    public static bool list_empty_careful(list_head* head)
    {
        list_head* next = (list_head*)Volatile.Read(ref *(nint*)&head->next); // smp_load_acquire
        return list_is_head(next, head) && (next == head->prev);
    }

    [Upstream("include/linux/list.h", "list_rotate_left", "122dcee0f57b773a")]
    public static void list_rotate_left(list_head* head)
    {
        list_head* first;

        if (!list_empty(head))
        {
            first = head->next;
            list_move_tail(first, head);
        }
    }

    [Upstream("include/linux/list.h", "list_rotate_to_front", "638fd406b5b4f625")]
    public static void list_rotate_to_front(list_head* list, list_head* head)
    {
        // Moving the head just before @list makes @list the first entry.
        list_move_tail(head, list);
    }

    [Upstream("include/linux/list.h", "list_is_singular", "180f3fd7542d3aaf")]
    public static bool list_is_singular(list_head* head)
    {
        return !list_empty(head) && (head->next == head->prev);
    }

    [Upstream("include/linux/list.h", "__list_cut_position", "03942a18f3d6c4c8")]
    public static void __list_cut_position(list_head* list, list_head* head, list_head* entry)
    {
        list_head* new_first = entry->next;
        list->next = head->next;
        list->next->prev = list;
        list->prev = entry;
        entry->next = list;
        head->next = new_first;
        new_first->prev = head;
    }

    [Upstream("include/linux/list.h", "list_cut_position", "598bb549b17fca1d")]
    public static void list_cut_position(list_head* list, list_head* head, list_head* entry)
    {
        if (list_empty(head))
            return;
        if (list_is_singular(head) && !list_is_head(entry, head) && (entry != head->next))
            return;
        if (list_is_head(entry, head))
            INIT_LIST_HEAD(list);
        else
            __list_cut_position(list, head, entry);
    }

    [Upstream("include/linux/list.h", "list_cut_before", "4e4145c9d1c2871a")]
    public static void list_cut_before(list_head* list, list_head* head, list_head* entry)
    {
        if (head->next == entry)
        {
            INIT_LIST_HEAD(list);
            return;
        }
        list->next = head->next;
        list->next->prev = list;
        list->prev = entry->prev;
        list->prev->next = list;
        head->next = entry;
        entry->prev = head;
    }

    [Upstream("include/linux/list.h", "__list_splice", "046de47c462a1a9f")]
    public static void __list_splice(list_head* list, list_head* prev, list_head* next)
    {
        list_head* first = list->next;
        list_head* last = list->prev;

        first->prev = prev;
        prev->next = first;

        last->next = next;
        next->prev = last;
    }

    [Upstream("include/linux/list.h", "list_splice", "166c00daf63384f5")]
    public static void list_splice(list_head* list, list_head* head)
    {
        if (!list_empty(list))
            __list_splice(list, head, head->next);
    }

    [Upstream("include/linux/list.h", "list_splice_tail", "b89e756417632d7a")]
    public static void list_splice_tail(list_head* list, list_head* head)
    {
        if (!list_empty(list))
            __list_splice(list, head->prev, head);
    }

    [Upstream("include/linux/list.h", "list_splice_init", "c452b4654a0288a6")]
    public static void list_splice_init(list_head* list, list_head* head)
    {
        if (!list_empty(list))
        {
            __list_splice(list, head, head->next);
            INIT_LIST_HEAD(list);
        }
    }

    [Upstream("include/linux/list.h", "list_splice_tail_init", "907313db6cc8625a")]
    public static void list_splice_tail_init(list_head* list, list_head* head)
    {
        if (!list_empty(list))
        {
            __list_splice(list, head->prev, head);
            INIT_LIST_HEAD(list);
        }
    }

    [Upstream("include/linux/list.h", "list_entry", UpstreamAttribute.Macro)]
    public static T* list_entry<T>(list_head* ptr, int member) where T : unmanaged
        => container_of<T>(ptr, member);

    [Upstream("include/linux/list.h", "list_first_entry", UpstreamAttribute.Macro)]
    public static T* list_first_entry<T>(list_head* ptr, int member) where T : unmanaged
        => list_entry<T>(ptr->next, member);

    [Upstream("include/linux/list.h", "list_last_entry", UpstreamAttribute.Macro)]
    public static T* list_last_entry<T>(list_head* ptr, int member) where T : unmanaged
        => list_entry<T>(ptr->prev, member);

    [Upstream("include/linux/list.h", "list_first_entry_or_null", UpstreamAttribute.Macro)]
    public static T* list_first_entry_or_null<T>(list_head* ptr, int member) where T : unmanaged
    {
        list_head* head__ = ptr;
        list_head* pos__ = head__->next;
        return pos__ != head__ ? list_entry<T>(pos__, member) : null;
    }

    [Upstream("include/linux/list.h", "list_next_entry", UpstreamAttribute.Macro)]
    public static T* list_next_entry<T>(T* pos, int member) where T : unmanaged
        => list_entry<T>(member_list(pos, member)->next, member);

    [Upstream("include/linux/list.h", "list_prev_entry", UpstreamAttribute.Macro)]
    public static T* list_prev_entry<T>(T* pos, int member) where T : unmanaged
        => list_entry<T>(member_list(pos, member)->prev, member);

    [Upstream("include/linux/list.h", "list_entry_is_head", UpstreamAttribute.Macro)]
    public static bool list_entry_is_head<T>(T* pos, list_head* head, int member) where T : unmanaged
        => list_is_head(member_list(pos, member), head);

    // &pos->member for a list_head member given by offset.
    private static list_head* member_list<T>(T* pos, int member) where T : unmanaged
        => (list_head*)((byte*)pos + member);

    [Upstream("include/linux/list.h", "list_for_each", UpstreamAttribute.Macro)]
    public static ListEntries<list_head> list_for_each(list_head* head)
        => new(head, 0, safe: false);

    [Upstream("include/linux/list.h", "list_for_each_safe", UpstreamAttribute.Macro)]
    public static ListEntries<list_head> list_for_each_safe(list_head* head)
        => new(head, 0, safe: true);

    [Upstream("include/linux/list.h", "list_for_each_entry", UpstreamAttribute.Macro)]
    public static ListEntries<T> list_for_each_entry<T>(list_head* head, int member) where T : unmanaged
        => new(head, member, safe: false);

    [Upstream("include/linux/list.h", "list_for_each_entry_safe", UpstreamAttribute.Macro)]
    public static ListEntries<T> list_for_each_entry_safe<T>(list_head* head, int member) where T : unmanaged
        => new(head, member, safe: true);

    [Upstream("include/linux/list.h", "list_count_nodes", "b43f08442826549c")]
    public static nuint list_count_nodes(list_head* head)
    {
        nuint count = 0;

        foreach (list_head* pos in list_for_each(head))
            count++;

        return count;
    }

    /// <summary>
    /// foreach over the entries of a list_head list: <c>list_for_each_entry(pos, head, member)</c>
    /// (next read after the body) or its <c>_safe</c> form (next read before the body).
    /// </summary>
    public ref struct ListEntries<T> where T : unmanaged
    {
        private readonly list_head* _head;
        private readonly int _member;
        private readonly bool _safe;
        private list_head* _pos;
        private list_head* _n;
        private bool _started;

        internal ListEntries(list_head* head, int member, bool safe)
        {
            _head = head;
            _member = member;
            _safe = safe;
            _pos = null;
            _n = null;
            _started = false;
        }

        public readonly ListEntries<T> GetEnumerator() => this;

        public readonly T* Current => container_of<T>(_pos, _member);

        public bool MoveNext()
        {
            if (!_started)
            {
                _started = true;
                _pos = _head->next;
            }
            else if (_safe)
                _pos = _n;
            else
                _pos = _pos->next;
            if (list_is_head(_pos, _head))
                return false;
            if (_safe)
                _n = _pos->next;
            return true;
        }
    }

    // ---- include/linux/list.h: hlist ----

    [Upstream("include/linux/list.h", "INIT_HLIST_HEAD", UpstreamAttribute.Macro)]
    public static void INIT_HLIST_HEAD(hlist_head* ptr) => ptr->first = null;

    [Upstream("include/linux/list.h", "INIT_HLIST_NODE", "6d8f5be1f4d14771")]
    public static void INIT_HLIST_NODE(hlist_node* h)
    {
        h->next = null;
        h->pprev = null;
    }

    [Upstream("include/linux/list.h", "hlist_unhashed", "1f5eb12316bdc8df")]
    public static bool hlist_unhashed(hlist_node* h)
    {
        return h->pprev == null;
    }

    [Upstream("include/linux/list.h", "hlist_unhashed_lockless", "37d88c76e0558f4c")]
    public static bool hlist_unhashed_lockless(hlist_node* h)
    {
        return h->pprev == null;
    }

    [Upstream("include/linux/list.h", "hlist_empty", "ea593dcb8b936c6d")]
    public static bool hlist_empty(hlist_head* h)
    {
        return h->first == null;
    }

    [Upstream("include/linux/list.h", "__hlist_del", "4522749936a06911")]
    public static void __hlist_del(hlist_node* n)
    {
        hlist_node* next = n->next;
        hlist_node** pprev = n->pprev;

        *pprev = next;
        if (next != null)
            next->pprev = pprev;
    }

    [Upstream("include/linux/list.h", "hlist_del", "ecce9bffe133626b")]
    public static void hlist_del(hlist_node* n)
    {
        __hlist_del(n);
        n->next = (hlist_node*)LIST_POISON1;
        n->pprev = (hlist_node**)LIST_POISON2;
    }

    [Upstream("include/linux/list.h", "hlist_del_init", "90a780b3ffe42dd0")]
    public static void hlist_del_init(hlist_node* n)
    {
        if (!hlist_unhashed(n))
        {
            __hlist_del(n);
            INIT_HLIST_NODE(n);
        }
    }

    [Upstream("include/linux/list.h", "hlist_add_head", "321b7eaeb77e4ff6")]
    public static void hlist_add_head(hlist_node* n, hlist_head* h)
    {
        hlist_node* first = h->first;
        n->next = first;
        if (first != null)
            first->pprev = &n->next;
        h->first = n;
        n->pprev = &h->first;
    }

    [Upstream("include/linux/list.h", "hlist_add_before", "2a6751eac15fd5d6")]
    public static void hlist_add_before(hlist_node* n, hlist_node* next)
    {
        n->pprev = next->pprev;
        n->next = next;
        next->pprev = &n->next;
        *(n->pprev) = n;
    }

    [Upstream("include/linux/list.h", "hlist_add_behind", "560e895b1e1ce55a")]
    public static void hlist_add_behind(hlist_node* n, hlist_node* prev)
    {
        n->next = prev->next;
        prev->next = n;
        n->pprev = &prev->next;

        if (n->next != null)
            n->next->pprev = &n->next;
    }

    [Upstream("include/linux/list.h", "hlist_add_fake", "feb39e1e9c257e77")]
    public static void hlist_add_fake(hlist_node* n)
    {
        n->pprev = &n->next;
    }

    [Upstream("include/linux/list.h", "hlist_fake", "10b38a7e8eb4bb9f")]
    public static bool hlist_fake(hlist_node* h)
    {
        return h->pprev == &h->next;
    }

    [Upstream("include/linux/list.h", "hlist_is_singular_node", "43da74469aeeaeb4")]
    public static bool hlist_is_singular_node(hlist_node* n, hlist_head* h)
    {
        return n->next == null && n->pprev == &h->first;
    }

    [Upstream("include/linux/list.h", "hlist_move_list", "f23c6bc3d25048a6")]
    public static void hlist_move_list(hlist_head* old, hlist_head* @new)
    {
        @new->first = old->first;
        if (@new->first != null)
            @new->first->pprev = &@new->first;
        old->first = null;
    }

    [Upstream("include/linux/list.h", "hlist_splice_init", "11ea39fb1f6b293b")]
    public static void hlist_splice_init(hlist_head* from, hlist_node* last, hlist_head* to)
    {
        if (to->first != null)
            to->first->pprev = &last->next;
        last->next = to->first;
        to->first = from->first;
        from->first->pprev = &to->first;
        from->first = null;
    }

    [Upstream("include/linux/list.h", "hlist_entry", UpstreamAttribute.Macro)]
    public static T* hlist_entry<T>(hlist_node* ptr, int member) where T : unmanaged
        => container_of<T>(ptr, member);

    [Upstream("include/linux/list.h", "hlist_entry_safe", UpstreamAttribute.Macro)]
    public static T* hlist_entry_safe<T>(hlist_node* ptr, int member) where T : unmanaged
    {
        hlist_node* ____ptr = ptr;
        return ____ptr != null ? hlist_entry<T>(____ptr, member) : null;
    }

    [Upstream("include/linux/list.h", "hlist_for_each", UpstreamAttribute.Macro)]
    public static HlistEntries<hlist_node> hlist_for_each(hlist_head* head)
        => new(head->first, 0, safe: false);

    [Upstream("include/linux/list.h", "hlist_for_each_safe", UpstreamAttribute.Macro)]
    public static HlistEntries<hlist_node> hlist_for_each_safe(hlist_head* head)
        => new(head->first, 0, safe: true);

    [Upstream("include/linux/list.h", "hlist_for_each_entry", UpstreamAttribute.Macro)]
    public static HlistEntries<T> hlist_for_each_entry<T>(hlist_head* head, int member) where T : unmanaged
        => new(head->first, member, safe: false);

    [Upstream("include/linux/list.h", "hlist_for_each_entry_safe", UpstreamAttribute.Macro)]
    public static HlistEntries<T> hlist_for_each_entry_safe<T>(hlist_head* head, int member) where T : unmanaged
        => new(head->first, member, safe: true);

    [Upstream("include/linux/list.h", "hlist_count_nodes", "9b13faf8282b44be")]
    public static nuint hlist_count_nodes(hlist_head* head)
    {
        nuint count = 0;

        foreach (hlist_node* pos in hlist_for_each(head))
            count++;

        return count;
    }

    /// <summary>
    /// foreach over the entries of an hlist: <c>hlist_for_each_entry(pos, head, member)</c>
    /// (next read after the body) or its <c>_safe</c> form (next read before the body).
    /// </summary>
    public ref struct HlistEntries<T> where T : unmanaged
    {
        private readonly int _member;
        private readonly bool _safe;
        private hlist_node* _pos;
        private hlist_node* _n;
        private bool _started;

        internal HlistEntries(hlist_node* first, int member, bool safe)
        {
            _member = member;
            _safe = safe;
            _pos = null;
            _n = first;
            _started = false;
        }

        public readonly HlistEntries<T> GetEnumerator() => this;

        public readonly T* Current => hlist_entry<T>(_pos, _member);

        public bool MoveNext()
        {
            if (!_started)
            {
                _started = true;
                _pos = _n;
            }
            else if (_safe)
                _pos = _n;
            else
                _pos = _pos->next;
            if (_pos == null)
                return false;
            if (_safe)
                _n = _pos->next;
            return true;
        }
    }
}

/// <summary>
/// CHECK_DATA_CORRUPTION and %px for lib/list_debug.c, local to this file so a shared bug.h
/// transliteration (members of <see cref="Kernel"/> win over <c>using static</c>) can replace them.
/// </summary>
file static unsafe class ListDebugSupport
{
    // CONFIG_BUG_ON_DATA_CORRUPTION=y: pr_err + BUG(), so a corruption never returns true.
    [Upstream("include/linux/bug.h", "CHECK_DATA_CORRUPTION", UpstreamAttribute.Macro)]
    internal static bool CHECK_DATA_CORRUPTION(bool condition, string fmt)
    {
        bool corruption = condition;
        if (corruption)
            BUG(fmt);
        return corruption;
    }

    // As above; the message's arguments are evaluated only on corruption, like the macro's.
    internal static bool CHECK_DATA_CORRUPTION(bool condition,
        [InterpolatedStringHandlerArgument("condition")] CorruptionMessage fmt)
    {
        bool corruption = condition;
        if (corruption)
            BUG(fmt.ToString());
        return corruption;
    }

    private static void BUG(string message) =>
        throw new InvalidOperationException("kernel BUG (CHECK_DATA_CORRUPTION): " + message.TrimEnd('\n'));

    internal static string px(void* p) => "0x" + ((ulong)p).ToString("x16");
}

/// <summary>Builds a CHECK_DATA_CORRUPTION message only when the condition holds.</summary>
[InterpolatedStringHandler]
file ref struct CorruptionMessage
{
    private readonly StringBuilder? _sb;

    public CorruptionMessage(int literalLength, int formattedCount, bool condition, out bool shouldAppend)
    {
        _sb = condition ? new StringBuilder(literalLength + 16 * formattedCount) : null;
        shouldAppend = condition;
    }

    public readonly void AppendLiteral(string s) => _sb?.Append(s);

    public readonly void AppendFormatted(string? s) => _sb?.Append(s);

    public override readonly string ToString() => _sb?.ToString() ?? "";
}
