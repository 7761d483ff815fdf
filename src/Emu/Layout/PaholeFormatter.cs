using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Emu.Layout;

/// <summary>
/// Prints a <see cref="TypeLayout"/> exactly as <c>pahole -C name</c> (dwarves 1.24) prints the
/// same type from a gcc <c>-g</c> object: DWARF type spellings, pahole's column arithmetic,
/// hole/padding/cacheline comments and the closing summary. Kernel developers read and diff
/// this format daily, so fidelity matters more than prettiness; the rules below mirror
/// dwarves_fprintf.c and class__find_holes() in dwarves.c.
/// </summary>
public static class PaholeFormatter
{
    /// <summary>pahole's defaults: columns for the type and for the name.</summary>
    private const int TypeSpacing = 26;
    private const int StructNameSpacing = 23;
    private const int UnionNameSpacing = 21;

    /// <summary>Formats <paramref name="type"/> as pahole prints it, ending with <c>};</c> and a newline.</summary>
    /// <param name="type">A top-level type from <see cref="LayoutManifest.For"/>.</param>
    /// <param name="abi">The ABI it was laid out for (pointer size, base type sizes).</param>
    /// <param name="cachelineSize">pahole uses the host's L1 line size; 64 on every host we run on.</param>
    public static string Format(TypeLayout type, Abi abi, int cachelineSize = 64) =>
        Format(type, abi, LayoutManifest.For(abi), cachelineSize);

