using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.Chain;

/// <summary>
/// The hello example end to end: a real `ferry server`, the real CLI and a real git repository. A commit flows
/// unit -> integration -> package; a failing commit stops at unit; a fix flows through; a pin holds a version.
/// </summary>
public sealed class HelloChainTests : IAsyncLifetime
{
    private FerryServer _server = null!;
    private GitRepository _repo = null!;
    private FerryApi _api = null!;

    public async Task InitializeAsync()
    {
        _repo = await GitRepository.CreateAsync(Path.Combine(RepositoryRoot.Path, "examples", "hello", "app"));
        _server = await FerryServer.StartAsync();
        _api = _server.NewApi();
        var set = await _server.CliAsync("set-pipeline", "-p", "hello", "-c", Path.Combine(RepositoryRoot.Path, "examples", "hello", "pipeline.yml"),
            "-v", $"repo={_repo.Uri}", "--yes");
        set.ExitCode.ShouldBe(0, set.ToString());
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
        await _repo.DisposeAsync();
    }

    [Fact]
    public async Task Commit_FlowsThroughTheChain_AndAFailingCommitStopsAtUnit()
    {
        var first = await _repo.CommitAsync("NOTES.md", "first\n", "a first change");
        (await _server.CliAsync("check", "-r", "hello/app")).ExitCode.ShouldBe(0);
        (await _api.FinishedBuildForAsync(_server, "hello", "package", "app", first)).ShouldBe("succeeded");
        (await _api.FinishedBuildForAsync(_server, "hello", "unit", "app", first)).ShouldBe("succeeded");
        (await _api.FinishedBuildForAsync(_server, "hello", "integration", "app", first)).ShouldBe("succeeded");

        var broken = await _repo.CommitAsync("hello", "#!/bin/sh\necho \"Hi, ${1:-world}.\"\n", "break the greeting");
        (await _server.CliAsync("check", "-r", "hello/app")).ExitCode.ShouldBe(0);
        (await _api.FinishedBuildForAsync(_server, "hello", "unit", "app", broken)).ShouldBe("failed");
        // A scheduler pass that began after unit failed on it would have given it to integration, if anything did.
        await _api.PassAfterNowAsync(_server, "scheduler");
        foreach (var build in await _api.BuildsAsync("hello", "integration"))
            (await _api.InputRefAsync((long)build["id"]!, "app")).ShouldNotBe(broken, "a commit that failed unit must not reach integration");
        await ShouldWaitOnAsync("integration", first);

        var fixedCommit = await _repo.CommitAsync("hello", "#!/bin/sh\nname=\"${1:-world}\"\necho \"Hello, ${name}!\"\n", "fix the greeting");
        (await _server.CliAsync("check", "-r", "hello/app")).ExitCode.ShouldBe(0);
        (await _api.FinishedBuildForAsync(_server, "hello", "package", "app", fixedCommit)).ShouldBe("succeeded");

        var watch = await _server.CliAsync("builds", "-j", "hello/package", "--json");
        watch.ExitCode.ShouldBe(0, watch.ToString());
        watch.Output.ShouldContain("succeeded");
    }

    [Fact]
    public async Task Pin_HoldsTheVersion_UntilUnpinned()
    {
        var pinned = await _repo.CommitAsync("NOTES.md", "pinned\n", "the version to hold");
        (await _server.CliAsync("check", "-r", "hello/app")).ExitCode.ShouldBe(0);
        (await _api.FinishedBuildForAsync(_server, "hello", "unit", "app", pinned)).ShouldBe("succeeded");

        var pin = await _server.CliAsync("pin", "-r", "hello/app", "-v", $"ref:{pinned}");
        pin.ExitCode.ShouldBe(0, pin.ToString());
        var later = await _repo.CommitAsync("NOTES.md", "later\n", "a change made while pinned");
        var check = await _server.CliAsync("check", "-r", "hello/app", "--watch");
        check.ExitCode.ShouldBe(0, check.ToString());
        (await _api.GetAsync("pipelines/hello/resources/app/versions"))["items"]!.AsArray()
            .Select(v => (string?)v!["version"]!["ref"]).ShouldContain(later, "the check saw the new commit");
        // A scheduler pass that began after the check saw it would have given it to unit, if anything did.
        await _api.PassAfterNowAsync(_server, "scheduler");
        foreach (var build in await _api.BuildsAsync("hello", "unit"))
            (await _api.InputRefAsync((long)build["id"]!, "app")).ShouldNotBe(later, "a pinned resource must not give jobs a newer version");
        await ShouldWaitOnAsync("unit", pinned);

        var trigger = await _server.CliAsync("trigger", "-j", "hello/unit", "--watch");
        trigger.ExitCode.ShouldBe(0, trigger.ToString());
        var newest = (await _api.BuildsAsync("hello", "unit"))[0];
        (await _api.InputRefAsync((long)newest["id"]!, "app")).ShouldBe(pinned);

        (await _server.CliAsync("unpin", "-r", "hello/app")).ExitCode.ShouldBe(0);
        (await _api.FinishedBuildForAsync(_server, "hello", "unit", "app", later)).ShouldBe("succeeded");
    }

    /// <summary>The scheduler's own answer (<c>ferry explain</c>): the job's input gets <paramref name="commit"/>, already built, so no build starts.</summary>
    private async Task ShouldWaitOnAsync(string job, string commit)
    {
        var explain = await _api.GetAsync($"pipelines/hello/jobs/{job}/explain");
        ((string?)explain["inputs"]![0]!["version"]?["ref"]).ShouldBe(commit, explain.ToJsonString());
        ((bool)explain["wouldTrigger"]!).ShouldBeFalse(explain.ToJsonString());
    }
}
