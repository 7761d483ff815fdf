using System.Linq;
using NUnit.Framework;

namespace Emu.Tests.Gup.Cow;

/// <summary>
/// tools/testing/selftests/mm/cow.c cases on Emu, keyed by (case, backing) as its "[RUN] case ...
/// with backing" lines are. A correct 6.12 kernel passes every case that runs; cases whose
/// backing Emu lacks (swap, THP, hugetlb, io_uring) are ignored with the reason, as cow.c skips them.
/// </summary>
public class CowTests
{
    private static string[] AnonCases() => new CowPort(null!).anon_test_cases().Select(c => c.Desc).ToArray();
    private static string[] NonAnonCases() => new CowPort(null!).non_anon_test_cases().Select(c => c.Desc).ToArray();

    [TestCaseSource(nameof(AnonCases))]
    public void WithBasePage(string desc) => AddressSpace.Run(() =>
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20 });
        var port = new CowPort(machine.Spawn("cow"));
        var fn = port.anon_test_cases().Single(c => c.Desc == desc).Fn;
        if (fn is null)
            Assert.Ignore("cow.c builds this case only with liburing (LOCAL_CONFIG_HAVE_LIBURING); Emu has no io_uring");
        port.run_with_base_page(fn, desc);
        AssertOne(port, machine);
    });

    [TestCaseSource(nameof(AnonCases))]
    public void WithSwappedOutBasePage(string desc) =>
        Assert.Ignore("Emu models no swap: cow.c reports \"MADV_PAGEOUT did not work, is swap enabled?\" as a skip");

    [TestCaseSource(nameof(NonAnonCases))]
    public void WithSharedZeropage(string desc) => AddressSpace.Run(() =>
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 64UL << 20 });
        var port = new CowPort(machine.Spawn("cow"));
        port.run_with_zeropage(port.non_anon_test_cases().Single(c => c.Desc == desc).Fn, desc);
        AssertOne(port, machine);
    });

    private static void AssertOne(CowPort port, Machine machine)
    {
        Assert.That(port.Results, Has.Count.EqualTo(1), "each case reports exactly one result");
        var (result, message) = port.Results[0];
        if (result == CowPort.Result.Skip)
            Assert.Ignore("cow.c skip: " + message.Trim());
        Assert.That(result, Is.EqualTo(CowPort.Result.Pass), message);
        Assert.That(machine.Warnings, Is.Empty);
    }
}
