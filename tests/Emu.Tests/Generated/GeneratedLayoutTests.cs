using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Emu.Kernel;
using Emu.Layout;
using NUnit.Framework;

namespace Emu.Tests.Generated;

/// <summary>The emitted C# structs have the sizes and offsets of the manifest (which the oracle checks against gcc).</summary>
public unsafe class GeneratedLayoutTests
{
    [Test]
    public void PageIs64BytesAndFolioIsFourPages()
    {
        // x86_64 6.12: struct page is 8 words; struct folio spans four struct pages (mm_types.h).
        Assert.That(sizeof(page), Is.EqualTo(64));
        Assert.That(sizeof(folio), Is.EqualTo(4 * sizeof(page)));
        Assert.That(sizeof(ptdesc), Is.LessThanOrEqualTo(sizeof(page)));
    }

    [Test]
    public void PointerArithmeticAgreesWithTheManifestAndFolioMatch()
    {
        var manifest = LayoutManifest.For(Abi.X86_64);
        page pg;
        folio fo;
        byte* p = (byte*)&pg, f = (byte*)&fo;
        long flags = (byte*)&pg.flags - p, mapping = (byte*)&pg.mapping - p, refcount = (byte*)&pg._refcount - p;
        long mapcount = (byte*)&pg._mapcount - p, head = (byte*)&pg.compound_head - p;
        long fMapping = (byte*)&fo.mapping - f, fMapcount = (byte*)&fo._mapcount - f, fRefcount = (byte*)&fo._refcount - f;
        long fLru = (byte*)&fo.lru - f, fPage = (byte*)&fo.page - f, fFlags1 = (byte*)&fo._flags_1 - f, fFlags2 = (byte*)&fo._flags_2 - f;
        Assert.Multiple(() =>
        {
            Assert.That(flags, Is.EqualTo(Offset(manifest["page"], "flags")));
            Assert.That(mapping, Is.EqualTo(Offset(manifest["page"], "mapping")));
            Assert.That(refcount, Is.EqualTo(Offset(manifest["page"], "_refcount")));
            Assert.That(head, Is.EqualTo(Offset(manifest["page"], "compound_head")));
            // FOLIO_MATCH, read through C# pointers: folio fields overlay their page counterparts.
            Assert.That(fMapping, Is.EqualTo(mapping));
            Assert.That(fMapcount, Is.EqualTo(mapcount));
            Assert.That(fRefcount, Is.EqualTo(refcount));
            Assert.That(fLru, Is.EqualTo(head));
            Assert.That(fPage, Is.Zero);
            // The second and third parts of a folio start one and two struct pages in.
            Assert.That(fFlags1, Is.EqualTo(sizeof(page) + flags));
            Assert.That(fFlags2, Is.EqualTo(2 * sizeof(page) + flags));
        });
    }

    [Test]
    public void EveryGeneratedStructHasTheManifestSizeAndFieldOffsets()
    {
        var asm = typeof(page).Assembly;
        var problems = new List<string>();
        int fields = 0;
        foreach (var t in LayoutManifest.For(Abi.X86_64).Values)
        {
            var type = asm.GetType("Emu.Kernel." + t.Name);
            if (type is null)
            {
                problems.Add($"no C# type for {t.Keyword} {t.Name}");
                continue;
            }
            int size = (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;
            // C allows empty structs; a C# struct is at least one byte.
            if (size != Math.Max(1, t.Size))
                problems.Add($"{t.Name}: C# size {size}, manifest {t.Size}");
            foreach (var m in Leaves(t.Members).Where(m => !m.IsBitfield && m.Size > 0 && !m.TypeName.EndsWith("[]")))
            {
                // C# forbids a member named like its type: the emitter appends '_' (struct pgprot { pgprot; }).
                var name = m.Name == t.Name ? m.Name + "_" : m.Name!;
                var field = type.GetField(name, BindingFlags.Public | BindingFlags.Instance);
                if (field is null)
                {
                    problems.Add($"{t.Name}.{m.Name}: no field");
                    continue;
                }
                fields++;
                var offset = field.GetCustomAttribute<FieldOffsetAttribute>()!.Value;
                if (offset != m.Offset)
                    problems.Add($"{t.Name}.{m.Name}: C# offset {offset}, manifest {m.Offset}");
            }
        }
        Assert.That(problems, Is.Empty);
        Assert.That(fields, Is.GreaterThan(200));
    }

    private static IEnumerable<MemberLayout> Leaves(IEnumerable<MemberLayout> members) =>
        members.SelectMany(m => m.Name is null && m.Anonymous is not null ? Leaves(m.Anonymous.Members) : new[] { m });

    private static int Offset(TypeLayout t, string member) => Leaves(t.Members).Single(m => m.Name == member).Offset;
}
