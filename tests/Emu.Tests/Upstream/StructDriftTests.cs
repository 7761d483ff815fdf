using System.Collections.Generic;
using System.Linq;
using Emu.Upstream;
using NUnit.Framework;

namespace Emu.Tests.Upstream;

/// <summary>The struct reader, the conditionals and the drift comparison on small C texts.</summary>
public class StructDriftTests
{
    private const string Header = """
        struct list_head { struct list_head *next, *prev; };
        typedef struct { int counter; } atomic_t;
        struct demo {
        	unsigned long flags;
        	union {
        		struct list_head lru;
        		struct {
        			void *__filler;
        			unsigned int mlock_count : 24;
        		};
        	};
        #ifdef CONFIG_ON
        	atomic_t on;
        #else
        	long off;
        #endif
        #if defined(CONFIG_OFF) || NUMBER > 3
        	int never;
        #endif
        	void (*callback)(struct demo *d, int x);
        	struct { int a; } named[2];
        	DECLARE_BITMAP(bits, 64);
        } __aligned(8);
        """;

    private static IReadOnlyList<CStructField> Parse(string text, string name, Dictionary<string, string>? macros = null)
    {
        var active = new CConditionals(macros ?? new() { ["CONFIG_ON"] = "1", ["NUMBER"] = "2" }).Apply(text);
        var def = CStructs.Definitions(active).Single(d => d.Names.Contains(name));
        return CStructs.Fields(active, def.Open, def.Close);
    }

    [Test]
    public void FlattensAnonymousMembersAndKeepsOrderTypesAndActiveBranches()
    {
        var fields = Parse(Header, "demo").Select(f => $"{f.Name}: {f.Type}").ToList();
        Assert.That(fields, Is.EqualTo(new[]
        {
            "flags: unsigned long",
            "lru: struct list_head",
            "__filler: void *",
            "mlock_count: unsigned int:24",
            "on: atomic_t",
            "callback: void(*)(struct demo *d,int x)",
            "named.a: int",
            "bits: DECLARE_BITMAP(64)",
        }));
        Assert.That(Parse(Header, "list_head").Select(f => $"{f.Name}: {f.Type}"), Is.EqualTo(new[] { "next: struct list_head *", "prev: struct list_head *" }));
        Assert.That(Parse(Header, "atomic_t").Single().Name, Is.EqualTo("counter"));
    }

    [Test]
    public void ElseBranchAndArithmeticConditions()
    {
        var fields = Parse(Header, "demo", new() { ["NUMBER"] = "4" }).Select(f => f.Name).ToList();
        Assert.That(fields, Does.Contain("off").And.Contains("never").And.Not.Contains("on"));
    }

    [Test]
    public void DeclaredTrimsExcuseOnlyTheNamedMembers()
    {
        var upstream = new[] { new CStructField("a", "int"), new CStructField("b", "long"), new CStructField("c", "int"), new CStructField("d", "int") };
        var header = new[] { new CStructField("a", "int"), new CStructField("c", "short") };
        var (drift, trimmed) = StructDrift.Differences(upstream, header, ["b"]);
        Assert.That(trimmed, Is.EqualTo(new[] { "only upstream: b: long" }));
        Assert.That(drift, Is.EqualTo(new[] { "only upstream: d: int", "retyped c: short -> int" }));

        var reordered = new[] { new CStructField("c", "int"), new CStructField("a", "int") };
        Assert.That(StructDrift.Differences(upstream.Where(f => f.Name is "a" or "c").ToArray(), reordered, []).Drift,
            Is.EqualTo(new[] { "reordered: upstream has a where the header has c" }));
    }
}
