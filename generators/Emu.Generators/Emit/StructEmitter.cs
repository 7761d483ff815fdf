using System.Collections.Generic;
using Emu.Generators.Layout;
using Emu.Generators.Model;

namespace Emu.Generators.Emit;

/// <summary>
/// Emits one <c>[StructLayout(LayoutKind.Explicit)]</c> struct per C struct/union (x86_64 layout):
/// anonymous members flattened so <c>page-&gt;mapping</c> reads the same in C#, bitfields as
/// checked properties, arrays as fixed or inline arrays, plus <c>offsetof.T.member</c> constants.
/// </summary>
internal static class StructEmitter
{
    public static string Emit(TypeLayoutModel type, CSharpTypes types)
    {
        var w = new IndentedWriter();
        w.Block(CSharpNames.Header);
        w.Line("using System.Runtime.CompilerServices;");
        w.Line("using System.Runtime.InteropServices;");
        w.Line();
        w.Line("namespace Emu.Kernel;");
        w.Line();
        var name = CSharpNames.Escape(type.Name);
        var offsets = new List<(string name, int offset)>();
        EmitType(w, type, name, 0, types, offsets, topLevel: true);
        w.Line();
        w.Open("public static partial class offsetof");
        w.Line($"/// <summary>offsetof(struct {type.Name}, member) for every non-bitfield member, anonymous members flattened.</summary>");
        w.Open($"public static class {name}");
        foreach (var (member, offset) in offsets)
            w.Line($"public const int {member} = {offset};");
        w.Close();
        w.Close();
        return w.ToString();
    }

    private static void EmitType(IndentedWriter w, TypeLayoutModel type, string csName, int baseOffset,
        CSharpTypes types, List<(string, int)>? offsets, bool topLevel)
    {
        var kind = type.IsUnion ? "union" : "struct";
        if (topLevel)
            w.Line($"/// <summary><c>{kind} {type.Name}</c> ({type.Location.File}:{type.Location.Line}): {type.Size} bytes, aligned to {type.Align} on x86_64.</summary>");
        w.Line($"[StructLayout(LayoutKind.Explicit, Size = {type.Size})]");
        w.Open($"public unsafe partial struct {csName}");
        var nested = new List<(TypeLayoutModel type, string name, int offset)>();
        foreach (var m in type.Members)
            EmitMember(w, m, baseOffset, types, offsets, nested, csName);
        foreach (var (nt, nn, off) in nested)
        {
            w.Line();
            EmitType(w, nt, nn, off, types, null, topLevel: false);
        }
        w.Close();
    }

    private static void EmitMember(IndentedWriter w, MemberLayoutModel m, int baseOffset, CSharpTypes types,
        List<(string, int)>? offsets, List<(TypeLayoutModel, string, int)> nested, string container)
    {
        if (m.Name is null)
        {
            // Anonymous struct/union: its members belong to the enclosing type, as in C.
            if (m.Anonymous is not null)
                foreach (var inner in m.Anonymous.Members)
                    EmitMember(w, inner, baseOffset, types, offsets, nested, container);
            return;
        }
        var name = CSharpNames.Escape(m.Name == container ? m.Name + "_" : m.Name);
        int rel = m.Offset - baseOffset;
        if (m.BitWidth is not null)
        {
            EmitBitfield(w, m, name, rel, types);
            return;
        }
        offsets?.Add((name, m.Offset));
        var doc = $"/// <summary><c>{Xml(m.Declaration)}</c> at {m.Offset}, {m.Size} bytes.</summary>";
        if (m.Anonymous is not null)
        {
            var nestedName = "__" + m.Name + "_t";
            nested.Add((m.Anonymous, nestedName, m.Offset));
            w.Line(doc);
            w.Line($"[FieldOffset({rel})] public {nestedName} {name};");
            return;
        }
        var resolved = types.Resolve(m.Type);
        if (resolved is ArrayType)
        {
            EmitArray(w, m, name, rel, resolved, types, doc);
            return;
        }
        if (m.Size == 0)
        {
            w.Line($"// {Xml(m.Declaration)}: zero-sized in C; no C# field (a C# struct cannot be empty).");
            return;
        }
        var cs = types.Map(m.Type);
        w.Line(doc);
        w.Line(cs is null
            ? $"[FieldOffset({rel})] public fixed byte {name}[{m.Size}];"
            : $"[FieldOffset({rel})] public {cs} {name};");
    }

