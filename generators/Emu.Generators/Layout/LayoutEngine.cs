using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Emu.Generators.Model;

namespace Emu.Generators.Layout;

/// <summary>
/// Lays out the headers' structs and unions for one ABI as GCC does on Linux (System V i386 and
/// x86_64, AAPCS and AAPCS64 — all follow GCC's PCC_BITFIELD_TYPE_MATTERS rules), evaluates
/// enum values and the headers' static assertions.
/// </summary>
internal sealed partial class LayoutEngine : ILayoutContext
{
    private readonly HeaderProgram _program;
    private readonly List<HeaderDiagnostic> _diagnostics = new();
    private readonly Dictionary<string, RecordDecl> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TypedefDecl> _typedefs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EnumDecl> _enumsByTag = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (EnumDecl Enum, int Index)> _enumerators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CValue> _enumeratorValues = new(StringComparer.Ordinal);
    private readonly HashSet<string> _evaluating = new(StringComparer.Ordinal);
    private readonly Dictionary<RecordDecl, RecordLayout> _layouts = new(ReferenceComparer.Instance);
    private readonly HashSet<RecordDecl> _inProgress = new(ReferenceComparer.Instance);
    private readonly ConstantEvaluator _eval;

    public LayoutEngine(HeaderProgram program, AbiInfo abi)
    {
        _program = program;
        Abi = abi;
        _eval = ConstantEvaluator.For(this);
        foreach (var r in program.Records)
            if (r.Tag is not null && r.IsComplete)
                _records[r.Tag] = r;
        foreach (var t in program.Typedefs)
        {
            if (_typedefs.TryGetValue(t.Name, out var previous) && previous.Type != t.Type)
                Report("EMU034", $"typedef '{t.Name}' redefined with a different type (first at {previous.Location})", t.Location);
            _typedefs[t.Name] = t;
        }
        foreach (var e in program.Enums)
        {
            if (e.Tag is not null)
                _enumsByTag[e.Tag] = e;
            for (int i = 0; i < e.Enumerators.Count; i++)
                _enumerators[e.Enumerators[i].Name] = (e, i);
        }
    }

    public AbiInfo Abi { get; }

