using System.Collections.Generic;
using System.Linq;
using Emu.Generators.Layout;
using Emu.Generators.Model;

namespace Emu.Generators.Emit;

/// <summary>
/// The leaf page-flag macros of include/linux/page-flags.h (6.12) and what each defines. The
/// headers keep upstream's composite macros (PAGEFLAG = TESTPAGEFLAG + SETPAGEFLAG + ...), so
/// the set of accessors comes out of the headers' own expansion; this table supplies the bodies
/// (upstream's macro bodies, which the trimmed headers reduce to prototypes).
/// </summary>
internal static class PageFlagAccessors
{
    public const string HintName = "Emu.Kernel.PageFlagAccessors.g.cs";

    private enum Op { Test, Set, Clear, SetNonAtomic, ClearNonAtomic, TestSet, TestClear, False, Noop, TypeOps }

    /// <summary>Macro → (folio or page level, operation, C function name pattern).</summary>
    private static readonly Dictionary<string, (bool Page, Op Op, string Pattern)> Table = new()
    {
        ["FOLIO_TEST_FLAG"] = (false, Op.Test, "folio_test_{0}"),
        ["FOLIO_SET_FLAG"] = (false, Op.Set, "folio_set_{0}"),
        ["FOLIO_CLEAR_FLAG"] = (false, Op.Clear, "folio_clear_{0}"),
        ["__FOLIO_SET_FLAG"] = (false, Op.SetNonAtomic, "__folio_set_{0}"),
        ["__FOLIO_CLEAR_FLAG"] = (false, Op.ClearNonAtomic, "__folio_clear_{0}"),
        ["FOLIO_TEST_SET_FLAG"] = (false, Op.TestSet, "folio_test_set_{0}"),
        ["FOLIO_TEST_CLEAR_FLAG"] = (false, Op.TestClear, "folio_test_clear_{0}"),
        ["FOLIO_TEST_FLAG_FALSE"] = (false, Op.False, "folio_test_{0}"),
        ["FOLIO_SET_FLAG_NOOP"] = (false, Op.Noop, "folio_set_{0}"),
        ["FOLIO_CLEAR_FLAG_NOOP"] = (false, Op.Noop, "folio_clear_{0}"),
        ["__FOLIO_SET_FLAG_NOOP"] = (false, Op.Noop, "__folio_set_{0}"),
        ["__FOLIO_CLEAR_FLAG_NOOP"] = (false, Op.Noop, "__folio_clear_{0}"),
        ["FOLIO_TEST_SET_FLAG_FALSE"] = (false, Op.False, "folio_test_set_{0}"),
        ["FOLIO_TEST_CLEAR_FLAG_FALSE"] = (false, Op.False, "folio_test_clear_{0}"),
        ["TESTPAGEFLAG"] = (true, Op.Test, "Page{0}"),
        ["SETPAGEFLAG"] = (true, Op.Set, "SetPage{0}"),
        ["CLEARPAGEFLAG"] = (true, Op.Clear, "ClearPage{0}"),
        ["__SETPAGEFLAG"] = (true, Op.SetNonAtomic, "__SetPage{0}"),
        ["__CLEARPAGEFLAG"] = (true, Op.ClearNonAtomic, "__ClearPage{0}"),
        ["TESTSETFLAG"] = (true, Op.TestSet, "TestSetPage{0}"),
        ["TESTCLEARFLAG"] = (true, Op.TestClear, "TestClearPage{0}"),
        ["TESTPAGEFLAG_FALSE"] = (true, Op.False, "Page{0}"),
        ["SETPAGEFLAG_NOOP"] = (true, Op.Noop, "SetPage{0}"),
        ["CLEARPAGEFLAG_NOOP"] = (true, Op.Noop, "ClearPage{0}"),
        ["__CLEARPAGEFLAG_NOOP"] = (true, Op.Noop, "__ClearPage{0}"),
        ["TESTSETFLAG_FALSE"] = (true, Op.False, "TestSetPage{0}"),
        ["TESTCLEARFLAG_FALSE"] = (true, Op.False, "TestClearPage{0}"),
        ["FOLIO_TYPE_OPS"] = (false, Op.TypeOps, "{0}"),
        ["PAGE_TYPE_OPS"] = (true, Op.TypeOps, "{0}"),
    };

    /// <summary>The macros whose invocations the preprocessor records.</summary>
    public static readonly ISet<string> MacroNames = new HashSet<string>(Table.Keys);

    private static readonly HashSet<string> Policies = new() { "PF_ANY", "PF_HEAD", "PF_NO_TAIL", "PF_NO_COMPOUND", "PF_SECOND" };

