using System;
using System.Runtime.InteropServices;
using Emu.Kernel;
using static Emu.Kernel.KernelConstants;

namespace Emu;

// Page pinning for an emulated process: the kernel's pin_user_pages*/get_user_pages* called as a
// driver would call them for this process (it is the current task).
public sealed unsafe partial class Process
{
    /// <summary>
    /// Pins <paramref name="pages"/> pages from <paramref name="address"/> with FOLL_PIN
    /// (pin_user_pages_unlocked, or pin_user_pages_fast with <see cref="PinFlags.Fast"/>).
    /// The result may hold fewer pages than asked, as the kernel returns; an error throws
    /// <see cref="LinuxErrorException"/>. Zero pages is allowed only on the slow path (it returns none).
    /// </summary>
    public PinnedPages Pin(ulong address, int pages, PinFlags flags = PinFlags.None) => Take(address, pages, flags, pin: true);

    /// <summary>Takes FOLL_GET references (get_user_pages_unlocked or get_user_pages_fast); see <see cref="Pin"/>.</summary>
    public PinnedPages Get(ulong address, int pages, PinFlags flags = PinFlags.None) => Take(address, pages, flags, pin: false);

    private PinnedPages Take(ulong address, int pages, PinFlags flags, bool pin)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pages);
        ThrowIfExited();
        bool fast = (flags & PinFlags.Fast) != 0;
        // 6.12's gup_fast_fallback has no nr_pages == 0 check: gup_fast would walk from start with
        // end == start, and its do-while loops only stop at an unusable PTE, filling pages[] past its
        // end. Kernel callers never ask for zero pages; neither may this API.
        if (fast && pages == 0)
            throw new ArgumentOutOfRangeException(nameof(pages), "GUP-fast needs at least one page");
        uint gupFlags = (uint)(flags & ~PinFlags.Fast);
        var array = (page**)NativeMemory.AllocZeroed((nuint)Math.Max(pages, 1), (nuint)sizeof(page*));
        long ret;
        string op;
        using (var entry = _machine.EnterKernel(this))
        {
            var k = entry.Kernel;
            (ret, op) = (pin, fast) switch
            {
                (true, true) => (k.pin_user_pages_fast(address, pages, gupFlags, array), "pin_user_pages_fast"),
                (true, false) => (k.pin_user_pages_unlocked(address, (ulong)pages, array, gupFlags), "pin_user_pages_unlocked"),
                (false, true) => (k.get_user_pages_fast(address, pages, gupFlags, array), "get_user_pages_fast"),
                (false, false) => (k.get_user_pages_unlocked(address, (ulong)pages, array, gupFlags), "get_user_pages_unlocked"),
            };
            entry.Complete();
        }
        if (ret < 0)
        {
            NativeMemory.Free(array);
            throw new LinuxErrorException((int)-ret, op);
        }
        return new PinnedPages(_machine, address, pages, pin, array, (int)ret);
    }
}
