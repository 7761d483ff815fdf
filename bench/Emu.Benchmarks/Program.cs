using BenchmarkDotNet.Running;

namespace Emu.Benchmarks;

/// <summary><c>dotnet run -c Release --project bench/Emu.Benchmarks -- --filter '*'</c></summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
