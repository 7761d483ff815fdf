using System.Collections.Generic;
using System.Globalization;
using Emu.Generators.Model;

namespace Emu.Generators.CHeaders;

internal sealed partial class Parser
{
    private static readonly Dictionary<string, int> BinaryPrecedence = new()
    {
        ["||"] = 1, ["&&"] = 2, ["|"] = 3, ["^"] = 4, ["&"] = 5,
        ["=="] = 6, ["!="] = 6, ["<"] = 7, [">"] = 7, ["<="] = 7, [">="] = 7,
        ["<<"] = 8, [">>"] = 8, ["+"] = 9, ["-"] = 9, ["*"] = 10, ["/"] = 10, ["%"] = 10,
    };

    private Expr Expression()
    {
        var e = AssignmentExpression();
        while (Peek.Is(","))
        {
            var op = Next();
            e = new BinaryExpr(",", e, AssignmentExpression(), op.ReportLocation);
        }
        return e;
    }

    // Constant expressions have no assignments; the name keeps the C grammar recognisable.
    private Expr AssignmentExpression() => ConditionalExpression();

    private Expr ConditionalExpression()
    {
        var cond = Binary(1);
        if (!Peek.Is("?"))
            return cond;
        var q = Next();
        var whenTrue = Expression();
        Expect(":");
        var whenFalse = ConditionalExpression();
        return new ConditionalExpr(cond, whenTrue, whenFalse, q.ReportLocation);
    }

    private Expr Binary(int minPrecedence)
    {
        var left = Unary();
        while (Peek.Kind == TokenKind.Punct && BinaryPrecedence.TryGetValue(Peek.Text, out int prec) && prec >= minPrecedence)
        {
            var op = Next();
            var right = Binary(prec + 1);
            left = new BinaryExpr(op.Text, left, right, op.ReportLocation);
        }
        return left;
    }

    private Expr Unary()
    {
        var t = Peek;
        if (t.Kind == TokenKind.Punct && (t.Text == "-" || t.Text == "+" || t.Text == "~" || t.Text == "!" || t.Text == "&" || t.Text == "*"))
        {
            Next();
            return new UnaryExpr(t.Text, Unary(), t.ReportLocation);
        }
        if (t.Is("sizeof"))
        {
            Next();
            if (Peek.Is("(") && IsTypeStart(PeekAt(1)))
            {
                Next();
                var type = TypeName();
                Expect(")");
                return new SizeofTypeExpr(type, t.ReportLocation);
            }
            return new SizeofValueExpr(Unary(), t.ReportLocation);
        }
        if (t.Is("_Alignof") || t.Is("__alignof__") || t.Is("__alignof") || t.Is("alignof"))
        {
            Next();
            Expect("(");
            var type = TypeName();
            Expect(")");
            return new AlignofTypeExpr(type, t.ReportLocation);
        }
        if (t.Is("(") && IsTypeStart(PeekAt(1)))
        {
            Next();
            var type = TypeName();
            Expect(")");
            return new CastExpr(type, Unary(), t.ReportLocation);
        }
        return Postfix(Primary());
    }

    private Expr Postfix(Expr e)
    {
        while (true)
        {
            var t = Peek;
            if (t.Is("["))
            {
                Next();
                var index = Expression();
                Expect("]");
                e = new IndexExpr(e, index, t.ReportLocation);
            }
            else if (t.Is(".") || t.Is("->"))
            {
                Next();
                var member = Next();
                if (member.Kind != TokenKind.Identifier)
                    throw new ParseException($"expected a member name after '{t.Text}'", member.ReportLocation);
                e = new MemberExpr(e, member.Text, t.Text == "->", t.ReportLocation);
            }
            else if (t.Is("(") && e is IdentifierExpr callee)
            {
                Next();
                var args = new List<Expr>();
                if (!Accept(")"))
                {
                    do args.Add(AssignmentExpression());
                    while (Accept(","));
                    Expect(")");
                }
                e = new CallExpr(callee.Name, args.ToEquatableArray(), callee.Location);
            }
            else
            {
                return e;
            }
        }
    }

