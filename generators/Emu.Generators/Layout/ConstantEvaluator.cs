using System;
using Emu.Generators.Model;

namespace Emu.Generators.Layout;

/// <summary>An integer value with its C type (width in bits and signedness).</summary>
internal readonly struct CValue
{
    public CValue(ulong bits, int width, bool unsigned, int rank)
    {
        Width = width;
        Unsigned = unsigned;
        Rank = rank;
        Bits = Normalize(bits, width, unsigned);
    }

    public ulong Bits { get; }
    public int Width { get; }
    public bool Unsigned { get; }

    /// <summary>Conversion rank: 1 int, 2 long, 3 long long (long before long long at equal width).</summary>
    public int Rank { get; }

    public long Signed => (long)Bits;
    public bool IsZero => Bits == 0;

    /// <summary>Sign- or zero-extends the low <paramref name="width"/> bits to 64.</summary>
    public static ulong Normalize(ulong bits, int width, bool unsigned)
    {
        if (width >= 64) return bits;
        ulong mask = (1UL << width) - 1;
        bits &= mask;
        if (!unsigned && (bits & (1UL << (width - 1))) != 0)
            bits |= ~mask;
        return bits;
    }

    public static CValue Int(long v) => new((ulong)v, 32, false, 1);

    public override string ToString() => Unsigned ? Bits.ToString() : Signed.ToString();
}

/// <summary>An expression that is not a constant, with where and why.</summary>
internal sealed class EvalException : Exception
{
    public EvalException(string message, SourceLocation location) : base(message) => Location = location;
    public SourceLocation Location { get; }
}

/// <summary>What constant evaluation needs from the layout engine.</summary>
internal interface ILayoutContext
{
    AbiInfo Abi { get; }
    (long Size, int Align) SizeAlign(CType type, SourceLocation at);
    long OffsetOf(CType type, EquatableArray<Designator> path, SourceLocation at);
    CType MemberType(CType record, string member, SourceLocation at);
    CValue? Enumerator(string name);

    /// <summary>Follows typedefs to the underlying type.</summary>
    CType Resolve(CType type);
}

/// <summary>Evaluates C integer constant expressions with C's types and conversions (C11 6.6).</summary>
internal sealed class ConstantEvaluator
{
    private readonly ILayoutContext? _context;
    private readonly int _longBits;
    private readonly bool _preprocessor;

    private ConstantEvaluator(ILayoutContext? context, bool preprocessor)
    {
        _context = context;
        _preprocessor = preprocessor;
        _longBits = context?.Abi.LongBits ?? 64;
    }

    public static ConstantEvaluator For(ILayoutContext context) => new(context, preprocessor: false);

    /// <summary>#if arithmetic: every value is intmax_t or uintmax_t (C11 6.10.1p4).</summary>
    public static long EvaluatePreprocessor(Expr expr, out (string message, SourceLocation location)? error)
    {
        error = null;
        try
        {
            return new ConstantEvaluator(null, preprocessor: true).Evaluate(expr).Signed;
        }
        catch (EvalException ex)
        {
            error = (ex.Message, ex.Location);
            return 0;
        }
    }

    public CValue Evaluate(Expr expr)
    {
        switch (expr)
        {
            case IntLiteral lit: return Literal(lit);
            case IdentifierExpr id: return Identifier(id);
            case UnaryExpr u: return Unary(u);
            case BinaryExpr b: return Binary(b);
            case ConditionalExpr c:
            {
                var cond = Evaluate(c.Condition);
                var t = Evaluate(c.WhenTrue);
                var f = Evaluate(c.WhenFalse);
                var (w, uns, rank) = Common(t, f);
                var chosen = cond.IsZero ? f : t;
                return new CValue(chosen.Bits, w, uns, rank);
            }
            case CastExpr cast: return Cast(cast.Type, Evaluate(cast.Operand), cast.Location);
            case SizeofTypeExpr s: return SizeT(Context(s).SizeAlign(s.Type, s.Location).Size);
            case SizeofValueExpr s: return SizeT(Context(s).SizeAlign(TypeOf(s.Operand), s.Location).Size);
            case AlignofTypeExpr a: return SizeT(Context(a).SizeAlign(a.Type, a.Location).Align);
            case OffsetofExpr o: return SizeT(Context(o).OffsetOf(o.Type, o.Path, o.Location));
            case CallExpr call:
                throw new EvalException($"'{call.Callee}(...)' is not a constant expression (function-like macro not defined?)", call.Location);
            default:
                throw new EvalException("not an integer constant expression", expr.Location);
        }
    }

    private ILayoutContext Context(Expr at) =>
        _context ?? throw new EvalException("sizeof/_Alignof/offsetof cannot be used in a preprocessor expression", at.Location);

    private CValue SizeT(long v) => new((ulong)v, _preprocessor ? 64 : _longBits, true, 2);

