using Ferry.Core.Versions;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.Git;
using Ferry.Tests.LocalServers;

namespace Ferry.Engine.Tests.Resources;

public sealed class GitCheckTests : IDisposable
{
    private readonly GitRemote _remote = new();
    private readonly GitResourceType _git = new(new Ferry.Engine.Processes.ProcessRunner());

    public void Dispose() => _remote.Dispose();

    private static ResourceVersion Ref(string sha) => new(new Dictionary<string, string> { ["ref"] = sha });

    private static IEnumerable<string> Refs(IReadOnlyList<ResourceVersion> versions) => versions.Select(v => v.Version["ref"]);

    [Fact]
    public async Task CheckAsync_ReturnsHeadOnly_WhenNoFrom()
    {
        _remote.Commit("a.txt", "1", "first");
        var second = _remote.Commit("a.txt", "2", "second");

        var versions = await _git.CheckAsync(_remote.Call(), _remote.Source(), null, CancellationToken.None);

        Refs(versions).ShouldBe([second]);
    }

    [Fact]
    public async Task CheckAsync_ReturnsFromThenNewerOldestFirst_WhenFromExists()
    {
        var first = _remote.Commit("a.txt", "1", "first");
        var call = _remote.Call();
        (await _git.CheckAsync(call, _remote.Source(), null, CancellationToken.None)).Count.ShouldBe(1);
        var second = _remote.Commit("a.txt", "2", "second");
        var third = _remote.Commit("b.txt", "3", "third");

        var versions = await _git.CheckAsync(call, _remote.Source(), Ref(first), CancellationToken.None);

        Refs(versions).ShouldBe([first, second, third]);
    }

    [Fact]
    public async Task CheckAsync_AsksTheRemotesHeadOnly_WhenItIsTheNewestVersionKnown()
    {
        var first = _remote.Commit("a.txt", "1", "first");
        var call = _remote.Call();
        (await _git.CheckAsync(call, _remote.Source(), null, CancellationToken.None)).Count.ShouldBe(1);
        var cache = Path.Combine(call.WorkRoot, "git");
        // Without its cache, a check that fetched would clone it again; one that only asks the remote's head does not.
        Directory.Delete(cache, recursive: true);

        var unchanged = await _git.CheckAsync(call, _remote.Source(), Ref(first), CancellationToken.None);

        Refs(unchanged).ShouldBe([first]);
        (Directory.Exists(cache) ? Directory.GetDirectories(cache) : []).ShouldBeEmpty("nothing new on the branch: nothing fetched");
        var second = _remote.Commit("a.txt", "2", "second");
        var moved = await _git.CheckAsync(call, _remote.Source(), Ref(first), CancellationToken.None);
        Refs(moved).ShouldBe([first, second]);
        moved[1].Metadata.ShouldContain(m => m.Name == "message" && m.Value == "second");
    }

    [Fact]
    public async Task CheckAsync_FetchesTheFollowedBranchAlone()
    {
        var first = _remote.Commit("a.txt", "1", "first");
        _remote.Run(_remote.Work, "push", "-q", "origin", "HEAD:refs/heads/other");
        var call = _remote.Call();

        Refs(await _git.CheckAsync(call, _remote.Source(), null, CancellationToken.None)).ShouldBe([first]);

        var cache = Directory.GetDirectories(Path.Combine(call.WorkRoot, "git")).Single();
        File.Exists(Path.Combine(cache, "refs", "heads", "main")).ShouldBeTrue();
        File.Exists(Path.Combine(cache, "refs", "heads", "other")).ShouldBeFalse("a check of main needs no other branch");
    }

