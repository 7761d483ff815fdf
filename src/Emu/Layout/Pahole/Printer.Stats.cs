namespace Emu.Layout;

// The closing summary pahole prints after a top-level struct's members.
public static partial class PaholeFormatter
{
    /// <summary>Running totals PrintStruct gathers for the summary.</summary>
    private sealed class StructSums
    {
        public int Bytes, Bits, Holes, BitHoles;
        public int NrPaddings, SumPaddings;
        public int NrForced, NrForcedHoles, SumForcedHoles;
    }

    private sealed partial class Printer
    {
        /// <summary>The size/holes/padding/cacheline comments of __class__fprintf().</summary>
        private void PrintStats(TypeLayout layout, Holes h, StructSums sums, string ind, int baseOffset)
        {
            int size = layout.Size;
            int cachelines = (size + _cl - 1) / _cl;
            _sb.Append($"\n{ind}/* size: {size}, cachelines: {cachelines}, members: {h.Members.Count} */\n");
            if (sums.Holes > 0 || sums.BitHoles > 0)
            {
                if (sums.Bytes > 0)
                {
                    _sb.Append($"{ind}/* sum members: {sums.Bytes}");
                    if (sums.Holes > 0)
                        _sb.Append($", holes: {h.NrHoles}, sum holes: {sums.Holes}");
                    _sb.Append(" */\n");
                }
                if (sums.Bits > 0)
                {
                    _sb.Append($"{ind}/* sum bitfield members: {sums.Bits} bits");
                    if (sums.BitHoles > 0)
                        _sb.Append($", bit holes: {h.NrBitHoles}, sum bit holes: {sums.BitHoles} bits");
                    else
                        _sb.Append($" ({sums.Bits / 8} bytes)");
                    _sb.Append(" */\n");
                }
            }
            if (h.Padding > 0)
                _sb.Append($"{ind}/* padding: {h.Padding} */\n");
            if (sums.NrPaddings > 0)
                _sb.Append($"{ind}/* paddings: {sums.NrPaddings}, sum paddings: {sums.SumPaddings} */\n");
            if (h.BitPadding > 0)
                _sb.Append($"{ind}/* bit_padding: {h.BitPadding} bits */\n");
            if (sums.NrForced != 0)
            {
                _sb.Append($"{ind}/* forced alignments: {sums.NrForced}");
                if (sums.NrForcedHoles != 0)
                    _sb.Append($", forced holes: {sums.NrForcedHoles}, sum forced holes: {sums.SumForcedHoles}");
                _sb.Append(" */\n");
            }
            int lastCacheline = (baseOffset + size) % _cl;
            if (lastCacheline != 0)
                _sb.Append($"{ind}/* last cacheline: {lastCacheline} bytes */\n");
            long sizeDiff = size * 8L - (sums.Bytes * 8L + sums.Bits + sums.Holes * 8L + sums.BitHoles + h.Padding * 8L + h.BitPadding);
            if (sizeDiff != 0 && h.Members.Count != 0)
                _sb.Append($"\n{ind}/* BRAIN FART ALERT! {size} bytes != {sums.Bytes} (member bytes) + {sums.Bits} (member bits) + {sums.Holes} (byte holes) + {sums.BitHoles} (bit holes), diff = {sizeDiff} bits */\n");
        }
    }
}
