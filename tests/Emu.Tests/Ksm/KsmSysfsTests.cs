using System;
using System.Linq;
using NUnit.Framework;

namespace Emu.Tests.Ksm;

/// <summary>
/// /sys/kernel/mm/ksm through machine.Sysfs: defaults are mm/ksm.c's initializers, and every
/// refusal is the errno its _store function (with lib/kstrtox.c's parsers) returns.
/// These need no process.
/// </summary>
public class KsmSysfsTests
{
    private Machine _machine = null!;

    [SetUp]
    public void SetUp() => _machine = new Machine(new MachineOptions { MemoryBytes = 16UL << 20 });

    [TearDown]
    public void TearDown() => _machine.Dispose();

    private string Read(string name) => _machine.Sysfs["/sys/kernel/mm/ksm/" + name];

    private void Write(string name, string value) => _machine.Sysfs["/sys/kernel/mm/ksm/" + name] = value;

    private int WriteFails(string name, string value) =>
        Assert.Throws<LinuxErrorException>(() => Write(name, value))!.Errno;

    private const int ENOENT = 2, EACCES = 13, EINVAL = 22, ERANGE = 34;

    // mm/ksm.c: static initializers and ksm_init (use_zero_pages false); CONFIG_NUMA's
    // ksm_merge_across_nodes = 1; the counters start at 0.
    [TestCase("run", "0\n")]
    [TestCase("pages_to_scan", "100\n")] // DEFAULT_PAGES_TO_SCAN
    [TestCase("sleep_millisecs", "20\n")]
    [TestCase("max_page_sharing", "256\n")]
    [TestCase("use_zero_pages", "0\n")]
    [TestCase("merge_across_nodes", "1\n")]
    [TestCase("smart_scan", "1\n")]
    [TestCase("stable_node_chains_prune_millisecs", "2000\n")]
    [TestCase("advisor_mode", "[none] scan-time\n")]
    [TestCase("advisor_max_cpu", "70\n")]
    [TestCase("advisor_min_pages_to_scan", "500\n")]
    [TestCase("advisor_max_pages_to_scan", "30000\n")]
    [TestCase("advisor_target_scan_time", "200\n")]
    [TestCase("pages_scanned", "0\n")]
    [TestCase("pages_shared", "0\n")]
    [TestCase("pages_sharing", "0\n")]
    [TestCase("pages_unshared", "0\n")]
    [TestCase("pages_volatile", "0\n")]
    [TestCase("pages_skipped", "0\n")]
    [TestCase("full_scans", "0\n")]
    [TestCase("stable_node_chains", "0\n")]
    [TestCase("stable_node_dups", "0\n")]
    [TestCase("ksm_zero_pages", "0\n")]
    [TestCase("general_profit", "0\n")]
    public void DefaultsAreKsmCsInitializers(string name, string expected)
    {
        Assert.That(Read(name), Is.EqualTo(expected));
    }

    [Test]
    public void TheFilesAreKsmAttrsInOrder()
    {
        // mm/ksm.c ksm_attrs[] with CONFIG_NUMA (merge_across_nodes after full_scans).
        string[] expected =
        [
            "sleep_millisecs", "pages_to_scan", "run", "pages_scanned", "pages_shared", "pages_sharing",
            "pages_unshared", "pages_volatile", "pages_skipped", "ksm_zero_pages", "full_scans",
            "merge_across_nodes", "max_page_sharing", "stable_node_chains", "stable_node_dups",
            "stable_node_chains_prune_millisecs", "use_zero_pages", "general_profit", "smart_scan",
            "advisor_mode", "advisor_max_cpu", "advisor_min_pages_to_scan", "advisor_max_pages_to_scan",
            "advisor_target_scan_time",
        ];
        Assert.That(_machine.Sysfs.KsmFiles, Is.EqualTo(expected.Select(n => "/sys/kernel/mm/ksm/" + n)));
    }

