using System.Collections.Generic;
using System.Linq;
using Emu.Layout;
using NUnit.Framework;

namespace Emu.Tests.Cli;

/// <summary>
/// PaholeFormatter against pahole on small hand-laid structs that exercise every rule (holes, bit
/// holes, forced bitfield alignment, nested anonymous unions, cachelines, flexible arrays,
/// function pointers, const spellings, inferred packing). Independent of the header generator.
/// </summary>
[TestFixture]
public sealed class PaholeFormatterFixtureTests
{
    private const string Source = """
        struct list_head { struct list_head *next, *prev; };
        struct callback_head { struct callback_head *next; void (*func)(struct callback_head *head); };
        typedef struct { int counter; } atomic_t;
        typedef unsigned long pgoff_t;
        typedef unsigned long vm_flags_t;
        struct address_space;
        enum e1 { A1, B1 };
        struct inner_pad { long a; char b; };
        struct t1 {
            unsigned long flags;
            union {
                struct { struct list_head lru; struct address_space *mapping; pgoff_t index; unsigned long private; };
                struct { unsigned long pp_magic; void *pp; unsigned long _pp_mapping_pad; unsigned long dma_addr; atomic_t pp_ref_count; };
                struct callback_head callback_head;
            };
            union { unsigned int page_type; atomic_t _mapcount; };
            atomic_t _refcount;
            char c;
            long l;
            unsigned int a:3, b:5;
            unsigned int c2:30;
            unsigned short s; _Bool bb; signed char sc; unsigned char uc; short ss;
            long long ll; unsigned long long ull; char arr[3]; unsigned long priv[2]; int m[2][3];
            void (*fp)(int, char *); int (*fp2)(void); const char *cs; volatile int vi; char big[100];
            struct { int x; } named;
            union { int y; long z; } named2;
            void *const cp;
            int **ipp;
        };
        struct t2 {
            struct { struct { int mm_count; } __attribute__((__aligned__(64))); long x; char y; };
            int z;
            union { const vm_flags_t vm_flags; vm_flags_t __vm_flags; };
            enum e1 e;
            struct inner_pad ip;
            char q;
            unsigned long fl:1, fl2:2;
            long long ll;
            unsigned long bitmap[];
        };
        struct t5 { unsigned char x:4; unsigned int y:20; unsigned short w:3; char c; unsigned int z:9; };
        struct t9 { char a; struct { char b; long c; } in; void (*f)(struct t9 *, const char *, ...); int (*g[2])(void); char * const *pp; const char *const cc; struct t9 *self; };
        struct t10 { unsigned long flags; struct { unsigned a:4, b:30; }; };
        union u1 { int a; long b; struct { char c; int d; }; };
        struct t1 o1; struct t2 o2; struct t5 o5; struct t9 o9; struct t10 o10; union u1 u1;
        """;

    private const string Source32 = """
        struct t8 { int a; long long b; };
        struct t4 { int a; long long b; char c; };
        struct t8 o8; struct t4 o4;
        """;

    private static MemberLayout M(string name, string type, int off, int size) => new(name, type, type + " " + name, off, size, off * 8L, null, null);

    private static MemberLayout B(string name, string type, long bit, int width, int size) =>
        new(name, type, $"{type} {name}:{width}", (int)(bit / 8), size, bit, width, null);

    private static MemberLayout A(TypeLayout t, int off, string? name = null) => new(name, "", "", off, t.Size, off * 8L, null, t);

    private static TypeLayout S(string name, int size, int align, params MemberLayout[] ms) => new(name, false, size, align, ms, "fixture.h", 1);

    private static TypeLayout U(string name, int size, int align, params MemberLayout[] ms) => new(name, true, size, align, ms, "fixture.h", 1);

