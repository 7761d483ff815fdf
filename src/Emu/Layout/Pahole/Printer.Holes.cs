using System;
using System.Collections.Generic;

namespace Emu.Layout;

// Members as DWARF lists them and class__find_holes(): byte/bit holes and padding.
public static partial class PaholeFormatter
{
    private sealed partial class Printer
    {
        private static CType TypeOf(MemberLayout m) => m.Anonymous is not null ? new InlineType(m.Anonymous) : ParseType(m.TypeName);

        /// <summary>Members as DWARF has them: unnamed bitfields are not emitted.</summary>
        private List<PMember> BuildMembers(TypeLayout layout)
        {
            int baseOffset = BaseOf(layout);
            var list = new List<PMember>();
            foreach (var m in layout.Members)
            {
                if (m.Name is null && m.Anonymous is null)
                    continue;
                var pm = new PMember { Source = m, Type = TypeOf(m), ByteSize = m.Size };
                pm.BitOffset = m.BitOffset - baseOffset * 8L;
                if (m.BitWidth is int w)
                {
                    pm.BitfieldSize = w;
                    int unitBits = Math.Max(1, m.Size) * 8;
                    long unit = pm.BitOffset / unitBits * m.Size;
                    pm.ByteOffset = (int)unit;
                    pm.BitfieldOffset = (int)(pm.BitOffset - unit * 8);
                }
                else
                {
                    pm.ByteOffset = m.Offset - baseOffset;
                }
                pm.Alignment = MemberAlign(m, pm.Type);
                list.Add(pm);
            }
            return list;
        }

        /// <summary>Absolute offset of an aggregate: 0 for a named type, its first member's for an inline one.</summary>
        private static int BaseOf(TypeLayout layout)
        {
            if (layout.Name.Length != 0)
                return 0;
            foreach (var m in layout.Members)
            {
                if (m.Name is null && m.Anonymous is null) continue;
                if (m.BitWidth is null || m.Size <= 0) return m.Offset;
                return (int)(m.BitOffset / (m.Size * 8L) * m.Size);
            }
            return 0;
        }

        /// <summary>class__find_holes(), cached per type.</summary>
        private Holes FindHoles(TypeLayout layout)
        {
            if (_holes.TryGetValue(layout, out var cached))
                return cached;
            var h = new Holes { Members = BuildMembers(layout) };
            _holes[layout] = h;
            if (layout.IsUnion)
                return h;
            long size = layout.Size;
            long curBitfieldEnd = size * 8, curBitfieldSize = 0;
            long lastSeenBit = 0;
            bool inBitfield = false;
            PMember? last = null;
            foreach (var pos in h.Members)
            {
                long bitStart = pos.BitOffset;
                long bitEnd = pos.BitfieldSize != 0 ? bitStart + pos.BitfieldSize : bitStart + pos.ByteSize * 8L;
                long bitHoles = 0, byteHoles = 0;
                if (inBitfield)
                {
                    long bitfieldEnd = Math.Min(bitStart, curBitfieldEnd);
                    bitHoles = bitfieldEnd - lastSeenBit;
                    lastSeenBit = bitfieldEnd;
                }
                if (pos.BitfieldSize != 0)
                {
                    long alignedStart = pos.ByteOffset * 8L;
                    if (lastSeenBit < alignedStart && alignedStart <= bitStart)
                    {
                        byteHoles = pos.ByteOffset - lastSeenBit / 8;
                        lastSeenBit = alignedStart;
                    }
                    bitHoles += bitStart - lastSeenBit;
                }
                else
                {
                    byteHoles = bitStart / 8 - lastSeenBit / 8;
                }
                lastSeenBit = bitEnd;
                if (pos.BitfieldSize != 0)
                {
                    inBitfield = true;
                    long bitSize = pos.ByteSize * 8L;
                    if (bitEnd > curBitfieldEnd || bitSize > curBitfieldSize)
                    {
                        curBitfieldSize = bitSize;
                        curBitfieldEnd = pos.ByteOffset * 8L + curBitfieldSize;
                        if (bitEnd > curBitfieldEnd)
                            curBitfieldEnd += curBitfieldSize;
                    }
                }
                else
                {
                    inBitfield = false;
                    curBitfieldSize = 0;
                    curBitfieldEnd = bitEnd;
                }
                if (last is not null) { last.Hole = (int)byteHoles; last.BitHole = (int)bitHoles; }
                else { h.PreHole = (int)byteHoles; h.PreBitHole = (int)bitHoles; }
                if (bitHoles != 0) h.NrBitHoles++;
                if (byteHoles != 0) h.NrHoles++;
                last = pos;
            }
            if (inBitfield)
            {
                long bitfieldEnd = Math.Min(size * 8, curBitfieldEnd);
                h.BitPadding = (int)(bitfieldEnd - lastSeenBit);
                lastSeenBit = bitfieldEnd;
            }
            h.Padding = (int)(size - lastSeenBit / 8);
            return h;
        }
    }
}
