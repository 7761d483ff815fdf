// tools/testing/selftests/kselftest.h (6.12.117): the TAP reporting that selftest ports print through.
// Messages are preformatted by the caller (C# interpolation for printf); they keep the C's "\n".
// exit() becomes KselftestExitException so a port can stop from any depth, as the C does.
using System;
using System.Collections.Generic;
using System.IO;

namespace Emu.Selftests;

using UpstreamAttribute = Emu.Kernel.UpstreamAttribute;

/// <summary>One kselftest run's counters and TAP output, as the C header's statics are per program.</summary>
public sealed class Kselftest
{
    public const int KSFT_PASS = 0, KSFT_FAIL = 1, KSFT_XFAIL = 2, KSFT_XPASS = 3, KSFT_SKIP = 4;

    private readonly TextWriter _out;
    private uint _pass, _fail, _xfail, _xpass, _xskip, _error, _plan;
    private string? _lastRun;

    public Kselftest(TextWriter output) => _out = output;

    /// <summary>Every reported result in order, with the last "[RUN] ..." message printed before it.</summary>
    public List<KselftestResult> Results { get; } = new();

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_test_num", "f45eca0a27b1a3b8")]
    public uint ksft_test_num() => _pass + _fail + _xfail + _xpass + _xskip + _error;

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_inc_xpass_cnt", "131cf7a21ee88e22")]
    public void ksft_inc_xpass_cnt() => _xpass++;

    public uint ksft_get_pass_cnt() => _pass;
    public uint ksft_get_fail_cnt() => _fail;
    public uint ksft_get_xskip_cnt() => _xskip;
    public uint ksft_plan => _plan;

    // No KSFT_TAP_LEVEL in Emu's environment: the version line is always printed.
    [Upstream("tools/testing/selftests/kselftest.h", "ksft_print_header", "b1690f569e382333")]
    public void ksft_print_header() => _out.Write("TAP version 13\n");

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_set_plan", "7543c52277288d72")]
    public void ksft_set_plan(uint plan)
    {
        _plan = plan;
        _out.Write($"1..{_plan}\n");
    }

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_print_cnts", "3b07d980b14f7564")]
    public void ksft_print_cnts()
    {
        if (_plan != ksft_test_num())
            _out.Write($"# Planned tests != run tests ({_plan} != {ksft_test_num()})\n");
        _out.Write($"# Totals: pass:{_pass} fail:{_fail} xfail:{_xfail} xpass:{_xpass} skip:{_xskip} error:{_error}\n");
    }

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_print_msg", "975bdb45f75c614b")]
    public void ksft_print_msg(string msg)
    {
        if (msg.StartsWith("[RUN] ", StringComparison.Ordinal))
            _lastRun = msg.TrimEnd('\n');
        _out.Write("# " + msg);
    }

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_test_result_pass", "38b8cc32389b4c92")]
    public void ksft_test_result_pass(string msg) => Report(KSFT_PASS, ref _pass, "ok {0} ", msg);

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_test_result_fail", "5742bc03e55d584c")]
    public void ksft_test_result_fail(string msg) => Report(KSFT_FAIL, ref _fail, "not ok {0} ", msg);

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_test_result", UpstreamAttribute.Macro)]
    public void ksft_test_result(bool condition, string msg)
    {
        if (condition)
            ksft_test_result_pass(msg);
        else
            ksft_test_result_fail(msg);
    }

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_test_result_xfail", "6b62b9cbb590484f")]
    public void ksft_test_result_xfail(string msg) => Report(KSFT_XFAIL, ref _xfail, "ok {0} # XFAIL ", msg);

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_test_result_skip", "23f67e5eae349180")]
    public void ksft_test_result_skip(string msg) => Report(KSFT_SKIP, ref _xskip, "ok {0} # SKIP ", msg);

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_test_result_error", "f38936945c904741")]
    public void ksft_test_result_error(string msg) => Report(KSFT_FAIL, ref _error, "not ok {0} # error ", msg);

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_test_result_report", UpstreamAttribute.Macro)]
    public void ksft_test_result_report(int result, string msg)
    {
        switch (result)
        {
            case KSFT_PASS: ksft_test_result_pass(msg); break;
            case KSFT_FAIL: ksft_test_result_fail(msg); break;
            case KSFT_XFAIL: ksft_test_result_xfail(msg); break;
            case KSFT_SKIP: ksft_test_result_skip(msg); break;
        }
    }

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_exit_pass", "15e43eb7a1c10c1d")]
    public void ksft_exit_pass()
    {
        ksft_print_cnts();
        throw new KselftestExitException(KSFT_PASS);
    }

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_exit_fail", "9c49d9f8cc69f961")]
    public void ksft_exit_fail()
    {
        ksft_print_cnts();
        throw new KselftestExitException(KSFT_FAIL);
    }

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_exit", UpstreamAttribute.Macro)]
    public void ksft_exit(bool condition)
    {
        if (condition)
            ksft_exit_pass();
        else
            ksft_exit_fail();
    }

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_finished", UpstreamAttribute.Macro)]
    public void ksft_finished() => ksft_exit(_plan == _pass + _xfail + _xskip);

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_exit_fail_msg", "bab5bf94ff59ebbd")]
    public void ksft_exit_fail_msg(string msg)
    {
        _out.Write("Bail out! " + msg);
        ksft_print_cnts();
        throw new KselftestExitException(KSFT_FAIL);
    }

    [Upstream("tools/testing/selftests/kselftest.h", "ksft_exit_skip", "3d61dd81033c9e7c")]
    public void ksft_exit_skip(string? msg)
    {
        if (_plan != 0 || ksft_test_num() != 0)
        {
            _xskip++;
            _out.Write($"ok {1 + ksft_test_num()} # SKIP ");
        }
        else
        {
            _out.Write("1..0 # SKIP ");
        }
        if (msg is not null)
            _out.Write(msg);
        if (ksft_test_num() != 0)
            ksft_print_cnts();
        throw new KselftestExitException(KSFT_SKIP);
    }

    private void Report(int code, ref uint counter, string format, string msg)
    {
        counter++;
        _out.Write(string.Format(format, ksft_test_num()) + msg);
        Results.Add(new KselftestResult(code, msg.TrimEnd('\n'), _lastRun));
    }
}

/// <summary>A reported test result: its KSFT_* code, its message, and the "[RUN] ..." line before it.</summary>
public readonly record struct KselftestResult(int Code, string Message, string? Run);

/// <summary>exit() in a selftest port: carries the exit status to the program's runner.</summary>
public sealed class KselftestExitException(int status) : Exception($"selftest exited with status {status}")
{
    public int Status { get; } = status;
}
