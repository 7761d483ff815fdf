namespace Emu.Kernel;

/// <summary>One emulated kernel: the transliterated mm code, with the kernel's globals as fields.</summary>
public sealed unsafe partial class Kernel { }
