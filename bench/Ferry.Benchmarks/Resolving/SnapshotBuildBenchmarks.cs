using BenchmarkDotNet.Attributes;
using Ferry.Core.Resolving;

namespace Ferry.Benchmarks.Resolving;

/// <summary>What indexing a snapshot costs at each size (the scheduler pays it when the store changed).</summary>
[MemoryDiagnoser]
public class SnapshotBuildBenchmarks
{
    [Params(1_000, 10_000, 100_000, 1_000_000)]
    public int Versions { get; set; }

    [Benchmark]
    public ResolverSnapshot BuildSnapshot() => GrowthBenchmarks.Synthetic(Versions);
}
