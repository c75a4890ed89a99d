using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Resources.Npm;
using Ferry.Engine.Tests.Running;
using Ferry.Tests.LocalServers;

namespace Ferry.Engine.Tests.Resources.Npm;

/// <summary>The npm type in builds: a put publishes what a task built and its implicit get hands it on; a bad tarball errors the step.</summary>
public sealed class NpmStepTests(NpmFixture npm) : IClassFixture<NpmFixture>, IDisposable
{
    private readonly RunnerHarness _h = new();

    public void Dispose() => _h.Dispose();

    [VerdaccioFact]
    public async Task Put_PublishesNightlyThatTheNextTaskReads_WhenTaskBuiltThePackage()
    {
        var name = npm.NewName("built");
        _h.Types["npm"] = new NpmResourceType(new FixedClock(new DateTimeOffset(2024, 3, 27, 9, 31, 0, TimeSpan.Zero)));
        var build = _h.Sh("build",
            $$"""echo '{"name":"{{name}}","version":"2.2.1"}' > app/package.json && echo 'module.exports = 42;' > app/index.js && echo c72a851ffff > commit/sha""",
            outputs: ["app", "commit"]);
        var put = new PutPlan
        {
            Id = "p", Name = "nightly", Resource = "nightly", Type = "npm", Source = npm.Source(name, tag: "nightly"),
            Params = new JsonObject { ["publish"] = "app", ["prerelease_commit"] = "commit/sha" }, Inputs = PutInputs.Detect,
        };
        var read = _h.Sh("read", "cat nightly/version; echo; cat nightly/package/index.js", inputs: ["nightly"]);

        var result = await _h.RunAsync(_h.Do(build, put, read));

        result.Status.ShouldBe(BuildStatus.Succeeded, string.Join("\n", _h.Sink.Texts(BuildEventType.Error)));
        result.Puts.Single().Version.Version["version"].ShouldBe("2.2.2-c72a851-202403270931.0");
        _h.Sink.Log(read.Id).ShouldBe("2.2.2-c72a851-202403270931.0\nmodule.exports = 42;\n");
        (await npm.Registry.DistTagsAsync(name))["nightly"].ShouldBe("2.2.2-c72a851-202403270931.0");
    }

    [VerdaccioFact]
    public async Task Get_ErrorsTheStepNamingTheMismatch_WhenTarballTamperedWith()
    {
        var name = npm.NewName("step-tampered");
        await npm.PublishAsync(name, "1.0.0");
        await File.WriteAllBytesAsync(npm.Registry.TarballFile(name, "1.0.0"), [0x1f, 0x8b, 0, 0]);
        _h.Types["npm"] = new NpmResourceType(TimeProvider.System);

        var result = await _h.RunAsync(new GetPlan
        {
            Id = "g", Name = "pkg", Resource = "pkg", Type = "npm", Source = npm.Source(name),
            Version = new Dictionary<string, string> { ["version"] = "1.0.0" },
        });

        result.Status.ShouldBe(BuildStatus.Errored);
        _h.Sink.Texts(BuildEventType.Error).Single().ShouldStartWith($"get 'pkg' (resource 'pkg', type 'npm'): getting {name}@1.0.0 from {npm.Registry.Url}: integrity mismatch:");
    }
}
