using System.Collections.Generic;
using Emu.Generators.Model;

namespace Emu.Generators.Emit;

/// <summary>Maps C types to the C# types of the emitted structs (x86_64: long is 64-bit, char signed).</summary>
internal sealed class CSharpTypes
{
    private readonly IReadOnlyDictionary<string, TypedefDecl> _typedefs;
    private readonly ISet<string> _definedRecords;

    public CSharpTypes(IReadOnlyDictionary<string, TypedefDecl> typedefs, ISet<string> definedRecords)
    {
        _typedefs = typedefs;
        _definedRecords = definedRecords;
    }

    public static string? Primitive(BuiltinKind kind) => kind switch
    {
        BuiltinKind.Bool => "bool",
        BuiltinKind.Char or BuiltinKind.SChar => "sbyte",
        BuiltinKind.UChar => "byte",
        BuiltinKind.Short => "short",
        BuiltinKind.UShort => "ushort",
        BuiltinKind.Int => "int",
        BuiltinKind.UInt => "uint",
        BuiltinKind.Long or BuiltinKind.LongLong => "long",
        BuiltinKind.ULong or BuiltinKind.ULongLong => "ulong",
        BuiltinKind.Int128 => "System.Int128",
        BuiltinKind.UInt128 => "System.UInt128",
        BuiltinKind.Float => "float",
        BuiltinKind.Double => "double",
        _ => null,
    };

    /// <summary>Element types C# fixed buffers accept.</summary>
    public static bool IsFixedBufferElement(string cs) =>
        cs is "bool" or "byte" or "sbyte" or "short" or "ushort" or "int" or "uint" or "long" or "ulong" or "float" or "double";

    /// <summary>Follows typedefs, stopping at one that names an untagged aggregate (emitted under that name).</summary>
    public CType Resolve(CType type)
    {
        for (int guard = 0; guard < 100; guard++)
        {
            if (type is QualifiedType q)
            {
                type = q.Inner;
                continue;
            }
            if (type is not TypedefType t || !_typedefs.TryGetValue(t.Name, out var decl))
                break;
            if (decl.Type is InlineRecordType)
                return type;
            type = decl.Type;
        }
        return type;
    }

    /// <summary>The C# spelling of a scalar, pointer or struct type; null when C# has no direct equivalent.</summary>
    public string? Map(CType type)
    {
        switch (Resolve(type))
        {
            case BuiltinType b: return Primitive(b.Kind);
            case PointerType p: return PointerTo(p.Target);
            case RecordType r: return CSharpNames.Escape(r.Tag);
            case EnumType e: return e.Tag is null ? "int" : CSharpNames.Escape(e.Tag);
            case TypedefType t: return _typedefs.ContainsKey(t.Name) ? CSharpNames.Escape(t.Name) : null;
            default: return null;
        }
    }

    private string PointerTo(CType target)
    {
        var resolved = Resolve(target);
        if (resolved is BuiltinType { Kind: BuiltinKind.Void } || resolved is FunctionType || resolved is ArrayType)
            return "void*";
        if (resolved is RecordType r && !_definedRecords.Contains(r.Tag))
            return "void*"; // only declared in headers/: opaque
        var inner = Map(target);
        return inner is null ? "void*" : inner + "*";
    }
}