    private static void EmitArray(IndentedWriter w, MemberLayoutModel m, string name, int rel, CType arrayType, CSharpTypes types, string doc)
    {
        CType element = arrayType;
        while (types.Resolve(element) is ArrayType a)
            element = a.Element;
        var elementCs = types.Map(element);
        var elementResolved = types.Resolve(element);
        w.Line(doc);
        if (m.Size == 0)
        {
            // Flexible (or zero-length) array: C code uses the member as a pointer to what follows.
            var pointer = elementCs is not null && elementResolved is not PointerType ? elementCs + "*" : "void*";
            w.Line($"public {pointer} {name} => ({pointer})((byte*)Unsafe.AsPointer(ref this) + {rel});");
            return;
        }
        if (elementResolved is PointerType)
        {
            w.Line($"[FieldOffset({rel})] public fixed ulong {name}[{m.Size / 8}]; // pointers (C# fixed buffers cannot hold pointer types)");
            return;
        }
        if (elementCs is not null && CSharpTypes.IsFixedBufferElement(elementCs))
        {
            int count = m.Size / ElementSize(elementCs);
            w.Line($"[FieldOffset({rel})] public fixed {elementCs} {name}[{count}];");
            return;
        }
        if (elementCs is not null && arrayType is ArrayType { Element: var direct } && types.Resolve(direct) is not ArrayType)
        {
            var arrayName = "__" + m.Name + "_array";
            w.Line($"[FieldOffset({rel})] public {arrayName} {name};");
            w.Line($"[InlineArray({CountOf(m)})] public struct {arrayName} {{ private {elementCs} _element0; }}");
            return;
        }
        w.Line($"[FieldOffset({rel})] public fixed byte {name}[{m.Size}];");
    }

    private static int CountOf(MemberLayoutModel m)
    {
        // Length as printed by the layout engine: "T[n]".
        var t = m.TypeName;
        int open = t.LastIndexOf('['), close = t.LastIndexOf(']');
        return open >= 0 && close > open && int.TryParse(t.Substring(open + 1, close - open - 1), out var n) ? n : 1;
    }

    private static int ElementSize(string cs) => cs switch
    {
        "bool" or "byte" or "sbyte" => 1,
        "short" or "ushort" => 2,
        "int" or "uint" or "float" => 4,
        _ => 8,
    };

    private static void EmitBitfield(IndentedWriter w, MemberLayoutModel m, string name, int rel, CSharpTypes types)
    {
        int shift = (int)(m.BitOffset % 8);
        int width = m.BitWidth!.Value;
        int bytes = (shift + width + 7) / 8;
        var storage = "__bf_" + m.Name;
        var cs = types.Map(m.Type) ?? "ulong";
        bool isBool = cs == "bool";
        bool isEnum = types.Resolve(m.Type) is EnumType;
        string read = m.BitfieldSigned ? $"Bitfields.ReadSigned(p, {shift}, {width})" : $"Bitfields.Read(p, {shift}, {width})";
        string get = isBool ? read + " != 0" : isEnum ? $"({cs})(long){read}" : $"({cs}){read}";
        string write = isBool
            ? $"Bitfields.Write(p, {shift}, {width}, value ? 1UL : 0UL)"
            : m.BitfieldSigned ? $"Bitfields.WriteSigned(p, {shift}, {width}, (long)value)"
            : $"Bitfields.Write(p, {shift}, {width}, (ulong)value)";
        w.Line($"[FieldOffset({rel})] private fixed byte {storage}[{bytes}];");
        w.Line($"/// <summary><c>{Xml(m.Declaration)} : {width}</c> at bit {m.BitOffset}; {(m.BitfieldSigned ? "sign-extended on read" : "unsigned")}, range-checked on write.</summary>");
        w.Open($"public {cs} {name}");
        w.Line($"get {{ fixed (byte* p = {storage}) return {get}; }}");
        w.Line($"set {{ fixed (byte* p = {storage}) {write}; }}");
        w.Close();
    }

    private static string Xml(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
