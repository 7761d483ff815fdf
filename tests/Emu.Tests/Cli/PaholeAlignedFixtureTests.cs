using System.Collections.Generic;
using System.Linq;
using Emu.Layout;
using NUnit.Framework;

namespace Emu.Tests.Cli;

/// <summary>
/// PaholeFormatter's <c>__aligned__</c> annotations and "forced alignments" against pahole on
/// hand-laid structs: user alignment on a type, on a member (kept only when at least the type's
/// alignment), propagation through members, arrays, qualifiers, typedefs, unions and anonymous
/// members, and the struct/union asymmetry of the closing brace.
/// </summary>
[TestFixture]
public sealed class PaholeAlignedFixtureTests
{
    private const string Rb = "struct rb { unsigned long a; struct rb *l, *r; } __attribute__((aligned(sizeof(long))));\n";

    private const string Source64 = Rb + """
        typedef struct { int v; } __attribute__((aligned(8))) tal_t;
        struct al1 {
            int x;
            union { struct rb node; struct { void *h; long q; }; };
            struct { struct rb rb; long last; } shared;
            struct rb arr[2];
            long m __attribute__((aligned(8)));
            int n __attribute__((aligned(16)));
            struct { int z; } __attribute__((aligned(16))) anon2;
            union { int k; long kk; } __attribute__((aligned(16)));
            const struct rb crb;
            union { int y; struct rb q; } u;
            long w __attribute__((aligned(4)));
            tal_t t;
            struct { struct { int c; } __attribute__((aligned(64))); long d; };
        };
        union al2 { int x; struct rb r; };
        struct al1 o1; union al2 o2; tal_t o3;
        """;

    private const string Source32 = Rb + """
        struct al3 { int a; long b __attribute__((aligned(4))); int i __attribute__((aligned(2))); char c; struct rb r; };
        struct al3 o3;
        """;

    private static MemberLayout M(string name, string type, int off, int size, int userAlign = 0) =>
        new(name, type, type + " " + name, off, size, off * 8L, null, null, userAlign);

    private static MemberLayout A(TypeLayout t, int off, string? name = null) => new(name, "", "", off, t.Size, off * 8L, null, t);

    private static TypeLayout S(string name, int size, int align, params MemberLayout[] ms) => new(name, false, size, align, ms, "fixture.h", 1);

    private static TypeLayout U(string name, int size, int align, params MemberLayout[] ms) => new(name, true, size, align, ms, "fixture.h", 1);

    private static TypeLayout Rb64() =>
        S("rb", 24, 8, M("a", "unsigned long", 0, 8), M("l", "struct rb *", 8, 8), M("r", "struct rb *", 16, 8)) with { UserAlign = 8 };

    [Test]
    public void UserAlignmentPropagatesLikePaholeOnX86_64()
    {
        var types = new[]
        {
            Rb64(),
            S("tal_t", 8, 8, M("v", "int", 0, 4)) with { UserAlign = 8, IsTypedef = true },
            S("al1", 384, 64,
                M("x", "int", 0, 4),
                A(U("", 24, 8, M("node", "struct rb", 8, 24), A(S("", 16, 8, M("h", "void *", 8, 8), M("q", "long", 16, 8)), 8)), 8),
                A(S("", 32, 8, M("rb", "struct rb", 32, 24), M("last", "long", 56, 8)), 32, "shared"),
                M("arr", "struct rb[2]", 64, 48),
                M("m", "long", 112, 8, userAlign: 8),
                M("n", "int", 128, 4, userAlign: 16),
                A(S("", 16, 16, M("z", "int", 144, 4)) with { UserAlign = 16 }, 144, "anon2"),
                A(U("", 16, 16, M("k", "int", 160, 4), M("kk", "long", 160, 8)) with { UserAlign = 16 }, 160),
                M("crb", "const struct rb", 176, 24),
                A(U("", 24, 8, M("y", "int", 200, 4), M("q", "struct rb", 200, 24)), 200, "u"),
                M("w", "long", 224, 8, userAlign: 4),
                M("t", "tal_t", 232, 8),
                A(S("", 128, 64, A(S("", 64, 64, M("c", "int", 256, 4)) with { UserAlign = 64 }, 256), M("d", "long", 320, 8)), 256)),
            U("al2", 24, 8, M("x", "int", 0, 4), M("r", "struct rb", 0, 24)),
        }.ToDictionary(t => t.Name);
        var obj = PaholeOracle.Compile(Source64, Abi.X86_64, "pahole-aligned-64");
        PaholeOracle.AssertSame(obj, new[] { "rb", "tal_t", "al1", "al2" }.Select(n => types[n]), Abi.X86_64, types);
    }

    [Test]
    public void MemberAlignmentAtLeastTheTypesIsKeptOnI386()
    {
        var types = new Dictionary<string, TypeLayout>
        {
            ["rb"] = S("rb", 12, 4, M("a", "unsigned long", 0, 4), M("l", "struct rb *", 4, 4), M("r", "struct rb *", 8, 4)) with { UserAlign = 4 },
            ["al3"] = S("al3", 28, 4,
                M("a", "int", 0, 4), M("b", "long", 4, 4, userAlign: 4), M("i", "int", 8, 4, userAlign: 2),
                M("c", "char", 12, 1), M("r", "struct rb", 16, 12)),
        };
        var obj = PaholeOracle.Compile(Source32, Abi.I386, "pahole-aligned-32");
        PaholeOracle.AssertSame(obj, types.Values, Abi.I386, types);
    }
}
