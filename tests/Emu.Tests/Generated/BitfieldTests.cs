using System;
using System.Linq;
using Emu.Kernel;
using Emu.Layout;
using NUnit.Framework;

namespace Emu.Tests.Generated;

/// <summary>Bitfield properties write exactly their bits, sign-extend signed fields and reject values that do not fit.</summary>
public unsafe class BitfieldTests
{
    [Test]
    public void BoolBitfieldTouchesOnlyItsBit()
    {
        var m = LayoutManifest.For(Abi.X86_64)["vm_region"].Members.Single(x => x.Name == "vm_icache_flushed");
        Assert.That(m.BitWidth, Is.EqualTo(1));
        vm_region r = default;
        r.vm_usage = -1;
        r.vm_icache_flushed = true;
        byte* b = (byte*)&r;
        Assert.That(b[m.BitOffset / 8], Is.EqualTo(1 << (int)(m.BitOffset % 8)));
        Assert.That(r.vm_usage, Is.EqualTo(-1));
        Assert.That(r.vm_icache_flushed, Is.True);
        r.vm_icache_flushed = false;
        Assert.That(b[m.BitOffset / 8], Is.Zero);
    }

    [Test]
    public void SignedFieldsSignExtendAndRangeCheck()
    {
        ulong storage = 0;
        byte* p = (byte*)&storage;
        Bitfields.WriteSigned(p, 5, 3, -4);
        Assert.That(storage, Is.EqualTo(0b100UL << 5));
        Assert.That(Bitfields.ReadSigned(p, 5, 3), Is.EqualTo(-4));
        Assert.That(Bitfields.Read(p, 5, 3), Is.EqualTo(4UL));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bitfields.WriteSigned(p, 5, 3, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bitfields.Write(p, 0, 3, 8));
    }

    [Test]
    public void FieldsMaySpanBytes()
    {
        var bytes = new byte[9];
        fixed (byte* p = bytes)
        {
            Bitfields.Write(p, 7, 64, 0x8000_0000_0000_0001UL);
            Assert.That(Bitfields.Read(p, 7, 64), Is.EqualTo(0x8000_0000_0000_0001UL));
            Assert.That(bytes[0], Is.EqualTo(0x80));
            Assert.That(bytes[8], Is.EqualTo(0x40));
        }
    }
}