    private Expr Primary()
    {
        var t = Next();
        switch (t.Kind)
        {
            case TokenKind.Number:
                return NumberLiteral(t);
            case TokenKind.Char:
                return new IntLiteral((ulong)(long)CharValue(t), false, 0, true, t.ReportLocation);
            case TokenKind.Identifier when t.Text == "__builtin_offsetof" || t.Text == "offsetof":
                return Offsetof(t);
            case TokenKind.Identifier:
                return new IdentifierExpr(t.Text, t.ReportLocation);
            case TokenKind.Punct when t.Text == "(":
                var inner = Expression();
                Expect(")");
                return inner;
        }
        throw new ParseException($"expected an expression but found {Describe(t)}", t.ReportLocation);
    }

    private Expr Offsetof(Token kw)
    {
        Expect("(");
        var type = TypeName();
        Expect(",");
        var path = new List<Designator>();
        var first = Next();
        if (first.Kind != TokenKind.Identifier)
            throw new ParseException("expected a member name in offsetof", first.ReportLocation);
        path.Add(new Designator(first.Text, null));
        while (!Accept(")"))
        {
            if (Accept("."))
            {
                var m = Next();
                if (m.Kind != TokenKind.Identifier)
                    throw new ParseException("expected a member name in offsetof", m.ReportLocation);
                path.Add(new Designator(m.Text, null));
            }
            else if (Accept("["))
            {
                path.Add(new Designator(null, Expression()));
                Expect("]");
            }
            else
            {
                throw new ParseException($"unexpected {Describe(Peek)} in offsetof designator", Peek.ReportLocation);
            }
        }
        return new OffsetofExpr(type, path.ToEquatableArray(), kw.ReportLocation);
    }

    private static IntLiteral NumberLiteral(Token t)
    {
        var s = t.Text;
        int end = s.Length;
        bool unsigned = false;
        int longs = 0;
        while (end > 0)
        {
            char c = char.ToLowerInvariant(s[end - 1]);
            if (c == 'u' && !unsigned) { unsigned = true; end--; }
            else if (c == 'l') { longs++; end--; }
            else break;
        }
        var digits = s.Substring(0, end);
        ulong value;
        bool ok;
        bool isDecimal = false;
        if (digits.StartsWith("0x") || digits.StartsWith("0X"))
            ok = ulong.TryParse(digits.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && digits.Length > 2;
        else if (digits.StartsWith("0b") || digits.StartsWith("0B"))
            ok = TryParseBase(digits.Substring(2), 2, out value) && digits.Length > 2;
        else if (digits.Length > 1 && digits[0] == '0')
            ok = TryParseBase(digits.Substring(1), 8, out value);
        else
        {
            ok = ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
            isDecimal = true;
        }
        if (!ok || longs > 2)
            throw new ParseException($"invalid integer constant '{s}'", t.ReportLocation);
        return new IntLiteral(value, unsigned, longs, isDecimal, t.ReportLocation);
    }

    private static bool TryParseBase(string digits, int radix, out ulong value)
    {
        value = 0;
        foreach (var c in digits)
        {
            int d = c - '0';
            if (d < 0 || d >= radix) return false;
            ulong next = unchecked(value * (ulong)radix + (ulong)d);
            if (next / (ulong)radix != value) return false;
            value = next;
        }
        return true;
    }

    private static int CharValue(Token t)
    {
        var s = t.Text;
        int q = s.IndexOf('\'');
        var body = s.Substring(q + 1, s.Length - q - 2);
        if (body.Length == 0)
            throw new ParseException("empty character constant", t.ReportLocation);
        if (body[0] != '\\')
            return (sbyte)body[0];
        if (body.Length < 2)
            throw new ParseException("invalid escape in character constant", t.ReportLocation);
        switch (body[1])
        {
            case 'n': return 10;
            case 't': return 9;
            case 'r': return 13;
            case 'a': return 7;
            case 'b': return 8;
            case 'f': return 12;
            case 'v': return 11;
            case 'x':
                if (int.TryParse(body.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int hex))
                    return (sbyte)hex;
                break;
            default:
                if (body[1] >= '0' && body[1] <= '7' && TryParseBase(body.Substring(1), 8, out var oct))
                    return (sbyte)oct;
                return (sbyte)body[1];
        }
        throw new ParseException("invalid escape in character constant", t.ReportLocation);
    }
}