    [Fact]
    public async Task CheckAsync_ReportsCommitMetadata_WhenCommitIsTagged()
    {
        var sha = _remote.Commit("a.txt", "1", "the subject\n\nthe body");
        _remote.Run(_remote.Work, "tag", "v1.0.0");
        _remote.Run(_remote.Work, "tag", "-a", "release-1", "-m", "an annotated tag names the commit too");
        _remote.Run(_remote.Work, "push", "-q", "origin", "v1.0.0", "release-1");

        var version = (await _git.CheckAsync(_remote.Call(), _remote.Source(), null, CancellationToken.None)).Single();

        var metadata = version.Metadata.ToDictionary(m => m.Name, m => m.Value);
        metadata["commit"].ShouldBe(sha);
        metadata["author"].ShouldBe("Tess Ter <tess@example.test>");
        metadata["committer"].ShouldBe("Tess Ter <tess@example.test>");
        metadata["author_date"].ShouldStartWith("2026-01-01T00:00:");
        metadata["branch"].ShouldBe("main");
        metadata["tags"].ShouldBe("release-1,v1.0.0");
        metadata["message"].ShouldBe("the subject\n\nthe body");
    }

    [Fact]
    public async Task CheckAsync_FollowsRemoteHead_WhenNoBranchGiven()
    {
        using var remote = new GitRemote(branch: "trunk");
        var sha = remote.Commit("a.txt", "1", "first", branch: "trunk");

        var version = (await _git.CheckAsync(remote.Call(), remote.Source(), null, CancellationToken.None)).Single();

        version.Version["ref"].ShouldBe(sha);
        version.Metadata.ShouldContain(new MetadataField("branch", "trunk"));
    }

    [Fact]
    public async Task CheckAsync_WatchesNamedBranch_WhenBranchGiven()
    {
        _remote.Commit("a.txt", "1", "on main");
        var feature = _remote.Commit("a.txt", "2", "on feature", branch: "feature");

        var versions = await _git.CheckAsync(_remote.Call(), _remote.Source(""", "branch": "feature" """), null, CancellationToken.None);

        Refs(versions).ShouldBe([feature]);
    }

    [Fact]
    public async Task CheckAsync_ThrowsRetryable_WhenBranchMissing()
    {
        _remote.Commit("a.txt", "1", "first");

        var error = await Should.ThrowAsync<ResourceException>(() => _git.CheckAsync(_remote.Call(), _remote.Source(""", "branch": "nope" """), null, CancellationToken.None));

        error.IsRetryable.ShouldBeTrue();
        error.Message.ShouldContain("'nope'");
    }

    [Fact]
    public async Task CheckAsync_ThrowsRetryable_WhenRemoteUnreachable()
    {
        var source = _remote.Source();
        source["uri"] = "file://" + Path.Combine(_remote.Root, "missing.git");

        var error = await Should.ThrowAsync<ResourceException>(() => _git.CheckAsync(_remote.Call(), source, null, CancellationToken.None));

        error.IsRetryable.ShouldBeTrue();
        error.Message.ShouldStartWith("git ");
    }

    [Fact]
    public async Task CheckAsync_ThrowsTerminal_WhenUriMissing()
    {
        var error = await Should.ThrowAsync<ResourceConfigException>(() => _git.CheckAsync(_remote.Call(), new(), null, CancellationToken.None));

        error.IsRetryable.ShouldBeFalse();
        error.Errors.ShouldBe(["source.uri: required"]);
    }

    [Fact]
    public async Task CheckAsync_FiltersCommits_WhenPathsAndIgnorePathsGiven()
    {
        var first = _remote.Commit("src/a.txt", "1", "src change");
        _remote.Commit("docs/readme.md", "1", "docs change");
        var third = _remote.Commit("src/b.txt", "1", "another src change");
        _remote.Commit("src/notes.md", "1", "ignored src change");
        var source = _remote.Source(""", "paths": ["src"], "ignore_paths": ["src/*.md"] """);

        var versions = await _git.CheckAsync(_remote.Call(), source, Ref(first), CancellationToken.None);

        Refs(versions).ShouldBe([first, third]);
    }

    [Fact]
    public async Task CheckAsync_FollowsFirstParentOnly_WhenBranchMerged()
    {
        var first = _remote.Commit("a.txt", "1", "first");
        _remote.Run(_remote.Work, "checkout", "-q", "-b", "feature");
        _remote.Commit("b.txt", "1", "feature work", branch: "feature");
        _remote.Run(_remote.Work, "checkout", "-q", "main");
        _remote.Run(_remote.Work, "merge", "-q", "--no-ff", "-m", "merge feature", "feature");
        _remote.Run(_remote.Work, "push", "-q", "origin", "main");
        var merge = _remote.Head();

        var versions = await _git.CheckAsync(_remote.Call(), _remote.Source(), Ref(first), CancellationToken.None);

        Refs(versions).ShouldBe([first, merge]);
    }

