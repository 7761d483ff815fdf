using System.Collections.Generic;
using Emu.Generators.Model;

namespace Emu.Generators.Layout;

/// <summary>Sizes and alignments of the C base types, and the macros a compiler predefines, for one ABI.</summary>
internal sealed class AbiInfo
{
    private readonly Dictionary<BuiltinKind, (int Size, int Align)> _builtins;

    private AbiInfo(string name, int pointerSize, bool charSigned, int biggestAlignment,
        Dictionary<BuiltinKind, (int, int)> builtins, Dictionary<string, string> macros)
    {
        Name = name;
        PointerSize = pointerSize;
        CharSigned = charSigned;
        BiggestAlignment = biggestAlignment;
        _builtins = builtins;
        PredefinedMacros = macros;
    }

    /// <summary>The runtime spelling (<c>Emu.Layout.Abi</c> member name).</summary>
    public string Name { get; }
    public int PointerSize { get; }
    public bool CharSigned { get; }

    /// <summary><c>__BIGGEST_ALIGNMENT__</c>: what a bare <c>aligned</c> attribute means.</summary>
    public int BiggestAlignment { get; }
    public IReadOnlyDictionary<string, string> PredefinedMacros { get; }

    public int LongBits => _builtins[BuiltinKind.Long].Size * 8;

    /// <summary>AAPCS/AAPCS64: a zero-width bitfield's type alignment counts toward the struct's (not on x86).</summary>
    public bool ZeroWidthBitfieldAligns => Name is "AArch64" or "Arm";

    /// <summary>Size and in-struct alignment; null for a type the ABI does not have (__int128 on 32-bit).</summary>
    public (int Size, int Align)? Builtin(BuiltinKind kind) =>
        _builtins.TryGetValue(kind, out var v) ? v : null;

    public static readonly AbiInfo X86_64 = Create("X86_64", lp64: true, charSigned: true, longLongAlign: 8, doubleAlign: 8,
        longDouble: (16, 16), biggest: 16, new() { ["__x86_64__"] = "1", ["__x86_64"] = "1", ["__amd64__"] = "1" });

    public static readonly AbiInfo I386 = Create("I386", lp64: false, charSigned: true, longLongAlign: 4, doubleAlign: 4,
        longDouble: (12, 4), biggest: 16, new() { ["__i386__"] = "1", ["__i386"] = "1", ["i386"] = "1" });

    public static readonly AbiInfo AArch64 = Create("AArch64", lp64: true, charSigned: false, longLongAlign: 8, doubleAlign: 8,
        longDouble: (16, 16), biggest: 16, new() { ["__aarch64__"] = "1", ["__ARM_64BIT_STATE"] = "1" });

    public static readonly AbiInfo Arm = Create("Arm", lp64: false, charSigned: false, longLongAlign: 8, doubleAlign: 8,
        longDouble: (8, 8), biggest: 8, new() { ["__arm__"] = "1", ["__ARM_EABI__"] = "1", ["__ARMEL__"] = "1" });

    /// <summary>Every ABI, x86_64 (the emulator's) first.</summary>
    public static readonly IReadOnlyList<AbiInfo> All = new[] { X86_64, I386, AArch64, Arm };

    public static AbiInfo? ByName(string name)
    {
        foreach (var a in All)
            if (a.Name == name) return a;
        return null;
    }

    private static AbiInfo Create(string name, bool lp64, bool charSigned, int longLongAlign, int doubleAlign,
        (int, int) longDouble, int biggest, Dictionary<string, string> archMacros)
    {
        int ptr = lp64 ? 8 : 4;
        var builtins = new Dictionary<BuiltinKind, (int, int)>
        {
            [BuiltinKind.Void] = (1, 1),
            [BuiltinKind.Bool] = (1, 1),
            [BuiltinKind.Char] = (1, 1),
            [BuiltinKind.SChar] = (1, 1),
            [BuiltinKind.UChar] = (1, 1),
            [BuiltinKind.Short] = (2, 2),
            [BuiltinKind.UShort] = (2, 2),
            [BuiltinKind.Int] = (4, 4),
            [BuiltinKind.UInt] = (4, 4),
            [BuiltinKind.Long] = (ptr, ptr),
            [BuiltinKind.ULong] = (ptr, ptr),
            [BuiltinKind.LongLong] = (8, longLongAlign),
            [BuiltinKind.ULongLong] = (8, longLongAlign),
            [BuiltinKind.Float] = (4, 4),
            [BuiltinKind.Double] = (8, doubleAlign),
            [BuiltinKind.LongDouble] = longDouble,
        };
        if (lp64)
        {
            builtins[BuiltinKind.Int128] = (16, 16);
            builtins[BuiltinKind.UInt128] = (16, 16);
        }
        var macros = new Dictionary<string, string>(archMacros)
        {
            ["__GNUC__"] = "12",
            ["__GNUC_MINOR__"] = "2",
            ["__GNUC_PATCHLEVEL__"] = "0",
            ["__STDC__"] = "1",
            ["__STDC_VERSION__"] = "201112L",
            ["__STDC_HOSTED__"] = "0",
            ["__CHAR_BIT__"] = "8",
            ["__SIZEOF_INT__"] = "4",
            ["__SIZEOF_LONG__"] = ptr.ToString(),
            ["__SIZEOF_LONG_LONG__"] = "8",
            ["__SIZEOF_SHORT__"] = "2",
            ["__SIZEOF_POINTER__"] = ptr.ToString(),
            ["__SIZEOF_SIZE_T__"] = ptr.ToString(),
            ["__BIGGEST_ALIGNMENT__"] = biggest.ToString(),
            ["__ORDER_LITTLE_ENDIAN__"] = "1234",
            ["__ORDER_BIG_ENDIAN__"] = "4321",
            ["__BYTE_ORDER__"] = "__ORDER_LITTLE_ENDIAN__",
            ["__linux__"] = "1",
            ["__KERNEL__"] = "1",
        };
        if (lp64)
        {
            macros["__LP64__"] = "1";
            macros["_LP64"] = "1";
        }
        if (!charSigned)
            macros["__CHAR_UNSIGNED__"] = "1";
        return new AbiInfo(name, ptr, charSigned, biggest, builtins, macros);
    }
}
