using System.Collections.Generic;
using Emu.Generators.Model;

namespace Emu.Generators.CHeaders;

internal sealed partial class Parser
{
    private sealed record Specifiers(CType Type, bool IsTypedef, LayoutAttributes Attributes);

    private sealed record DeclaratorResult(string? Name, CType Type, LayoutAttributes Attributes, SourceLocation Location);

    private static readonly HashSet<string> Qualifiers = new()
    {
        "const", "volatile", "restrict", "__restrict", "__restrict__", "__const", "__const__", "__volatile__",
        "_Atomic", "__volatile", "register", "auto", "_Noreturn", "__thread", "_Thread_local",
    };

    private static readonly HashSet<string> StorageClasses = new()
    {
        "extern", "static", "inline", "__inline", "__inline__",
    };

    private static readonly HashSet<string> TypeKeywords = new()
    {
        "void", "char", "short", "int", "long", "signed", "unsigned", "__signed__", "__signed", "_Bool",
        "float", "double", "__int128", "struct", "union", "enum",
    };

    /// <summary>Attributes that do not change layout and are skipped silently.</summary>
    private static readonly HashSet<string> HarmlessAttributes = new()
    {
        "unused", "used", "noreturn", "designated_init", "randomize_layout", "no_randomize_layout",
        "deprecated", "section", "weak", "const", "pure", "nonnull", "format", "warn_unused_result",
        "cold", "hot", "always_inline", "gnu_inline", "noinline", "visibility", "may_alias",
        "preserve_access_index", "counted_by", "nonstring", "malloc", "alloc_size", "returns_nonnull",
        "fallthrough", "noinstr", "error", "warning", "externally_visible", "flatten", "no_instrument_function",
    };

    private bool IsTypeStart(Token t) =>
        (t.Kind == TokenKind.Identifier &&
         (TypeKeywords.Contains(t.Text) || Qualifiers.Contains(t.Text) || _typedefNames.Contains(t.Text) ||
          t.Text == "__attribute__" || t.Text == "__attribute" || t.Text == "__extension__" || t.Text == "_Alignas"));

    private Specifiers DeclarationSpecifiers(bool allowStorage)
    {
        var start = Peek;
        bool isTypedef = false;
        var attrs = LayoutAttributes.None;
        CType? named = null;
        int longs = 0, shorts = 0, signedness = 0; // 1 signed, 2 unsigned
        string? basic = null;
        bool any = false;
        var quals = new List<string>();

        while (true)
        {
            var t = Peek;
            if (t.Kind != TokenKind.Identifier)
                break;
            var s = t.Text;
            if (s == "typedef" && allowStorage) { Next(); isTypedef = true; any = true; continue; }
            if (StorageClasses.Contains(s) && allowStorage) { Next(); any = true; continue; }
            if (Qualifiers.Contains(s) || s == "__extension__")
            {
                Next();
                AddQualifier(quals, s);
                continue;
            }
            if (s == "__attribute__" || s == "__attribute") { attrs = attrs.Merge(Attributes()); continue; }
            if (s == "_Alignas")
            {
                Next();
                Expect("(");
                var e = IsTypeStart(Peek) ? new AlignofTypeExpr(TypeName(), t.ReportLocation) : Expression();
                Expect(")");
                attrs = attrs.Merge(new LayoutAttributes(e, false));
                continue;
            }
            if (s == "struct" || s == "union")
            {
                if (named is not null || basic is not null) break;
                named = RecordSpecifier();
                any = true;
                continue;
            }
            if (s == "enum")
            {
                if (named is not null || basic is not null) break;
                named = EnumSpecifier();
                any = true;
                continue;
            }
            switch (s)
            {
                case "long": Next(); longs++; any = true; continue;
                case "short": Next(); shorts++; any = true; continue;
                case "signed": case "__signed__": case "__signed": Next(); signedness = 1; any = true; continue;
                case "unsigned": Next(); signedness = 2; any = true; continue;
                case "void": case "char": case "int": case "_Bool": case "float": case "double": case "__int128":
                    if (basic is not null && !(basic == "int" || s == "int"))
                        throw new ParseException($"two base types in one declaration ('{basic}' and '{s}')", t.ReportLocation);
                    if (basic is null || basic == "int") basic = s;
                    Next();
                    any = true;
                    continue;
            }
            if (_typedefNames.Contains(s) && named is null && basic is null && longs == 0 && shorts == 0 && signedness == 0)
            {
                Next();
                named = new TypedefType(s);
                any = true;
                continue;
            }
            break;
        }

        if (!any && named is null)
            throw new ParseException($"expected a declaration but found {Describe(Peek)}", Peek.ReportLocation);
        if (named is not null)
        {
            if (basic is not null || longs > 0 || shorts > 0 || signedness != 0)
                throw new ParseException("a type name cannot be combined with other type specifiers", start.ReportLocation);
            return new Specifiers(Qualify(named, quals), isTypedef, attrs);
        }
        if (basic is null && longs == 0 && shorts == 0 && signedness == 0)
            throw new ParseException("type specifier missing (implicit int is not supported)", start.ReportLocation);
        return new Specifiers(Qualify(new BuiltinType(Combine(basic, longs, shorts, signedness, start)), quals), isTypedef, attrs);
    }

