using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Emu.LayoutOracle;

/// <summary>Reads the bytes of data symbols from a little-endian ELF32/ELF64 relocatable object.</summary>
internal static class ElfObjects
{
    private const uint ShtSymtab = 2;
    private const uint ShtNobits = 8;

    /// <summary>Symbol name → its initialized bytes (zeros for .bss), for names starting with <paramref name="prefix"/>.</summary>
    public static Dictionary<string, byte[]> ReadSymbols(string objectPath, string prefix)
    {
        var f = File.ReadAllBytes(objectPath);
        if (f.Length < 52 || f[0] != 0x7F || f[1] != (byte)'E' || f[2] != (byte)'L' || f[3] != (byte)'F')
            throw new InvalidDataException(objectPath + " is not an ELF file");
        if (f[5] != 1)
            throw new InvalidDataException(objectPath + " is not little-endian");
        var is64 = f[4] == 2;
        long shoff = is64 ? (long)U64(f, 0x28) : U32(f, 0x20);
        int shentsize = U16(f, is64 ? 0x3A : 0x2E);
        int shnum = U16(f, is64 ? 0x3C : 0x30);

        var sections = new (uint Type, long Offset, long Size, uint Link, long EntSize)[shnum];
        for (var i = 0; i < shnum; i++)
        {
            var b = (int)(shoff + (long)i * shentsize);
            sections[i] = is64
                ? (U32(f, b + 4), (long)U64(f, b + 0x18), (long)U64(f, b + 0x20), U32(f, b + 0x28), (long)U64(f, b + 0x38))
                : (U32(f, b + 4), U32(f, b + 0x10), U32(f, b + 0x14), U32(f, b + 0x18), U32(f, b + 0x24));
        }

        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var symtab in sections)
        {
            if (symtab.Type != ShtSymtab)
                continue;
            var strtab = sections[symtab.Link];
            for (long s = symtab.Offset; s + symtab.EntSize <= symtab.Offset + symtab.Size; s += symtab.EntSize)
            {
                var p = (int)s;
                uint nameOff = U32(f, p);
                long value, size;
                int shndx;
                if (is64)
                {
                    shndx = U16(f, p + 6);
                    value = (long)U64(f, p + 8);
                    size = (long)U64(f, p + 16);
                }
                else
                {
                    value = U32(f, p + 4);
                    size = U32(f, p + 8);
                    shndx = U16(f, p + 14);
                }
                var name = CString(f, (int)(strtab.Offset + nameOff));
                if (!name.StartsWith(prefix, StringComparison.Ordinal))
                    continue;
                if (shndx == 0 || shndx >= shnum)
                    throw new InvalidDataException($"{name} is not defined in a section of {objectPath}");
                var sec = sections[shndx];
                var bytes = new byte[size];
                if (sec.Type != ShtNobits)
                    Array.Copy(f, sec.Offset + value, bytes, 0, size);
                result[name] = bytes;
            }
        }
        return result;
    }

    private static ushort U16(byte[] f, int at) => BinaryPrimitives.ReadUInt16LittleEndian(f.AsSpan(at));
    private static uint U32(byte[] f, int at) => BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(at));
    private static ulong U64(byte[] f, int at) => BinaryPrimitives.ReadUInt64LittleEndian(f.AsSpan(at));

    private static string CString(byte[] f, int at)
    {
        var end = Array.IndexOf(f, (byte)0, at);
        return Encoding.ASCII.GetString(f, at, end - at);
    }
}
