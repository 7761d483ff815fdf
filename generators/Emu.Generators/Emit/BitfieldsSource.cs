namespace Emu.Generators.Emit;

/// <summary>The bitfield accessors the emitted structs call (added once per compilation).</summary>
internal static class BitfieldsSource
{
    public const string HintName = "Emu.Kernel.Bitfields.g.cs";

    public const string Text = CSharpNames.Header + """

        namespace Emu.Kernel;

        /// <summary>Reads and writes C bitfields at a bit position, little-endian, as GCC allocates them.</summary>
        internal static unsafe class Bitfields
        {
            private static System.UInt128 Load(byte* p, int bytes)
            {
                System.UInt128 v = 0;
                for (int i = bytes - 1; i >= 0; i--)
                    v = (v << 8) | p[i];
                return v;
            }

            private static ulong Mask(int width) => width >= 64 ? ulong.MaxValue : (1UL << width) - 1;

            public static ulong Read(byte* p, int shift, int width) =>
                (ulong)(Load(p, (shift + width + 7) / 8) >> shift) & Mask(width);

            public static long ReadSigned(byte* p, int shift, int width)
            {
                ulong v = Read(p, shift, width);
                return width < 64 && (v & (1UL << (width - 1))) != 0 ? (long)(v | ~Mask(width)) : (long)v;
            }

            public static void Write(byte* p, int shift, int width, ulong value)
            {
                if ((value & ~Mask(width)) != 0)
                    throw new System.ArgumentOutOfRangeException(nameof(value), value, $"does not fit an unsigned {width}-bit bitfield");
                int bytes = (shift + width + 7) / 8;
                var mask = (System.UInt128)Mask(width) << shift;
                var v = (Load(p, bytes) & ~mask) | ((System.UInt128)value << shift);
                for (int i = 0; i < bytes; i++, v >>= 8)
                    p[i] = (byte)v;
            }

            public static void WriteSigned(byte* p, int shift, int width, long value)
            {
                long min = width >= 64 ? long.MinValue : -(1L << (width - 1));
                long max = width >= 64 ? long.MaxValue : (1L << (width - 1)) - 1;
                if (value < min || value > max)
                    throw new System.ArgumentOutOfRangeException(nameof(value), value, $"does not fit a signed {width}-bit bitfield");
                Write(p, shift, width, (ulong)value & Mask(width));
            }
        }
        """;
}
