using System;
using System.Collections.Generic;
using Emu.Generators.Model;

namespace Emu.Generators.Layout;

internal sealed partial class LayoutEngine
{
    private sealed record PlacedMember(MemberDecl Member, long BitOffset, int? BitWidth, long Size);

    private sealed record RecordLayout(long Size, int Align, List<PlacedMember> Members);

    private RecordLayout Layout(RecordDecl decl)
    {
        if (_layouts.TryGetValue(decl, out var cached))
            return cached;
        if (!_inProgress.Add(decl))
            throw new EvalException($"{Describe(decl)} contains itself", decl.Location);
        try
        {
            var layout = Compute(decl);
            _layouts[decl] = layout;
            return layout;
        }
        finally
        {
            _inProgress.Remove(decl);
        }
    }

    private RecordLayout Compute(RecordDecl decl)
    {
        var placed = new List<PlacedMember>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        bool packed = decl.Attributes.Packed;
        int align = 1;
        long bitPos = 0, unionBits = 0;

        for (int i = 0; i < decl.Members.Count; i++)
        {
            var m = decl.Members[i];
            foreach (var n in MemberNames(m))
                if (!names.Add(n))
                    throw new EvalException($"duplicate member '{n}' in {Describe(decl)}", m.Location);
            var (size, typeAlign) = SizeAlign(m.Type, m.Location);
            bool memberPacked = packed || m.Attributes.Packed;
            int? explicitAlign = m.Attributes.Aligned is null ? null : AlignValue(m.Attributes.Aligned);
            int fieldAlign = memberPacked ? explicitAlign ?? 1 : Math.Max(typeAlign, explicitAlign ?? 1);

            if (m.BitWidth is not null)
            {
                int width = BitfieldWidth(m, size);
                if (width == 0)
                {
                    if (!decl.IsUnion)
                        bitPos = RoundUp(bitPos, typeAlign * 8L);
                    if (Abi.ZeroWidthBitfieldAligns)
                        align = Math.Max(align, typeAlign);
                    continue;
                }
                long offset = 0;
                if (!decl.IsUnion)
                {
                    if (explicitAlign is not null)
                        bitPos = RoundUp(bitPos, explicitAlign.Value * 8L);
                    // GCC: a bitfield that would spill out of an aligned unit of its type starts the next unit.
                    if (!memberPacked && bitPos % (typeAlign * 8L) + width > size * 8)
                        bitPos = RoundUp(bitPos, typeAlign * 8L);
                    offset = bitPos;
                    bitPos += width;
                }
                unionBits = Math.Max(unionBits, width);
                if (m.Name is not null)
                    align = Math.Max(align, fieldAlign);
                placed.Add(new PlacedMember(m, offset, width, size));
                continue;
            }

            if (Resolve(m.Type) is ArrayType { Length: null } && !decl.IsUnion && i != decl.Members.Count - 1)
                throw new EvalException($"flexible array member '{m.Name}' is not at the end of {Describe(decl)}", m.Location);
            if (Resolve(m.Type) is FunctionType)
                throw new EvalException($"member '{m.Name}' has function type (a pointer is needed)", m.Location);
            long at = 0;
            if (!decl.IsUnion)
            {
                bitPos = RoundUp(bitPos, fieldAlign * 8L);
                at = bitPos;
                bitPos += size * 8;
            }
            unionBits = Math.Max(unionBits, size * 8);
            align = Math.Max(align, fieldAlign);
            placed.Add(new PlacedMember(m, at, null, size));
        }

        if (decl.Attributes.Aligned is not null)
            align = Math.Max(align, AlignValue(decl.Attributes.Aligned));
        long bits = decl.IsUnion ? unionBits : bitPos;
        long total = RoundUp((bits + 7) / 8, align);
        return new RecordLayout(total, align, placed);
    }

    private IEnumerable<string> MemberNames(MemberDecl m)
    {
        if (m.Name is not null)
        {
            yield return m.Name;
        }
        else if (m.Type is InlineRecordType inline && m.BitWidth is null)
        {
            foreach (var inner in inline.Declaration.Members)
                foreach (var n in MemberNames(inner))
                    yield return n;
        }
    }

