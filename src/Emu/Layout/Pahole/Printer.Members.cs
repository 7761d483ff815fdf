using System;
using System.Globalization;
using System.Text;

namespace Emu.Layout;

// Member lines, their column rules and cacheline markers, and unions.
public static partial class PaholeFormatter
{
    private sealed partial class Printer
    {
        private static string Indent(int n) => new string('\t', Math.Min(n, 16));

        private const string PackedAttr = " __attribute__((__packed__))";

        private static string AlignedAttr(int a) => $" __attribute__((__aligned__({a.ToString(CultureInfo.InvariantCulture)})))";

        private void CachelineBoundary(Conf conf, int offset)
        {
            int cacheline = offset / _cl;
            if (cacheline <= conf.Cacheline[0])
                return;
            int pos = offset % _cl;
            int inBytes = offset - pos;
            if (pos == 0)
                _sb.Append($"/* --- cacheline {cacheline} boundary ({inBytes} bytes) --- */\n");
            else
                _sb.Append($"/* --- cacheline {cacheline} boundary ({inBytes} bytes) was {pos} byte{(pos > 1 ? "s" : "")} ago --- */\n");
            _sb.Append(Indent(conf.Indent));
            conf.Cacheline[0] = cacheline;
        }

        /// <summary>class_member__fprintf(): one member line, or a whole inline aggregate, without the newline.</summary>
        private void PrintMember(PMember m, Conf conf)
        {
            int offset = m.AbsOffset;
            if (m.BitfieldSize != 0)
                offset = conf.BaseOffset + m.ByteOffset;
            CachelineBoundary(conf, offset);
            string alignAttr = m.Alignment != 0 ? AlignedAttr(m.Alignment) : "";
            if (m.Type is InlineType inline)
            {
                var inner = conf.With(c =>
                {
                    c.TypeSpacing -= 8;
                    c.EmitStats = false;
                    c.BaseOffset = offset;
                });
                bool packed = inline.Layout.IsUnion
                    ? PrintUnion(inline.Layout, inner, null, anonymous: true)
                    : PrintStruct(inline.Layout, inner, null, anonymous: true);
                if (m.Name is not null)
                    _sb.Append(' ').Append(m.Name);
                _sb.Append(alignAttr).Append(';');
                // The comment column counts the name, __packed__ and the TYPE's alignment (even for a
                // union, which never prints it), not the member's own __aligned__.
                int slen = m.Name?.Length ?? -1;
                if (packed)
                    slen += PackedAttr.Length;
                int typeAlign = UserAlign(inline.Layout);
                if (typeAlign != 0)
                    slen += AlignedAttr(typeAlign).Length;
                int width = conf.TypeSpacing + conf.NameSpacing - slen - 3;
                _sb.Append(new string(' ', Math.Max(Math.Abs(width), 1)));
                _sb.Append($"/* {offset,5} {m.ByteSize,5} */");
                return;
            }
            var line = new StringBuilder(TypeString(m.Type, m.Name ?? "", conf.TypeSpacing, conf));
            if (m.BitfieldSize != 0)
                line.Append(':').Append(m.BitfieldSize.ToString(CultureInfo.InvariantCulture));
            line.Append(alignAttr).Append(';');
            _sb.Append(line);
            int spacing = conf.TypeSpacing + conf.NameSpacing - line.Length;
            _sb.Append(new string(' ', Math.Max(spacing, 1)));
            if (m.BitfieldSize != 0)
                _sb.Append($"/* {offset,5}:{m.BitfieldOffset,2} {m.ByteSize,2} */");
            else
                _sb.Append($"/* {offset,5} {m.ByteSize,5} */");
        }

        /// <summary>
        /// union__fprintf(): no holes, no statistics; the cacheline is rewound after each member.
        /// Unlike a struct it never prints the type's own __aligned__. Never packed: returns false.
        /// </summary>
        private bool PrintUnion(TypeLayout layout, Conf conf, string? suffix, bool anonymous)
        {
            _sb.Append(anonymous || layout.Name.Length == 0 ? "union {\n" : $"union {layout.Name} {{\n");
            var uconf = conf.With(c => c.Indent = conf.Indent + 1);
            var h = FindHoles(layout);
            // union__infer_packed_attributes(): structs whose alignment does not divide the union's size.
            foreach (var m in h.Members)
                if (Lookup(StripModifiers(m.Type)) is { IsUnion: false } s && !_packed.ContainsKey(s) && layout.Size % NaturalAlign(StripModifiers(m.Type), m.ByteSize) != 0)
                    _packed[s] = true;
            int initial = uconf.Cacheline[0];
            foreach (var m in h.Members)
            {
                _sb.Append(Indent(uconf.Indent));
                uconf.UnionMember = true;
                PrintMember(m, uconf);
                _sb.Append('\n');
                uconf.Cacheline[0] = initial;
            }
            _sb.Append(Indent(conf.Indent)).Append('}');
            if (suffix is not null)
                _sb.Append(' ').Append(suffix);
            return false;
        }
    }
}
