namespace Emu.Kernel;

// include/linux/container_of.h: the member is passed as its offset (offsetof.T.member).
public unsafe partial class Kernel
{
    [Upstream("include/linux/container_of.h", "container_of", UpstreamAttribute.Macro)]
    public static T* container_of<T>(void* ptr, int member) where T : unmanaged
    {
        byte* __mptr = (byte*)ptr;
        return (T*)(__mptr - member);
    }
}