    private CValue Literal(IntLiteral lit)
    {
        if (_preprocessor)
            return new CValue(lit.Value, 64, lit.Unsigned || lit.Value > long.MaxValue, 3);
        // C11 6.4.4.1: the first type of the list that can represent the value.
        var candidates = new (int width, bool unsigned, int rank)[]
        {
            (32, false, 1), (32, true, 1), (_longBits, false, 2), (_longBits, true, 2), (64, false, 3), (64, true, 3),
        };
        foreach (var (width, unsigned, rank) in candidates)
        {
            if (lit.LongCount == 1 && rank < 2) continue;
            if (lit.LongCount == 2 && rank < 3) continue;
            if (lit.Unsigned && !unsigned) continue;
            if (!lit.Unsigned && unsigned && lit.Decimal) continue;
            ulong max = unsigned ? (width == 64 ? ulong.MaxValue : (1UL << width) - 1) : (1UL << (width - 1)) - 1;
            if (lit.Value <= max)
                return new CValue(lit.Value, width, unsigned, rank);
        }
        throw new EvalException("integer constant is too large for its type", lit.Location);
    }

    private CValue Identifier(IdentifierExpr id)
    {
        if (_context?.Enumerator(id.Name) is CValue v)
            return v;
        if (id.Name == "__BIGGEST_ALIGNMENT__" && _context is not null)
            return CValue.Int(_context.Abi.BiggestAlignment);
        throw new EvalException($"'{id.Name}' is not a constant (undeclared identifier or unknown macro)", id.Location);
    }

    private CValue Unary(UnaryExpr u)
    {
        if (u.Op == "&" || u.Op == "*")
            throw new EvalException($"unary '{u.Op}' is only allowed inside sizeof or offsetof", u.Location);
        var v = Promote(Evaluate(u.Operand));
        return u.Op switch
        {
            "-" => new CValue(unchecked(0UL - v.Bits), v.Width, v.Unsigned, v.Rank),
            "+" => v,
            "~" => new CValue(~v.Bits, v.Width, v.Unsigned, v.Rank),
            "!" => Bool(v.IsZero),
            _ => throw new EvalException($"unsupported operator '{u.Op}'", u.Location),
        };
    }

    private CValue Bool(bool b) => _preprocessor ? new CValue(b ? 1UL : 0UL, 64, false, 3) : CValue.Int(b ? 1 : 0);

    private CValue Promote(CValue v) => v.Width < 32 ? CValue.Int(v.Signed) : v;

    private (int width, bool unsigned, int rank) Common(CValue a, CValue b)
    {
        a = Promote(a);
        b = Promote(b);
        if (a.Unsigned == b.Unsigned)
            return Higher(a, b);
        var (u, s) = a.Unsigned ? (a, b) : (b, a);
        if (u.Width >= s.Width) return (u.Width, true, Math.Max(u.Rank, s.Rank));
        return (s.Width, false, s.Rank);
    }

    private static (int, bool, int) Higher(CValue a, CValue b) =>
        a.Width > b.Width || (a.Width == b.Width && a.Rank >= b.Rank) ? (a.Width, a.Unsigned, a.Rank) : (b.Width, b.Unsigned, b.Rank);

    private CValue Binary(BinaryExpr b)
    {
        if (b.Op == "&&")
        {
            var l = Evaluate(b.Left);
            return l.IsZero ? Bool(false) : Bool(!Evaluate(b.Right).IsZero);
        }
        if (b.Op == "||")
        {
            var l = Evaluate(b.Left);
            return !l.IsZero ? Bool(true) : Bool(!Evaluate(b.Right).IsZero);
        }
        if (b.Op == ",")
        {
            Evaluate(b.Left);
            return Evaluate(b.Right);
        }
        var left = Evaluate(b.Left);
        var right = Evaluate(b.Right);
        if (b.Op == "<<" || b.Op == ">>")
        {
            var pl = Promote(left);
            var count = right.Unsigned ? right.Bits : (ulong)right.Signed;
            if (!right.Unsigned && right.Signed < 0 || count >= (ulong)pl.Width)
                throw new EvalException($"shift count {right} is negative or not less than the width of the type ({pl.Width})", b.Location);
            int n = (int)count;
            ulong bits = b.Op == "<<" ? pl.Bits << n : pl.Unsigned ? (pl.Bits & Mask(pl.Width)) >> n : (ulong)(pl.Signed >> n);
            return new CValue(bits, pl.Width, pl.Unsigned, pl.Rank);
        }
        var (width, unsigned, rank) = Common(left, right);
        var x = new CValue(left.Bits, width, unsigned, rank);
        var y = new CValue(right.Bits, width, unsigned, rank);
        ulong ux = x.Bits & Mask(width), uy = y.Bits & Mask(width);
        long sx = x.Signed, sy = y.Signed;
        switch (b.Op)
        {
            case "+": return new CValue(unchecked(x.Bits + y.Bits), width, unsigned, rank);
            case "-": return new CValue(unchecked(x.Bits - y.Bits), width, unsigned, rank);
            case "*": return new CValue(unchecked(x.Bits * y.Bits), width, unsigned, rank);
            case "/":
            case "%":
                if (uy == 0)
                    throw new EvalException("division by zero in constant expression", b.Location);
                if (unsigned)
                    return new CValue(b.Op == "/" ? ux / uy : ux % uy, width, true, rank);
                if (sy == -1)
                    return new CValue(b.Op == "/" ? unchecked(0UL - x.Bits) : 0, width, false, rank);
                return new CValue((ulong)(b.Op == "/" ? sx / sy : sx % sy), width, false, rank);
            case "&": return new CValue(x.Bits & y.Bits, width, unsigned, rank);
            case "|": return new CValue(x.Bits | y.Bits, width, unsigned, rank);
            case "^": return new CValue(x.Bits ^ y.Bits, width, unsigned, rank);
            case "==": return Bool(ux == uy);
            case "!=": return Bool(ux != uy);
            case "<": return Bool(unsigned ? ux < uy : sx < sy);
            case ">": return Bool(unsigned ? ux > uy : sx > sy);
            case "<=": return Bool(unsigned ? ux <= uy : sx <= sy);
            case ">=": return Bool(unsigned ? ux >= uy : sx >= sy);
        }
        throw new EvalException($"unsupported operator '{b.Op}'", b.Location);
    }