    public static string Emit(HeaderProgram program, LayoutSet layouts, List<HeaderDiagnostic> diagnostics)
    {
        var constants = new HashSet<string>(layouts.Constants.Select(c => c.Name));
        var w = new IndentedWriter();
        w.Block(CSharpNames.Header);
        w.Line("using System.Runtime.CompilerServices;");
        w.Line("using System.Threading;");
        w.Line("using static Emu.Kernel.KernelConstants;");
        w.Line();
        w.Line("namespace Emu.Kernel;");
        w.Line();
        w.Line("/// <summary>Page and folio flag accessors, as include/linux/page-flags.h's macros define them for this config.</summary>");
        w.Open("public static unsafe partial class PageFlagAccessors");
        w.Block(Helpers);
        var defined = new Dictionary<string, SourceLocation>();
        foreach (var use in program.AccessorMacros)
        {
            var (isPage, op, pattern) = Table[use.Macro];
            var a = use.Arguments;
            int expected = op == Op.TypeOps ? (isPage ? 3 : 2) : isPage ? (op is Op.False or Op.Noop ? 2 : 3) : (op is Op.False or Op.Noop ? 1 : 2);
            if (a.Count != expected)
            {
                diagnostics.Add(new HeaderDiagnostic("EMU040", $"{use.Macro} takes {expected} arguments here, {a.Count} given", use.Location, true));
                continue;
            }
            if (op == Op.TypeOps)
            {
                EmitTypeOps(w, use, isPage, defined, constants, diagnostics);
                continue;
            }
            // Folio level: (name, page index); page level: (uname, lname, policy).
            string fn = string.Format(pattern, a[0]);
            string lname = isPage ? a[1] : a[0];
            string target;
            if (isPage)
            {
                if (op is Op.False or Op.Noop)
                    target = "";
                else if (!Policies.Contains(a[2]))
                {
                    diagnostics.Add(new HeaderDiagnostic("EMU041", $"unknown page-flag policy '{a[2]}' (expected one of {string.Join(", ", Policies)})", use.Location, true));
                    continue;
                }
                else
                    target = $"&{a[2]}(page, {(op == Op.Test ? 0 : 1)})->flags";
            }
            else
            {
                target = op is Op.False or Op.Noop ? "" : $"{(op == Op.Test ? "const_folio_flags" : "folio_flags")}(folio, {a[1]})";
            }
            if (!Define(fn, use, defined, diagnostics))
                continue;
            if (op is not (Op.False or Op.Noop) && !constants.Contains("PG_" + lname))
            {
                diagnostics.Add(new HeaderDiagnostic("EMU042", $"{use.Macro}({string.Join(", ", a)}): no PG_{lname} in enum pageflags", use.Location, true));
                continue;
            }
            var param = isPage ? "page* page" : "folio* folio";
            var bit = "PG_" + lname;
            w.Line();
            w.Line($"/// <summary><c>{use.Macro}({string.Join(", ", a)})</c> at {use.Location.File}:{use.Location.Line}.</summary>");
            w.Line(Marker(use.Macro));
            w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
            w.Line(op switch
            {
                Op.Test => $"public static bool {fn}({param}) => test_bit({bit}, {target});",
                Op.Set => $"public static void {fn}({param}) => set_bit({bit}, {target});",
                Op.Clear => $"public static void {fn}({param}) => clear_bit({bit}, {target});",
                Op.SetNonAtomic => $"public static void {fn}({param}) => __set_bit({bit}, {target});",
                Op.ClearNonAtomic => $"public static void {fn}({param}) => __clear_bit({bit}, {target});",
                Op.TestSet => $"public static bool {fn}({param}) => test_and_set_bit({bit}, {target});",
                Op.TestClear => $"public static bool {fn}({param}) => test_and_clear_bit({bit}, {target});",
                Op.False => $"public static bool {fn}({param}) => false;",
                _ => $"public static void {fn}({param}) {{ }}",
            });
        }
        w.Close();
        return w.ToString();
    }

