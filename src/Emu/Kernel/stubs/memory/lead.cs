// SPDX-License-Identifier: GPL-2.0-only
// Stubs for arch/x86/mm/fault.c (the lead's file): DEFINE_SPINLOCK(pgd_lock) and LIST_HEAD(pgd_list),
// the list of every pgd that pgd_ctor/pgd_dtor maintain. Native globals made on first use.
namespace Emu.Kernel;

public unsafe partial class Kernel
{
    private spinlock* _pgd_lock;
    private list_head* _pgd_list;

    // stub(lead)
    internal spinlock* pgd_lock => DEFINE_SPINLOCK(ref _pgd_lock, "pgd_lock");

    // stub(lead)
    internal list_head* pgd_list => LIST_HEAD(ref _pgd_list, "pgd_list");
}