    private static ulong Mask(int width) => width >= 64 ? ulong.MaxValue : (1UL << width) - 1;

    private CValue Cast(CType type, CValue v, SourceLocation at)
    {
        var ctx = _context ?? throw new EvalException("casts cannot be used in a preprocessor expression", at);
        var resolved = ctx.Resolve(type);
        switch (resolved)
        {
            case PointerType:
                return new CValue(v.Bits, ctx.Abi.PointerSize * 8, true, 2);
            case EnumType:
                return new CValue(v.Bits, 32, false, 1);
            case BuiltinType bt:
                switch (bt.Kind)
                {
                    case BuiltinKind.Bool: return CValue.Int(v.IsZero ? 0 : 1);
                    case BuiltinKind.Void: return v;
                    case BuiltinKind.Float:
                    case BuiltinKind.Double:
                    case BuiltinKind.LongDouble:
                        throw new EvalException("floating types are not supported in constant expressions", at);
                }
                var (size, _) = ctx.SizeAlign(bt, at);
                bool unsigned = bt.Kind switch
                {
                    BuiltinKind.UChar or BuiltinKind.UShort or BuiltinKind.UInt or BuiltinKind.ULong or BuiltinKind.ULongLong or BuiltinKind.UInt128 => true,
                    BuiltinKind.Char => !ctx.Abi.CharSigned,
                    _ => false,
                };
                int rank = bt.Kind is BuiltinKind.Long or BuiltinKind.ULong ? 2 : bt.Kind is BuiltinKind.LongLong or BuiltinKind.ULongLong ? 3 : 1;
                return new CValue(v.Bits, (int)Math.Min(64, size * 8), unsigned, rank);
        }
        throw new EvalException("cast to a non-scalar type in a constant expression", at);
    }

    /// <summary>The type of an operand of sizeof: the forms <c>sizeof_field</c> and friends use.</summary>
    private CType TypeOf(Expr e)
    {
        var ctx = Context(e);
        switch (e)
        {
            case CastExpr c: return c.Type;
            case MemberExpr m:
            {
                var target = ctx.Resolve(TypeOf(m.Target));
                if (m.Arrow)
                {
                    if (target is not PointerType p)
                        throw new EvalException($"'->{m.Member}' applied to a non-pointer", m.Location);
                    target = p.Target;
                }
                return ctx.MemberType(target, m.Member, m.Location);
            }
            case IndexExpr ix:
            {
                var target = ctx.Resolve(TypeOf(ix.Target));
                return target switch
                {
                    ArrayType a => a.Element,
                    PointerType p => p.Target,
                    _ => throw new EvalException("subscript of a non-array", ix.Location),
                };
            }
            case UnaryExpr { Op: "*" } d:
                return ctx.Resolve(TypeOf(d.Operand)) is PointerType pt ? pt.Target : throw new EvalException("dereference of a non-pointer", d.Location);
            case UnaryExpr { Op: "&" } a:
                return new PointerType(TypeOf(a.Operand));
            default:
            {
                var v = Evaluate(e);
                return new BuiltinType(v.Width == 32 ? (v.Unsigned ? BuiltinKind.UInt : BuiltinKind.Int) : (v.Unsigned ? BuiltinKind.ULongLong : BuiltinKind.LongLong));
            }
        }
    }
}
