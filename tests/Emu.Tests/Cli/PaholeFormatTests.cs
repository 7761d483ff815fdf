using System.Collections.Generic;
using System.Linq;
using System.Text;
using Emu.Layout;
using Emu.Tests.TestSupport;
using NUnit.Framework;

namespace Emu.Tests.Cli;

/// <summary>
/// <c>emu layout</c> must print what <c>pahole -C</c> prints for a gcc -g object built from the
/// same headers, line for line, for the structs kernel-mm developers look at most.
/// </summary>
[TestFixture]
public sealed class PaholeFormatTests
{
    private static readonly string[] ImportantStructs =
    {
        "page", "folio", "ptdesc", "list_head", "rb_node", "callback_head", "anon_vma", "anon_vma_chain",
        "ksm_rmap_item", "ksm_stable_node", "mm_slot", "ksm_mm_slot", "vm_area_struct", "mm_struct",
    };

    [TestCase(Abi.X86_64)]
    [TestCase(Abi.I386)]
    public void ImportantStructsMatchPahole(Abi abi)
    {
        var manifest = LayoutManifest.For(abi);
        Assert.That(manifest.ContainsKey("page") && manifest.ContainsKey("folio"), Is.True,
            $"the {abi.ToName()} manifest must have struct page and struct folio");
        var types = ImportantStructs.Where(manifest.ContainsKey).Select(n => manifest[n]).ToList();

        var obj = PaholeOracle.Compile(HeaderProgram(types), abi, "pahole-" + abi.ToName(),
            $"-I \"{RepoPaths.Headers}\" -include linux/kconfig.h");
        PaholeOracle.AssertSame(obj, types, abi);
    }

    /// <summary>Includes every header that defines a type and declares one object per type so gcc emits its DWARF.</summary>
    private static string HeaderProgram(IReadOnlyList<TypeLayout> types)
    {
        var sb = new StringBuilder();
        foreach (var file in types.Select(t => t.File.Replace('\\', '/')).Distinct())
            sb.AppendLine($"#include <{file}>");
        foreach (var t in types)
            sb.AppendLine($"{t.Keyword} {t.Name} emu_layout_{t.Name};");
        return sb.ToString();
    }
}
