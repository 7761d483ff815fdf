using System.Linq;
using Emu.Upstream;
using NUnit.Framework;

namespace Emu.Tests.Upstream;

/// <summary>The function extractor and the normalization every [Upstream] hash uses.</summary>
public class UpstreamSourceTests
{
    private const string Source = """
        #define helper(x) do { x; } while (0)
        static int helper(int x);
        /* helper(void) { not this } */
        static __always_inline int
        helper(int x)
        	__must_hold(&lock)
        {
        	const char *s = "}";	/* a } in a comment */
        	return x + '}';
        }
        void other(void) { helper(1); }
        """;

    [Test]
    public void FindsTheDefinitionNotPrototypesMacrosOrComments()
    {
        var body = UpstreamSource.ExtractFunctionBody(Source, "helper");
        Assert.That(UpstreamSource.Normalize(body!), Is.EqualTo("{ const char *s = \"}\"; return x + '}'; }"));
        Assert.That(UpstreamSource.ExtractFunctionBody(Source, "other"), Is.EqualTo("{ helper(1); }"));
        Assert.That(UpstreamSource.ExtractFunctionBody(Source, "missing"), Is.Null);
    }

    [Test]
    public void AMacroWhoseCommentEndsInLineSplicesEndsWhereTheSplicesDo()
    {
        // Shaped like SEQCOUNT_LOCKNAME in include/linux/seqlock.h: a brace after the comment
        // still belongs to the macro, so the function after it is at file scope.
        const string source = "#define M(x) \\\nstatic int m(void) { \\\n\t/* a \\\n\t * b */ \\\n\treturn x; \\\n}\n" +
            "static void after(int *s) { (*s)++; }\n";
        Assert.That(UpstreamSource.ExtractFunctionBody(source, "after"), Is.EqualTo("{ (*s)++; }"));
    }

    [Test]
    public void WhitespaceAndCommentsDoNotChangeTheHashButCodeDoes()
    {
        var a = UpstreamSource.BodyHash("{\n\treturn a  +  b; /* sum */\n}");
        Assert.That(UpstreamSource.BodyHash("{ return a + b; }"), Is.EqualTo(a));
        Assert.That(UpstreamSource.BodyHash("{ return a - b; }"), Is.Not.EqualTo(a));
        Assert.That(a, Has.Length.EqualTo(16).And.Match("^[0-9a-f]+$"));
    }

    [Test]
    public void ListsDefinitionsPastAttributesAndMacroInvocationsWithoutSemicolons()
    {
        const string source = """
            postcore_initcall(setup_one)
            static int handler(int x)
            {
            	return x;
            }
            __printf(1, 2) void say(const char *fmt, ...) { }
            static void locked(void) __must_hold(&lock) { }
            #ifdef CONFIG_A
            static int twice(void) { return 1; }
            #else
            static int twice(void) { return 0; }
            #endif
            int declared_only(void);
            """;
        var listed = UpstreamSource.ListFunctions(source);
        Assert.That(listed.Select(f => (f.Name, f.Definition, f.Line)), Is.EqualTo(new[]
        {
            ("handler", 1, 2), ("say", 1, 6), ("locked", 1, 7), ("twice", 1, 9), ("twice", 2, 11),
        }));
        Assert.That(UpstreamSource.ExtractDefinitionText(source, "handler"), Is.EqualTo("static int handler(int x)\n{\n\treturn x;\n}"));
        Assert.That(UpstreamSource.ExtractDefinitionText(source, "twice", 2), Is.EqualTo("static int twice(void) { return 0; }"));
    }
}
