using System;
using System.Collections.Generic;

namespace Emu.Layout;

// Per-member and per-print state mirroring pahole's class_member, holes and conf_fprintf.
public static partial class PaholeFormatter
{
    /// <summary>One member as pahole sees it (byte offsets relative to the enclosing aggregate).</summary>
    private sealed class PMember
    {
        public required MemberLayout Source;
        public required CType Type;
        public int ByteOffset;          // pahole's byte_offset (bitfields: of the storage unit)
        public long BitOffset;          // relative to the enclosing aggregate
        public int ByteSize;
        public int BitfieldSize;
        public int BitfieldOffset;
        public int Alignment;           // DW_AT_alignment, 0 when not user-aligned
        public int Hole, BitHole;
        public string? Name => Source.Name;
        public int AbsOffset => Source.Offset;
    }

    /// <summary>Results of class__find_holes() for one struct.</summary>
    private sealed class Holes
    {
        public List<PMember> Members = new();
        public int PreHole, PreBitHole, NrHoles, NrBitHoles, Padding, BitPadding;
    }

    private sealed class Conf
    {
        public int Indent;
        public int TypeSpacing;
        public int NameSpacing;
        public bool EmitStats;
        public required int[] Cacheline; // shared across nesting, like pahole's cachelinep
        public int BaseOffset;           // absolute offset of the aggregate being printed
        public bool FirstMember, LastMember, UnionMember; // decide between [0] and [] like pahole
        public Conf With(Action<Conf> change)
        {
            var c = (Conf)MemberwiseClone();
            change(c);
            return c;
        }
    }
}