    private static void AddQualifier(List<string> quals, string keyword)
    {
        var q = keyword.Trim('_') switch { "const" => "const", "volatile" => "volatile", _ => null };
        if (q is not null && !quals.Contains(q))
            quals.Add(q);
    }

    private static CType Qualify(CType type, List<string> quals) =>
        quals.Count == 0 ? type : new QualifiedType(type, string.Join(" ", quals));

    private static BuiltinKind Combine(string? basic, int longs, int shorts, int signedness, Token at)
    {
        bool unsigned = signedness == 2;
        switch (basic)
        {
            case "void": return BuiltinKind.Void;
            case "_Bool": return BuiltinKind.Bool;
            case "float": return BuiltinKind.Float;
            case "double": return longs > 0 ? BuiltinKind.LongDouble : BuiltinKind.Double;
            case "char": return signedness == 0 ? BuiltinKind.Char : unsigned ? BuiltinKind.UChar : BuiltinKind.SChar;
            case "__int128": return unsigned ? BuiltinKind.UInt128 : BuiltinKind.Int128;
        }
        if (shorts > 0 && longs > 0)
            throw new ParseException("'short' and 'long' in one type", at.ReportLocation);
        if (shorts > 0) return unsigned ? BuiltinKind.UShort : BuiltinKind.Short;
        if (longs == 1) return unsigned ? BuiltinKind.ULong : BuiltinKind.Long;
        if (longs == 2) return unsigned ? BuiltinKind.ULongLong : BuiltinKind.LongLong;
        if (longs > 2) throw new ParseException("'long long long' is too long", at.ReportLocation);
        return unsigned ? BuiltinKind.UInt : BuiltinKind.Int;
    }

    private CType RecordSpecifier()
    {
        var kw = Next();
        bool isUnion = kw.Text == "union";
        var attrs = Attributes();
        string? tag = null;
        if (Peek.Kind == TokenKind.Identifier && !Peek.Is("__attribute__"))
            tag = Next().Text;
        if (!Peek.Is("{"))
        {
            if (tag is null)
                throw new ParseException($"expected a tag or '{{' after '{kw.Text}'", Peek.ReportLocation);
            return new RecordType(tag, isUnion);
        }
        Next();
        var members = new List<MemberDecl>();
        while (!Accept("}"))
        {
            if (Peek.Kind == TokenKind.EndOfFile)
                throw new ParseException($"unterminated {kw.Text} definition", kw.ReportLocation);
            Member(members);
        }
        attrs = attrs.Merge(Attributes());
        var decl = new RecordDecl(tag, isUnion, members.ToEquatableArray(), attrs, true, kw.ReportLocation);
        if (tag is null)
            return new InlineRecordType(decl);
        if (_recordsByTag.TryGetValue(tag, out var previous))
        {
            if (previous.IsUnion != isUnion)
                throw new ParseException($"'{tag}' defined as both struct and union", kw.ReportLocation);
            throw new ParseException($"redefinition of '{kw.Text} {tag}' (first defined at {previous.Location})", kw.ReportLocation);
        }
        _recordsByTag[tag] = decl;
        _records.Add(decl);
        return new RecordType(tag, isUnion);
    }

