using System.Collections.Generic;
using System.Text;

namespace Emu.Layout;

// Printer state and the top-level entry; the other Printer.*.cs files hold its rules.
public static partial class PaholeFormatter
{
    private sealed partial class Printer
    {
        private readonly Abi _abi;
        private readonly int _cl;
        private readonly IReadOnlyDictionary<string, TypeLayout> _types;
        private readonly int _ptr;
        private readonly Dictionary<TypeLayout, bool> _packed = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<TypeLayout, int> _userAlign = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<TypeLayout, Holes> _holes = new(ReferenceEqualityComparer.Instance);
        private readonly StringBuilder _sb = new();

        public Printer(Abi abi, int cacheline, IReadOnlyDictionary<string, TypeLayout> types)
        {
            _abi = abi;
            _cl = cacheline;
            _types = types;
            _ptr = abi is Abi.X86_64 or Abi.AArch64 ? 8 : 4;
        }

        public string Top(TypeLayout type)
        {
            bool typedef = type.IsTypedef;
            var conf = new Conf
            {
                Indent = 0,
                TypeSpacing = TypeSpacing,
                NameSpacing = type.IsUnion && !typedef ? UnionNameSpacing : StructNameSpacing,
                EmitStats = true,
                Cacheline = new int[1],
                BaseOffset = 0,
            };
            if (typedef)
                _sb.Append("typedef ");
            if (type.IsUnion)
                PrintUnion(type, conf, typedef ? type.Name : null, anonymous: typedef);
            else
                PrintStruct(type, conf, typedef ? type.Name : null, anonymous: typedef);
            _sb.Append(";\n");
            return _sb.ToString();
        }

        /// <summary>The layout behind a struct, union or typedef type, null when unknown or scalar.</summary>
        private TypeLayout? Lookup(CType t) => t switch
        {
            InlineType i => i.Layout,
            TaggedType { Keyword: not "enum" } n => _types.TryGetValue(n.Name, out var l) && !l.IsTypedef ? l : null,
            TypedefType td => _types.TryGetValue(td.Name, out var l) && l.IsTypedef ? l : null,
            _ => null,
        };

        private static CType StripModifiers(CType t) => t is QualifiedType q ? StripModifiers(q.Inner) : t;
    }
}
