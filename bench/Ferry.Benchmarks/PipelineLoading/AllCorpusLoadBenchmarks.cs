using BenchmarkDotNet.Attributes;
using Ferry.Core.Pipelines;

namespace Ferry.Benchmarks.PipelineLoading;

/// <summary>Every corpus pipeline loaded and validated in one go: what validating the whole corpus costs.</summary>
[MemoryDiagnoser]
public class AllCorpusLoadBenchmarks
{
    private string[] _paths = [];

    [GlobalSetup]
    public void Locate() =>
        _paths = CorpusPipelines.Names().Select(name => Path.Combine(CorpusPipelines.Folder, name)).ToArray();

    [Benchmark]
    public int LoadAndValidateAll()
    {
        var errors = 0;
        foreach (var path in _paths)
        {
            errors += PipelineLoader.LoadFile(path).Errors.Count;
        }
        return errors;
    }
}