    private void Member(List<MemberDecl> members)
    {
        if (Accept(";"))
            return;
        if (IsStaticAssert(Peek))
        {
            StaticAssert();
            return;
        }
        var start = Peek;
        var spec = DeclarationSpecifiers(allowStorage: false);
        if (Accept(";"))
        {
            // A qualifier on an anonymous member (vm_fault's `const struct { ... };`) leaves its layout alone.
            var anonymous = spec.Type is QualifiedType { Inner: InlineRecordType inner } ? inner : spec.Type;
            if (anonymous is InlineRecordType)
                members.Add(new MemberDecl(null, anonymous, null, spec.Attributes, start.ReportLocation));
            else
                Warn("EMU021", "declaration does not declare anything", start.ReportLocation);
            return;
        }
        while (true)
        {
            if (Peek.Is(":"))
            {
                var colon = Next();
                var width = ConditionalExpression();
                members.Add(new MemberDecl(null, spec.Type, width, spec.Attributes.Merge(Attributes()), colon.ReportLocation));
            }
            else
            {
                var d = Declarator(spec.Type, allowAbstract: false);
                Expr? width = null;
                if (Accept(":"))
                    width = ConditionalExpression();
                var attrs = spec.Attributes.Merge(d.Attributes).Merge(Attributes());
                members.Add(new MemberDecl(d.Name, d.Type, width, attrs, d.Location));
            }
            if (Accept(","))
                continue;
            Expect(";");
            return;
        }
    }

    private CType EnumSpecifier()
    {
        var kw = Next();
        var attrs = Attributes();
        string? tag = null;
        if (Peek.Kind == TokenKind.Identifier && !Peek.Is("__attribute__"))
            tag = Next().Text;
        if (!Peek.Is("{"))
        {
            if (tag is null)
                throw new ParseException("expected a tag or '{' after 'enum'", Peek.ReportLocation);
            return new EnumType(tag, null);
        }
        Next();
        var items = new List<Enumerator>();
        while (!Accept("}"))
        {
            var name = Next();
            if (name.Kind != TokenKind.Identifier)
                throw new ParseException($"expected an enumerator name but found {Describe(name)}", name.ReportLocation);
            Attributes();
            Expr? value = null;
            if (Accept("="))
                value = ConditionalExpression();
            items.Add(new Enumerator(name.Text, value, name.ReportLocation));
            if (!Accept(","))
            {
                Expect("}");
                break;
            }
        }
        attrs = attrs.Merge(Attributes());
        var decl = new EnumDecl(tag, items.ToEquatableArray(), attrs.Packed, kw.ReportLocation);
        _enums.Add(decl);
        return new EnumType(tag, tag is null ? decl : null);
    }

    /// <summary>Parses a (possibly abstract) declarator around <paramref name="baseType"/>.</summary>
    private DeclaratorResult Declarator(CType baseType, bool allowAbstract)
    {
        var attrs = LayoutAttributes.None;
        while (Peek.Is("*"))
        {
            Next();
            baseType = new PointerType(baseType);
            var quals = new List<string>();
            while (Peek.Kind == TokenKind.Identifier && (Qualifiers.Contains(Peek.Text) || Peek.Is("__attribute__")))
            {
                if (Peek.Is("__attribute__")) attrs = attrs.Merge(Attributes());
                else AddQualifier(quals, Next().Text);
            }
            baseType = Qualify(baseType, quals);
        }
        attrs = attrs.Merge(Attributes());

        if (Peek.Is("(") && IsNestedDeclaratorStart(PeekAt(1)))
        {
            // T (*name)(params): parse the suffix first, then the inner declarator around it.
            var open = Next();
            int innerStart = _pos;
            int depth = 1;
            while (depth > 0)
            {
                var t = Next();
                if (t.Kind == TokenKind.EndOfFile) throw new ParseException("unbalanced '(' in declarator", open.ReportLocation);
                if (t.Is("(")) depth++;
                else if (t.Is(")")) depth--;
            }
            var outer = TypeSuffix(baseType);
            int resume = _pos;
            _pos = innerStart;
            var inner = Declarator(outer, allowAbstract);
            Expect(")");
            _pos = resume;
            return inner with { Attributes = attrs.Merge(inner.Attributes) };
        }

        string? name = null;
        var location = Peek.ReportLocation;
        if (Peek.Kind == TokenKind.Identifier && !IsReservedWord(Peek.Text))
            name = Next().Text;
        else if (!allowAbstract)
            throw new ParseException($"expected a name but found {Describe(Peek)}", Peek.ReportLocation);
        var type = TypeSuffix(baseType);
        return new DeclaratorResult(name, type, attrs.Merge(Attributes()), location);
    }

