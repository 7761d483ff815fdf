using System;
using System.Runtime.InteropServices;
using Emu.Kernel;
using NUnit.Framework;
using static Emu.Kernel.Kernel;

namespace Emu.Tests.Kernel.Lib;

/// <summary>
/// lib/xxhash.c against the reference xxHash sanity vectors: Cyan4973/xxHash cli/xsum_sanity_check.c
/// (commit 08ae0257300ddde62ccca5b0765d66bc7a2fc1b4), XSUM_XXH32_testdata and XSUM_XXH64_testdata,
/// on the buffer of XSUM_fillTestBuffer, checked one-shot, in one update and byte by byte as
/// XSUM_testXXH32/XSUM_testXXH64 do. Page-sized input has no published vector: there streaming and
/// one-shot must agree.
/// </summary>
public unsafe class XxhashTests
{
    private const uint PRIME32 = 2654435761U;
    private const ulong PRIME64 = 11400714785074694797UL;
    private const int SanityBufferSize = 2367;

    // XSUM_fillTestBuffer.
    private static byte[] FillTestBuffer(int len)
    {
        var buffer = new byte[len];
        ulong byteGen = PRIME32;
        for (int i = 0; i < len; i++)
        {
            buffer[i] = (byte)(byteGen >> 56);
            byteGen *= PRIME64;
        }
        return buffer;
    }

    private static readonly object[] Xxh64Vectors =
    {
        new object[] { 0, 0UL, 0xEF46DB3751D8E999UL },
        new object[] { 0, (ulong)PRIME32, 0xAC75FDA2929B17EFUL },
        new object[] { 1, 0UL, 0xE934A84ADB052768UL },
        new object[] { 1, (ulong)PRIME32, 0x5014607643A9B4C3UL },
        new object[] { 4, 0UL, 0x9136A0DCA57457EEUL },
        new object[] { 14, 0UL, 0x8282DCC4994E35C8UL },
        new object[] { 14, (ulong)PRIME32, 0xC3BD6BF63DEB6DF0UL },
        new object[] { 222, 0UL, 0xB641AE8CB691C174UL },
        new object[] { 222, (ulong)PRIME32, 0x20CB8AB7AE10C14AUL },
    };

    private static readonly object[] Xxh32Vectors =
    {
        new object[] { 0, 0U, 0x02CC5D05U },
        new object[] { 0, PRIME32, 0x36B78AE7U },
        new object[] { 1, 0U, 0xCF65B03EU },
        new object[] { 1, PRIME32, 0xB4545AA4U },
        new object[] { 14, 0U, 0x1208E7E2U },
        new object[] { 14, PRIME32, 0x6AF1D1FEU },
        new object[] { 222, 0U, 0x5BD11DBDU },
        new object[] { 222, PRIME32, 0x58803C5FU },
    };

    [TestCaseSource(nameof(Xxh64Vectors))]
    public void Xxh64MatchesReferenceVector(int len, ulong seed, ulong expected)
    {
        var buffer = FillTestBuffer(SanityBufferSize);
        fixed (byte* data = buffer)
        {
            // One-shot; the reference passes NULL for len 0, which xxh64 never dereferences.
            Assert.That(xxh64(len == 0 ? null : data, (nuint)len, seed), Is.EqualTo(expected));

            xxh64_state state;
            xxh64_reset(&state, seed);
            Assert.That(xxh64_update(&state, data, (nuint)len), Is.Zero);
            Assert.That(xxh64_digest(&state), Is.EqualTo(expected));

            xxh64_reset(&state, seed);
            for (int pos = 0; pos < len; pos++)
                xxh64_update(&state, data + pos, 1);
            Assert.That(xxh64_digest(&state), Is.EqualTo(expected));
        }
    }

    [TestCaseSource(nameof(Xxh32Vectors))]
    public void Xxh32MatchesReferenceVector(int len, uint seed, uint expected)
    {
        var buffer = FillTestBuffer(SanityBufferSize);
        fixed (byte* data = buffer)
        {
            Assert.That(xxh32(len == 0 ? null : data, (nuint)len, seed), Is.EqualTo(expected));

            xxh32_state state;
            xxh32_reset(&state, seed);
            Assert.That(xxh32_update(&state, data, (nuint)len), Is.Zero);
            Assert.That(xxh32_digest(&state), Is.EqualTo(expected));

            xxh32_reset(&state, seed);
            for (int pos = 0; pos < len; pos++)
                xxh32_update(&state, data + pos, 1);
            Assert.That(xxh32_digest(&state), Is.EqualTo(expected));
        }
    }