    // kstrtouint(buf, 10): an optional '+', digits, one optional '\n', nothing else.
    [TestCase("pages_to_scan", "1234", "1234\n")]
    [TestCase("pages_to_scan", "1234\n", "1234\n")]
    [TestCase("pages_to_scan", "+7", "7\n")]
    [TestCase("pages_to_scan", "4294967295", "4294967295\n")]
    [TestCase("sleep_millisecs", "0", "0\n")]
    [TestCase("stable_node_chains_prune_millisecs", "5\n", "5\n")]
    [TestCase("advisor_max_cpu", "33", "33\n")]
    [TestCase("advisor_target_scan_time", "1", "1\n")]
    [TestCase("max_page_sharing", "2", "2\n")]
    public void AcceptedValuesReadBack(string name, string written, string read)
    {
        Write(name, written);
        Assert.That(Read(name), Is.EqualTo(read));
    }

    // Each store maps a kstrto* failure to -EINVAL, except max_page_sharing_store and
    // merge_across_nodes_store, which return kstrto*'s own error (ERANGE on overflow).
    [TestCase("run", "abc", EINVAL)]
    [TestCase("run", "-1", EINVAL)]            // kstrtoull stops at '-': no digits
    [TestCase("run", "3", EINVAL)]             // flags > KSM_RUN_UNMERGE
    [TestCase("run", "1 ", EINVAL)]            // trailing garbage other than one '\n'
    [TestCase("run", "1\n\n", EINVAL)]
    [TestCase("run", "", EINVAL)]
    [TestCase("pages_to_scan", "0x10", EINVAL)] // base 10: the 'x' is garbage
    [TestCase("pages_to_scan", "4294967296", EINVAL)] // ERANGE from kstrtouint, mapped to EINVAL
    [TestCase("sleep_millisecs", "1.5", EINVAL)]
    [TestCase("max_page_sharing", "1", EINVAL)] // knob < 2
    [TestCase("max_page_sharing", "abc", EINVAL)]
    [TestCase("max_page_sharing", "-0", EINVAL)] // kstrtoint gives 0, and 0 < 2
    [TestCase("max_page_sharing", "2147483648", ERANGE)] // kstrtoint's -ERANGE passed through
    [TestCase("merge_across_nodes", "2", EINVAL)]
    [TestCase("merge_across_nodes", "18446744073709551616", ERANGE)] // kstrtoul overflow passed through
    [TestCase("use_zero_pages", "maybe", EINVAL)]
    [TestCase("use_zero_pages", "o", EINVAL)]  // kstrtobool: "o" needs n/N/f/F next
    [TestCase("smart_scan", "2", EINVAL)]
    [TestCase("advisor_mode", "bogus", EINVAL)]
    [TestCase("advisor_target_scan_time", "0", EINVAL)] // value < 1
    [TestCase("advisor_max_cpu", "x", EINVAL)]
    public void RejectedValuesFailWithTheStoresErrno(string name, string written, int errno)
    {
        string before = Read(name);
        Assert.That(WriteFails(name, written), Is.EqualTo(errno));
        Assert.That(Read(name), Is.EqualTo(before), "a refused write changes nothing");
    }

    // kstrtobool: y/Y/t/T/1, n/N/f/F/0 on the first byte, on/off on the first two.
    [TestCase("y", "1\n")]
    [TestCase("True", "1\n")]
    [TestCase("1", "1\n")]
    [TestCase("on", "1\n")]
    [TestCase("ON", "1\n")]
    [TestCase("no", "0\n")]
    [TestCase("0", "0\n")]
    [TestCase("off", "0\n")]
    [TestCase("yes-whatever", "1\n")] // only the first byte is looked at
    public void UseZeroPagesParsesKstrtobool(string written, string read)
    {
        Write("use_zero_pages", written == "0" || written == "no" || written == "off" ? "1" : "0");
        Write("use_zero_pages", written);
        Assert.That(Read("use_zero_pages"), Is.EqualTo(read));
    }

