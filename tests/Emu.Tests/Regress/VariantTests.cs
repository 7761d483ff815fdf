using System;
using System.Linq;
using System.Reflection;
using Emu.Kernel;
using Emu.Patches;
using Emu.Regress;
using Emu.Tests.Patches;
using Emu.Tests.Upstream;
using Emu.Upstream;
using Emu.Variants;
using NUnit.Framework;

namespace Emu.Tests.Regress;

/// <summary>Kernel variants: what is virtual, what each variant claims to touch, and that the hooks are inert on x86_64.</summary>
[TestFixture]
public sealed class VariantTests
{
    private const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    [Test]
    public void EveryVirtualKernelMethodIsOverriddenByARegisteredVariant()
    {
        var virtuals = typeof(Emu.Kernel.Kernel).GetMethods(Declared)
            .Where(m => m.IsVirtual && !m.IsFinal && m.GetBaseDefinition().DeclaringType == typeof(Emu.Kernel.Kernel)).ToList();
        Assert.That(virtuals, Is.Not.Empty);
        foreach (var m in virtuals)
        {
            bool overridden = KernelVariants.Types.Any(t => t.GetMethods(Declared).Any(o => o.GetBaseDefinition() == m.GetBaseDefinition() && o.DeclaringType == t));
            Assert.That(overridden, Is.True, $"Kernel.{m.Name} is virtual but no registered variant overrides it: make it non-virtual again");
        }
    }

    [Test]
    public void VariantOverridesOnlyFunctionsItsPatchTouches()
    {
        foreach (var t in KernelVariants.Types)
        {
            var patch = t.GetCustomAttribute<KernelPatchAttribute>()!;
            Assert.That(patch, Is.Not.Null, t.Name);
            foreach (var o in t.GetMethods(Declared).Where(m => m.IsVirtual))
            {
                var baseline = o.GetBaseDefinition();
                var upstream = baseline.GetCustomAttributes<UpstreamAttribute>().Single();
                Assert.That(patch.Touches, Does.Contain($"{upstream.File}:{upstream.Function}"), $"{t.Name}.{o.Name}");
            }
        }
    }

    [Test]
    public void KsmFlushVariantTouchesWhatPatchMapFinds()
    {
        var tree = PinnedTree.Require();
        var map = PatchMapper.Map(PatchParser.Parse(PatchMapTests.BuildMbox(tree)).Single(), new KernelTree(tree), UpstreamManifest.All);
        var patch = KernelVariants.Describe("KsmReduceFlush");
        Assert.That(patch.MessageId, Is.EqualTo(PatchMapTests.MessageId));
        Assert.That(patch.Touches, Is.EquivalentTo(map.Functions.Select(f => $"{f.File}:{f.Function}")));
    }

    [Test]
    public void MachineRunsTheVariantKernelByName()
    {
        using var m = new Machine(new MachineOptions { MemoryBytes = 8UL << 20, Variants = ["ksmreduceflush"] });
        Assert.That(m.Kernel, Is.InstanceOf<KsmReduceFlushVariant>());
        using var b = new Machine(new MachineOptions { MemoryBytes = 8UL << 20 });
        Assert.That(b.Kernel.GetType(), Is.EqualTo(typeof(Emu.Kernel.Kernel)));
        Assert.Throws<ArgumentException>(() => new Machine(new MachineOptions { MemoryBytes = 8UL << 20, Variants = ["no-such-patch"] }));
    }
}