    [Test]
    public void UpdateWithNullInputIsEinvalAndLeavesStateAlone()
    {
        xxh64_state s64;
        xxh64_reset(&s64, 0);
        Assert.That(xxh64_update(&s64, null, 0), Is.EqualTo(-22));
        Assert.That(xxh64_digest(&s64), Is.EqualTo(0xEF46DB3751D8E999UL));

        xxh32_state s32;
        xxh32_reset(&s32, 0);
        Assert.That(xxh32_update(&s32, null, 0), Is.EqualTo(-22));
        Assert.That(xxh32_digest(&s32), Is.EqualTo(0x02CC5D05U));
    }

    [Test]
    public void StateStructsHaveTheCLayout()
    {
        // gcc x86_64 (struct copied from include/linux/xxhash.h): 44 bytes; 80 with memsize at 72.
        Assert.That(sizeof(xxh32_state), Is.EqualTo(44));
        Assert.That(sizeof(xxh64_state), Is.EqualTo(80));
        Assert.That(Marshal.OffsetOf<xxh64_state>(nameof(xxh64_state.memsize)).ToInt32(), Is.EqualTo(72));
    }

    [TestCase(0UL)]
    [TestCase((ulong)PRIME32)]
    [TestCase(0xFFFFFFFFFFFFFFFFUL)]
    public void PageSizedInputStreamingEqualsOneShot(ulong seed)
    {
        const int PageSize = (int)KernelConstants.PAGE_SIZE;
        var page = FillTestBuffer(PageSize);
        var rng = new Random(12345);
        fixed (byte* data = page)
        {
            ulong oneShot = xxh64(data, PageSize, seed);
            Assert.That(xxhash(data, PageSize, seed), Is.EqualTo(oneShot), "xxhash is xxh64 on 64-bit");

            // Random chunking, including empty and sub-stripe pieces.
            for (int round = 0; round < 50; round++)
            {
                xxh64_state state;
                xxh64_reset(&state, seed);
                int pos = 0;
                while (pos < PageSize)
                {
                    int n = Math.Min(PageSize - pos, rng.Next(0, 100));
                    Assert.That(xxh64_update(&state, data + pos, (nuint)n), Is.Zero);
                    pos += n;
                }
                Assert.That(xxh64_digest(&state), Is.EqualTo(oneShot), $"round {round}");
            }

            // copy_state mid-stream: both copies finish to the same digest.
            xxh64_state a, b;
            xxh64_reset(&a, seed);
            xxh64_update(&a, data, 1000);
            xxh64_copy_state(&b, &a);
            xxh64_update(&a, data + 1000, PageSize - 1000);
            xxh64_update(&b, data + 1000, PageSize - 1000);
            Assert.That(xxh64_digest(&a), Is.EqualTo(oneShot));
            Assert.That(xxh64_digest(&b), Is.EqualTo(oneShot));

            uint oneShot32 = xxh32(data, PageSize, (uint)seed);
            xxh32_state s32;
            xxh32_reset(&s32, (uint)seed);
            xxh32_update(&s32, data, 7);
            xxh32_update(&s32, data + 7, PageSize - 7);
            Assert.That(xxh32_digest(&s32), Is.EqualTo(oneShot32));
        }
    }

    [Test]
    public void UnalignedInputHashesTheSameBytes()
    {
        var buffer = FillTestBuffer(SanityBufferSize + 8);
        var shifted = new byte[buffer.Length + 3];
        Array.Copy(buffer, 0, shifted, 3, buffer.Length);
        fixed (byte* a = buffer)
        fixed (byte* b = shifted)
        {
            foreach (var len in new[] { 1, 4, 14, 31, 32, 33, 222, 2367 })
            {
                Assert.That(xxh64(b + 3, (nuint)len, 7), Is.EqualTo(xxh64(a, (nuint)len, 7)), $"len {len}");
                Assert.That(xxh32(b + 3, (nuint)len, 7), Is.EqualTo(xxh32(a, (nuint)len, 7)), $"len {len}");
            }
            Assert.That(xxh64(a, 222, 0), Is.EqualTo(0xB641AE8CB691C174UL));
        }
    }
}