    private int BitfieldWidth(MemberDecl m, long typeSize)
    {
        var resolved = Resolve(m.Type);
        bool integral = resolved is EnumType ||
            (resolved is BuiltinType b && b.Kind is not (BuiltinKind.Void or BuiltinKind.Float or BuiltinKind.Double or BuiltinKind.LongDouble));
        var label = m.Name is null ? "unnamed bit-field" : $"bit-field '{m.Name}'";
        if (!integral)
            throw new EvalException($"{label} has a non-integer type", m.Location);
        var v = _eval.Evaluate(m.BitWidth!);
        if (!v.Unsigned && v.Signed < 0)
            throw new EvalException($"{label} has negative width ({v.Signed})", m.Location);
        if ((long)v.Bits > typeSize * 8 || (resolved is BuiltinType { Kind: BuiltinKind.Bool } && v.Bits > 1))
            throw new EvalException($"width of {label} ({v.Bits}) exceeds its type ({(resolved is BuiltinType { Kind: BuiltinKind.Bool } ? 1 : typeSize * 8)} bits)", m.Location);
        if (v.Bits == 0 && m.Name is not null)
            throw new EvalException($"zero width for {label}", m.Location);
        return (int)v.Bits;
    }

    private static long RoundUp(long value, long to) => to <= 1 ? value : (value + to - 1) / to * to;

    private (MemberDecl Member, long BitOffset)? FindMember(RecordDecl decl, string name, long baseBits)
    {
        foreach (var p in Layout(decl).Members)
        {
            if (p.Member.Name == name)
                return (p.Member, baseBits + p.BitOffset);
            if (p.Member.Name is null && p.Member.Type is InlineRecordType inline)
            {
                var found = FindMember(inline.Declaration, name, baseBits + p.BitOffset);
                if (found is not null)
                    return found;
            }
        }
        return null;
    }

    private TypeLayoutModel BuildModel(RecordDecl decl, string name, bool isTypedef, long baseBits = 0)
    {
        var layout = Layout(decl);
        var members = new List<MemberLayoutModel>();
        foreach (var p in layout.Members)
        {
            var m = p.Member;
            if (m.Name is null && m.BitWidth is not null)
                continue; // unnamed bitfields are padding
            long abs = baseBits + p.BitOffset;
            var anonymous = m.Type is InlineRecordType inline ? BuildModel(inline.Declaration, "", false, abs) : null;
            var typeName = CTypePrinter.Declaration(m.Type, "", ArrayLength);
            var declaration = CTypePrinter.Declaration(m.Type, m.Name ?? "", ArrayLength);
            members.Add(new MemberLayoutModel(
                m.Name, m.Type, typeName, declaration, (int)(abs / 8), (int)p.Size, abs, p.BitWidth,
                p.BitWidth is not null && BitfieldSigned(m.Type), anonymous, m.Location,
                m.Attributes.Aligned is null ? 0 : AlignValue(m.Attributes.Aligned)));
        }
        int userAlign = decl.Attributes.Aligned is null ? 0 : AlignValue(decl.Attributes.Aligned);
        return new TypeLayoutModel(name, decl.IsUnion, (int)layout.Size, layout.Align, members.ToEquatableArray(), decl.Location, userAlign, isTypedef);
    }

    private string ArrayLength(Expr e) => _eval.Evaluate(e).ToString();

    private bool BitfieldSigned(CType type) => Resolve(type) switch
    {
        BuiltinType { Kind: BuiltinKind.Char } => Abi.CharSigned,
        BuiltinType { Kind: BuiltinKind.SChar or BuiltinKind.Short or BuiltinKind.Int or BuiltinKind.Long or BuiltinKind.LongLong or BuiltinKind.Int128 } => true,
        EnumType e => !EnumIsUnsigned(e),
        _ => false,
    };

    private List<ConstantModel> Constants()
    {
        var result = new List<ConstantModel>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in _program.Enums)
        {
            foreach (var item in e.Enumerators)
            {
                try
                {
                    var v = Enumerator(item.Name)!.Value;
                    if (seen.Add(item.Name))
                        result.Add(new ConstantModel(item.Name, v.Bits, v.Width, v.Unsigned, "enum " + (e.Tag ?? ""), item.Location));
                }
                catch (EvalException ex)
                {
                    Report("EMU031", $"value of enumerator '{item.Name}': {ex.Message}", ex.Location.IsNone ? item.Location : ex.Location);
                }
            }
        }
        foreach (var m in _program.Macros)
        {
            if (m.Value is null || seen.Contains(m.Name))
                continue;
            try
            {
                var v = _eval.Evaluate(m.Value);
                seen.Add(m.Name);
                result.Add(new ConstantModel(m.Name, v.Bits, v.Width, v.Unsigned, "macro", m.Location));
            }
            catch (EvalException)
            {
                // Not every macro is an integer constant (type names, attributes ...): those are simply not emitted.
            }
        }
        return result;
    }
}