    private bool IsNestedDeclaratorStart(Token t) =>
        t.Is("*") || t.Is("(") || t.Is("^") ||
        (t.Kind == TokenKind.Identifier && !IsTypeStart(t) && !t.Is("void"));

    private static bool IsReservedWord(string s) => TypeKeywords.Contains(s) || Qualifiers.Contains(s) || s == "typedef";

    private CType TypeSuffix(CType type)
    {
        if (Peek.Is("("))
        {
            var parameters = ParameterList(out bool variadic);
            return new FunctionType(type, parameters.ToEquatableArray(), variadic);
        }
        if (Peek.Is("["))
        {
            Next();
            while (Peek.Is("static") || Qualifiers.Contains(Peek.Text)) Next();
            Expr? length = Peek.Is("]") ? null : ConditionalExpression();
            Expect("]");
            var element = TypeSuffix(type);
            return new ArrayType(element, length);
        }
        return type;
    }

    private List<CType> ParameterList(out bool variadic)
    {
        Expect("(");
        var result = new List<CType>();
        variadic = false;
        if (Accept(")"))
            return result;
        if (Peek.Is("void") && PeekAt(1).Is(")"))
        {
            Next();
            Next();
            return result;
        }
        while (true)
        {
            if (Accept("..."))
            {
                variadic = true;
                Expect(")");
                return result;
            }
            var spec = DeclarationSpecifiers(allowStorage: true);
            var d = Declarator(spec.Type, allowAbstract: true);
            result.Add(d.Type);
            if (Accept(","))
                continue;
            Expect(")");
            return result;
        }
    }

    /// <summary>A type name, as in casts and sizeof.</summary>
    private CType TypeName()
    {
        var spec = DeclarationSpecifiers(allowStorage: false);
        return Declarator(spec.Type, allowAbstract: true).Type;
    }

    /// <summary>Any number of <c>__attribute__((...))</c>; keeps aligned and packed, warns on unknown ones.</summary>
    private LayoutAttributes Attributes()
    {
        var result = LayoutAttributes.None;
        while (Peek.Is("__attribute__") || Peek.Is("__attribute"))
        {
            Next();
            Expect("(");
            Expect("(");
            while (!Peek.Is(")"))
            {
                var nameTok = Next();
                if (nameTok.Kind != TokenKind.Identifier)
                    throw new ParseException($"expected an attribute name but found {Describe(nameTok)}", nameTok.ReportLocation);
                var name = nameTok.Text.Length > 4 && nameTok.Text.StartsWith("__") && nameTok.Text.EndsWith("__")
                    ? nameTok.Text.Substring(2, nameTok.Text.Length - 4)
                    : nameTok.Text;
                if (name == "aligned")
                {
                    Expr value = new IdentifierExpr("__BIGGEST_ALIGNMENT__", nameTok.ReportLocation);
                    if (Accept("("))
                    {
                        value = AssignmentExpression();
                        Expect(")");
                    }
                    result = result.Merge(new LayoutAttributes(value, false));
                }
                else if (name == "packed")
                {
                    result = result.Merge(new LayoutAttributes(null, true));
                }
                else
                {
                    if (!HarmlessAttributes.Contains(name))
                        Warn("EMU011", $"attribute '{nameTok.Text}' ignored: it is not modelled and may change the layout", nameTok.ReportLocation);
                    if (Peek.Is("("))
                        SkipBalanced("(", ")");
                }
                if (!Accept(","))
                    break;
            }
            Expect(")");
            Expect(")");
        }
        return result;
    }
}
