namespace Emu.Layout;

/// <summary>The C ABIs the generator lays headers out for (x86_64 is what the emulator runs).</summary>
public enum Abi
{
    /// <summary>x86_64 System V (gcc/clang <c>-m64</c>).</summary>
    X86_64,
    /// <summary>i386 System V (gcc <c>-m32</c>): 4-byte alignment cap for 8-byte scalars in structs.</summary>
    I386,
    /// <summary>AArch64 AAPCS64, LP64.</summary>
    AArch64,
    /// <summary>32-bit ARM EABI (AAPCS), as armv7 linux-gnueabihf.</summary>
    Arm,
}

/// <summary>Names of the ABIs as the CLI and compilers spell them.</summary>
public static class AbiNames
{
    /// <summary>The spelling used by <c>--abi</c>: x86_64, i386, aarch64, arm.</summary>
    public static string ToName(this Abi abi) => abi switch
    {
        Abi.X86_64 => "x86_64",
        Abi.I386 => "i386",
        Abi.AArch64 => "aarch64",
        Abi.Arm => "arm",
        _ => throw new System.ArgumentOutOfRangeException(nameof(abi)),
    };

    /// <summary>Parses an <c>--abi</c> value; null when unknown.</summary>
    public static Abi? Parse(string name) => name.ToLowerInvariant() switch
    {
        "x86_64" or "x86-64" or "amd64" => Abi.X86_64,
        "i386" or "x86" or "i686" => Abi.I386,
        "aarch64" or "arm64" => Abi.AArch64,
        "arm" or "armv7" or "armhf" => Abi.Arm,
        _ => null,
    };
}
