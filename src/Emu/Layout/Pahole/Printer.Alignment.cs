using System;
using System.Linq;

namespace Emu.Layout;

// gcc alignment rules that decide pahole's __aligned__ and __packed__ attributes.
public static partial class PaholeFormatter
{
    private sealed partial class Printer
    {
        private int BaseSize(string name) => name switch
        {
            "char" or "signed char" or "unsigned char" or "_Bool" => 1,
            "short int" or "short unsigned int" => 2,
            "int" or "unsigned int" or "float" => 4,
            "long int" or "long unsigned int" => _ptr,
            "long long int" or "long long unsigned int" or "double" => 8,
            "long double" => _abi switch { Abi.X86_64 or Abi.AArch64 => 16, Abi.I386 => 12, _ => 8 },
            "__int128" or "__int128 unsigned" => 16,
            _ => 0,
        };

        private int MaxScalarAlign => _abi == Abi.I386 ? 4 : _abi == Abi.X86_64 || _abi == Abi.AArch64 ? 16 : 8;

        private static int Pow2Divisor(int size, int cap)
        {
            if (size <= 0) return 1;
            int a = 1;
            while (a < cap && size % (a * 2) == 0) a *= 2;
            return a;
        }

        private static int ElementCount(CType t) => t is ArrayType a ? a.Dims.Aggregate(1, (x, d) => x * d) : 1;

        /// <summary>tag__natural_alignment(): base types align to their size, aggregates to their widest member.</summary>
        private int NaturalAlign(CType t, int size)
        {
            t = StripModifiers(t);
            switch (t)
            {
                case PointerType: return _ptr;
                case BaseType b: return Math.Max(1, BaseSize(b.Name));
                case TaggedType { Keyword: "enum" }: return Math.Max(1, size);
                case ArrayType a:
                    {
                        int n = ElementCount(a);
                        return NaturalAlign(a.Element, n == 0 ? 0 : size / n);
                    }
            }
            var layout = Lookup(t);
            if (layout is not null)
                return TypeNaturalAlign(layout);
            // A typedef the manifest does not know: a scalar, aligned to its size.
            return Pow2Divisor(size, 8);
        }

        private int TypeNaturalAlign(TypeLayout layout)
        {
            int a = 1;
            foreach (var m in layout.Members)
            {
                if (m.Name is null && m.Anonymous is null) continue;
                a = Math.Max(a, NaturalAlign(TypeOf(m), m.Size));
            }
            return a;
        }

        /// <summary>
        /// gcc's TYPE_ALIGN of a member's type: what a member <c>aligned(N)</c> must reach to stay a
        /// user alignment (i386 keeps 8 for long long and double; only the field placement drops to 4).
        /// </summary>
        private int GccTypeAlign(CType t, int size)
        {
            t = StripModifiers(t);
            switch (t)
            {
                case PointerType: return _ptr;
                case BaseType b:
                    {
                        int bs = Math.Max(1, BaseSize(b.Name));
                        if (b.Name == "long double") return _abi == Abi.I386 ? 4 : Math.Min(bs, MaxScalarAlign);
                        return _abi == Abi.I386 ? Math.Min(bs, 8) : Math.Min(bs, MaxScalarAlign);
                    }
                case TaggedType { Keyword: "enum" }: return Math.Max(1, Math.Min(size, 4));
                case ArrayType a:
                    {
                        int n = ElementCount(a);
                        return GccTypeAlign(a.Element, n == 0 ? 0 : size / n);
                    }
            }
            var layout = Lookup(t);
            if (layout is not null)
                return layout.Align;
            return Pow2Divisor(size, 8);
        }

        /// <summary>
        /// gcc's TYPE_USER_ALIGN, which makes it emit DW_AT_alignment (TYPE_ALIGN) on the type and
        /// pahole print <c>__aligned__</c>: an <c>aligned(N)</c> on the type itself, or any member that
        /// is user-aligned (place_field() ORs DECL_USER_ALIGN into the record, structs and unions alike).
        /// Returns the alignment printed, 0 when the type is not user-aligned.
        /// </summary>
        private int UserAlign(TypeLayout layout)
        {
            if (_userAlign.TryGetValue(layout, out var cached))
                return cached;
            _userAlign[layout] = 0; // by-value recursion is impossible; pointers never propagate
            bool user = layout.UserAlign != 0 || FindHoles(layout).Members.Any(pm => pm.Alignment != 0);
            int result = user ? Math.Max(layout.Align, layout.UserAlign) : 0;
            _userAlign[layout] = result;
            return result;
        }

        /// <summary>The user alignment a member's type carries (through qualifiers and arrays), 0 when none.</summary>
        private int TypeUserAlign(CType t)
        {
            t = StripModifiers(t);
            if (t is ArrayType a) return TypeUserAlign(a.Element);
            var layout = Lookup(t);
            return layout is null ? 0 : UserAlign(layout);
        }

        /// <summary>
        /// The member's DW_AT_alignment (DECL_ALIGN when DECL_USER_ALIGN), 0 when gcc emits none.
        /// layout_decl(): an <c>aligned(N)</c> weaker than the type's alignment is overridden by
        /// do_type_align(), which then copies the type's TYPE_USER_ALIGN; one at least as strong
        /// stays a user alignment of N. A member of a user-aligned type is user-aligned too.
        /// </summary>
        private int MemberAlign(MemberLayout m, CType type)
        {
            int typeAlign = GccTypeAlign(type, m.Size);
            if (m.UserAlign != 0 && m.UserAlign >= typeAlign)
                return m.UserAlign;
            return TypeUserAlign(type) != 0 ? typeAlign : 0;
        }

        /// <summary>class__infer_packed_attributes(): whether the struct must have been declared packed.</summary>
        private bool InferPacked(TypeLayout layout)
        {
            if (layout.IsUnion)
                return false;
            if (_packed.TryGetValue(layout, out var p))
                return p;
            var h = FindHoles(layout);
            bool packed = false;
            if (h.Padding != 0 || h.NrHoles != 0)
            {
                // Structs embedded at offsets unnatural for them must be packed.
                foreach (var m in h.Members)
                    MarkPackedIfMisaligned(m.Type, m.ByteOffset, m.ByteSize);
            }
            else
            {
                int max = 1;
                foreach (var m in h.Members)
                {
                    int na = NaturalAlign(m.Type, m.ByteSize);
                    if (na == 1) continue;
                    max = Math.Max(max, na);
                    if (m.ByteOffset % na != 0) { packed = true; break; }
                }
                if (!packed && layout.Size % max != 0)
                    packed = true;
            }
            if (!_packed.ContainsKey(layout))
                _packed[layout] = packed;
            return _packed[layout];
        }

        private void MarkPackedIfMisaligned(CType t, int offsetOrModulus, int size)
        {
            var stripped = StripModifiers(t);
            var layout = Lookup(stripped);
            if (layout is null || layout.IsUnion)
                return;
            int na = NaturalAlign(stripped, size);
            if (offsetOrModulus % na != 0)
                _packed[layout] = true;
        }
    }
}
