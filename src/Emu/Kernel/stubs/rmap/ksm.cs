// SPDX-License-Identifier: GPL-2.0-only
// Stub(ksm): mm/ksm.c's rmap_walk_ksm, owned by the KSM area.
using System;

namespace Emu.Kernel;

public sealed unsafe partial class Kernel
{
    // stub(ksm)
    internal void rmap_walk_ksm(folio* folio, rmap_walk_control* rwc) =>
        throw new NotImplementedException("rmap_walk_ksm: the KSM area has not landed");
}