    /// <summary>
    /// Formats with an explicit set of known types, used to resolve named member types (their
    /// padding and alignment show in the output); tests pass hand-built layouts here.
    /// </summary>
    public static string Format(TypeLayout type, Abi abi, IReadOnlyDictionary<string, TypeLayout> types, int cachelineSize = 64)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(types);
        if (cachelineSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(cachelineSize));
        return new Printer(abi, cachelineSize, types).Top(type);
    }

    // ---------------------------------------------------------------- C type model

    /// <summary>The shape of a member's type, as far as pahole's printing needs it (a DWARF type chain).</summary>
    internal abstract record CType;
    internal sealed record VoidType : CType;
    internal sealed record BaseType(string Name) : CType;
    internal sealed record TypedefType(string Name) : CType;
    internal sealed record TaggedType(string Keyword, string Name) : CType;
    internal sealed record PointerType(CType Target) : CType;
    internal sealed record QualifiedType(string Qualifier, CType Inner) : CType;
    internal sealed record ArrayType(CType Element, IReadOnlyList<int> Dims) : CType;
    internal sealed record FunctionType(CType Return, IReadOnlyList<CType> Params, bool Variadic) : CType;
    internal sealed record InlineType(TypeLayout Layout) : CType;

    /// <summary>Parses a type as C spells it (<c>unsigned long[2]</c>, <c>void (*)(struct rcu_head *)</c>) into DWARF shape.</summary>
    internal static CType ParseType(string text) => new TypeParser(text).ParseTypeName();

    /// <summary>gcc's DW_AT_name for a C base type spelled with any keyword order.</summary>
    internal static string GccBaseName(IReadOnlyList<string> words)
    {
        int longs = words.Count(w => w == "long");
        bool unsigned = words.Contains("unsigned");
        bool signed = words.Contains("signed");
        if (words.Contains("_Bool")) return "_Bool";
        if (words.Contains("void")) return "void";
        if (words.Contains("float")) return "float";
        if (words.Contains("double")) return longs > 0 ? "long double" : "double";
        if (words.Contains("__int128")) return unsigned ? "__int128 unsigned" : "__int128";
        if (words.Contains("char")) return unsigned ? "unsigned char" : signed ? "signed char" : "char";
        if (words.Contains("short")) return unsigned ? "short unsigned int" : "short int";
        if (longs >= 2) return unsigned ? "long long unsigned int" : "long long int";
        if (longs == 1) return unsigned ? "long unsigned int" : "long int";
        return unsigned ? "unsigned int" : "int";
    }

    private sealed class TypeParser
    {
        private static readonly HashSet<string> BaseWords = new(StringComparer.Ordinal)
        { "void", "char", "short", "int", "long", "signed", "unsigned", "float", "double", "_Bool", "__int128", "__signed__", "__signed" };

        // Sparse/compiler annotations that leave no trace in DWARF.
        private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
        { "restrict", "__restrict", "__restrict__", "__rcu", "__private", "__user", "__iomem", "__percpu", "__force", "__randomize_layout", "__packed", "__aligned", "static", "extern", "inline", "__inline", "__inline__", "register" };

        private readonly List<string> _tokens;
        private int _pos;

        public TypeParser(string text)
        {
            _tokens = Tokenize(text);
        }

        private static List<string> Tokenize(string text)
        {
            var tokens = new List<string>();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (char.IsWhiteSpace(c)) { i++; continue; }
                if (char.IsLetterOrDigit(c) || c == '_')
                {
                    int start = i;
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                    tokens.Add(text.Substring(start, i - start));
                    continue;
                }
                if (c == '.' && text.AsSpan(i).StartsWith("...")) { tokens.Add("..."); i += 3; continue; }
                tokens.Add(c.ToString());
                i++;
            }
            return tokens;
        }

        private string? Peek(int ahead = 0) => _pos + ahead < _tokens.Count ? _tokens[_pos + ahead] : null;

        private string Next() => _pos < _tokens.Count ? _tokens[_pos++] : throw new FormatException("unexpected end of type");

        private void Expect(string token)
        {
            var t = Next();
            if (t != token)
                throw new FormatException($"expected '{token}', got '{t}'");
        }

        public CType ParseTypeName()
        {
            var t = ParseDeclaration(out _);
            if (_pos != _tokens.Count)
                throw new FormatException("trailing tokens in type: " + string.Join(" ", _tokens.Skip(_pos)));
            return t;
        }

        private CType ParseDeclaration(out bool sawAnything)
        {
            var spec = ParseSpecifiers(out sawAnything);
            return ParseAbstractDeclarator(spec);
        }

        private void SkipAttribute()
        {
            // __attribute__((...)): skip the balanced parentheses.
            Next();
            if (Peek() != "(") return;
            int depth = 0;
            do
            {
                var t = Next();
                if (t == "(") depth++;
                else if (t == ")") depth--;
            } while (depth > 0);
        }

        private CType ParseSpecifiers(out bool sawAnything)
        {
            var quals = new List<string>();
            var baseWords = new List<string>();
            CType? named = null;
            sawAnything = false;
            while (Peek() is { } tok)
            {
                if (tok is "const" or "volatile" or "_Atomic") { if (!quals.Contains(tok)) quals.Add(tok); Next(); }
                else if (tok is "__attribute__" or "__attribute") SkipAttribute();
                else if (Ignored.Contains(tok)) Next();
                else if (BaseWords.Contains(tok) && named is null) { baseWords.Add(tok is "__signed__" or "__signed" ? "signed" : tok); Next(); }
                else if (tok is "struct" or "union" or "enum" && named is null && baseWords.Count == 0)
                {
                    Next();
                    named = new TaggedType(tok, Next());
                }
                else if (IsIdentifier(tok) && named is null && baseWords.Count == 0) { named = new TypedefType(tok); Next(); }
                else break;
                sawAnything = true;
            }
            CType t = named ?? (baseWords.Count == 1 && baseWords[0] == "void" ? new VoidType() : new BaseType(GccBaseName(baseWords)));
            // gcc emits volatile outside const; pahole prints the chain outermost first.
            if (quals.Contains("_Atomic")) t = new QualifiedType("_Atomic", t);
            if (quals.Contains("const")) t = new QualifiedType("const", t);
            if (quals.Contains("volatile")) t = new QualifiedType("volatile", t);
            return t;
        }

        private static bool IsIdentifier(string tok) => tok.Length > 0 && (char.IsLetter(tok[0]) || tok[0] == '_');

        // Abstract declarator: pointers, then an optional parenthesized inner declarator, then suffixes.
        private CType ParseAbstractDeclarator(CType t)
        {
            while (Peek() == "*")
            {
                Next();
                t = new PointerType(t);
                while (Peek() is "const" or "volatile" or "restrict" or "__restrict" or "__rcu" or "__percpu" or "__user")
                {
                    var q = Next();
                    if (q is "const" or "volatile")
                        t = new QualifiedType(q, t);
                }
            }
            if (Peek() == "(" && Peek(1) is "*" or "(" or "[" or "^")
            {
                // Inner declarator binds last: parse it against a placeholder, then the suffixes.
                Next();
                int innerStart = _pos;
                int depth = 1;
                while (depth > 0)
                {
                    var tok = Next();
                    if (tok == "(") depth++;
                    else if (tok == ")") depth--;
                }
                int innerEnd = _pos - 1;
                var outer = ParseSuffixes(t);
                int after = _pos;
                _pos = innerStart;
                var inner = ParseAbstractDeclarator(outer);
                if (_pos != innerEnd)
                    throw new FormatException("bad inner declarator");
                _pos = after;
                return inner;
            }
            if (Peek() is { } name && IsIdentifier(name) && name is not ("const" or "volatile"))
                Next(); // a parameter or member name: not part of the type
            return ParseSuffixes(t);
        }

        private CType ParseSuffixes(CType t)
        {
            if (Peek() == "[")
            {
                var dims = new List<int>();
                while (Peek() == "[")
                {
                    Next();
                    int n = 0;
                    if (Peek() != "]")
                        n = int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
                    Expect("]");
                    dims.Add(n);
                }
                return new ArrayType(t, dims);
            }
            if (Peek() == "(")
            {
                Next();
                var ps = new List<CType>();
                bool variadic = false;
                while (Peek() != ")")
                {
                    if (Peek() == "...") { Next(); variadic = true; }
                    else ps.Add(ParseDeclaration(out _));
                    if (Peek() == ",") Next();
                }
                Expect(")");
                if (ps.Count == 1 && ps[0] is VoidType)
                    ps.Clear();
                return new FunctionType(t, ps, variadic);
            }
            return t;
        }
    }

    // ---------------------------------------------------------------- printing

    /// <summary>One member as pahole sees it (byte offsets relative to the enclosing aggregate).</summary>
    private sealed class PMember
    {
        public required MemberLayout Source;
        public required CType Type;
        public int ByteOffset;          // pahole's byte_offset (bitfields: of the storage unit)
        public long BitOffset;          // relative to the enclosing aggregate
        public int ByteSize;
        public int BitfieldSize;
        public int BitfieldOffset;
        public int Alignment;           // DW_AT_alignment, 0 when not user-aligned
        public int Hole, BitHole;
        public string? Name => Source.Name;
        public int AbsOffset => Source.Offset;
    }

    /// <summary>Results of class__find_holes() for one struct.</summary>
    private sealed class Holes
    {
        public List<PMember> Members = new();
        public int PreHole, PreBitHole, NrHoles, NrBitHoles, Padding, BitPadding;
    }

    private sealed class Conf
    {
        public int Indent;
        public int TypeSpacing;
        public int NameSpacing;
        public bool EmitStats;
        public required int[] Cacheline; // shared across nesting, like pahole's cachelinep
        public int BaseOffset;           // absolute offset of the aggregate being printed
        public bool FirstMember, LastMember, UnionMember; // decide between [0] and [] like pahole
        public Conf With(Action<Conf> change)
        {
            var c = (Conf)MemberwiseClone();
            change(c);
            return c;
        }
    }

    private sealed class Printer
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

        // ------------------------------------------------ type lookups

        private TypeLayout? Lookup(CType t) => t switch
        {
            InlineType i => i.Layout,
            TaggedType { Keyword: not "enum" } n => _types.TryGetValue(n.Name, out var l) && !l.IsTypedef ? l : null,
            TypedefType td => _types.TryGetValue(td.Name, out var l) && l.IsTypedef ? l : null,
            _ => null,
        };

        private static CType StripModifiers(CType t) => t is QualifiedType q ? StripModifiers(q.Inner) : t;

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

        private static CType TypeOf(MemberLayout m) => m.Anonymous is not null ? new InlineType(m.Anonymous) : ParseType(m.TypeName);

        /// <summary>Members as DWARF has them: unnamed bitfields are not emitted.</summary>
        private List<PMember> BuildMembers(TypeLayout layout)
        {
            int baseOffset = BaseOf(layout);
            var list = new List<PMember>();
            foreach (var m in layout.Members)
            {
                if (m.Name is null && m.Anonymous is null)
                    continue;
                var pm = new PMember { Source = m, Type = TypeOf(m), ByteSize = m.Size };
                pm.BitOffset = m.BitOffset - baseOffset * 8L;
                if (m.BitWidth is int w)
                {
                    pm.BitfieldSize = w;
                    int unitBits = Math.Max(1, m.Size) * 8;
                    long unit = pm.BitOffset / unitBits * m.Size;
                    pm.ByteOffset = (int)unit;
                    pm.BitfieldOffset = (int)(pm.BitOffset - unit * 8);
                }
                else
                {
                    pm.ByteOffset = m.Offset - baseOffset;
                }
                pm.Alignment = MemberAlign(m, pm.Type);
                list.Add(pm);
            }
            return list;
        }

        /// <summary>Absolute offset of an aggregate: 0 for a named type, its first member's for an inline one.</summary>
        private static int BaseOf(TypeLayout layout)
        {
            if (layout.Name.Length != 0)
                return 0;
            foreach (var m in layout.Members)
            {
                if (m.Name is null && m.Anonymous is null) continue;
                if (m.BitWidth is null || m.Size <= 0) return m.Offset;
                return (int)(m.BitOffset / (m.Size * 8L) * m.Size);
            }
            return 0;
        }

        // ------------------------------------------------ class__find_holes

        private Holes FindHoles(TypeLayout layout)
        {
            if (_holes.TryGetValue(layout, out var cached))
                return cached;
            var h = new Holes { Members = BuildMembers(layout) };
            _holes[layout] = h;
            if (layout.IsUnion)
                return h;
            long size = layout.Size;
            long curBitfieldEnd = size * 8, curBitfieldSize = 0;
            long lastSeenBit = 0;
            bool inBitfield = false;
            PMember? last = null;
            foreach (var pos in h.Members)
            {
                long bitStart = pos.BitOffset;
                long bitEnd = pos.BitfieldSize != 0 ? bitStart + pos.BitfieldSize : bitStart + pos.ByteSize * 8L;
                long bitHoles = 0, byteHoles = 0;
                if (inBitfield)
                {
                    long bitfieldEnd = Math.Min(bitStart, curBitfieldEnd);
                    bitHoles = bitfieldEnd - lastSeenBit;
                    lastSeenBit = bitfieldEnd;
                }
                if (pos.BitfieldSize != 0)
                {
                    long alignedStart = pos.ByteOffset * 8L;
                    if (lastSeenBit < alignedStart && alignedStart <= bitStart)
                    {
                        byteHoles = pos.ByteOffset - lastSeenBit / 8;
                        lastSeenBit = alignedStart;
                    }
                    bitHoles += bitStart - lastSeenBit;
                }
                else
                {
                    byteHoles = bitStart / 8 - lastSeenBit / 8;
                }
                lastSeenBit = bitEnd;
                if (pos.BitfieldSize != 0)
                {
                    inBitfield = true;
                    long bitSize = pos.ByteSize * 8L;
                    if (bitEnd > curBitfieldEnd || bitSize > curBitfieldSize)
                    {
                        curBitfieldSize = bitSize;
                        curBitfieldEnd = pos.ByteOffset * 8L + curBitfieldSize;
                        if (bitEnd > curBitfieldEnd)
                            curBitfieldEnd += curBitfieldSize;
                    }
                }
                else
                {
                    inBitfield = false;
                    curBitfieldSize = 0;
                    curBitfieldEnd = bitEnd;
                }
                if (last is not null) { last.Hole = (int)byteHoles; last.BitHole = (int)bitHoles; }
                else { h.PreHole = (int)byteHoles; h.PreBitHole = (int)bitHoles; }
                if (bitHoles != 0) h.NrBitHoles++;
                if (byteHoles != 0) h.NrHoles++;
                last = pos;
            }
            if (inBitfield)
            {
                long bitfieldEnd = Math.Min(size * 8, curBitfieldEnd);
                h.BitPadding = (int)(bitfieldEnd - lastSeenBit);
                lastSeenBit = bitfieldEnd;
            }
            h.Padding = (int)(size - lastSeenBit / 8);
            return h;
        }

        // ------------------------------------------------ packed inference (class__infer_packed_attributes)

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

        private void MarkPackedIfMisaligned(CType t, int offsetOrModulus, int size, bool modulus = false)
        {
            var stripped = StripModifiers(t);
            var layout = Lookup(stripped);
            if (layout is null || layout.IsUnion)
                return;
            int na = NaturalAlign(stripped, size);
            if (offsetOrModulus % na != 0)
                _packed[layout] = true;
        }

        // ------------------------------------------------ names (__tag__name / tag__ptr_name)

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

        // ------------------------------------------------ type__fprintf for non-inline types

        private string TypeString(CType t, string name, int typeSpacing, Conf conf, PMember? member)
        {
            switch (t)
            {
                case PointerType { Target: FunctionType f }:
                    return FtypeString(f, name, true, typeSpacing);
                case QualifiedType { Qualifier: "const" or "_Atomic" } q:
                    return q.Qualifier + " " + TypeString(q.Inner, name, typeSpacing - (q.Qualifier.Length + 1), conf, member);
                case ArrayType a:
                    {
                        var elem = a.Element;
                        if (a.Dims.Count >= 1 && a.Dims[0] == 0 && elem is QualifiedType { Qualifier: "const" } ce)
                            elem = ce.Inner;
                        var sb = new StringBuilder(TypeString(elem, name, typeSpacing, conf, member));
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

        private static string Indent(int n) => new string('\t', Math.Min(n, 16));

        private const string PackedAttr = " __attribute__((__packed__))";

        private static string AlignedAttr(int a) => $" __attribute__((__aligned__({a.ToString(CultureInfo.InvariantCulture)})))";

        private void CachelineBoundary(Conf conf, int offset)
        {
            int cacheline = offset / _cl;
            if (cacheline <= conf.Cacheline[0])
                return;
            int pos = offset % _cl;
            int inBytes = offset - pos;
            if (pos == 0)
                _sb.Append($"/* --- cacheline {cacheline} boundary ({inBytes} bytes) --- */\n");
            else
                _sb.Append($"/* --- cacheline {cacheline} boundary ({inBytes} bytes) was {pos} byte{(pos > 1 ? "s" : "")} ago --- */\n");
            _sb.Append(Indent(conf.Indent));
            conf.Cacheline[0] = cacheline;
        }

        /// <summary>class_member__fprintf(): one member line, or a whole inline aggregate, without the newline.</summary>
        private void PrintMember(PMember m, bool inUnion, Conf conf)
        {
            int offset = m.AbsOffset;
            if (m.BitfieldSize != 0)
                offset = conf.BaseOffset + m.ByteOffset;
            CachelineBoundary(conf, offset);
            string alignAttr = m.Alignment != 0 ? AlignedAttr(m.Alignment) : "";
            if (m.Type is InlineType inline)
            {
                var inner = conf.With(c =>
                {
                    c.TypeSpacing -= 8;
                    c.EmitStats = false;
                    c.BaseOffset = offset;
                });
                bool packed = inline.Layout.IsUnion
                    ? PrintUnion(inline.Layout, inner, null, anonymous: true)
                    : PrintStruct(inline.Layout, inner, null, anonymous: true);
                if (m.Name is not null)
                    _sb.Append(' ').Append(m.Name);
                _sb.Append(alignAttr).Append(';');
                // The comment column counts the name, __packed__ and the TYPE's alignment (even for a
                // union, which never prints it), not the member's own __aligned__.
                int slen = m.Name?.Length ?? -1;
                if (packed)
                    slen += PackedAttr.Length;
                int typeAlign = UserAlign(inline.Layout);
                if (typeAlign != 0)
                    slen += AlignedAttr(typeAlign).Length;
                int width = conf.TypeSpacing + conf.NameSpacing - slen - 3;
                _sb.Append(new string(' ', Math.Max(Math.Abs(width), 1)));
                _sb.Append($"/* {offset,5} {m.ByteSize,5} */");
                return;
            }
            var line = new StringBuilder(TypeString(m.Type, m.Name ?? "", conf.TypeSpacing, conf, m));
            if (m.BitfieldSize != 0)
                line.Append(':').Append(m.BitfieldSize.ToString(CultureInfo.InvariantCulture));
            line.Append(alignAttr).Append(';');
            _sb.Append(line);
            int spacing = conf.TypeSpacing + conf.NameSpacing - line.Length;
            _sb.Append(new string(' ', Math.Max(spacing, 1)));
            if (m.BitfieldSize != 0)
                _sb.Append($"/* {offset,5}:{m.BitfieldOffset,2} {m.ByteSize,2} */");
            else
                _sb.Append($"/* {offset,5} {m.ByteSize,5} */");
        }

        /// <summary>
        /// union__fprintf(): no holes, no statistics; the cacheline is rewound after each member.
        /// Unlike a struct it never prints the type's own __aligned__. Never packed: returns false.
        /// </summary>
        private bool PrintUnion(TypeLayout layout, Conf conf, string? suffix, bool anonymous)
        {
            _sb.Append(anonymous || layout.Name.Length == 0 ? "union {\n" : $"union {layout.Name} {{\n");
            var uconf = conf.With(c => c.Indent = conf.Indent + 1);
            var h = FindHoles(layout);
            // union__infer_packed_attributes(): structs whose alignment does not divide the union's size.
            foreach (var m in h.Members)
                if (Lookup(StripModifiers(m.Type)) is { IsUnion: false } s && !_packed.ContainsKey(s) && layout.Size % NaturalAlign(StripModifiers(m.Type), m.ByteSize) != 0)
                    _packed[s] = true;
            int initial = uconf.Cacheline[0];
            foreach (var m in h.Members)
            {
                _sb.Append(Indent(uconf.Indent));
                uconf.UnionMember = true;
                PrintMember(m, true, uconf);
                _sb.Append('\n');
                uconf.Cacheline[0] = initial;
            }
            _sb.Append(Indent(conf.Indent)).Append('}');
            if (suffix is not null)
                _sb.Append(' ').Append(suffix);
            return false;
        }

        /// <summary>__class__fprintf(); returns whether the struct was printed as packed.</summary>
        private bool PrintStruct(TypeLayout layout, Conf conf, string? suffix, bool anonymous)
        {
            _sb.Append(anonymous || layout.Name.Length == 0 ? "struct {\n" : $"struct {layout.Name} {{\n");
            var cconf = conf.With(c => c.Indent = conf.Indent + 1);
            string ind = Indent(cconf.Indent);
            bool packed = InferPacked(layout);
            var h = FindHoles(layout);

            int newline = 0;
            int sumBytes = 0, sumBits = 0, sumHoles = 0, sumBitHoles = 0;
            int nrPaddings = 0, sumPaddings = 0;
            int nrForced = 0, nrForcedHoles = 0, sumForcedHoles = 0;
            long lastSize = 0;
            PMember? last = null;

            if (h.PreBitHole > 0)
            {
                if (newline++ == 0) _sb.Append('\n');
                _sb.Append($"{ind}/* XXX {h.PreBitHole} bit{(h.PreBitHole != 1 ? "s" : "")} hole, try to pack */\n");
                sumBitHoles += h.PreBitHole;
            }
            if (h.PreHole > 0)
            {
                if (newline++ == 0) _sb.Append('\n');
                _sb.Append($"{ind}/* XXX {h.PreHole} byte{(h.PreHole != 1 ? "s" : "")} hole, try to pack */\n");
                sumHoles += h.PreHole;
            }

            for (int i = 0; i < h.Members.Count; i++)
            {
                var pos = h.Members[i];
                if (pos.Alignment != 0)
                {
                    int forcedHole = last is not null ? last.Hole : h.PreHole;
                    if (forcedHole != 0) { nrForcedHoles++; sumForcedHoles += forcedHole; }
                    nrForced++;
                }
                if (last is not null && lastSize != 0)
                {
                    if (last.BitHole != 0 && pos.BitfieldSize != 0)
                    {
                        int bitfieldSize = last.BitHole;
                        if (last.ByteOffset != pos.ByteOffset)
                        {
                            _sb.Append($"\n{ind}/* Force alignment to the next boundary: */\n");
                            bitfieldSize = 0;
                        }
                        _sb.Append(ind).Append(TypeString(pos.Type, "", cconf.TypeSpacing, cconf, null)).Append($":{bitfieldSize};\n");
                    }
                    if (pos.ByteOffset < last.ByteOffset ||
                        (pos.ByteOffset == last.ByteOffset && last.BitfieldSize == 0 && pos.BitfieldSize != 0))
                    {
                        if (newline++ == 0) _sb.Append('\n');
                        _sb.Append($"{ind}/* Bitfield combined with previous fields */\n");
                    }
                    else
                    {
                        long ccLastSize = pos.ByteOffset - last.ByteOffset;
                        if (ccLastSize > 0 && ccLastSize < lastSize)
                        {
                            if (newline++ == 0) _sb.Append('\n');
                            _sb.Append($"{ind}/* Bitfield combined with next fields */\n");
                        }
                    }
                }
                if (newline != 0)
                {
                    _sb.Append('\n');
                    newline = 0;
                }

                _sb.Append(ind);
                cconf.FirstMember = last is null;
                cconf.LastMember = i == h.Members.Count - 1;
                PrintMember(pos, false, cconf);

                // "last struct has padding": only a struct type itself, not a typedef of one.
                if ((pos.Type is InlineType { Layout.IsUnion: false } || pos.Type is TaggedType { Keyword: "struct" }) && Lookup(pos.Type) is { } sl)
                {
                    var sh = FindHoles(sl);
                    InferPacked(sl);
                    if (sh.Padding > 0)
                    {
                        if (newline++ == 0) _sb.Append('\n');
                        _sb.Append($"\n{ind}/* XXX last struct has {sh.Padding} byte{(sh.Padding != 1 ? "s" : "")} of padding */");
                        nrPaddings++;
                        sumPaddings += sh.Padding;
                    }
                }
                if (pos.BitHole != 0)
                {
                    if (newline++ == 0) _sb.Append('\n');
                    _sb.Append($"\n{ind}/* XXX {pos.BitHole} bit{(pos.BitHole != 1 ? "s" : "")} hole, try to pack */");
                    sumBitHoles += pos.BitHole;
                }
                if (pos.Hole > 0)
                {
                    if (newline++ == 0) _sb.Append('\n');
                    _sb.Append($"\n{ind}/* XXX {pos.Hole} byte{(pos.Hole != 1 ? "s" : "")} hole, try to pack */");
                    sumHoles += pos.Hole;
                }
                _sb.Append('\n');

                if (pos.BitfieldSize != 0) sumBits += pos.BitfieldSize;
                else sumBytes += pos.ByteSize;

                if (last is null || lastSize == 0 || last.ByteOffset != pos.ByteOffset)
                    lastSize = pos.ByteSize;
                else if (last.BitfieldSize == 0 && pos.BitfieldSize != 0)
                    lastSize = pos.ByteSize;
                last = pos;
            }

            if (conf.EmitStats)
            {
                int size = layout.Size;
                int cachelines = (size + _cl - 1) / _cl;
                _sb.Append($"\n{ind}/* size: {size}, cachelines: {cachelines}, members: {h.Members.Count} */\n");
                if (sumHoles > 0 || sumBitHoles > 0)
                {
                    if (sumBytes > 0)
                    {
                        _sb.Append($"{ind}/* sum members: {sumBytes}");
                        if (sumHoles > 0)
                            _sb.Append($", holes: {h.NrHoles}, sum holes: {sumHoles}");
                        _sb.Append(" */\n");
                    }
                    if (sumBits > 0)
                    {
                        _sb.Append($"{ind}/* sum bitfield members: {sumBits} bits");
                        if (sumBitHoles > 0)
                            _sb.Append($", bit holes: {h.NrBitHoles}, sum bit holes: {sumBitHoles} bits");
                        else
                            _sb.Append($" ({sumBits / 8} bytes)");
                        _sb.Append(" */\n");
                    }
                }
                if (h.Padding > 0)
                    _sb.Append($"{ind}/* padding: {h.Padding} */\n");
                if (nrPaddings > 0)
                    _sb.Append($"{ind}/* paddings: {nrPaddings}, sum paddings: {sumPaddings} */\n");
                if (h.BitPadding > 0)
                    _sb.Append($"{ind}/* bit_padding: {h.BitPadding} bits */\n");
                if (nrForced != 0)
                {
                    _sb.Append($"{ind}/* forced alignments: {nrForced}");
                    if (nrForcedHoles != 0)
                        _sb.Append($", forced holes: {nrForcedHoles}, sum forced holes: {sumForcedHoles}");
                    _sb.Append(" */\n");
                }
                int lastCacheline = (conf.BaseOffset + size) % _cl;
                if (lastCacheline != 0)
                    _sb.Append($"{ind}/* last cacheline: {lastCacheline} bytes */\n");
                long sizeDiff = size * 8L - (sumBytes * 8L + sumBits + sumHoles * 8L + sumBitHoles + h.Padding * 8L + h.BitPadding);
                if (sizeDiff != 0 && h.Members.Count != 0)
                    _sb.Append($"\n{ind}/* BRAIN FART ALERT! {size} bytes != {sumBytes} (member bytes) + {sumBits} (member bits) + {sumHoles} (byte holes) + {sumBitHoles} (bit holes), diff = {sizeDiff} bits */\n");
            }

            _sb.Append(Indent(conf.Indent)).Append('}');
            if (packed)
                _sb.Append(PackedAttr);
            if (suffix is not null)
                _sb.Append(' ').Append(suffix);
            // A packed struct's TYPE_ALIGN is 1 (user-aligned through its members): pahole shows only __packed__.
            int user = UserAlign(layout);
            if (user != 0 && !packed)
                _sb.Append(AlignedAttr(user));
            return packed;
        }
    }
}