    private static Dictionary<string, TypeLayout> X86_64Types()
    {
        var types = new List<TypeLayout>
        {
            S("list_head", 16, 8, M("next", "struct list_head *", 0, 8), M("prev", "struct list_head *", 8, 8)),
            S("callback_head", 16, 8, M("next", "struct callback_head *", 0, 8), M("func", "void (*)(struct callback_head *)", 8, 8)),
            S("atomic_t", 4, 4, M("counter", "int", 0, 4)) with { IsTypedef = true },
            S("inner_pad", 16, 8, M("a", "long", 0, 8), M("b", "char", 8, 1)),
            S("t1", 312, 8,
                M("flags", "unsigned long", 0, 8),
                A(U("", 40, 8,
                    A(S("", 40, 8, M("lru", "struct list_head", 8, 16), M("mapping", "struct address_space *", 24, 8), M("index", "pgoff_t", 32, 8), M("private", "unsigned long", 40, 8)), 8),
                    A(S("", 40, 8, M("pp_magic", "unsigned long", 8, 8), M("pp", "void *", 16, 8), M("_pp_mapping_pad", "unsigned long", 24, 8), M("dma_addr", "unsigned long", 32, 8), M("pp_ref_count", "atomic_t", 40, 4)), 8),
                    M("callback_head", "struct callback_head", 8, 16)), 8),
                A(U("", 4, 4, M("page_type", "unsigned int", 48, 4), M("_mapcount", "atomic_t", 48, 4)), 48),
                M("_refcount", "atomic_t", 52, 4),
                M("c", "char", 56, 1),
                M("l", "long", 64, 8),
                B("a", "unsigned int", 72 * 8, 3, 4), B("b", "unsigned int", (72 * 8) + 3, 5, 4), B("c2", "unsigned int", 76 * 8, 30, 4),
                M("s", "unsigned short", 80, 2), M("bb", "_Bool", 82, 1), M("sc", "signed char", 83, 1), M("uc", "unsigned char", 84, 1),
                M("ss", "short", 86, 2), M("ll", "long long", 88, 8), M("ull", "unsigned long long", 96, 8), M("arr", "char[3]", 104, 3),
                M("priv", "unsigned long[2]", 112, 16), M("m", "int[2][3]", 128, 24), M("fp", "void (*)(int, char *)", 152, 8), M("fp2", "int (*)(void)", 160, 8),
                M("cs", "const char *", 168, 8), M("vi", "volatile int", 176, 4), M("big", "char[100]", 180, 100),
                A(S("", 4, 4, M("x", "int", 280, 4)), 280, "named"),
                A(U("", 8, 8, M("y", "int", 288, 4), M("z", "long", 288, 8)), 288, "named2"),
                M("cp", "void *const", 296, 8), M("ipp", "int **", 304, 8)),
            S("t2", 192, 64,
                A(S("", 128, 64, A(S("", 64, 64, M("mm_count", "int", 0, 4)) with { UserAlign = 64 }, 0), M("x", "long", 64, 8), M("y", "char", 72, 1)), 0),
                M("z", "int", 128, 4),
                A(U("", 8, 8, M("vm_flags", "const vm_flags_t", 136, 8), M("__vm_flags", "vm_flags_t", 136, 8)), 136),
                M("e", "enum e1", 144, 4), M("ip", "struct inner_pad", 152, 16), M("q", "char", 168, 1),
                B("fl", "unsigned long", (168 * 8) + 8, 1, 8), B("fl2", "unsigned long", (168 * 8) + 9, 2, 8),
                M("ll", "long long", 176, 8), M("bitmap", "unsigned long[]", 184, 0)),
            S("t5", 8, 4, B("x", "unsigned char", 0, 4, 1), B("y", "unsigned int", 4, 20, 4), B("w", "unsigned short", 24, 3, 2), M("c", "char", 4, 1), B("z", "unsigned int", 40, 9, 4)),
            S("t9", 72, 8,
                M("a", "char", 0, 1),
                A(S("", 16, 8, M("b", "char", 8, 1), M("c", "long", 16, 8)), 8, "in"),
                M("f", "void (*)(struct t9 *, const char *, ...)", 24, 8),
                M("g", "int (*[2])(void)", 32, 16),
                M("pp", "char * const *", 48, 8),
                M("cc", "const char *const", 56, 8),
                M("self", "struct t9 *", 64, 8)),
            S("t10", 16, 8, M("flags", "unsigned long", 0, 8), A(S("", 8, 4, B("a", "unsigned", 64, 4, 4), B("b", "unsigned", 96, 30, 4)), 8)),
            U("u1", 8, 8, M("a", "int", 0, 4), M("b", "long", 0, 8), A(S("", 8, 4, M("c", "char", 0, 1), M("d", "int", 4, 4)), 0)),
        };
        return types.ToDictionary(t => t.Name);
    }

    [Test]
    public void HandLaidStructsMatchPaholeOnX86_64()
    {
        var types = X86_64Types();
        var obj = PaholeOracle.Compile(Source, Abi.X86_64, "pahole-fixture-64");
        PaholeOracle.AssertSame(obj, new[] { "t1", "t2", "t5", "t9", "t10", "u1" }.Select(n => types[n]), Abi.X86_64, types);
    }

    [Test]
    public void I386LongLongAtFourIsInferredPackedLikePahole()
    {
        var types = new[]
        {
            S("t8", 12, 4, M("a", "int", 0, 4), M("b", "long long", 4, 8)),
            S("t4", 16, 4, M("a", "int", 0, 4), M("b", "long long", 4, 8), M("c", "char", 12, 1)),
        }.ToDictionary(t => t.Name);
        var obj = PaholeOracle.Compile(Source32, Abi.I386, "pahole-fixture-32");
        PaholeOracle.AssertSame(obj, types.Values, Abi.I386, types);
    }

    [TestCase("unsigned long", "long unsigned int")]
    [TestCase("long unsigned", "long unsigned int")]
    [TestCase("unsigned", "unsigned int")]
    [TestCase("short", "short int")]
    [TestCase("unsigned short int", "short unsigned int")]
    [TestCase("long long", "long long int")]
    [TestCase("unsigned long long", "long long unsigned int")]
    [TestCase("signed char", "signed char")]
    [TestCase("_Bool", "_Bool")]
    public void BaseTypesUseGccDwarfNames(string c, string dwarf) =>
        Assert.That(PaholeFormatter.GccBaseName(c.Split(' ')), Is.EqualTo(dwarf));
}
