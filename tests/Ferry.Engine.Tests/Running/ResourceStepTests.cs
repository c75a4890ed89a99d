using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Core.Versions;
using Ferry.Engine.Resources;

namespace Ferry.Engine.Tests.Running;

/// <summary>
/// A real resource type over a directory: version N is the file <c>vN</c>; get copies it to <c>content</c> and
/// writes <c>version</c>; put stores the artifact file named by <c>params.file</c> as the next version.
/// </summary>
internal sealed class DirectoryResourceType : IResourceType
{
    public string Name => "directory";

    public Task<IReadOnlyList<ResourceVersion>> CheckAsync(ResourceCall call, JsonObject source, ResourceVersion? from, CancellationToken cancellation)
    {
        var numbers = Directory.GetFiles(Dir(source), "v*").Select(f => int.Parse(Path.GetFileName(f)[1..], CultureInfo.InvariantCulture)).Order();
        var since = from is null ? numbers.TakeLast(1) : numbers.Where(n => n >= int.Parse(from.Version["ref"][1..], CultureInfo.InvariantCulture));
        return Task.FromResult<IReadOnlyList<ResourceVersion>>([.. since.Select(n => Version($"v{n}"))]);
    }

    public async Task<ResourceVersion> GetAsync(ResourceCall call, JsonObject source, ResourceVersion version, JsonObject @params, string directory, CancellationToken cancellation)
    {
        var file = Path.Combine(Dir(source), version.Version["ref"]);
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"version {version.Key} does not exist");
        }
        await call.Log.WriteLineAsync($"fetching {version.Version["ref"]}");
        File.Copy(file, Path.Combine(directory, "content"));
        await File.WriteAllTextAsync(Path.Combine(directory, "version"), version.Version["ref"], cancellation);
        return version with { Metadata = [new MetadataField("build", call.Environment["BUILD_ID"])] };
    }

    public async Task<ResourceVersion> PutAsync(ResourceCall call, JsonObject source, JsonObject @params, string artifactsRoot, CancellationToken cancellation)
    {
        var from = Path.Combine(artifactsRoot, @params["file"]!.GetValue<string>());
        var next = $"v{Directory.GetFiles(Dir(source), "v*").Length + 1}";
        File.Copy(from, Path.Combine(Dir(source), next));
        await call.Log.WriteLineAsync($"pushed {next} from {string.Join(",", Directory.GetFileSystemEntries(artifactsRoot).Select(Path.GetFileName).Order())}");
        return Version(next);
    }

    private static string Dir(JsonObject source) => source["dir"]!.GetValue<string>();

    private static ResourceVersion Version(string name) => new(new Dictionary<string, string> { ["ref"] = name });
}

public sealed class ResourceStepTests : IDisposable
{
    private readonly RunnerHarness h = new();
    private readonly string repo;

    public ResourceStepTests()
    {
        h.Types["directory"] = new DirectoryResourceType();
        repo = Directory.CreateDirectory(Path.Combine(h.Root, "repo")).FullName;
        File.WriteAllText(Path.Combine(repo, "v1"), "one");
        File.WriteAllText(Path.Combine(repo, "v2"), "two");
    }

    public void Dispose() => h.Dispose();

    private JsonObject Source => new() { ["dir"] = repo };

    [Fact]
    public async Task Get_FetchesChosenVersionForTasks_WhenVersionIsGiven()
    {
        var get = new GetPlan { Id = "g", Name = "code", Resource = "repo", Type = "directory", Source = Source, Version = new Dictionary<string, string> { ["ref"] = "v1" } };
        var task = h.Sh("read", "cat code/content", inputs: ["code"]);

        var result = await h.RunAsync(h.Do(get, task));

        result.Status.ShouldBe(BuildStatus.Succeeded);
        h.Sink.Log(task.Id).ShouldBe("one\n");
        h.Sink.Log("g").ShouldBe("fetching v1\n");
        result.Gets.Single().ShouldBe(new Ferry.Engine.Running.StepVersion("g", "code", "repo", new ResourceVersion(new Dictionary<string, string> { ["ref"] = "v1" })));
        h.Sink.Events.Single(e => e.Type == BuildEventType.StepFinished && e.StepId == "g").Payload!["version"]!["ref"]!.GetValue<string>().ShouldBe("v1");
    }

