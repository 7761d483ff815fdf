namespace Emu.Layout;

// Structs: member lines interleaved with hole comments, then the closing statistics.
public static partial class PaholeFormatter
{
    private sealed partial class Printer
    {
        private static string HoleComment(int size, string unit) =>
            $"/* XXX {size} {unit}{(size != 1 ? "s" : "")} hole, try to pack */";

        /// <summary>__class__fprintf(); returns whether the struct was printed as packed.</summary>
        private bool PrintStruct(TypeLayout layout, Conf conf, string? suffix, bool anonymous)
        {
            _sb.Append(anonymous || layout.Name.Length == 0 ? "struct {\n" : $"struct {layout.Name} {{\n");
            var cconf = conf.With(c => c.Indent = conf.Indent + 1);
            string ind = Indent(cconf.Indent);
            bool packed = InferPacked(layout);
            var h = FindHoles(layout);

            int newline = 0;
            var sums = new StructSums();
            long lastSize = 0;
            PMember? last = null;

            // pahole separates a run of comments from the members with one blank line.
            void BlankLineOnce()
            {
                if (newline++ == 0) _sb.Append('\n');
            }

            if (h.PreBitHole > 0)
            {
                BlankLineOnce();
                _sb.Append(ind).Append(HoleComment(h.PreBitHole, "bit")).Append('\n');
                sums.BitHoles += h.PreBitHole;
            }
            if (h.PreHole > 0)
            {
                BlankLineOnce();
                _sb.Append(ind).Append(HoleComment(h.PreHole, "byte")).Append('\n');
                sums.Holes += h.PreHole;
            }

            for (int i = 0; i < h.Members.Count; i++)
            {
                var pos = h.Members[i];
                if (pos.Alignment != 0)
                {
                    int forcedHole = last is not null ? last.Hole : h.PreHole;
                    if (forcedHole != 0) { sums.NrForcedHoles++; sums.SumForcedHoles += forcedHole; }
                    sums.NrForced++;
                }
                if (last is not null && lastSize != 0)
                {
                    if (last.BitHole != 0 && pos.BitfieldSize != 0)
                    {
                        int bitfieldSize = last.BitHole;
                        if (last.ByteOffset != pos.ByteOffset)
                        {
                            _sb.Append($"\n{ind}/* Force alignment to the next boundary: */\n");
                            bitfieldSize = 0;
                        }
                        _sb.Append(ind).Append(TypeString(pos.Type, "", cconf.TypeSpacing, cconf)).Append($":{bitfieldSize};\n");
                    }
                    if (pos.ByteOffset < last.ByteOffset ||
                        (pos.ByteOffset == last.ByteOffset && last.BitfieldSize == 0 && pos.BitfieldSize != 0))
                    {
                        BlankLineOnce();
                        _sb.Append($"{ind}/* Bitfield combined with previous fields */\n");
                    }
                    else
                    {
                        long ccLastSize = pos.ByteOffset - last.ByteOffset;
                        if (ccLastSize > 0 && ccLastSize < lastSize)
                        {
                            BlankLineOnce();
                            _sb.Append($"{ind}/* Bitfield combined with next fields */\n");
                        }
                    }
                }
                if (newline != 0)
                {
                    _sb.Append('\n');
                    newline = 0;
                }

                _sb.Append(ind);
                cconf.FirstMember = last is null;
                cconf.LastMember = i == h.Members.Count - 1;
                PrintMember(pos, cconf);

                // "last struct has padding": only a struct type itself, not a typedef of one.
                if ((pos.Type is InlineType { Layout.IsUnion: false } || pos.Type is TaggedType { Keyword: "struct" }) && Lookup(pos.Type) is { } sl)
                {
                    var sh = FindHoles(sl);
                    InferPacked(sl);
                    if (sh.Padding > 0)
                    {
                        BlankLineOnce();
                        _sb.Append($"\n{ind}/* XXX last struct has {sh.Padding} byte{(sh.Padding != 1 ? "s" : "")} of padding */");
                        sums.NrPaddings++;
                        sums.SumPaddings += sh.Padding;
                    }
                }
                if (pos.BitHole != 0)
                {
                    BlankLineOnce();
                    _sb.Append('\n').Append(ind).Append(HoleComment(pos.BitHole, "bit"));
                    sums.BitHoles += pos.BitHole;
                }
                if (pos.Hole > 0)
                {
                    BlankLineOnce();
                    _sb.Append('\n').Append(ind).Append(HoleComment(pos.Hole, "byte"));
                    sums.Holes += pos.Hole;
                }
                _sb.Append('\n');

                if (pos.BitfieldSize != 0) sums.Bits += pos.BitfieldSize;
                else sums.Bytes += pos.ByteSize;

                if (last is null || lastSize == 0 || last.ByteOffset != pos.ByteOffset)
                    lastSize = pos.ByteSize;
                else if (last.BitfieldSize == 0 && pos.BitfieldSize != 0)
                    lastSize = pos.ByteSize;
                last = pos;
            }

            if (conf.EmitStats)
                PrintStats(layout, h, sums, ind, conf.BaseOffset);

            _sb.Append(Indent(conf.Indent)).Append('}');
            if (packed)
                _sb.Append(PackedAttr);
            if (suffix is not null)
                _sb.Append(' ').Append(suffix);
            // A packed struct's TYPE_ALIGN is 1 (user-aligned through its members): pahole shows only __packed__.
            int user = UserAlign(layout);
            if (user != 0 && !packed)
                _sb.Append(AlignedAttr(user));
            return packed;
        }
    }
}
