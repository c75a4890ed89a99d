using BenchmarkDotNet.Attributes;
using Ferry.Core.Pipelines;

namespace Ferry.Benchmarks.PipelineLoading;

/// <summary>Each corpus pipeline read from disk, parsed, interpolated, validated and turned into its graph.</summary>
[MemoryDiagnoser]
public class CorpusLoadBenchmarks
{
    private string _path = "";

    public static IEnumerable<string> Files() => CorpusPipelines.Names();

    [ParamsSource(nameof(Files))]
    public string File { get; set; } = "";

    [GlobalSetup]
    public void Locate()
    {
        _path = Path.Combine(CorpusPipelines.Folder, File);
        var result = LoadAndValidate();
        if (!result.IsValid)
        {
            throw new InvalidOperationException($"{File} does not validate: {string.Join("; ", result.Errors)}");
        }
    }

    [Benchmark]
    public PipelineLoadResult LoadAndValidate() => PipelineLoader.LoadFile(_path);
}