    [Fact]
    public async Task CheckAsync_SkipsCiSkipCommits_UnlessDisabled()
    {
        var first = _remote.Commit("a.txt", "1", "first");
        var skipped = _remote.Commit("a.txt", "2", "bump [ci skip]");

        var versions = await _git.CheckAsync(_remote.Call(), _remote.Source(), Ref(first), CancellationToken.None);
        var all = await _git.CheckAsync(_remote.Call(), _remote.Source(""", "disable_ci_skip": true """), Ref(first), CancellationToken.None);

        Refs(versions).ShouldBe([first]);
        Refs(all).ShouldBe([first, skipped]);
    }

    [Fact]
    public async Task CheckAsync_ReturnsCurrentHeadOnly_WhenFromWasForcePushedAway()
    {
        var first = _remote.Commit("a.txt", "1", "first");
        var call = _remote.Call();
        var gone = _remote.Commit("a.txt", "2", "rewritten later");
        (await _git.CheckAsync(call, _remote.Source(), Ref(first), CancellationToken.None)).Count.ShouldBe(2);
        _remote.Run(_remote.Work, "reset", "-q", "--hard", first);
        var replacement = _remote.Commit("a.txt", "3", "replacement", force: true);

        var versions = await _git.CheckAsync(call, _remote.Source(), Ref(gone), CancellationToken.None);

        Refs(versions).ShouldBe([replacement]);
    }

    [Fact]
    public async Task CheckAsync_ReturnsTaggedCommits_WhenTagFilterGiven()
    {
        var one = _remote.Commit("a.txt", "1", "one");
        _remote.Run(_remote.Work, "tag", "v1");
        _remote.Commit("a.txt", "2", "untagged");
        var three = _remote.Commit("a.txt", "3", "three");
        _remote.Run(_remote.Work, "tag", "v2");
        _remote.Run(_remote.Work, "tag", "other");
        _remote.Run(_remote.Work, "push", "-q", "origin", "--tags");
        var source = _remote.Source(""", "tag_filter": "v*" """);

        var latest = await _git.CheckAsync(_remote.Call(), source, null, CancellationToken.None);
        var from = await _git.CheckAsync(_remote.Call(), source, latest.Single() with { Version = new Dictionary<string, string> { ["ref"] = "v1", ["commit"] = one } }, CancellationToken.None);
        var directory = Directory.CreateDirectory(Path.Combine(_remote.Root, "tagged")).FullName;
        await _git.GetAsync(_remote.Call(), source, from[0], [], directory, CancellationToken.None);

        latest.Single().Version.ShouldBe(new Dictionary<string, string> { ["ref"] = "v2", ["commit"] = three });
        from.Select(v => v.Version["ref"]).ShouldBe(["v1", "v2"]);
        File.ReadAllText(Path.Combine(directory, "a.txt")).ShouldBe("1");
    }

    [Fact]
    public async Task CheckAsync_ReadsThroughGitDaemon_WhenUriIsGitProtocol()
    {
        var sha = _remote.Commit("a.txt", "1", "served");
        var port = LocalServerProcess.FreePort();
        using var daemon = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git",
            ["daemon", "--listen=127.0.0.1", $"--port={port}", "--export-all", "--reuseaddr", $"--base-path={_remote.Root}", _remote.Root])
        { RedirectStandardError = true })!;
        try
        {
            var source = _remote.Source();
            source["uri"] = $"git://127.0.0.1:{port}/remote.git";
            IReadOnlyList<ResourceVersion>? versions = null;
            for (var attempt = 0; versions is null; attempt++)
            {
                try
                {
                    versions = await _git.CheckAsync(_remote.Call(), source, null, CancellationToken.None);
                }
                catch (ResourceException) when (attempt < 50)
                {
                    await Task.Delay(50); // the daemon is still starting
                }
            }

            Refs(versions).ShouldBe([sha]);
        }
        finally
        {
            daemon.Kill(entireProcessTree: true);
        }
    }
}
