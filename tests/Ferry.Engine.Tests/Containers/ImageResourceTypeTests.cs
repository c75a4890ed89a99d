using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Core.Versions;
using Ferry.Engine.Containers;
using Ferry.Engine.Processes;
using Ferry.Engine.Resources;
using Ferry.Tests.Containers;

namespace Ferry.Engine.Tests.Containers;

/// <summary>A pipeline's resource type that is an image runs Concourse's /opt/resource scripts inside it.</summary>
[Collection(ContainerCollection.Name)]
public sealed class ImageResourceTypeTests(ContainerImages images) : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-image-type-").FullName;
    private ContainerRuntime? _containers;

    private ContainerRuntime Containers => _containers ??= new ContainerRuntime(new ProcessRunner(), _root, Path.Combine(_root, "containers"));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await ContainerTools.NoContainersLeftAsync(_root);
        _containers?.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private RegisteredResourceType Counter(bool privileged = false) =>
        ResourceTypeRegistry.WithBuiltIns().WithContainers(Containers).Resolve("counter",
        [
            new ResourceTypeDeclaration("counter", "registry-image", new JsonObject { ["repository"] = images.CounterType, ["tag"] = "1" },
                new JsonObject { ["greeting"] = "from defaults" }) { Privileged = privileged },
        ]);

    private ResourceCall Call(StringWriter log) => new(log, new Dictionary<string, string> { ["BUILD_ID"] = "7", ["BUILD_PIPELINE_NAME"] = "p" }, _root);

    [ContainerFact]
    public async Task CheckGetPut_RunTheImagesScripts_WithJsonOnStdinAndStdout_AndStderrInTheLog()
    {
        var type = Counter();
        var log = new StringWriter();
        var source = type.SourceWithDefaults([]);
        var destination = Directory.CreateDirectory(Path.Combine(_root, "got")).FullName;
        var artifacts = Directory.CreateDirectory(Path.Combine(_root, "artifacts")).FullName;
        var src = Directory.CreateDirectory(Path.Combine(_root, "steps", "src")).FullName;
        await File.WriteAllTextAsync(Path.Combine(src, "number"), "41\n");
        Directory.CreateSymbolicLink(Path.Combine(artifacts, "src"), src);

        var first = await type.Type.CheckAsync(Call(log), source, null, CancellationToken.None);
        var next = await type.Type.CheckAsync(Call(log), source, first[0], CancellationToken.None);
        var got = await type.Type.GetAsync(Call(log), source, next[1], new JsonObject { ["greeting"] = "hi" }, destination, CancellationToken.None);
        var put = await type.Type.PutAsync(Call(log), source, new JsonObject { ["file"] = "src/number" }, artifacts, CancellationToken.None);

        first.Select(v => v.Key).ShouldBe(["n:1"]);
        next.Select(v => v.Key).ShouldBe(["n:1", "n:2"]);
        got.Key.ShouldBe("n:2");
        got.Metadata.ShouldBe([new MetadataField("n", "2")]);
        File.ReadAllText(Path.Combine(destination, "number")).ShouldBe("2\n");
        File.ReadAllText(Path.Combine(destination, "greeting")).ShouldBe("hi\n");
        File.ReadAllText(Path.Combine(destination, "metadata")).ShouldBe("build 7 of p\n");
        put.Key.ShouldBe("n:41");
        var text = log.ToString();
        text.ShouldStartWith($"pulled image {images.CounterType}:1@sha256:");
        text.ShouldContain("check from '' caps");
        text.ShouldContain("fetched 2 into /tmp/build/get");
        text.ShouldContain("pushed 41 from src/number in /tmp/build/put");
    }

    [ContainerFact]
    public async Task Check_RunsPrivileged_OnlyWhenTheTypeIsPrivileged()
    {
        var log = new StringWriter();

        await Counter().Type.CheckAsync(Call(log), [], null, CancellationToken.None);
        await Counter(privileged: true).Type.CheckAsync(Call(log), [], null, CancellationToken.None);

        var capabilities = log.ToString().Split('\n').Where(l => l.StartsWith("check from", StringComparison.Ordinal))
            .Select(l => ulong.Parse(l.Split(' ')[^1], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        capabilities.Count.ShouldBe(2);
        capabilities[1].ShouldBeGreaterThan(capabilities[0]);
        (capabilities[1] & capabilities[0]).ShouldBe(capabilities[0]);
    }

    [ContainerFact]
    public async Task Check_FailsRetryably_WithTheRegistrysError_WhenTheImageCannotBePulled()
    {
        var type = ResourceTypeRegistry.WithBuiltIns().WithContainers(Containers).Resolve("gone",
            [new ResourceTypeDeclaration("gone", "docker-image", new JsonObject { ["repository"] = $"{images.Registry.Host}/gone" })]);

        var error = await Should.ThrowAsync<ResourceException>(() => type.Type.CheckAsync(Call(new StringWriter()), [], null, CancellationToken.None));

        error.IsRetryable.ShouldBeTrue();
        error.Message.ShouldStartWith($"resource type 'gone': cannot pull image {images.Registry.Host}/gone:latest: ");
        error.Message.ShouldContain("manifest unknown");
    }

    [ContainerFact]
    public async Task Build_GetsAndPutsThroughTheImageType_AndATaskInAnImageReadsWhatItFetched()
    {
        var h = new ContainerHarness();
        try
        {
            h.Runner.Types["counter"] = Counter().Type;
            var get = new GetPlan { Id = "g", Name = "number", Resource = "number", Type = "counter", Source = [], Version = new Dictionary<string, string> { ["n"] = "5" }, Params = new JsonObject { ["greeting"] = "hey" } };
            var task = h.InImage("read", images.Busybox, "cat number/number number/greeting number/metadata", inputs: ["number"]);
            var put = new PutPlan { Id = "p", Name = "number", Resource = "number", Type = "counter", Source = [], Params = new JsonObject { ["file"] = "number/number" } };

            var result = await h.Runner.RunAsync(h.Runner.Do(get, task, put));

            result.Status.ShouldBe(BuildStatus.Succeeded, h.Runner.Sink.Log());
            h.Stdout(task.Id).ShouldBe("5\nhey\nbuild 42 of none\n");
            result.Puts.Single().Version.Key.ShouldBe("n:5");
        }
        finally
        {
            await h.DisposeAsync();
        }
    }
}
