// SPDX-License-Identifier: GPL-2.0-only
// Transliterated from Linux 6.12.117 lib/kstrtox.c (the parsers sysfs stores use), the
// kstrtoul inline of include/linux/kstrtox.h, _tolower/isxdigit of include/linux/ctype.h and
// sysfs_streq of lib/string_helpers.c. Strings are NUL-terminated bytes, as in C.
using static Emu.Kernel.KernelConstants;

namespace Emu.Kernel;

public unsafe partial class Kernel
{
    private const uint KSTRTOX_OVERFLOW = 1U << 31;

    [Upstream("include/linux/ctype.h", "_tolower", "1dbe415016c3df9f")]
    internal static byte _tolower(byte c)
    {
        return (byte)(c | 0x20);
    }

    // ctype's _D|_X classes: the hex digits.
    [Upstream("include/linux/ctype.h", "isxdigit", UpstreamAttribute.Macro)]
    internal static bool isxdigit(byte c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

    [Upstream("lib/kstrtox.c", "_parse_integer_fixup_radix", "ff4a4052c973fe9b")]
    internal static byte* _parse_integer_fixup_radix(byte* s, uint* @base)
    {
        if (*@base == 0)
        {
            if (s[0] == '0')
            {
                if (_tolower(s[1]) == 'x' && isxdigit(s[2]))
                    *@base = 16;
                else
                    *@base = 8;
            }
            else
                *@base = 10;
        }
        if (*@base == 16 && s[0] == '0' && _tolower(s[1]) == 'x')
            s += 2;
        return s;
    }

    [Upstream("lib/kstrtox.c", "_parse_integer_limit", "798a7f6a2bec0cce")]
    internal static uint _parse_integer_limit(byte* s, uint @base, ulong* p, ulong max_chars)
    {
        ulong res;
        uint rv;

        res = 0;
        rv = 0;
        while (max_chars-- != 0)
        {
            uint c = *s;
            uint lc = _tolower((byte)c);
            uint val;

            if ('0' <= c && c <= '9')
                val = c - '0';
            else if ('a' <= lc && lc <= 'f')
                val = lc - 'a' + 10;
            else
                break;

            if (val >= @base)
                break;
            // Only check for overflow once the top bits are in use.
            if ((res & (~0UL << 60)) != 0)
            {
                if (res > (ulong.MaxValue - val) / @base)
                    rv |= KSTRTOX_OVERFLOW;
            }
            res = res * @base + val;
            rv++;
            s++;
        }
        *p = res;
        return rv;
    }

    [Upstream("lib/kstrtox.c", "_parse_integer", "fa7269a9757896f4")]
    internal static uint _parse_integer(byte* s, uint @base, ulong* p)
    {
        return _parse_integer_limit(s, @base, p, int.MaxValue);
    }

    [Upstream("lib/kstrtox.c", "_kstrtoull", "dcaa3546db4f3fe4")]
    private static int _kstrtoull(byte* s, uint @base, ulong* res)
    {
        ulong _res;
        uint rv;

        s = _parse_integer_fixup_radix(s, &@base);
        rv = _parse_integer(s, @base, &_res);
        if ((rv & KSTRTOX_OVERFLOW) != 0)
            return -ERANGE;
        if (rv == 0)
            return -EINVAL;
        s += rv;
        if (*s == '\n')
            s++;
        if (*s != 0)
            return -EINVAL;
        *res = _res;
        return 0;
    }

    [Upstream("lib/kstrtox.c", "kstrtoull", "bf68cae6bdf18aa8")]
    internal static int kstrtoull(byte* s, uint @base, ulong* res)
    {
        if (s[0] == '+')
            s++;
        return _kstrtoull(s, @base, res);
    }

    [Upstream("lib/kstrtox.c", "kstrtoll", "fe7f41756fa052cc")]
    internal static int kstrtoll(byte* s, uint @base, long* res)
    {
        ulong tmp;
        int rv;

        if (s[0] == '-')
        {
            rv = _kstrtoull(s + 1, @base, &tmp);
            if (rv < 0)
                return rv;
            if ((long)(0 - tmp) > 0)
                return -ERANGE;
            *res = (long)(0 - tmp);
        }
        else
        {
            rv = kstrtoull(s, @base, &tmp);
            if (rv < 0)
                return rv;
            if ((long)tmp < 0)
                return -ERANGE;
            *res = (long)tmp;
        }
        return 0;
    }

    [Upstream("include/linux/kstrtox.h", "kstrtoul", "0023f4eb8b3bd63a")]
    internal static int kstrtoul(byte* s, uint @base, ulong* res)
    {
        // unsigned long and unsigned long long agree on x86_64: the shortcut branch.
        return kstrtoull(s, @base, res);
    }

    [Upstream("lib/kstrtox.c", "kstrtouint", "806fd442109967ed")]
    internal static int kstrtouint(byte* s, uint @base, uint* res)
    {
        ulong tmp;
        int rv;

        rv = kstrtoull(s, @base, &tmp);
        if (rv < 0)
            return rv;
        if (tmp != (uint)tmp)
            return -ERANGE;
        *res = (uint)tmp;
        return 0;
    }

    [Upstream("lib/kstrtox.c", "kstrtoint", "e00a0ce5b6cb80ba")]
    internal static int kstrtoint(byte* s, uint @base, int* res)
    {
        long tmp;
        int rv;

        rv = kstrtoll(s, @base, &tmp);
        if (rv < 0)
            return rv;
        if (tmp != (int)tmp)
            return -ERANGE;
        *res = (int)tmp;
        return 0;
    }

    [Upstream("lib/kstrtox.c", "kstrtobool", "4ec3eb386bd6aa65")]
    internal static int kstrtobool(byte* s, bool* res)
    {
        if (s == null)
            return -EINVAL;

        switch (s[0])
        {
            case (byte)'y':
            case (byte)'Y':
            case (byte)'t':
            case (byte)'T':
            case (byte)'1':
                *res = true;
                return 0;
            case (byte)'n':
            case (byte)'N':
            case (byte)'f':
            case (byte)'F':
            case (byte)'0':
                *res = false;
                return 0;
            case (byte)'o':
            case (byte)'O':
                switch (s[1])
                {
                    case (byte)'n':
                    case (byte)'N':
                        *res = true;
                        return 0;
                    case (byte)'f':
                    case (byte)'F':
                        *res = false;
                        return 0;
                    default:
                        break;
                }
                break;
            default:
                break;
        }

        return -EINVAL;
    }

    [Upstream("lib/string_helpers.c", "sysfs_streq", "876405b1b5c408a7")]
    internal static bool sysfs_streq(byte* s1, byte* s2)
    {
        while (*s1 != 0 && *s1 == *s2)
        {
            s1++;
            s2++;
        }

        if (*s1 == *s2)
            return true;
        if (*s1 == 0 && *s2 == '\n' && s2[1] == 0)
            return true;
        if (*s1 == '\n' && s1[1] == 0 && *s2 == 0)
            return true;
        return false;
    }
}