    private static void EmitTypeOps(IndentedWriter w, AccessorMacroUse use, bool isPage, Dictionary<string, SourceLocation> defined,
        HashSet<string> constants, List<HeaderDiagnostic> diagnostics)
    {
        var a = use.Arguments;
        var lname = isPage ? a[1] : a[0];
        var ty = "PGTY_" + lname;
        if (!constants.Contains(ty))
        {
            diagnostics.Add(new HeaderDiagnostic("EMU042", $"{use.Macro}({string.Join(", ", a)}): no {ty} in enum pagetype", use.Location, true));
            return;
        }
        string test, set, clear, param, field;
        if (isPage)
        {
            (test, set, clear) = ("Page" + a[0], "__SetPage" + a[0], "__ClearPage" + a[0]);
            (param, field) = ("page* page", "page->page_type");
        }
        else
        {
            (test, set, clear) = ("folio_test_" + a[1], "__folio_set_" + a[1], "__folio_clear_" + a[1]);
            (param, field) = ("folio* folio", "folio->page.page_type");
        }
        var arg = isPage ? "page" : "folio";
        if (!Define(test, use, defined, diagnostics) | !Define(set, use, defined, diagnostics) | !Define(clear, use, defined, diagnostics))
            return;
        w.Line();
        w.Line($"/// <summary><c>{use.Macro}({string.Join(", ", a)})</c> at {use.Location.File}:{use.Location.Line}: the type lives in the top byte of page_type.</summary>");
        w.Line(Marker(use.Macro));
        w.Line($"public static bool {test}({param}) => (Volatile.Read(ref {field}) >> 24) == {ty};");
        w.Line(Marker(use.Macro));
        w.Line($"public static void {set}({param})");
        w.Line("{");
        w.Line($"    if ({test}({arg})) return;");
        w.Line($"    VM_BUG_ON(Volatile.Read(ref {field}) != uint.MaxValue, \"{set}: page_type already set\");");
        w.Line($"    {field} = (uint){ty} << 24;");
        w.Line("}");
        w.Line(Marker(use.Macro));
        w.Line($"public static void {clear}({param})");
        w.Line("{");
        w.Line($"    if ({field} == uint.MaxValue) return;");
        w.Line($"    VM_BUG_ON(!{test}({arg}), \"{clear}: page_type is another type\");");
        w.Line($"    {field} = uint.MaxValue;");
        w.Line("}");
    }

    /// <summary>The accessor mirrors the upstream macro that defines it (macros have no body hash).</summary>
    private static string Marker(string macro) => $"[Upstream(\"include/linux/page-flags.h\", \"{macro}\", UpstreamAttribute.Macro)]";

    private static bool Define(string fn, AccessorMacroUse use, Dictionary<string, SourceLocation> defined, List<HeaderDiagnostic> diagnostics)
    {
        if (defined.TryGetValue(fn, out var first))
        {
            diagnostics.Add(new HeaderDiagnostic("EMU043", $"redefinition of '{fn}' (first defined by the declaration at {first})", use.Location, true));
            return false;
        }
        defined[fn] = use.Location;
        return true;
    }

    // Policies without CONFIG_DEBUG_VM_PGFLAGS (Debian's config): they only pick the page holding the flag.
    private const string Helpers = """
        private static page* compound_head(page* page)
        {
            ulong head = Volatile.Read(ref page->compound_head);
            return (head & 1) != 0 ? (page*)(head - 1) : page;
        }

        private static page* PF_ANY(page* page, int enforce) => page;
        private static page* PF_HEAD(page* page, int enforce) => compound_head(page);
        private static page* PF_NO_TAIL(page* page, int enforce) => compound_head(page);
        private static page* PF_NO_COMPOUND(page* page, int enforce) => page;
        private static page* PF_SECOND(page* page, int enforce) => page + 1;

        private static ulong* const_folio_flags(folio* folio, uint n) => &((page*)folio)[n].flags;
        private static ulong* folio_flags(folio* folio, uint n) => &((page*)folio)[n].flags;

        private static bool test_bit(long nr, ulong* addr) => (Volatile.Read(ref addr[nr >> 6]) & (1UL << (int)(nr & 63))) != 0;
        private static void set_bit(long nr, ulong* addr) => Interlocked.Or(ref addr[nr >> 6], 1UL << (int)(nr & 63));
        private static void clear_bit(long nr, ulong* addr) => Interlocked.And(ref addr[nr >> 6], ~(1UL << (int)(nr & 63)));
        private static void __set_bit(long nr, ulong* addr) => addr[nr >> 6] |= 1UL << (int)(nr & 63);
        private static void __clear_bit(long nr, ulong* addr) => addr[nr >> 6] &= ~(1UL << (int)(nr & 63));
        private static bool test_and_set_bit(long nr, ulong* addr) => (Interlocked.Or(ref addr[nr >> 6], 1UL << (int)(nr & 63)) & (1UL << (int)(nr & 63))) != 0;
        private static bool test_and_clear_bit(long nr, ulong* addr) => (Interlocked.And(ref addr[nr >> 6], ~(1UL << (int)(nr & 63))) & (1UL << (int)(nr & 63))) != 0;

        private static void VM_BUG_ON(bool condition, string what)
        {
            if (condition)
                throw new KernelBugException("VM_BUG_ON: " + what);
        }
        """;
}
