using System;
using System.Linq;
using Emu.Generators.Model;

namespace Emu.Generators.Layout;

/// <summary>Spells C types and declarations the way a C programmer writes them.</summary>
internal static class CTypePrinter
{
    public static string BuiltinName(BuiltinKind kind) => kind switch
    {
        BuiltinKind.Void => "void",
        BuiltinKind.Bool => "_Bool",
        BuiltinKind.Char => "char",
        BuiltinKind.SChar => "signed char",
        BuiltinKind.UChar => "unsigned char",
        BuiltinKind.Short => "short",
        BuiltinKind.UShort => "unsigned short",
        BuiltinKind.Int => "int",
        BuiltinKind.UInt => "unsigned int",
        BuiltinKind.Long => "long",
        BuiltinKind.ULong => "unsigned long",
        BuiltinKind.LongLong => "long long",
        BuiltinKind.ULongLong => "unsigned long long",
        BuiltinKind.Int128 => "__int128",
        BuiltinKind.UInt128 => "unsigned __int128",
        BuiltinKind.Float => "float",
        BuiltinKind.Double => "double",
        BuiltinKind.LongDouble => "long double",
        _ => kind.ToString(),
    };

    /// <summary>The declaration of <paramref name="name"/> (empty for an abstract type name).</summary>
    public static string Declaration(CType type, string name, Func<Expr, string> arrayLength)
    {
        string decl = name;
        while (true)
        {
            switch (type)
            {
                case QualifiedType { Inner: PointerType } qp:
                    // T *const p: the qualifier follows the star, which the next step adds.
                    decl = qp.Qualifiers + (decl.Length > 0 ? " " + decl : "");
                    type = qp.Inner;
                    continue;
                case PointerType p:
                    decl = "*" + decl;
                    if (p.Target is ArrayType || p.Target is FunctionType)
                        decl = "(" + decl + ")";
                    type = p.Target;
                    continue;
                case ArrayType a:
                    decl += "[" + (a.Length is null ? "" : arrayLength(a.Length)) + "]";
                    type = a.Element;
                    continue;
                case FunctionType f:
                    var ps = f.Parameters.Count == 0 ? "void" : string.Join(", ", f.Parameters.Select(t => Declaration(t, "", arrayLength)));
                    if (f.Variadic) ps += ", ...";
                    decl += "(" + ps + ")";
                    type = f.Return;
                    continue;
            }
            var baseName = BaseName(type);
            if (decl.Length == 0) return baseName;
            return decl[0] == '[' ? baseName + decl : baseName + " " + decl;
        }
    }

    private static string BaseName(CType type) => type switch
    {
        QualifiedType q => q.Qualifiers + " " + BaseName(q.Inner),
        BuiltinType b => BuiltinName(b.Kind),
        TypedefType t => t.Name,
        RecordType r => (r.IsUnion ? "union " : "struct ") + r.Tag,
        InlineRecordType i => i.Declaration.IsUnion ? "union {...}" : "struct {...}",
        EnumType e => e.Tag is null ? "enum {...}" : "enum " + e.Tag,
        _ => "?",
    };
}
