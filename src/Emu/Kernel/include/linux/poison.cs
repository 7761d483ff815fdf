namespace Emu.Kernel;

// include/linux/poison.h: values that make use of a stale pointer fault (or, in Emu, stand out).
public unsafe partial class Kernel
{
    [Upstream("include/linux/poison.h", "POISON_POINTER_DELTA", UpstreamAttribute.Macro)]
    public const ulong POISON_POINTER_DELTA = 0xdead000000000000UL; // CONFIG_ILLEGAL_POINTER_VALUE

    [Upstream("include/linux/poison.h", "LIST_POISON1", UpstreamAttribute.Macro)]
    public static void* LIST_POISON1 => (void*)(0x100 + POISON_POINTER_DELTA);

    [Upstream("include/linux/poison.h", "LIST_POISON2", UpstreamAttribute.Macro)]
    public static void* LIST_POISON2 => (void*)(0x122 + POISON_POINTER_DELTA);

    [Upstream("include/linux/poison.h", "TAIL_MAPPING", UpstreamAttribute.Macro)]
    public static void* TAIL_MAPPING => (void*)(0x400 + POISON_POINTER_DELTA);
}
