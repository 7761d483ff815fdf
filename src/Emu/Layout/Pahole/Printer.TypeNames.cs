using System;
using System.Globalization;
using System.Text;

namespace Emu.Layout;

// Type spellings as pahole prints them from DWARF (__tag__name, ftype__fprintf, type__fprintf).
public static partial class PaholeFormatter
{
    private sealed partial class Printer
    {
        /// <summary>__tag__name(): a type's name without a member name.</summary>
        private string TagName(CType t) => t switch
        {
            VoidType => "void",
            BaseType b => b.Name,
            TypedefType td => td.Name,
            TaggedType n => n.Keyword + " " + n.Name,
            InlineType i => i.Layout.Keyword + " ",
            PointerType p => PtrName(p, "*"),
            QualifiedType q => q.Qualifier + " " + TagName(q.Inner) + " ",
            ArrayType a => TagName(a.Element),
            FunctionType f => FtypeString(f, null, false, 0),
            _ => throw new InvalidOperationException(t.ToString()),
        };

        private string PtrName(PointerType p, string suffix)
        {
            if (p.Target is VoidType)
                return "void " + suffix;
            var target = p.Target;
            string constPointer = "";
            if (target is QualifiedType { Qualifier: "const" } q && q.Inner is PointerType)
            {
                constPointer = "const ";
                target = q.Inner;
            }
            return TagName(target) + " " + constPointer + suffix;
        }

        /// <summary>ftype__fprintf(): <c>ret (*name)(params)</c> with the return type padded.</summary>
        private string FtypeString(FunctionType f, string? name, bool isPointer, int typeSpacing)
        {
            var sb = new StringBuilder();
            sb.Append(Pad(TagName(f.Return), typeSpacing));
            sb.Append(" (").Append(isPointer ? "*" : "").Append(name ?? "").Append(')');
            sb.Append('(');
            bool first = true;
            foreach (var p in f.Params)
            {
                if (!first) sb.Append(", ");
                first = false;
                if (p is PointerType { Target: FunctionType pf })
                    sb.Append(FtypeString(pf, null, true, 0));
                else if (p is FunctionType ff)
                    sb.Append("inline ").Append(FtypeString(ff, null, false, 0));
                else
                    sb.Append(TagName(p));
            }
            if (first) sb.Append("void)");
            else if (f.Variadic) sb.Append(", ...)");
            else sb.Append(')');
            return sb.ToString();
        }

        /// <summary>type__fprintf() for a non-inline type: the type padded to its column, then the name.</summary>
        private string TypeString(CType t, string name, int typeSpacing, Conf conf)
        {
            switch (t)
            {
                case PointerType { Target: FunctionType f }:
                    return FtypeString(f, name, true, typeSpacing);
                case QualifiedType { Qualifier: "const" or "_Atomic" } q:
                    return q.Qualifier + " " + TypeString(q.Inner, name, typeSpacing - (q.Qualifier.Length + 1), conf);
                case ArrayType a:
                    {
                        var elem = a.Element;
                        if (a.Dims.Count >= 1 && a.Dims[0] == 0 && elem is QualifiedType { Qualifier: "const" } ce)
                            elem = ce.Inner;
                        var sb = new StringBuilder(TypeString(elem, name, typeSpacing, conf));
                        foreach (var d in a.Dims)
                        {
                            bool flexible = d == 0 && conf.LastMember && !(conf.FirstMember && conf.LastMember) && !conf.UnionMember;
                            sb.Append(flexible ? "[]" : "[" + d.ToString(CultureInfo.InvariantCulture) + "]");
                        }
                        return sb.ToString();
                    }
                case TaggedType n:
                    return n.Keyword + " " + Pad(n.Name, typeSpacing - n.Keyword.Length - 1) + " " + name;
                default:
                    return Pad(TagName(t), typeSpacing) + " " + name;
            }
        }

        /// <summary>printf's <c>%-*s</c>: a negative width (deeply nested members) left-justifies to its magnitude.</summary>
        private static string Pad(string s, int width) => s.PadRight(Math.Abs(width));
    }
}
