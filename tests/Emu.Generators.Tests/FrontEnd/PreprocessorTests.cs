using System.Collections.Generic;
using System.Linq;
using Emu.Generators.CHeaders;
using Emu.Generators.Model;
using NUnit.Framework;

namespace Emu.Generators.Tests.FrontEnd;

/// <summary>Macro expansion checked against the examples of the C standard (C11 6.10.3.5) and kernel idioms.</summary>
public class PreprocessorTests
{
    private static string Expand(string source, out List<HeaderDiagnostic> diagnostics)
    {
        diagnostics = new List<HeaderDiagnostic>();
        var files = new Dictionary<string, IReadOnlyList<Token>> { ["t.h"] = Lexer.Tokenize("t.h", source, diagnostics) };
        var pp = new Preprocessor(files, new Dictionary<string, string>(), new HashSet<string>(), diagnostics);
        return Squeeze(Lexer.Spell(pp.Run(new[] { "t.h" })));
    }

    private static string Squeeze(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c)));

    [Test]
    public void Example3OfTheStandardRescansWithHideSets()
    {
        const string source = """
            #define x 3
            #define f(a) f(x * (a))
            #undef x
            #define x 2
            #define g f
            #define z z[0]
            #define h g(~
            #define m(a) a(w)
            #define w 0,1
            #define t(a) a
            #define p() int
            #define q(x) x
            #define r(x,y) x ## y
            #define str(x) # x
            f(y+1) + f(f(z)) % t(t(g)(0) + t)(1);
            g(x+(3,4)-w) | h 5) & m
            (f)^m(m);
            p() i[q()] = { q(1), r(2,3), r(4,), r(,5), r(,) };
            char c[2][6] = { str(hello), str() };
            """;
        // The result the standard gives for this example.
        const string expected = """
            f(2 * (y+1)) + f(2 * (f(2 * (z[0])))) % f(2 * (0)) + t(1);
            f(2 * (2+(3,4)-0,1)) | f(2 * (~ 5)) & f(2 * (0,1))^m(0,1);
            int i[] = { 1, 23, 4, 5, };
            char c[2][6] = { "hello", "" };
            """;
        Assert.That(Expand(source, out var diagnostics), Is.EqualTo(Squeeze(expected)));
        Assert.That(diagnostics, Is.Empty);
    }

    [Test]
    public void Example7OfTheStandardHandlesVariadicMacros()
    {
        const string source = """
            #define debug(...) fprintf(stderr, __VA_ARGS__)
            #define showlist(...) puts(#__VA_ARGS__)
            #define report(test, ...) ((test)?puts(#test): printf(__VA_ARGS__))
            debug("Flag");
            debug("X = %d\n", x);
            showlist(The first, second, and third items.);
            report(x>y, "x is %d but y is %d", x, y);
            """;
        const string expected = """
            fprintf(stderr, "Flag");
            fprintf(stderr, "X = %d\n", x);
            puts("The first, second, and third items.");
            ((x>y)?puts("x>y"): printf("x is %d but y is %d", x, y));
            """;
        Assert.That(Expand(source, out _), Is.EqualTo(Squeeze(expected)));
    }

    [Test]
    public void KernelStaticAssertSwallowsTheCommaOfAnEmptyVaArgs()
    {
        // include/linux/build_bug.h's shape.
        const string source = """
            #define static_assert(expr, ...) __static_assert(expr, ##__VA_ARGS__, #expr)
            #define __static_assert(expr, msg, ...) _Static_assert(expr, msg)
            static_assert(sizeof(long) == 8);
            static_assert(1, "why");
            """;
        const string expected = """
            _Static_assert(sizeof(long) == 8, "sizeof(long) == 8");
            _Static_assert(1, "why");
            """;
        Assert.That(Expand(source, out _), Is.EqualTo(Squeeze(expected)));
    }

    [Test]
    public void ConditionalsFollowDefinedAndArithmetic()
    {
        const string source = """
            #define A 3
            #if defined(A) && A * 2 == 6 && !defined B
            yes1
            #elif 1
            no1
            #endif
            #if (-1 < 0u)
            no2
            #else
            yes2
            #endif
            #ifdef B
            no3
            #elif A > 2
            yes3
            #else
            no4
            #endif
            """;
        // -1 < 0u is false: -1 converts to uintmax_t (C11 6.10.1p4).
        Assert.That(Expand(source, out _), Is.EqualTo("yes1yes2yes3"));
    }

    [Test]
    public void AccessorMacrosAreRecordedWithExpandedArguments()
    {
        var diagnostics = new List<HeaderDiagnostic>();
        const string source = """
            #define FOLIO_PF_HEAD 0
            #define FOLIO_TEST_FLAG(name, page) int folio_test_##name(void);
            #define TESTPAGEFLAG(uname, lname, policy) FOLIO_TEST_FLAG(lname, FOLIO_##policy) int Page##uname(void);
            TESTPAGEFLAG(Dirty, dirty, PF_HEAD)
            """;
        var files = new Dictionary<string, IReadOnlyList<Token>> { ["t.h"] = Lexer.Tokenize("t.h", source, diagnostics) };
        var pp = new Preprocessor(files, new Dictionary<string, string>(), new HashSet<string> { "FOLIO_TEST_FLAG", "TESTPAGEFLAG" }, diagnostics);
        pp.Run(new[] { "t.h" });
        var uses = pp.AccessorUses.Select(u => u.Macro + "(" + string.Join(",", u.Arguments) + ")@" + u.Location.Line).ToList();
        Assert.That(uses, Is.EqualTo(new[] { "TESTPAGEFLAG(Dirty,dirty,PF_HEAD)@4", "FOLIO_TEST_FLAG(dirty,0)@4" }));
    }
}