    [Test]
    public void AdvisorModeSwitchesPagesToScanAndLocksIt()
    {
        Write("pages_to_scan", "1234");
        // sysfs_streq accepts one trailing newline, as echo writes it.
        Write("advisor_mode", "scan-time\n");
        Assert.That(Read("advisor_mode"), Is.EqualTo("none [scan-time]\n"));
        // set_advisor_defaults: pages_to_scan = advisor_min_pages_to_scan.
        Assert.That(Read("pages_to_scan"), Is.EqualTo("500\n"));
        // pages_to_scan_store refuses while an advisor runs.
        Assert.That(WriteFails("pages_to_scan", "10"), Is.EqualTo(EINVAL));
        Write("advisor_mode", "none");
        Assert.That(Read("advisor_mode"), Is.EqualTo("[none] scan-time\n"));
        // Back to DEFAULT_PAGES_TO_SCAN, not the 1234 written before.
        Assert.That(Read("pages_to_scan"), Is.EqualTo("100\n"));
        // Same mode again: no reset (curr_advisor == ksm_advisor).
        Write("pages_to_scan", "77");
        Write("advisor_mode", "none");
        Assert.That(Read("pages_to_scan"), Is.EqualTo("77\n"));
    }

    [Test]
    public void RunTakesZeroOneTwo()
    {
        Write("run", "1");
        Assert.That(Read("run"), Is.EqualTo("1\n"));
        // run=2: unmerge_and_remove_all_rmap_items with nothing registered succeeds, seqnr = 0.
        Write("run", "2");
        Assert.That(Read("run"), Is.EqualTo("2\n"));
        Assert.That(Read("full_scans"), Is.EqualTo("0\n"));
        Write("run", "0");
        Assert.That(Read("run"), Is.EqualTo("0\n"));
    }

    [Test]
    public void MaxPageSharingAndMergeAcrossNodesChangeWhenNothingIsShared()
    {
        // ksm_pages_shared == 0 and remove_all_stable_nodes() finds nothing: the change is allowed.
        Write("max_page_sharing", "3");
        Assert.That(Read("max_page_sharing"), Is.EqualTo("3\n"));
        Write("merge_across_nodes", "0");
        Assert.That(Read("merge_across_nodes"), Is.EqualTo("0\n"));
        Write("merge_across_nodes", "1");
        Assert.That(Read("merge_across_nodes"), Is.EqualTo("1\n"));
    }

    [Test]
    public void ReadOnlyFilesRefuseWritesAndUnknownFilesDoNotExist()
    {
        // kernfs_fop_open: a write open of an attribute without store is -EACCES.
        Assert.That(WriteFails("pages_shared", "0"), Is.EqualTo(EACCES));
        Assert.That(WriteFails("full_scans", "0"), Is.EqualTo(EACCES));
        Assert.That(Assert.Throws<LinuxErrorException>(() => _ = Read("no_such_knob"))!.Errno, Is.EqualTo(ENOENT));
        Assert.That(Assert.Throws<LinuxErrorException>(() => _ = _machine.Sysfs["/proc/4242/ksm_stat"])!.Errno, Is.EqualTo(ENOENT));
    }

    [Test]
    public void KsmdWithNothingRegisteredDoesNotScan()
    {
        Write("run", "1");
        // ksmd_should_run: run has KSM_RUN_MERGE but ksm_mm_head's list is empty.
        Assert.That(_machine.Ksm.ShouldRun, Is.False);
        Assert.That(_machine.Ksm.Scan(100), Is.EqualTo(0));
        Assert.Throws<InvalidOperationException>(() => _machine.Ksm.RunFullScans(1));
        Assert.That(Read("full_scans"), Is.EqualTo("0\n"));
    }

    [Test]
    public void DaemonSleepsOnTheVirtualClock()
    {
        Write("run", "1");
        ulong before = _machine.Kernel.jiffies;
        // Nothing to scan: ksmd waits; one virtual second is HZ (250, Debian config) jiffies.
        Assert.That(_machine.Ksm.RunDaemon(TimeSpan.FromSeconds(1)), Is.EqualTo(0));
        Assert.That(_machine.Kernel.jiffies - before, Is.EqualTo(250UL));
    }
}
