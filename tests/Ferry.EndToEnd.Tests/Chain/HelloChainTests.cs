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
        await Task.Delay(TimeSpan.FromSeconds(3));
        foreach (var build in await _api.BuildsAsync("hello", "integration"))
            (await _api.InputRefAsync((long)build["id"]!, "app")).ShouldNotBe(broken, "a commit that failed unit must not reach integration");

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
        (await _server.CliAsync("check", "-r", "hello/app")).ExitCode.ShouldBe(0);
        await Task.Delay(TimeSpan.FromSeconds(4));
        foreach (var build in await _api.BuildsAsync("hello", "unit"))
            (await _api.InputRefAsync((long)build["id"]!, "app")).ShouldNotBe(later, "a pinned resource must not give jobs a newer version");

        var trigger = await _server.CliAsync("trigger", "-j", "hello/unit", "--watch");
        trigger.ExitCode.ShouldBe(0, trigger.ToString());
        var newest = (await _api.BuildsAsync("hello", "unit"))[0];
        (await _api.InputRefAsync((long)newest["id"]!, "app")).ShouldBe(pinned);

        (await _server.CliAsync("unpin", "-r", "hello/app")).ExitCode.ShouldBe(0);
        (await _api.FinishedBuildForAsync(_server, "hello", "unit", "app", later)).ShouldBe("succeeded");
    }
}