    [Fact]
    public async Task Get_FetchesLatest_WhenNoVersionIsGiven()
    {
        var result = await h.RunAsync(new GetPlan { Id = "g", Name = "code", Resource = "repo", Type = "directory", Source = Source });

        result.Gets.Single().Version.Version["ref"].ShouldBe("v2");
    }

    [Fact]
    public async Task Get_Errors_WhenTypeIsUnknownOrVersionMissing()
    {
        var unknown = await h.RunAsync(new GetPlan { Id = "g", Name = "code", Resource = "repo", Type = "nope", Source = Source });
        var missing = await h.RunAsync(new GetPlan { Id = "g2", Name = "code", Resource = "repo", Type = "directory", Source = Source, Version = new Dictionary<string, string> { ["ref"] = "v9" } });

        unknown.Status.ShouldBe(BuildStatus.Errored);
        missing.Status.ShouldBe(BuildStatus.Errored);
        h.Sink.Texts(BuildEventType.Error).ShouldBe([
            "get 'code' (resource 'repo', type 'nope'): unknown resource type 'nope'",
            "get 'code' (resource 'repo', type 'directory'): version ref:v9 does not exist",
        ]);
    }

    [Fact]
    public async Task Put_RecordsVersionAndGetsIt_WithDetectedInputs()
    {
        var make = h.Sh("make", "echo three > out/file", outputs: ["out"]);
        var other = h.Sh("other", "true", outputs: ["unrelated"]);
        var put = new PutPlan { Id = "p", Name = "repo", Resource = "repo", Type = "directory", Source = Source, Params = new JsonObject { ["file"] = "out/file" }, Inputs = PutInputs.Detect };
        var after = h.Sh("after", "cat repo/version repo/content", inputs: ["repo"]);

        var result = await h.RunAsync(h.Do(make, other, put, after));

        result.Status.ShouldBe(BuildStatus.Succeeded);
        result.Puts.Single().Version.Version["ref"].ShouldBe("v3");
        h.Sink.Log("p").ShouldBe("pushed v3 from out\nfetching v3\n");
        h.Sink.Log(after.Id).ShouldBe("v3three\n");
    }

    [Fact]
    public async Task Put_SkipsImplicitGet_WhenNoGet()
    {
        var make = h.Sh("make", "echo x > out/file", outputs: ["out"]);
        var put = new PutPlan { Id = "p", Name = "repo", Resource = "repo", Type = "directory", Source = Source, Params = new JsonObject { ["file"] = "out/file" }, NoGet = true };
        var after = h.Sh("after", "true", inputs: ["repo"]);

        var result = await h.RunAsync(h.Do(make, put, after));

        result.Status.ShouldBe(BuildStatus.Errored);
        result.Puts.Count.ShouldBe(1);
        h.Sink.Texts(BuildEventType.Error).Single().ShouldContain("missing input 'repo'");
    }

    [Fact]
    public async Task Across_KeepsArtifactsInsideIteration_WhenStepsRegisterThem()
    {
        var inner = h.Do(
            new GetPlan { Id = "g", Name = "code", Resource = "repo", Type = "directory", Source = Source, Version = new Dictionary<string, string> { ["ref"] = "((.:v))" } },
            h.Sh("read", "cat code/content", inputs: ["code"]));
        var after = h.Sh("after", "true", inputs: ["code"]);

        var result = await h.RunAsync(h.Do(new AcrossPlan { Id = "a", Vars = [new AcrossPlanVar("v", ["v1", "v2"])], Step = inner }, after));

        result.Gets.Select(g => g.Version.Version["ref"]).ShouldBe(["v1", "v2"]);
        result.Status.ShouldBe(BuildStatus.Errored);
        h.Sink.Texts(BuildEventType.Error).Single().ShouldContain("task 'after': missing input 'code'");
    }
}
