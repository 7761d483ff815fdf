namespace Emu.Generators.Model;

/// <summary>A C constant expression (enum values, array lengths, bitfield widths, static_assert).</summary>
internal abstract record Expr(SourceLocation Location);

/// <summary>An integer literal; <see cref="LongCount"/> counts its L suffixes.</summary>
internal sealed record IntLiteral(ulong Value, bool Unsigned, int LongCount, bool Decimal, SourceLocation Location) : Expr(Location);

internal sealed record IdentifierExpr(string Name, SourceLocation Location) : Expr(Location);

internal sealed record UnaryExpr(string Op, Expr Operand, SourceLocation Location) : Expr(Location);

internal sealed record BinaryExpr(string Op, Expr Left, Expr Right, SourceLocation Location) : Expr(Location);

internal sealed record ConditionalExpr(Expr Condition, Expr WhenTrue, Expr WhenFalse, SourceLocation Location) : Expr(Location);

internal sealed record CastExpr(CType Type, Expr Operand, SourceLocation Location) : Expr(Location);

internal sealed record SizeofTypeExpr(CType Type, SourceLocation Location) : Expr(Location);

internal sealed record SizeofValueExpr(Expr Operand, SourceLocation Location) : Expr(Location);

internal sealed record AlignofTypeExpr(CType Type, SourceLocation Location) : Expr(Location);

/// <summary>One step of an offsetof designator: <c>.member</c> or <c>[index]</c>.</summary>
internal sealed record Designator(string? Member, Expr? Index);

internal sealed record OffsetofExpr(CType Type, EquatableArray<Designator> Path, SourceLocation Location) : Expr(Location);

internal sealed record MemberExpr(Expr Target, string Member, bool Arrow, SourceLocation Location) : Expr(Location);

internal sealed record IndexExpr(Expr Target, Expr Index, SourceLocation Location) : Expr(Location);

/// <summary>A call: never a constant; kept so the evaluator can say so at the right place.</summary>
internal sealed record CallExpr(string Callee, EquatableArray<Expr> Arguments, SourceLocation Location) : Expr(Location);
