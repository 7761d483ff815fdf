namespace Emu;

public sealed unsafe partial class Process
{
    /// <summary>
    /// prctl(PR_SET_MEMORY_MERGE, enable): make every compatible VMA of this process mergeable
    /// (ksm_enable_merge_any), now and later, across fork and exec; or undo it, unmerging
    /// (ksm_disable_merge_any).
    /// </summary>
    public void SetMemoryMerge(bool enable) =>
        Syscall("prctl", k => k.prctl_memory_merge(Kernel.Kernel.PR_SET_MEMORY_MERGE, enable ? 1UL : 0UL, 0, 0, 0));

    /// <summary>prctl(PR_GET_MEMORY_MERGE): whether MMF_VM_MERGE_ANY is set.</summary>
    public bool GetMemoryMerge() =>
        Syscall("prctl", k => k.prctl_memory_merge(Kernel.Kernel.PR_GET_MEMORY_MERGE, 0, 0, 0, 0)) == 1;
}
