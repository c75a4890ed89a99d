using Ferry.Core.Pipelines;

namespace Ferry.Core.Tests.Pipelines;

public class CorpusTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Corpus.PipelineFiles())
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Fact]
    public void Corpus_HoldsPipelines_WhenFound()
    {
        Corpus.PipelineFiles().Count().ShouldBeGreaterThanOrEqualTo(30);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void LoadFile_ValidatesWithoutError_ForEveryCorpusPipeline(string file)
    {
        var result = PipelineLoader.LoadFile(Corpus.File(file));

        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        result.IsValid.ShouldBeTrue();
        result.Pipeline!.Jobs.ShouldNotBeEmpty();
        result.Pipeline.Resources.ShouldNotBeEmpty();
        result.Graph!.Jobs.Count.ShouldBe(result.Pipeline.Jobs.Count);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void LoadFile_LocatesEveryJob_ForEveryCorpusPipeline(string file)
    {
        var lines = File.ReadAllLines(Corpus.File(file));
        var result = PipelineLoader.LoadFile(Corpus.File(file));

        foreach (var job in result.Pipeline!.Jobs)
        {
            var at = job.LocationOf("name");
            lines[at.Line - 1].ShouldContain(job.Name, customMessage: $"{job.Path} at {at}");
        }
    }
}