    /// <summary>Lays out every type, evaluates constants and static assertions.</summary>
    public LayoutSet Run()
    {
        var types = new List<TypeLayoutModel>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in _program.Records)
            if (r.Tag is not null && r.IsComplete && names.Add(r.Tag))
                Guard(r.Location, () => types.Add(BuildModel(r, r.Tag, false)));
        foreach (var t in _program.Typedefs)
        {
            if (t.Type is not InlineRecordType inline)
                continue;
            // C11 allows repeating a typedef; each type is emitted once, under one name.
            if (!names.Add(t.Name))
            {
                if (_records.ContainsKey(t.Name))
                    Report("EMU034", $"typedef '{t.Name}' has the name of a struct/union tag; C# cannot hold both", t.Location);
                continue;
            }
            Guard(t.Location, () => types.Add(BuildModel(inline.Declaration, t.Name, true)));
        }
        foreach (var a in _program.StaticAsserts)
            Guard(a.Location, () => CheckAssert(a));
        var constants = Constants();
        return new LayoutSet(Abi.Name, types.ToEquatableArray(), constants.ToEquatableArray(), _diagnostics.ToEquatableArray());
    }

    private void CheckAssert(StaticAssertDecl a)
    {
        var v = _eval.Evaluate(a.Condition);
        if (v.IsZero)
        {
            var what = a.Message.Length > 0 && a.Message != a.Text ? $"\"{a.Message}\" ({a.Text})" : a.Text;
            Report("EMU030", $"static assertion failed on {AbiDisplay}: {what}", a.Location);
        }
    }

    private string AbiDisplay => Abi.Name.ToLowerInvariant();

    private void Guard(SourceLocation at, Action action)
    {
        try
        {
            action();
        }
        catch (EvalException ex)
        {
            Report("EMU031", $"{ex.Message} (on {AbiDisplay})", ex.Location.IsNone ? at : ex.Location);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Report("EMU099", $"internal error laying out this declaration: {ex.GetType().Name}: {ex.Message}", at);
        }
    }

    private void Report(string id, string message, SourceLocation at)
    {
        var d = new HeaderDiagnostic(id, message, at, true);
        if (!_diagnostics.Contains(d))
            _diagnostics.Add(d);
    }

    // ---- ILayoutContext ---------------------------------------------------------------------

    public CType Resolve(CType type)
    {
        int guard = 0;
        while (type is TypedefType || type is QualifiedType)
        {
            if (type is QualifiedType q)
            {
                type = q.Inner;
                continue;
            }
            var t = (TypedefType)type;
            if (!_typedefs.TryGetValue(t.Name, out var decl))
                throw new EvalException($"unknown type '{t.Name}'", SourceLocation.None);
            if (++guard > 100)
                throw new EvalException($"typedef '{t.Name}' refers to itself", decl.Location);
            type = decl.Type;
        }
        return type;
    }

    public (long Size, int Align) SizeAlign(CType type, SourceLocation at)
    {
        switch (type)
        {
            case BuiltinType b:
                var info = Abi.Builtin(b.Kind) ?? throw new EvalException($"'{CTypePrinter.BuiltinName(b.Kind)}' does not exist on {AbiDisplay}", at);
                return info;
            case PointerType:
                return (Abi.PointerSize, Abi.PointerSize);
            case QualifiedType q:
                return SizeAlign(q.Inner, at);
            case ArrayType a:
            {
                var (size, align) = SizeAlign(a.Element, at);
                if (a.Length is null)
                    return (0, align);
                var n = _eval.Evaluate(a.Length);
                if (!n.Unsigned && n.Signed < 0)
                    throw new EvalException($"array length {n.Signed} is negative", a.Length.Location);
                return (checked(size * (long)n.Bits), align);
            }
            case FunctionType:
                throw new EvalException("a function type has no size", at);
            case TypedefType t:
            {
                if (!_typedefs.TryGetValue(t.Name, out var decl))
                    throw new EvalException($"unknown type '{t.Name}'", at);
                if (!_evaluating.Add("typedef " + t.Name))
                    throw new EvalException($"typedef '{t.Name}' refers to itself", decl.Location);
                try
                {
                    var (size, align) = SizeAlign(decl.Type, decl.Location);
                    // GCC lets aligned() on a typedef lower the alignment as well as raise it.
                    if (decl.Attributes.Aligned is not null)
                        align = AlignValue(decl.Attributes.Aligned);
                    return (size, align);
                }
                finally
                {
                    _evaluating.Remove("typedef " + t.Name);
                }
            }
            case RecordType r:
            {
                if (!_records.TryGetValue(r.Tag, out var decl))
                    throw new EvalException($"incomplete type '{(r.IsUnion ? "union" : "struct")} {r.Tag}' (never defined in headers/)", at);
                var l = Layout(decl);
                return (l.Size, l.Align);
            }
            case InlineRecordType i:
            {
                var l = Layout(i.Declaration);
                return (l.Size, l.Align);
            }
            case EnumType e:
                return EnumSizeAlign(e, at);
        }
        throw new EvalException("unsupported type", at);
    }

    public CType MemberType(CType record, string member, SourceLocation at)
    {
        var decl = RecordOf(record, at);
        var found = FindMember(decl, member, 0) ?? throw new EvalException($"no member named '{member}' in {Describe(decl)}", at);
        return found.Member.Type;
    }

    public long OffsetOf(CType type, EquatableArray<Designator> path, SourceLocation at)
    {
        long bits = 0;
        var current = type;
        foreach (var step in path)
        {
            if (step.Member is not null)
            {
                var decl = RecordOf(current, at);
                var found = FindMember(decl, step.Member, 0) ?? throw new EvalException($"no member named '{step.Member}' in {Describe(decl)}", at);
                if (found.Member.BitWidth is not null)
                    throw new EvalException($"offsetof a bitfield ('{step.Member}')", at);
                bits += found.BitOffset;
                current = found.Member.Type;
            }
            else
            {
                var resolved = Resolve(current);
                if (resolved is not ArrayType a)
                    throw new EvalException("subscript of a non-array in offsetof", at);
                var index = _eval.Evaluate(step.Index!);
                bits += SizeAlign(a.Element, at).Size * 8 * index.Signed;
                current = a.Element;
            }
        }
        return bits / 8;
    }

    public CValue? Enumerator(string name)
    {
        if (_enumeratorValues.TryGetValue(name, out var v))
            return v;
        if (!_enumerators.TryGetValue(name, out var entry))
            return null;
        if (!_evaluating.Add(name))
            throw new EvalException($"enumerator '{name}' depends on itself", entry.Enum.Enumerators[entry.Index].Location);
        try
        {
            var item = entry.Enum.Enumerators[entry.Index];
            long value;
            if (item.Value is not null)
                value = _eval.Evaluate(item.Value).Signed;
            else if (entry.Index == 0)
                value = 0;
            else
                value = Enumerator(entry.Enum.Enumerators[entry.Index - 1].Name)!.Value.Signed + 1;
            // C: an enumerator is an int when it fits (GCC widens otherwise).
            v = value >= int.MinValue && value <= int.MaxValue ? CValue.Int(value)
                : value >= 0 && value <= uint.MaxValue ? new CValue((ulong)value, 32, true, 1)
                : new CValue((ulong)value, 64, false, 3);
            _enumeratorValues[name] = v;
            return v;
        }
        finally
        {
            _evaluating.Remove(name);
        }
    }

    private RecordDecl RecordOf(CType type, SourceLocation at)
    {
        switch (Resolve(type))
        {
            case RecordType r:
                return _records.TryGetValue(r.Tag, out var d) ? d : throw new EvalException($"incomplete type 'struct {r.Tag}'", at);
            case InlineRecordType i:
                return i.Declaration;
            default:
                throw new EvalException("member access on a non-struct type", at);
        }
    }

    private static string Describe(RecordDecl d) => (d.IsUnion ? "union " : "struct ") + (d.Tag ?? "<anonymous>");

    private (long Size, int Align) EnumSizeAlign(EnumType e, SourceLocation at)
    {
        var decl = e.Inline ?? (e.Tag is not null && _enumsByTag.TryGetValue(e.Tag, out var d) ? d : null)
            ?? throw new EvalException($"incomplete type 'enum {e.Tag}'", at);
        long min = 0, max = 0;
        foreach (var item in decl.Enumerators)
        {
            var v = Enumerator(item.Name)!.Value;
            long s = v.Unsigned && v.Width == 64 ? long.MaxValue : v.Signed;
            if (v.Unsigned && v.Width == 32) s = (long)v.Bits;
            min = Math.Min(min, s);
            max = Math.Max(max, s);
        }
        int size;
        if (decl.Packed)
            size = min >= sbyte.MinValue && max <= byte.MaxValue ? 1 : min >= short.MinValue && max <= ushort.MaxValue ? 2 : min >= int.MinValue && max <= uint.MaxValue ? 4 : 8;
        else
            size = min >= int.MinValue && max <= uint.MaxValue && !(min < 0 && max > int.MaxValue) ? 4 : 8;
        int align = size == 8 ? Abi.Builtin(BuiltinKind.LongLong)!.Value.Align : size;
        return (size, align);
    }

    internal bool EnumIsUnsigned(EnumType e)
    {
        var decl = e.Inline ?? (e.Tag is not null && _enumsByTag.TryGetValue(e.Tag, out var d) ? d : null);
        if (decl is null) return false;
        foreach (var item in decl.Enumerators)
            if (Enumerator(item.Name) is { } v && !v.Unsigned && v.Signed < 0)
                return false;
        return true;
    }

    private int AlignValue(Expr e)
    {
        var v = _eval.Evaluate(e);
        if (v.Signed <= 0 || (v.Bits & (v.Bits - 1)) != 0 || v.Bits > (1UL << 28))
            throw new EvalException($"requested alignment {v} is not a positive power of 2", e.Location);
        return (int)v.Bits;
    }

    private sealed class ReferenceComparer : IEqualityComparer<RecordDecl>
    {
        public static readonly ReferenceComparer Instance = new();
        public bool Equals(RecordDecl? x, RecordDecl? y) => ReferenceEquals(x, y);
        public int GetHashCode(RecordDecl obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
