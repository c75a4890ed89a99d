using BenchmarkDotNet.Attributes;
using Ferry.Core.Resolving;
using Ferry.Core.Resolving.VersionsDb;

namespace Ferry.Benchmarks.Resolving;

/// <summary>Each corpus dump resolved with Concourse's regression inputs (loading excluded).</summary>
[MemoryDiagnoser]
public class DumpResolveBenchmarks
{
    private VersionsDump _dump = null!;
    private InputConfig[] _inputs = [];

    [Params("booklit", "bosh-versions", "concourse-versions-high-cpu-deploy", "hush-house-6", "relint-versions-2")]
    public string Dump { get; set; } = "";

    [GlobalSetup]
    public void Load()
    {
        _dump = DumpCases.Load(Dump);
        _inputs = DumpCases.Inputs[Dump];
        if (!Resolve().Ok)
        {
            throw new InvalidOperationException($"{Dump} did not resolve");
        }
    }

    [Benchmark]
    public Resolution Resolve() => Resolver.Resolve(_dump.Snapshot, VersionsDump.CurrentJob, _inputs);
}
