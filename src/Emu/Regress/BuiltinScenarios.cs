using System.Collections.Generic;

namespace Emu.Regress;

/// <summary>The scenarios <c>emu regress</c> runs by default.</summary>
public static class BuiltinScenarios
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new SteadyDuplicates(), new ChurnWhileScanning(), new ForkHeavy(), new ZeroPages(), new TreePageRewrites(),
    ];
}

/// <summary>4 processes x 48 pages drawn from 6 contents, written once, then ksmd converges.</summary>
public sealed class SteadyDuplicates : Scenario
{
    public override string Name => "steady-duplicates";
    public override string Description => "4 processes x 48 pages of 6 contents, written once; 3 full scans";

    public override void Run(ScenarioContext ctx)
    {
        ctx.Ksm("pages_to_scan", "64");
        for (int p = 0; p < 4; p++)
        {
            var (proc, a) = ctx.Spawn($"steady{p}", 48);
            for (int i = 0; i < 48; i++)
                ctx.FillPage(proc, a + (ulong)i * ScenarioContext.PageSize, (byte)(1 + ctx.Random.Next(6)));
        }
        ctx.Ksm("run", "1");
        ctx.FullScans(3);
        ctx.Verify();
    }
}

/// <summary>Pages keep being rewritten (to one of a few contents) between small ksmd batches.</summary>
public sealed class ChurnWhileScanning : Scenario
{
    public override string Name => "churn";
    public override string Description => "3 processes x 64 pages; 400 rounds of 3 page rewrites then a 16-page ksmd batch";

    public override void Run(ScenarioContext ctx)
    {
        var procs = new List<(Process P, ulong A)>();
        for (int p = 0; p < 3; p++)
        {
            var (proc, a) = ctx.Spawn($"churn{p}", 64);
            for (int i = 0; i < 64; i++)
                ctx.FillPage(proc, a + (ulong)i * ScenarioContext.PageSize, (byte)(1 + ctx.Random.Next(4)));
            procs.Add((proc, a));
        }
        ctx.Ksm("run", "1");
        for (int round = 0; round < 400; round++)
        {
            for (int w = 0; w < 3; w++)
            {
                var (proc, a) = procs[ctx.Random.Next(procs.Count)];
                ulong page = a + (ulong)ctx.Random.Next(64) * ScenarioContext.PageSize;
                if (ctx.Random.Next(4) == 0)
                    ctx.Write(proc, page + (ulong)ctx.Random.Next(4000), [(byte)ctx.Random.Next(256)]);
                else
                    ctx.FillPage(proc, page, (byte)(1 + ctx.Random.Next(4)));
            }
            ctx.Scan(16);
        }
        ctx.Verify();
        ctx.FullScans(2);
        ctx.Verify();
    }
}

/// <summary>A parent forks children that share, diverge, merge again and break COW on merged pages.</summary>
public sealed class ForkHeavy : Scenario
{
    public override string Name => "fork-heavy";
    public override string Description => "a parent with 64 pages forks 4 children; each rewrites a quarter; scans; writes to merged pages";

    public override void Run(ScenarioContext ctx)
    {
        var (parent, a) = ctx.Spawn("forkparent", 64);
        for (int i = 0; i < 64; i++)
            ctx.FillPage(parent, a + (ulong)i * ScenarioContext.PageSize, (byte)(1 + i % 8));
        ctx.Ksm("run", "1");
        var children = new List<Process>();
        for (int c = 0; c < 4; c++)
        {
            var child = ctx.Fork(parent);
            children.Add(child);
            for (int k = 0; k < 16; k++)
                ctx.FillPage(child, a + (ulong)ctx.Random.Next(64) * ScenarioContext.PageSize, (byte)(1 + ctx.Random.Next(8)));
            ctx.Scan(32);
        }
        ctx.FullScans(2);
        ctx.Verify();
        // Stores into merged pages: each one breaks COW on a KSM page.
        foreach (var child in children)
            for (int k = 0; k < 8; k++)
                ctx.Write(child, a + (ulong)ctx.Random.Next(64) * ScenarioContext.PageSize + (ulong)ctx.Random.Next(4096), [0xEE]);
        ctx.FullScans(1);
        ctx.Verify();
        ctx.Exit(children[0]);
        ctx.FullScans(1);
        ctx.Verify();
    }
}

/// <summary>use_zero_pages=1: pages written non-zero, then zeroed by the user, merge with the zero page.</summary>
public sealed class ZeroPages : Scenario
{
    public override string Name => "zero-pages";
    public override string Description => "use_zero_pages=1; 2 processes x 64 pages, half zeroed again by the user while ksmd scans";

    public override void Run(ScenarioContext ctx)
    {
        ctx.Ksm("use_zero_pages", "1");
        var procs = new List<(Process P, ulong A)>();
        for (int p = 0; p < 2; p++)
        {
            var (proc, a) = ctx.Spawn($"zero{p}", 64);
            for (int i = 0; i < 64; i++)
                ctx.FillPage(proc, a + (ulong)i * ScenarioContext.PageSize, (byte)(0x40 + ctx.Random.Next(3)));
            procs.Add((proc, a));
        }
        ctx.Ksm("run", "1");
        ctx.FullScans(1);
        for (int round = 0; round < 64; round++)
        {
            var (proc, a) = procs[ctx.Random.Next(2)];
            ctx.FillPage(proc, a + (ulong)ctx.Random.Next(64) * ScenarioContext.PageSize, 0);
            ctx.Scan(8);
        }
        ctx.FullScans(2);
        ctx.Verify();
    }
}

/// <summary>
/// Pages already in the unstable tree are rewritten by their owners in the middle of a pass, so the rest of
/// the pass compares against tree pages whose newest bytes may sit only in the user's cache alias. This is
/// the read get_mergeable_page's flush precedes (unstable_tree_search_insert's memcmp_pages), the one the
/// flush-before-checksum variant gives up.
/// </summary>
public sealed class TreePageRewrites : Scenario
{
    public override string Name => "tree-rewrites";
    public override string Description => "2 processes x 64 pages of 16 contents; 8 rounds of a 48-page batch, then 12 rewrites of scanned pages";

    public override void Run(ScenarioContext ctx)
    {
        var procs = new List<(Process P, ulong A)>();
        for (int p = 0; p < 2; p++)
        {
            var (proc, a) = ctx.Spawn($"tree{p}", 64);
            for (int i = 0; i < 64; i++)
                ctx.FillPage(proc, a + (ulong)i * ScenarioContext.PageSize, (byte)(1 + (i + 8 * p) % 16));
            procs.Add((proc, a));
        }
        ctx.Ksm("run", "1");
        ctx.FullScans(1); // every page's checksum recorded: the next pass inserts into the unstable tree
        for (int round = 0; round < 8; round++)
        {
            ctx.Scan(48);
            for (int k = 0; k < 12; k++)
            {
                var (proc, a) = procs[ctx.Random.Next(2)];
                ctx.FillPage(proc, a + (ulong)ctx.Random.Next(64) * ScenarioContext.PageSize, (byte)(1 + ctx.Random.Next(16)));
            }
        }
        ctx.FullScans(2);
        ctx.Verify();
    }
}
