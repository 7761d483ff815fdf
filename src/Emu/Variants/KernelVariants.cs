using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace Emu.Variants;

/// <summary>
/// The registered kernel variants and how a machine's kernel is built from them.
/// </summary>
/// <remarks>
/// Design: the kernel is one partial class; a variant derives from it and overrides the methods the patch
/// changes, which are the only <c>virtual</c> ones (a test keeps it so). The transliterated code reads as
/// before (one keyword on those few signatures), baseline calls to the rest stay non-virtual, and a variant's
/// bodies are kernel-dialect code that reads line by line against the patched C. A patch series is a chain:
/// the variant of patch N derives from that of patch N-1, so a machine built with several variants takes the
/// most derived one, and the list must be exactly its chain.
/// </remarks>
public static class KernelVariants
{
    /// <summary>Every variant, by name (the class name without "Variant").</summary>
    private static readonly Type[] Registered = [typeof(KsmReduceFlushVariant)];

    /// <summary>The variant names a <see cref="MachineOptions.Variants"/> list may hold.</summary>
    public static IReadOnlyList<string> Names => Registered.Select(NameOf).ToArray();

    internal static IReadOnlyList<Type> Types => Registered;

    /// <summary>The patch a variant ports.</summary>
    public static KernelPatchAttribute Describe(string name) =>
        TypeOf(name).GetCustomAttribute<KernelPatchAttribute>() ?? throw new InvalidOperationException($"{name} has no [KernelPatch]");

    internal static string NameOf(Type t) => t.Name.EndsWith("Variant", StringComparison.Ordinal) ? t.Name[..^"Variant".Length] : t.Name;

    private static Type TypeOf(string name) =>
        Registered.FirstOrDefault(t => string.Equals(NameOf(t), name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"no kernel variant '{name}' (known: {string.Join(", ", Names)})", nameof(name));

    /// <summary>A kernel with the given variants applied (none: the baseline).</summary>
    internal static Emu.Kernel.Kernel Create(IReadOnlyList<string> names)
    {
        if (names.Count == 0)
            return new Emu.Kernel.Kernel();
        var types = names.Select(TypeOf).Distinct().ToList();
        var top = types.OrderByDescending(Depth).First();
        var chain = new List<Type>();
        for (var t = top; t != typeof(Emu.Kernel.Kernel) && t is not null; t = t.BaseType!)
            chain.Add(t);
        if (!types.All(chain.Contains) || chain.Count != types.Count)
            throw new ArgumentException($"variants {string.Join(", ", names)} are not one patch series (each must derive from the one before it)", nameof(names));
        return (Emu.Kernel.Kernel)Activator.CreateInstance(top, nonPublic: true)!;
    }

    private static int Depth(Type t)
    {
        int d = 0;
        for (; t != typeof(Emu.Kernel.Kernel); t = t.BaseType!) d++;
        return d;
    }
}
