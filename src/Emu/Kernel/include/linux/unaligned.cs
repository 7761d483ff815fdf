using System;
using System.Buffers.Binary;

namespace Emu.Kernel;

// include/linux/unaligned.h: little-endian loads at any alignment.
public unsafe partial class Kernel
{
    [Upstream("include/linux/unaligned.h", "get_unaligned_le32", "0437e2019c3ec0a1")]
    internal static uint get_unaligned_le32(void* p) => BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(p, 4));

    [Upstream("include/linux/unaligned.h", "get_unaligned_le64", "7bec47344e37b64c")]
    internal static ulong get_unaligned_le64(void* p) => BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(p, 8));
}
